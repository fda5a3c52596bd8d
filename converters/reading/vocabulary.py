"""The words SOP tables are written in, said once for every reader and for inference.

Each reader meets the same Indonesian vocabulary in another shape (tab cells, OCR lines, text
runs of a PDF): the units of a Waktu value, the titles of the Mutu Baku columns, the jabatan
that head the Pelaksana columns, the verbs an activity starts with. When every reader kept its
own list, the lists drifted apart ("pekan" was a Waktu unit for one reader and not for another),
so a table read well in one format and badly in another. The lists live here; the modules keep
only the logic that applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- Waktu (Mutu Baku time) ------------------------------------------------------------------


@dataclass(frozen=True)
class TimeUnit:
    """One unit of a Waktu value and how SOP authors spell it."""

    name: str
    spellings: str  # regex alternation, longest spelling first
    minutes: int | None  # office minutes per unit; None: never turned into a due date
    abbreviations: str = ""  # one-letter or bare forms, trusted only inside a Waktu cell


# One working day = 8 hours, one week = 5 working days, one month = 20 working days (see
# :mod:`converters.reading.durations`). Years, semesters and seconds do occur in SOPs ("1 tahun",
# "30 detik") and mark a Waktu cell, but no task is given a due date from them.
TIME_UNITS: tuple[TimeUnit, ...] = (
    TimeUnit("minute", r"menit|mnit|mnt|mins?", 1, r"mt|m(?![a-z])"),
    TimeUnit("hour", r"jam|jm|hours?", 60, r"j(?![a-z])"),  # "hr" is hari in Indonesian
    TimeUnit("day", r"hari\s*kerja|hari|hr|hk|days?", 480),
    TimeUnit("week", r"minggu|pekan|mgg|weeks?", 2400),
    TimeUnit("month", r"bulan|bln|months?", 9600),
    TimeUnit("semester", r"semester", None),
    TimeUnit("year", r"tahun", None),
    TimeUnit("second", r"detik", None),
)

NUMBER = r"\d+(?:[.,]\d+)?|½|¼"
RANGE_SEPARATOR = r"\s*(?:-|–|—|s\.?\s*/?\s*d\.?|sampai(?:\s+dengan)?|hingga|~)\s*"


def time_unit_pattern(*, abbreviations: bool = False, convertible: bool = False) -> str:
    """The unit alternation: every spelling, plus the bare abbreviations when asked.

    ``convertible`` keeps only units with a minute value (what a due date can be made of).
    """
    parts: list[str] = []
    for unit in TIME_UNITS:
        if convertible and unit.minutes is None:
            continue
        parts.append(unit.spellings)
        if abbreviations and unit.abbreviations:
            parts.append(unit.abbreviations)
    return "|".join(f"(?:{p})" for p in parts)


def _waktu_value(units: str) -> str:
    # one number or a range, an optional "x 24", then a unit: every repetition is bounded by
    # a separator, so a run of digits cannot make the regex engine backtrack exponentially
    return (
        rf"(?<![\w/])(?P<lo>{NUMBER})(?:{RANGE_SEPARATOR}(?P<hi>{NUMBER}))?"
        rf"\s*(?:[x×]\s*(?P<mul>{NUMBER})\s*)?(?P<unit>{units})(?![a-z])"
    )


WAKTU_VALUE = re.compile(_waktu_value(time_unit_pattern()), re.IGNORECASE)
"""A Waktu value in a row ("2 Jam", "1 - 5 hari kerja", "1 x 24 jam"): what tells a reader
where the Waktu cell is. Bare abbreviations ("5 m") are left out: outside a known Waktu cell
they are more often something else."""

WAKTU_IN_CELL = re.compile(
    _waktu_value(time_unit_pattern(abbreviations=True, convertible=True)), re.IGNORECASE
)
"""A Waktu value inside a cell already known to be the Waktu: abbreviations count, and only
units that convert to minutes (see :func:`converters.reading.durations.parse_duration`)."""


def time_unit(spelling: str) -> TimeUnit:
    """The unit a spelling matched by :data:`WAKTU_VALUE` or :data:`WAKTU_IN_CELL` names."""
    word = spelling.strip().lower()
    for unit in TIME_UNITS:
        for pattern in (unit.spellings, unit.abbreviations):
            if pattern and re.fullmatch(pattern, word):
                return unit
    raise ValueError(spelling)


# -- table column titles ---------------------------------------------------------------------


@dataclass(frozen=True)
class MutuColumn:
    """One Mutu Baku column: the :class:`~converters.reading.raw.RawRow` field it fills."""

    kind: str  # "requirements", "duration", "output", "notes"
    form_titles: tuple[str, ...]  # as the Permenpan RB 35/2012 form prints them
    other_titles: tuple[str, ...]  # home-made tables; trusted only as a whole header cell


MUTU_COLUMNS: tuple[MutuColumn, ...] = (
    MutuColumn("requirements", ("kelengkapan", "persyaratan", "perlengkapan"), ("syarat",)),
    MutuColumn("duration", ("waktu",), ("durasi", "lama")),
    MutuColumn("output", ("output",), ("keluaran", "hasil")),
    MutuColumn("notes", ("keterangan", "ket"), ("catatan",)),
)

WAKTU_NO_TIME = re.compile(r"^(?:-|segera|sesuai\s+kebutuhan|tentatif|situasional)$", re.IGNORECASE)
"""A whole Waktu cell that states no time (the duration keeps only its text)."""

YES_LABELS = frozenset({"ya", "y", "setuju", "sesuai", "ada", "lengkap", "benar", "ok", "valid",
                        "disetujui", "diterima", "yes"})
NO_LABELS = frozenset({"tidak", "t", "tidak setuju", "belum sesuai", "tidak sesuai", "belum",
                       "tidak ada", "tidak lengkap", "salah", "ditolak", "no", "tidak valid",
                       "belum lengkap"})
"""The branch labels of a yes/no decision, as written beside the diamond and after "jika"
in its text: a label cell is never a Mutu Baku value."""


def answer_label(text: str) -> str | None:
    """"yes" or "no" for a branch label of a yes/no decision, else None: a label of
    :data:`YES_LABELS` / :data:`NO_LABELS`, or one of their yes words said to be so or not so
    yet ("Sudah Benar" / "Belum Benar", "Sudah lengkap" / "Belum valid"): diamonds written
    with a state rather than a bare answer, each the same yes or no."""
    key = " ".join(text.split()).casefold().strip(" .:")
    if key in NO_LABELS:
        return "no"
    if key in YES_LABELS:
        return "yes"
    m = re.fullmatch(r"(sudah|telah|belum|tidak|bukan)\s+(\w+)", key)
    if m and m.group(2) in YES_LABELS and len(m.group(2)) > 1:
        return "yes" if m.group(1) in ("sudah", "telah") else "no"
    return None


TERMINATOR_WORDS = frozenset({"mulai", "selesai", "start", "end"})
"""The words in a flowchart's start and end capsules: on their own they are no table cell."""

CHECKING_WORDS = re.compile(
    r"^(?:(?:mem|pem)eriksa(?:an)?|(?:mem|pem)?verifikasi|(?:meng|peng)?evaluasi|"
    r"(?:men|pen)elaah(?:an)?|(?:meng|peng)oreksi|koreksi|(?:mem|pem)?validasi|(?:meng|peng)ecek(?:an)?|"
    r"cek|meneliti|mereview|review|(?:meng|peng)uji(?:an)?|uji|testing)$",
    re.I,
)
"""A word that says a step checks work ("Memeriksa", "Pemeriksaan", "Evaluasi", "Menguji",
"Testing"): the step a diamond asks its yes/no question after."""


def _opens_with(words: re.Pattern[str], activity: str) -> bool:
    """One of ``words`` among the activity's first three words (its verb, possibly after
    "Melakukan"/"Membuat"), punctuation ignored."""
    return any(words.match(re.sub(r"[^\w]", "", w)) for w in activity.split()[:3])


def checks_work(activity: str) -> bool:
    """The activity checks work: a :data:`CHECKING_WORDS` word among its first three."""
    return _opens_with(CHECKING_WORDS, activity)


CHOOSING_WORDS = re.compile(
    r"\b(?:memilih|dipilih|pemilihan|menentukan|ditentukan|memutuskan)\b", re.I
)
"""A word that says a step chooses among ways ("memilih sarana pengaduan"): beside named
branch labels ("Kotak Pengaduan", "Tatap muka") it is a decision without a question mark."""


CORRECTING_WORDS = re.compile(
    r"^(?:(?:mem|di)?perbaiki|perbaikan|(?:me|di)?revisi|(?:mem|di)?betulkan|pembetulan)$", re.I
)
"""A word that says a step corrects work sent back ("Memperbaiki", "Melakukan perbaikan",
"Merevisi"): the step a checking decision's reject branch leads to."""


def corrects_work(activity: str) -> bool:
    """The activity corrects work: a :data:`CORRECTING_WORDS` word among its first three."""
    return _opens_with(CORRECTING_WORDS, activity)


NOTES_OPENERS = ("melalui", "paling", "rangkap", "jika", "apabila", "bila", "sesuai", "dengan",
                 "untuk", "maksimal", "minimal", "dapat", "setelah", "sebelum", "oleh",
                 "tembusan", "via", "bersama", "secara", "diserahkan", "disampaikan")
"""First words of a Keterangan cell ("Melalui aplikasi", "Rangkap dua", "Paling lambat ..."):
a remark, never the name of an Output document."""

MUTU_GROUP_TITLE = r"mutu\s+(?:ba?u?ku|ba[kr]u)"
""""Mutu Baku" above its columns; OCR and pdftotext read it "Mutu Buku" or "Mutu Baru"."""

PELAKSANA_TITLE = r"pelaksana"
NUMBER_TITLE = r"no\.?|nomor|no\.?\s*urut|nmr"
"""The title of the step-number column ("No", "No.", "Nomor", "No. Urut", "Nmr")."""
ACTIVITY_TITLE = (
    r"uraian(?:\s+(?:prosedur|kegiatan|aktivitas|pekerjaan))?|kegiatan"
    r"|aktivitas(?:\s*/\s*kegiatan)?|prosedur|langkah(?:\s+kegiatan)?|rincian\s+kegiatan"
    r"|tahapan(?:\s+kegiatan)?|deskripsi(?:\s+kegiatan)?"
)
"""The title of the step column in every table seen so far."""


def mutu_titles(kind: str | None = None, *, other: bool = False) -> str:
    """The title alternation of one Mutu Baku column (or of all), longest word first."""
    words: list[str] = []
    for col in MUTU_COLUMNS:
        if kind is None or col.kind == kind:
            words.extend(col.form_titles)
            if other:
                words.extend(col.other_titles)
    words.sort(key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


def mutu_kind(title: str, *, other: bool = False) -> str | None:
    """The Mutu Baku column whose title ``title`` starts with ("Persyaratan/Kelengkapan",
    "Ket."), or None. ``other`` also accepts the titles of home-made tables."""
    low = title.strip(" /:.,|").lower()
    for col in MUTU_COLUMNS:
        words = col.form_titles + (col.other_titles if other else ())
        for word in sorted(words, key=len, reverse=True):
            if low.startswith(word) and not low[len(word) : len(word) + 1].isalpha():
                return col.kind
    return None


PAGE_MARKER = re.compile(
    r"^(?:page|halaman|hal\.?)\s*\d+(?:\s*(?:of|dari|/)\s*\d+)?$", re.IGNORECASE
)
"""A page number line ("Halaman 2 dari 3") that PDF and Word exports leave inside a table."""

SIGNED_FOOTER = r"^\*?\s*(?:dokumen ini telah ditandatangani|pindai kode qr)"
"""The footer of an electronically signed PDF (BSrE), repeated on every page."""

# -- jabatan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JabatanKind:
    """A kind of jabatan: the spellings that name it, its rank and its written-out name."""

    key: str
    spellings: str  # regex alternation on normalized text, without word boundaries
    rank: int | None  # 0 pimpinan tinggi … 6 staf; None for the requester
    display: str  # how an added role of this kind is written when the mention is an abbreviation


# Order matters: the first kind whose spelling matches wins ("kepala subbagian" is a kasubbag,
# not a kepala). Ranks are explained in :mod:`converters.reading.roles`.
JABATAN_KINDS: tuple[JabatanKind, ...] = (
    JabatanKind("sekda", r"sekretaris daerah|sekda", 0, "Sekretaris Daerah"),
    JabatanKind(
        "pimpinan",
        r"menteri|deputi|direktur jenderal|dirjen|direktur|bupati|walikota|wali kota|gubernur",
        0,
        "Deputi",
    ),
    JabatanKind("kasubbid", r"kepala subbidang|kasubbid|kasubid", 4, "Kepala Sub Bidang"),
    JabatanKind("kasubbag", r"kepala subbagian|kasubbag|kasubag|kasub", 4, "Kepala Sub Bagian"),
    JabatanKind("kasi", r"kepala seksi|kasie|kasi", 4, "Kepala Seksi"),
    JabatanKind("kabag", r"kepala bagian|kabag", 3, "Kepala Bagian"),
    JabatanKind("kabid", r"kepala bidang|kabid", 3, "Kepala Bidang"),
    JabatanKind("kpa", r"pa / kpa|kuasa pengguna anggaran|pengguna anggaran|kpa", 1, "KPA"),
    JabatanKind("kepala", r"kepala|kadis|kaban|kakan|pimpinan|kaopd", 1, "Kepala"),
    JabatanKind(
        "sekretaris",
        r"sekretaris|sekdin|sekban|sesdep|sekdep|sesmen|sestama|sekdis",
        2,
        "Sekretaris",
    ),
    JabatanKind("ppk", r"pejabat pembuat komitmen|ppk", 3, "PPK"),
    JabatanKind("ketua", r"ketua tim kerja|ketua tim|ketua|koordinator", 4, "Ketua Tim"),
    JabatanKind("bendahara", r"bendahara", 5, "Bendahara"),
    JabatanKind(
        "staf",
        r"fungsional umum|jfu|staf|staff|pelaksana|jp|pengadministrasian|pengadministrasi"
        r"|pengelola|arsiparis|operator|pengetik|petugas|caraka|anggota tim|anggota|"
        r"resepsionis",
        6,
        "Staf",
    ),
    JabatanKind(
        "fungsional",
        r"jabatan fungsional tertentu|jabatan fungsional|fungsional tertentu|fungsional"
        r"|perencana|analis|pranata|jft|jf",
        5,
        "Fungsional",
    ),
    JabatanKind("pemohon", r"pemohon|pengguna layanan|pelapor|masyarakat", None, "Pemohon"),
)

UNIT_NOUNS: dict[str, str] = {
    "subbagian": "kasubbag",
    "subbidang": "kasubbid",
    "bagian": "kabag",
    "bidang": "kabid",
    "seksi": "kasi",
}
"""Unit nouns and the kind of their head: "ke bidang" names the unit, meaning its Kabid."""

UNIT_HEAD_WORDS = ("kepala", "kabag", "kabid", "kasubag", "kasubbag", "kasubbid", "kasi", "ketua")
"""Jabatan words a unit name follows ("Kasubag Umum dan Peralatan"); the head of the whole
office (Kadis, Kaban) heads no unit of the table."""

OTHER_COLUMN_HEADS = ("camat", "lurah", "asisten", "sekretariat", "verifikator")
"""Words that start a Pelaksana column title in real tables but have no rank of their own
here (a Camat's rank depends on the table), so inference does not read them in activities."""

OFFICE_NOUNS = ("dinas", "badan", "kantor")
"""The office a head heads ("Kepala Dinas"): a mention of the jabatan runs over it, whatever
its shape ("dinas" looks like a di- verb)."""

GOVERNMENT_TIERS: tuple[tuple[str, ...], ...] = (
    ("provinsi", "prov"),
    ("kabupaten", "kota", "kab", "kabkota", "kabkot"),
    ("kecamatan",),
    ("desa", "kelurahan"),
)
"""The tiers of regional government, highest first: an agency of one tier works with the
offices of the tier below it ("BPS Provinsi" and "BPS Kabupaten/Kota")."""

FIELD_WORK = r"pendataan|pencacahan|mencacah|pengumpulan data|mengumpulkan data|lapangan"
"""Work done in the field (regex on normalized text): by the office nearest to it."""

TEAM_WORDS = ("tim", "team", "pokja", "panitia", "satgas")
"""Words that name a working group heading a Pelaksana column ("Tim Teknis", "Pokja
Pemilihan"): a group, not a jabatan, so it has no rank; after a jabatan ("Ketua Tim",
"Anggota Tim") the word belongs to that jabatan's title."""

ABBREVIATION_DISPLAY = {
    "kadis": "Kepala Dinas",
    "kaban": "Kepala Badan",
    "kakan": "Kepala Kantor",
    "sekdin": "Sekretaris Dinas",
    "sekban": "Sekretaris Badan",
    "sesdep": "Sekretaris Deputi",
    "kabag": "Kepala Bagian",
    "kabid": "Kepala Bidang",
    "kasubbag": "Kepala Sub Bagian",
    "kasubag": "Kepala Sub Bagian",
    "kasi": "Kepala Seksi",
    "kasubbid": "Kepala Sub Bidang",
}
"""Abbreviated jabatan written out, for a role that is added because the text names it."""


def column_head_words() -> tuple[str, ...]:
    """Single words that start a Pelaksana column title: each jabatan kind's one-word
    spellings, the unit nouns and :data:`OTHER_COLUMN_HEADS`, each once, in that order."""
    words: list[str] = []
    for kind in JABATAN_KINDS:
        for spelling in kind.spellings.split("|"):
            word = spelling.strip()
            if " " not in word and len(word) >= 3 and word not in words:
                words.append(word)
    for word in (*UNIT_NOUNS, *OTHER_COLUMN_HEADS):
        if word not in words:
            words.append(word)
    return tuple(words)


# -- verbs ---------------------------------------------------------------------------------------

VERB = re.compile(r"^(?:(?:mem|men|meng|meny)[a-z]{2,}|me[lrwy][a-z]{2,}|ber[a-z]{3,}"
                  r"|di[a-z]{3,}|ter[a-z]{3,})$")
"""The shape of an Indonesian verb: the meN- prefix as it is written before its stem (mem-,
men-, meng-, meny-; me- before l, r, w, y), ber-, di-, ter-."""

NOT_VERBS = frozenset({
    "melalui", "dimana", "diatas", "dibawah", "dinas", "terkait", "terhadap", "deputi",
    "direktur", "tertentu", "terpadu", "bersama", "berikut", "terhadapnya", "diri",
    "merupakan", "mengenai", "menurut", "menjadi", "disposisi", "digital", "distribusi",
    "diskusi", "dimensi", "diagram", "diploma", "berkas", "berita", "berupa", "terminal",
    "menteri", "dirjen",
})  # fmt: skip
"""Words of a verb's shape that are not verbs (nouns, prepositions, jabatan)."""


def is_verb(word: str) -> bool:
    """Whether a lower-case word is an Indonesian verb (by its shape, minus known nouns)."""
    return bool(VERB.match(word)) and word not in NOT_VERBS


HANDOVER_WORDS = frozenset({"ke", "kepada"})
"""Words that hand the work on: the performer they name acts next ("diserahkan kepada
Sekretaris")."""


def hands_on(activity: str) -> bool:
    """Whether the activity hands the work on in words ("..., kemudian diserahkan kepada
    Kabid"). A diamond's row says what is checked and its arrows say where the work goes, so
    of the checking steps a floating label pair may belong to, one that hands on is the last
    choice (every reader that places labels gathered away from their row asks this)."""
    return any(w.strip(",.;:").lower() in HANDOVER_WORDS for w in activity.split())


def diamond_row_rank(activity: str) -> tuple[bool, bool]:
    """How well a checking step reads as a diamond's row, as a sort key, best first: a
    diamond's row names what is checked ("Memeriksa berkas permohonan"), so it hands nothing
    on (:func:`hands_on`) and opens with its checking verb. Readers that place labels gathered
    away from their row break ties their own way."""
    words = activity.split()
    return hands_on(activity), not (bool(words) and checks_work(words[0]))


CONNECTOR_LETTERS = re.compile(r"^[A-Z](?: [A-Z])*$")
"""A line of nothing but off-page connectors' letters ("A", "D F"): the circles' texts a
text extraction writes beside the flowchart's labels and questions."""

CONDITION_WORDS = frozenset({"jika", "apabila", "bila", "kalau", "bilamana"})
"""Words that open a condition ("jika tidak lengkap"): a decision's question, a branch."""

CLAUSE_WORDS = frozenset({
    "untuk", "kemudian", "selanjutnya", "lalu", "maka", "jika", "apabila", "bila", "agar",
    "guna", "dan", "yang", "serta", "sehingga",
})  # fmt: skip
"""Words that carry a sentence on: a text line opening with one (or with a lower-case verb)
continues running text, such as an activity, and never a Mutu Baku noun phrase."""


LOANWORD_VERBS = (
    "update", "input", "upload", "download", "submit", "entri", "rilis", "review", "evaluasi",
    "verifikasi", "validasi", "cek", "selesai",
)  # fmt: skip
"""Words without a verb prefix that still start an activity ("Upload dokumen ...")."""

SIGNING_VERBS = (
    "menandatangani", "ditandatangani", "ditanda tangani", "menanda tangani", "penandatanganan",
    "mengesahkan", "disahkan", "pengesahan", "menetapkan", "ditetapkan", "penetapan",
    "menyetujui", "disetujui",
)  # fmt: skip
"""Only the top of the table signs, ratifies or approves."""

ORDERING_VERBS = (
    r"memberikan arahan", r"memberi arahan", r"memberikan disposisi", r"mendisposisi\w*",
    r"memerintahkan", r"menginstruksikan", r"menugaskan",
)  # fmt: skip
"""Handing work down: the actor is a superior of whoever does it next."""


FUNCTION_TITLES: tuple[tuple[str, str], ...] = (
    (r"approver|penyetuju", r"menyetujui|approve"),
    (r"verifikator|verifier", r"memverifikasi|verifikasi"),
    (r"operator|pengentri",
     r"menginput|input|inputan|penginputan|merekam|perekaman|mengentri|entri"),
    (r"pemeriksa|reviewer|pereviu", r"memeriksa|mereviu|mereview"),
)  # fmt: skip
"""Columns named after the work they do ("Tim Laporan Persediaan (Approver)", "Verifikator"):
(title word, verbs of that work) as regex pieces; the verb points to that column. Active and
a few noun forms only: "yang telah disetujui", "mendapatkan persetujuan" say the work was
approved by someone else."""


def word_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """One regex finding any of ``words`` (regex pieces) as whole words; group 1 = the word."""
    return re.compile(r"\b(" + "|".join(words) + r")\b")


__all__ = [
    "ABBREVIATION_DISPLAY",
    "ACTIVITY_TITLE",
    "CHECKING_WORDS",
    "CHOOSING_WORDS",
    "CLAUSE_WORDS",
    "CONNECTOR_LETTERS",
    "CORRECTING_WORDS",
    "FIELD_WORK",
    "FUNCTION_TITLES",
    "GOVERNMENT_TIERS",
    "JABATAN_KINDS",
    "LOANWORD_VERBS",
    "MUTU_COLUMNS",
    "MUTU_GROUP_TITLE",
    "NOT_VERBS",
    "NO_LABELS",
    "NUMBER",
    "OFFICE_NOUNS",
    "ORDERING_VERBS",
    "OTHER_COLUMN_HEADS",
    "PAGE_MARKER",
    "PELAKSANA_TITLE",
    "RANGE_SEPARATOR",
    "SIGNED_FOOTER",
    "SIGNING_VERBS",
    "TEAM_WORDS",
    "TERMINATOR_WORDS",
    "TIME_UNITS",
    "UNIT_HEAD_WORDS",
    "UNIT_NOUNS",
    "VERB",
    "WAKTU_IN_CELL",
    "WAKTU_VALUE",
    "YES_LABELS",
    "JabatanKind",
    "MutuColumn",
    "TimeUnit",
    "answer_label",
    "checks_work",
    "column_head_words",
    "corrects_work",
    "diamond_row_rank",
    "hands_on",
    "is_verb",
    "mutu_kind",
    "mutu_titles",
    "time_unit",
    "time_unit_pattern",
    "word_regex",
]
