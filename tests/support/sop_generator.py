"""Random SOP AP documents with known truth, for the text-fidelity harness (issue 11).

:mod:`tests.converters.strategies` draws *any* valid model (arbitrary Unicode, for writer
round trips); a reader cannot be scored on that, because arbitrary text carries no clue a
reader could use. This module instead writes SOPs the way Indonesian offices do: real jabatan
names and their abbreviations, Indonesian activity sentences, Mutu Baku values in every form
:mod:`converters.reading.durations` knows, every decision label style, and header variants.

The truth is keyed by what a reader *can* know from text alone (the flowchart symbols are
lost in every text form): step numbers, role names as written in the header, and a role only
on steps whose text names it (a subject, or the previous step's handover). Decision targets
are always stated in the text (a role named, a step named, or "selesai"), so they are
knowable too. :func:`truth_of` builds it and :func:`score` compares the JSON contract with it.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from converters.model import (
    END,
    Approver,
    Decision,
    Identity,
    Sop,
    SopDate,
    Step,
    StepRef,
)
from converters.reading.durations import parse_duration


@dataclass(frozen=True)
class Jabatan:
    """A jabatan as SOPs write it: the full name, its abbreviation, its rank (1 = head)."""

    full: str
    short: str
    rank: int
    takes_unit: bool = False


JABATAN: tuple[Jabatan, ...] = (
    Jabatan("Kepala Dinas", "Kadis", 1),
    Jabatan("Kepala Badan", "Kaban", 1),
    Jabatan("Sekretaris", "Sekdin", 2),
    Jabatan("Kepala Bagian", "Kabag", 3, True),
    Jabatan("Kepala Bidang", "Kabid", 3, True),
    Jabatan("PPK", "PPK", 3),
    Jabatan("Kepala Sub Bagian", "Kasubbag", 4, True),
    Jabatan("Kepala Seksi", "Kasi", 4, True),
    Jabatan("Ketua Tim", "Ketua Tim", 4, True),
    Jabatan("Bendahara", "Bendahara", 5),
    Jabatan("Pengadministrasi Umum", "Pengadministrasi Umum", 5),
    Jabatan("Pelaksana", "Pelaksana", 5),
    Jabatan("Fungsional", "JF", 5),
    Jabatan("Staf", "Staf", 5),
    Jabatan("Arsiparis", "Arsiparis", 5),
    Jabatan("Pemohon", "Pemohon", 6),
)
"""The jabatan a generated SOP draws from. Heads of office exclude one another (an SOP has one
Kepala Dinas *or* one Kepala Badan), so :func:`_pick_roles` keeps at most one of rank 1."""

UNITS = ("Umum", "Program", "Keuangan", "Perencanaan", "Pelayanan", "Kepegawaian")

LABEL_STYLES: tuple[tuple[str, str], ...] = (
    ("Setuju", "Tidak setuju"),
    ("Ya", "Tidak"),
    ("Y", "T"),
    ("Ada", "Tidak"),
    ("Lengkap", "Tidak lengkap"),
)
"""Yes/no label pairs; their words in the activity text are in :data:`_LABEL_WORDS`."""

FORWARD_STYLES: tuple[tuple[str, str], ...] = (
    ("Teknis", "Administratif"),
    ("Kotak Pengaduan", "Tatap muka"),
)
"""Two branches that are not yes/no: both go forward."""

_LABEL_WORDS = {
    ("Setuju", "Tidak setuju"): ("setuju", "tidak setuju"),
    ("Ya", "Tidak"): ("ya", "tidak"),
    ("Y", "T"): ("sesuai", "tidak sesuai"),
    ("Ada", "Tidak"): ("ada", "tidak ada"),
    ("Lengkap", "Tidak lengkap"): ("lengkap", "tidak lengkap"),
}

WAKTU_FORMS: tuple[str, ...] = (
    "5 Menit", "10 mnt", "15 menit", "30 Menit", "1jam", "2 jam", "1 jam 30 menit",
    "setengah jam", "1 Minggu", "2 Hari", "4 Hari", "dua hari", "2 hr", "1 hari kerja",
    "1 x 24 Jam", "2 x 24 jam", "5-10 menit", "5 s.d 10 menit", "1 - 5 hari Kerja",
    "1 minggu 2 hari", "3 bulan", "2 menit/berkas", "15 menit per dokumen", "sehari",
    "60 Menit", "Segera", "-", "Sesuai kebutuhan", "",
)
"""Every shape of a Waktu cell the duration parser knows (tests/converters/reading/
test_durations.py), including texts that state no time."""

OBJECTS = (
    "berkas permohonan", "konsep surat keluar", "draf laporan kinerja", "nota dinas",
    "usulan kegiatan", "dokumen pertanggungjawaban", "rekapitulasi data", "surat undangan",
    "konsep Indikator Kinerja Utama", "surat masuk", "rencana kerja anggaran",
    "Surat Perintah Membayar", "daftar hadir", "notulen rapat", "laporan realisasi anggaran",
)
VERBS = (
    "Menerima dan memeriksa", "Menyusun", "Mengagendakan", "Mengoreksi", "Memaraf",
    "Menandatangani", "Mendistribusikan", "Mengarsipkan", "Menelaah", "Memverifikasi",
    "Mencetak", "Menginput", "Menyampaikan", "Merekapitulasi", "Menggandakan",
)
TAILS = (
    " sesuai dengan ketentuan peraturan perundang-undangan yang berlaku",
    " dalam rangka tertib administrasi",
    " melalui aplikasi SRIKANDI",
    " untuk dibahas bersama tim",
    " beserta lampiran dan data dukung",
    "",
    "",
)
REQUIREMENTS = (
    "Disposisi", "Surat Edaran", "Draf Surat", "Laporan IKU", "Berkas permohonan",
    "Formulir isian", "KTP dan KK", "Nota Dinas", "Buku agenda", "",
)
OUTPUTS = (
    "Disposisi", "Surat Edaran", "Laporan IKU", "Draf Surat", "Berkas lengkap", "Nota Dinas",
    "Arsip", "SPM", "Surat keluar", "Rekap data", "Paraf", "", "",
)
NOTES = ("", "", "", "Rangkap dua", "Melalui aplikasi", "Paling lambat hari Jumat")


@dataclass(frozen=True)
class HeaderVariant:
    """How the table header is written; the templates that real SOPs use.

    ``numbered_row`` adds a row "(1) (2) ..." under the header; ``pelaksana_text`` false
    leaves the role columns without the word "Pelaksana" above them.
    """

    no: str = "No"
    activity: str = "Kegiatan"
    mutu: str = "Mutu Baku"
    requirements: str = "Kelengkapan"
    notes: str = "Keterangan"
    numbered_row: bool = False
    pelaksana_text: bool = True
    repeat_header: bool = True


OFFICIAL_HEADER = HeaderVariant()
"""The header Alur's own document renderer writes (converters/drawing/sop_table.py)."""


@dataclass(frozen=True)
class GeneratedSop:
    """An SOP model plus what only the generator knows: the header wording and which
    steps' roles the text states (``known_roles``)."""

    seed: int
    sop: Sop
    header: HeaderVariant
    known_roles: frozenset[int]
    known_targets: frozenset[int] = frozenset()
    """Decisions whose branch targets follow from the text alone: a step or "selesai" is
    named, or the role named in "dikembalikan kepada X" is known on every step back to
    X's latest one (otherwise "X's latest earlier step" depends on guessed roles)."""


def _pick_roles(rng: random.Random) -> tuple[tuple[str, ...], dict[str, list[str]]]:
    """Role names as written in the header (column order) and the mentions of each."""
    k = rng.randint(2, 8)
    pool = list(JABATAN)
    rng.shuffle(pool)
    chosen: list[Jabatan] = []
    for j in pool:
        if len(chosen) == k:
            break
        if j.rank == 1 and any(c.rank == 1 for c in chosen):
            continue
        chosen.append(j)
    chosen.sort(key=lambda j: j.rank)
    if rng.random() < 0.2:
        chosen.reverse()  # some SOPs put staff first (Singkawang)
    heads: list[str] = []
    mentions: dict[str, list[str]] = {}
    for j in chosen:
        unit = f" {rng.choice(UNITS)}" if j.takes_unit and rng.random() < 0.5 else ""
        full, short = j.full + unit, j.short + unit
        head = rng.choice((full, short))
        heads.append(head)
        mentions[head] = sorted({full, short})
    return tuple(heads), mentions


def _date(rng: random.Random) -> SopDate | None:
    if rng.random() < 0.3:
        return None
    d = date(rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28))
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember")
    if rng.random() < 0.25:
        return SopDate(f"{months[d.month - 1]} {d.year}", d.replace(day=1), "month")
    return SopDate(f"{d.day:02d} {months[d.month - 1]} {d.year}", d, "day")


def _identity(rng: random.Random, roles: tuple[str, ...]) -> Identity:
    """An identity block in which every field may be missing."""
    city = rng.choice(("Singkawang", "Rejang Lebong", "Contoh", "Mentawai", "Bengkulu"))
    dinas = rng.choice(("DINAS KOMUNIKASI DAN INFORMATIKA", "BADAN KEPEGAWAIAN DAERAH",
                        "DINAS PENANAMAN MODAL DAN PTSP", "BADAN KESATUAN BANGSA DAN POLITIK"))
    name = rng.choice(("Penyusunan Indikator Kinerja Utama (IKU)", "Pengelolaan Surat Masuk",
                       "Pelayanan Izin Usaha", "Pengajuan Cuti Pegawai",
                       "Penyusunan Laporan Keuangan", "Layanan Pengaduan Masyarakat"))
    year = rng.randint(2018, 2025)
    number = rng.choice((f"{rng.randint(100, 900)}/{rng.randint(1, 99)}/SOP/{year}",
                         f"SOP-{rng.randint(1, 300):03d}/17000/2025",
                         f"000.8.3.3/{rng.randint(1, 99)}/Set-B/2023"))
    approver = None
    if rng.random() < 0.7:
        nip = f"19{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d} " \
              f"{rng.randint(1990, 2015)}{rng.randint(1, 12):02d} {rng.randint(1, 2)} " \
              f"{rng.randint(1, 20):03d}"
        approver = Approver(roles[0] if rng.random() < 0.5 else "Kepala Dinas",
                            rng.choice(("Eva Eranda, S.Kom", "Budi Santoso, S.E., M.M.",
                                        "Dra. Siti Aminah")),
                            nip if rng.random() < 0.8 else "", "NIP" if rng.random() < 0.8
                            else "", rng.choice(("Pembina", "Pembina Tk. I", "")))

    def maybe(value: str) -> str:
        return value if rng.random() < 0.85 else ""

    return Identity(
        number=maybe(number), name=name, agency=maybe(f"PEMERINTAH KOTA {city.upper()} {dinas}"),
        unit=maybe(rng.choice(("SUBBAGIAN UMUM DAN KEPEGAWAIAN", "BIDANG PELAYANAN",
                                "SEKRETARIAT"))),
        created=_date(rng), revised=_date(rng) if rng.random() < 0.4 else None,
        effective=_date(rng), approved_by=approver,
    )


def _sentence(rng: random.Random, verb: str | None = None) -> str:
    return f"{verb or rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def generate(seed: int) -> GeneratedSop:
    """One random SOP with known truth; the same seed always gives the same SOP."""
    rng = random.Random(seed)
    roles, mentions = _pick_roles(rng)

    def say(role: str) -> str:
        return rng.choice(mentions[role])

    n = rng.randint(3, 30)
    seq = [rng.choice(roles) for _ in range(n)]
    for i in range(1, n):  # neighbours usually differ: that is what a handover is
        if seq[i] == seq[i - 1] and len(roles) > 1 and rng.random() < 0.7:
            seq[i] = rng.choice([r for r in roles if r != seq[i - 1]])
    missing = [r for r in roles if r not in seq]
    spots = rng.sample(range(n), min(len(missing), n))
    for r, at in zip(missing, spots, strict=False):
        seq[at] = r

    decisions: dict[int, Decision] = {}
    handed: set[int] = set()  # steps named as the receiver of a decision's approval
    by_role: dict[int, int] = {}  # decision -> the step a role-named reject branch returns to
    texts: dict[int, str] = {}
    for i in range(2, n + 1):  # step numbers are 1-based; step 1 never decides
        role = seq[i - 1]
        if rng.random() > 0.22:
            continue
        nxt: StepRef = i + 1 if i < n else END
        if rng.random() < 0.2 and i + 2 <= n:
            labels = rng.choice(FORWARD_STYLES)
            j = rng.randint(i + 2, n)
            first = f"langkah {i + 1}"
            second = f"langkah {j}"
            texts[i] = (f"Memilah {rng.choice(OBJECTS)} sesuai jenisnya; jika "
                        f"{labels[0].lower()} diteruskan ke {first}, jika "
                        f"{labels[1].lower()} diteruskan ke {second}")
            decisions[i] = Decision(i + 1, j, labels)
            continue
        labels = rng.choice(LABEL_STYLES)
        yes, no = _LABEL_WORDS[labels]
        # the latest earlier step of each other role: naming the role names that step
        latest: dict[str, int] = {}
        for k in range(1, i):
            latest[seq[k - 1]] = k
        candidates = [(r, k) for r, k in latest.items() if r != role]
        obj = rng.choice(OBJECTS)
        if i == n:
            go_on = "proses selesai"
        elif seq[i] == role:
            go_on = f"dilanjutkan ke langkah {i + 1}"
        else:
            go_on = f"diteruskan kepada {say(seq[i])}"
            handed.add(i + 1)
        how = rng.random()
        if candidates and how < 0.6:
            back_role, back = rng.choice(candidates)
            back_text = f"dikembalikan kepada {say(back_role)} untuk diperbaiki"
            target: StepRef = back
            by_role[i] = back
        elif how < 0.8 and i > 2:
            back = rng.randint(1, i - 1)
            back_text = f"kembali ke langkah {back}"
            target = back
        else:
            back_text = "permohonan ditolak dan proses selesai"
            target = END
        question = rng.choice(("", "Sesuai?", "Setuju?", "Lengkap?"))
        texts[i] = (f"Memeriksa {obj}; jika {yes} {go_on}, jika {no} {back_text}")
        decisions[i] = Decision(nxt, target, labels, question)

    known: set[int] = set(handed)
    steps: list[Step] = []
    for i in range(1, n + 1):
        role = seq[i - 1]
        other: tuple[str, ...] = ()
        if i in texts:
            activity = texts[i]
        else:
            verb = rng.choice(VERBS)
            if rng.random() < 0.25:  # the activity names its actor
                activity = f"{say(role)} {_lower_first(_sentence(rng, verb))}"
                known.add(i)
            else:
                activity = _sentence(rng, verb)
            if rng.random() < 0.1 and len(roles) > 2:
                other = (rng.choice([r for r in roles if r != role]),)
                activity += f" bersama {say(other[0])}"
            if i < n and seq[i] != role and rng.random() < 0.6:
                activity += f", kemudian diserahkan kepada {say(seq[i])}"
                known.add(i + 1)
        waktu = parse_duration(rng.choice(WAKTU_FORMS))
        steps.append(Step(
            number=i, activity=activity, role=role, other_roles=other,
            requirements=rng.choice(REQUIREMENTS), duration=waktu,
            output=rng.choice(OUTPUTS), notes=rng.choice(NOTES), decision=decisions.get(i),
        ))
    known_targets = {
        i for i in decisions
        if i not in by_role or all(k in known for k in range(by_role[i], i))
    }
    header = HeaderVariant(
        no=rng.choice(("No", "No.", "NO")),
        activity=rng.choice(("Kegiatan", "Aktivitas", "Uraian Prosedur", "Aktivitas/Kegiatan")),
        mutu=rng.choice(("Mutu Baku", "Mutu Baku", "Mutu Buku")),
        requirements=rng.choice(("Kelengkapan", "Persyaratan/Perlengkapan",
                                 "Persyaratan/Kelengkapan")),
        notes=rng.choice(("Keterangan", "Keterangan", "Ket")),
        numbered_row=rng.random() < 0.3,
        pelaksana_text=rng.random() < 0.8,
        repeat_header=rng.random() < 0.7,
    )
    sop = Sop(
        identity=_identity(rng, roles),
        roles=roles,
        steps=tuple(steps),
        legal_basis=tuple(rng.sample((
            "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
            "Peraturan Menteri PANRB Nomor 35 Tahun 2012 tentang Pedoman Penyusunan SOP AP",
            "Peraturan Daerah Nomor 6 Tahun 2008 tentang Organisasi Perangkat Daerah",
            "Peraturan Walikota Nomor 23 Tahun 2009 tentang Tupoksi"), rng.randint(0, 3))),
        qualifications=tuple(rng.sample(("Memahami tugas pokok dan fungsi",
                                         "Mampu mengoperasikan komputer",
                                         "Memiliki kemampuan pengolahan data"),
                                        rng.randint(0, 3))),
        related_sops=tuple(rng.sample(("SOP Surat Masuk", "SOP Surat Keluar",
                                       "SOP Pengarsipan"), rng.randint(0, 2))),
        equipment=tuple(rng.sample(("Komputer", "Printer", "ATK", "Jaringan Internet"),
                                   rng.randint(0, 3))),
        cautions=("Jika SOP tidak dilaksanakan, pelayanan akan terhambat",)
        if rng.random() < 0.6 else (),
        records=("Buku agenda",) if rng.random() < 0.5 else (),
        source_format="generated",
    )
    return GeneratedSop(seed, sop, header, frozenset(known), frozenset(known_targets))


# -- the realistic variant ----------------------------------------------------------------

REAL_TEAMS: tuple[str, ...] = (
    "Tim Teknis", "Tim Pengolahan Data", "Tim Layanan", "Pokja Pemilihan", "Penyedia",
    "Pengguna Layanan",
)
"""Pelaksana columns that are groups or outside parties, not ranked jabatan; about half the
columns of a real table (tests/golden/more) are of this kind."""

NOMINALS = (
    "Penyusunan", "Pengumpulan", "Pengolahan", "Pemeriksaan", "Pengiriman", "Penggandaan",
    "Pelaksanaan", "Evaluasi", "Rapat pembahasan", "Penginputan", "Persiapan",
)
"""Noun phrases that stand for a whole activity ("Pengumpulan data", "Rilis Website"): no
verb, no actor; common in real tables."""

RANK_VERBS: dict[int, tuple[str, ...]] = {
    1: ("Menandatangani", "Menyetujui", "Mendisposisikan", "Mengesahkan"),
    2: ("Memaraf", "Menelaah", "Menyetujui"),
    3: ("Memeriksa", "Memaraf", "Mengoreksi"),
    4: ("Memverifikasi", "Menyusun", "Mengoreksi", "Merekapitulasi"),
    5: ("Menyusun", "Menelaah", "Merekapitulasi"),
    6: ("Mengagendakan", "Mengarsipkan", "Mencetak", "Menginput", "Menggandakan"),
}
"""Verbs that fit a rank (signing at the top, filing at the bottom); a realistic SOP uses one
of them now and then, a verb of any rank otherwise."""

REAL_FLOW = (0.53, 0.23, 0.21)
"""From one step to the next in the 38 reviewed real SOPs (243 pairs): the same column goes on
(128), the work moves one column right (56), or back to a column on the left (52); the rest
(7) skips columns to the right."""


def _real_roles(rng: random.Random) -> tuple[tuple[str, ...], dict[str, list[str]], list[int]]:
    """Columns as :func:`_pick_roles` draws them, some swapped for groups; with their ranks."""
    roles, mentions = _pick_roles(rng)
    heads = list(roles)
    for i in range(len(heads)):
        if rng.random() < 0.3:
            team = rng.choice([t for t in REAL_TEAMS if t not in heads])
            mentions[team] = [team]
            heads[i] = team
    by_name = {j.full: j.rank for j in JABATAN} | {j.short: j.rank for j in JABATAN}
    ranks = [next((r for n, r in by_name.items() if h.startswith(n)), 0) for h in heads]
    return tuple(heads), {h: mentions[h] for h in heads}, ranks


def _real_sequence(rng: random.Random, k: int, n: int) -> list[int]:
    """Column indexes of the steps: a walk that starts in the first or second column and
    goes on by :data:`REAL_FLOW`."""
    at = 0 if k == 1 or rng.random() < 0.55 else 1
    seq = [at]
    for _ in range(n - 1):
        r = rng.random()
        if r < REAL_FLOW[0] or k == 1:
            pass
        elif r < sum(REAL_FLOW) and (at == 0 or (r < REAL_FLOW[0] + REAL_FLOW[1]
                                                 and at + 1 < k)):
            at += 1  # on to the next column (also when there is no column to go back to)
        elif r < sum(REAL_FLOW):
            at = rng.randrange(at)  # back (also from the last column)
        elif at + 2 < k:
            at = rng.randint(at + 2, k - 1)
        seq.append(at)
    return seq


def generate_realistic(seed: int) -> GeneratedSop:
    """An SOP written the way the reviewed real ones are, with the truth on *every* step.

    :func:`generate` is kind to a text reader in ways real tables are not (see
    ``bench/roles_realistic.py``): a quarter of its steps name their actor, most changes of
    actor are announced ("kemudian diserahkan kepada X"), and its truth only holds the
    steps whose text names the performer. Here, as in the real corpus: the actor goes on or
    moves one column right far more often than it jumps (:data:`REAL_FLOW`); one document in
    four names the actor in every step and the others in none; a change of actor is announced
    in one step of ten; many activities are bare noun phrases; some columns are groups; a
    verb fits the actor's rank now and then. The default generator is left as it is.
    """
    rng = random.Random(seed)
    roles, mentions, ranks = _real_roles(rng)
    k = len(roles)
    n = rng.randint(3, 20)
    seq = _real_sequence(rng, k, n)
    subjects = rng.random() < 0.25
    steps: list[Step] = []
    for i in range(1, n + 1):
        col = seq[i - 1]
        role = roles[col]
        obj = rng.choice(OBJECTS)
        decision = None
        if i > 1 and seq[i - 2] != col and rng.random() < 0.25:
            labels = rng.choice(LABEL_STYLES)
            yes, no = _LABEL_WORDS[labels]
            back = f"kembali ke langkah {i - 1}" if rng.random() < 0.5 else "dikembalikan"
            activity = f"Memeriksa {obj}; jika {yes} dilanjutkan, jika {no} {back}"
            decision = Decision(i + 1 if i < n else END, i - 1, labels,
                                rng.choice(("", "Sesuai?")))
        elif rng.random() < 0.35:
            activity = f"{rng.choice(NOMINALS)} {obj}"
        else:
            fits = RANK_VERBS.get(ranks[col], ())
            verb = rng.choice(fits) if fits and rng.random() < 0.4 else rng.choice(VERBS)
            activity = _sentence(rng, verb)
        if subjects and decision is None:
            activity = f"{rng.choice(mentions[role])} {_lower_first(activity)}"
        if i < n and seq[i] != col and decision is None and rng.random() < 0.1:
            activity += f", kemudian disampaikan kepada {rng.choice(mentions[roles[seq[i]]])}"
        steps.append(Step(
            number=i, activity=activity, role=role, requirements=rng.choice(REQUIREMENTS),
            duration=parse_duration(rng.choice(WAKTU_FORMS)), output=rng.choice(OUTPUTS),
            notes=rng.choice(NOTES), decision=decision,
        ))
    used = tuple(r for r in roles if any(s.role == r for s in steps)) or roles
    sop = Sop(identity=_identity(rng, used), roles=roles, steps=tuple(steps),
              source_format="generated")
    return GeneratedSop(seed, sop, OFFICIAL_HEADER, frozenset(range(1, n + 1)),
                        frozenset(i for i, s in enumerate(steps, 1) if s.decision
                                  and "langkah" in s.activity))



_CLAUSES = "; jika "
"""Where a generated decision's activity ends and its branch clauses begin."""
_DECISION_VERBS = ("Memeriksa", "Memilah")
"""The verbs :func:`generate` opens a decision's activity with."""


def drawn_only(g: GeneratedSop) -> GeneratedSop:
    """The same SOP as many signed documents state it: a decision is the flowchart's diamond
    and the labels on its arrows, and its row says only what is checked ("Memeriksa berkas
    permohonan"), with no "jika ..., jika ..." clauses. Every text form then keeps the labels
    (drawn as text beside the arrows) but loses where the arrows go.

    The truth keeps every decision; no branch target follows from the text any more
    (``known_targets`` is empty), and a step whose performer only a decision's clause named
    ("diteruskan kepada X") is no longer known, unless its own activity names it."""
    steps: list[Step] = []
    unnamed: set[int] = set()
    for s in g.sop.steps:
        if s.decision is not None and _CLAUSES in s.activity:
            head, _, clauses = s.activity.partition(_CLAUSES)
            if " kepada " in clauses.split(", jika ")[0]:
                unnamed.add(s.number + 1)
            s = dataclasses.replace(s, activity=head)
        steps.append(s)
    by_number = {s.number: s for s in steps}
    # a step's own text names its performer when it opens with the name, not with a verb
    verbs = (*VERBS, *_DECISION_VERBS)
    lost = {n for n in unnamed
            if n in by_number and by_number[n].activity.startswith(verbs)}
    return dataclasses.replace(
        g, sop=dataclasses.replace(g.sop, steps=tuple(steps)),
        known_roles=g.known_roles - lost, known_targets=frozenset())

# -- truth and scoring ---------------------------------------------------------------------


def norm(text: str) -> str:
    """Spacing and case do not count when comparing what was read with the truth."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class TruthStep:
    """What a reader can know of one step."""

    number: int
    role: str | None  # the header's name, or None when the text does not state it
    targets: tuple[StepRef, StepRef] | None  # (approve_to, reject_to) of a decision
    targets_known: bool  # the text alone fixes the targets (GeneratedSop.known_targets)
    waktu_text: str
    waktu_max: int | None
    output: str


@dataclass(frozen=True)
class Truth:
    roles: tuple[str, ...]
    steps: tuple[TruthStep, ...]


def truth_of(g: GeneratedSop) -> Truth:
    return Truth(
        roles=g.sop.roles,
        steps=tuple(
            TruthStep(
                number=s.number,
                role=s.role if s.number in g.known_roles else None,
                targets=(s.decision.approve_to, s.decision.reject_to) if s.decision else None,
                targets_known=s.number in g.known_targets,
                waktu_text=s.duration.text,
                waktu_max=s.duration.max_minutes,
                output=s.output,
            )
            for s in g.sop.steps
        ),
    )


METRICS = ("documents read", "steps", "roles", "decision recall", "decision precision",
           "branch targets", "waktu", "output")


@dataclass
class Tally:
    """Hits and totals per metric, summed over documents (micro averages)."""

    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METRICS, 0))
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METRICS, 0))

    def add(self, metric: str, hit: bool | int, total: int = 1) -> None:
        self.hits[metric] += int(hit)
        self.totals[metric] += total

    def merge(self, other: Tally) -> None:
        for m in METRICS:
            self.hits[m] += other.hits[m]
            self.totals[m] += other.totals[m]

    def percent(self, metric: str) -> float | None:
        total = self.totals[metric]
        return None if total == 0 else 100.0 * self.hits[metric] / total


def score(truth: Truth, read: dict[str, Any] | None) -> Tally:
    """Compare the ``alur inspect --json`` object ``read`` (None: not read) with the truth.

    A document that was not read counts every truth item as missed, so the per-item figures
    include the failures. "steps" divides the steps found by the larger of the true and read
    counts, so extra rows cost as much as lost ones.
    """
    t = Tally()
    t.add("documents read", read is not None)
    got = {int(s["number"]): s for s in (read or {}).get("steps", [])}
    hit_steps = sum(1 for s in truth.steps if s.number in got)
    t.add("steps", hit_steps, max(len(truth.steps), len(got)))
    for s in truth.steps:
        r = got.get(s.number)
        if s.role is not None:
            t.add("roles", r is not None and norm(r.get("role", "")) == norm(s.role))
        dec = r.get("decision") if r else None
        if s.targets is not None:
            t.add("decision recall", dec is not None)
            if s.targets_known:
                t.add("branch targets", dec is not None
                      and (dec["approve_to"], dec["reject_to"]) == s.targets)
        if dec is not None:
            t.add("decision precision", s.targets is not None)
        if s.waktu_text:
            ok = False
            if r is not None:
                d = r.get("duration") or {}
                ok = (d.get("max_minutes") == s.waktu_max if s.waktu_max is not None
                      else _squash(d.get("text", "")) == _squash(s.waktu_text))
            t.add("waktu", ok)
        if s.output:
            t.add("output", r is not None and _squash(r.get("output", "")) == _squash(s.output))
    truth_numbers = {s.number for s in truth.steps}
    for number, r in got.items():  # decisions on rows that are not true steps
        if number not in truth_numbers and r.get("decision") is not None:
            t.add("decision precision", False)
    return t


def _squash(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text).casefold()


class Scored(Protocol):
    """One scored read (a harness's ``CaseResult``): its tally and how the read went."""

    @property
    def tally(self) -> Tally: ...

    @property
    def error(self) -> str: ...

    @property
    def crash(self) -> str: ...


def form_table(form: str, results: Sequence[Scored]) -> str:
    """The table a fidelity bench prints for one form: each metric over all ``results``
    (micro averages), and how many documents were refused or crashed the reader."""
    tally = Tally()
    for r in results:
        tally.merge(r.tally)
    errors = sum(1 for r in results if r.error)
    crashes = sum(1 for r in results if r.crash)
    lines = [f"== {form}  ({len(results)} SOPs; not read: {errors} refused, {crashes} crashed)"]
    for m in METRICS:
        pct = tally.percent(m)
        value = "    n/a" if pct is None else f"{pct:6.1f}%"
        lines.append(f"  {m:20s} {value}  ({tally.hits[m]}/{tally.totals[m]})")
    return "\n".join(lines)


__all__ = [
    "FORWARD_STYLES",
    "JABATAN",
    "LABEL_STYLES",
    "METRICS",
    "OFFICIAL_HEADER",
    "WAKTU_FORMS",
    "GeneratedSop",
    "HeaderVariant",
    "Jabatan",
    "Scored",
    "Tally",
    "Truth",
    "TruthStep",
    "form_table",
    "generate",
    "generate_realistic",
    "norm",
    "score",
    "truth_of",
]
