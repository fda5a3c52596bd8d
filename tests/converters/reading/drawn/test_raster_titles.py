"""Role titles read from pixels that OCR cut short or garbled, named as the activities write
them: only where that is unambiguous, and never for titles a vector drawing types out."""

from __future__ import annotations

import itertools

import pytest

from converters.reading.drawn.interpret.interpreter import interpret
from converters.reading.drawn.interpret.titles import named_titles
from converters.reading.drawn.picture import Box, Page, Picture, Shape, ShapeKind, TextRun

HANDED = [
    "Menghimpun hasil pembahasan IKU, selanjutnya diteruskan ke Kasubbag PEKK untuk koreksi",
    "Mengoreksi konsep IKU",
    "Menandatangani konsep IKU kemudian menyerahkan ke Kasubbag PEKK untuk didistribusikan",
]


def test_a_title_whose_second_line_was_lost_is_completed_from_the_hand_overs() -> None:
    """ "Kasubbag" over a faint "PEKK": the activities hand the work to "Kasubbag PEKK"."""
    titles = ["Kepala Kantor", "Kasubbag", "Staf"]
    assert named_titles(titles, HANDED, [titles]) == {"Kasubbag": "Kasubbag PEKK"}


@pytest.mark.parametrize(
    "also",
    [
        "Meneruskan berkas ke Kasubbag Umum",  # two longer names: which one is not known
        "Kasubbag memeriksa berkas; Kasubbag memaraf berkas; Kasubbag mengarsipkan",  # bare more
    ],
)
def test_a_title_is_not_completed_when_the_activities_leave_it_open(also: str) -> None:
    titles = ["Kepala Kantor", "Kasubbag", "Staf"]
    assert named_titles(titles, [*HANDED, also], [titles]) == {}


def test_titles_garbled_differently_on_each_page_are_one_role_as_the_activities_name_it() -> None:
    first = ["PPK", "Kepala Bagian Sub dan Perencana", "Pengadministrasi Umum"]
    second = ["PPK", "Kepala Sub ian Perencana", "Pengadministrasimi"]
    activities = [
        "Menggandakan rencana kerja, kemudian diserahkan kepada Kepala Sub Bagian Perencanaan",
        "Pengadministrasi Umum mendistribusikan draf laporan kinerja kepada PPK",
        "Menelaah nota dinas bersama Kasubbag Perencanaan",
    ]
    titles = [*first, *second[1:]]
    assert named_titles(titles, activities, [first, second]) == {
        "Kepala Bagian Sub dan Perencana": "Kepala Sub Bagian Perencanaan",
        "Kepala Sub ian Perencana": "Kepala Sub Bagian Perencanaan",
        "Pengadministrasimi": "Pengadministrasi Umum",
    }


def test_a_title_the_activities_write_or_a_name_of_another_column_of_its_page_stays() -> None:
    page = ["Kabid Layanan", "Kabid Pelayanan", "Sekretaris"]
    activities = ["Diteruskan kepada Kabid Pelayanan", "Sekretaris memaraf; Sekretaris Dinas "
                  "menandatangani; Sekretaris mengarsipkan"]  # fmt: skip
    assert named_titles(page, activities, [page]) == {}


XS = (40.0, 60.0, 200.0, 280.0, 360.0, 420.0, 470.0, 530.0)  # No | Kegiatan | A | B | Mutu


def _word(text: str, x: float, y: float) -> TextRun:
    return TextRun(text, Box(x, y, x + 3 * len(text), y + 5))


@pytest.mark.parametrize(
    ("extractor", "role"), [("scan", "Kasubbag PEKK"), ("pdf-vector", "Kasubbag")]
)
def test_only_titles_read_from_pixels_are_renamed(extractor: str, role: str) -> None:
    cells = [Box(a, 20, b, 60) for a, b in itertools.pairwise(XS)]
    texts = [_word("No", 42, 35), _word("Kegiatan", 100, 35), _word("Staf", 215, 35),
             _word("Kasubbag", 295, 35), _word("Kelengkapan", 362, 35), _word("Waktu", 430, 35),
             _word("Output", 480, 35)]  # fmt: skip
    shapes = []
    for i, activity in enumerate(HANDED):
        top = 60 + 40 * i
        cells += [Box(a, top, b, top + 40) for a, b in itertools.pairwise(XS)]
        texts.append(_word(str(i + 1), 45, top + 5))
        x, y = 65.0, top + 5
        for w in activity.split():  # wrapped in the activity cell, 2 pt a letter
            if x + 2 * len(w) > 198:
                x, y = 65.0, y + 7
            texts.append(TextRun(w, Box(x, y, x + 2 * len(w), y + 5)))
            x += 2 * len(w) + 2
        cx = 240 if i % 2 == 0 else 320
        shapes.append(Shape(ShapeKind.PROCESS, Box(cx - 20, top + 10, cx + 20, top + 30)))
    page = Page(1, 600, 400, tuple(cells), tuple(texts), tuple(shapes))
    sop = interpret(Picture(extractor, (page,)))
    assert sop.roles == ("Staf", role)
    assert [s.role for s in sop.steps] == ["Staf", role, "Staf"]


def test_a_title_the_activities_abbreviate_stays_and_a_misread_one_keeps_its_style() -> None:
    """ "Kabag Program" in the activities is the title "Kepala Bagian Program" itself; the
    title "Kepala Sub Bagian Layanan" lost two letters of the "Kasubbag Pelayanan" the
    activities write, and is put right in its own spelt-out style."""
    page = ["Kepala Bagian Program", "Kepala Sub Bagian Layanan", "Staf"]
    activities = [
        "Menelaah dokumen, kemudian diserahkan kepada Kabag Program",
        "Memeriksa surat masuk, jika ya diteruskan kepada Kasubbag Pelayanan",
        "Staf mengarsipkan surat",
    ]
    assert named_titles(page, activities, [page]) == {
        "Kepala Sub Bagian Layanan": "Kepala Sub Bagian Pelayanan"
    }


def test_a_title_is_not_completed_by_its_office_alone() -> None:
    """ "Sekretaris Dinas" in every hand-over is the Sekretaris column: the office's name adds
    no unit, so the header's "Sekretaris" was not cut short."""
    page = ["Kepala Dinas", "Sekretaris", "Staf"]
    activities = [
        "Staf menyusun konsep, kemudian diserahkan kepada Sekretaris Dinas",
        "Memeriksa konsep, kemudian diserahkan kepada Sekretaris Dinas untuk diparaf",
    ]
    assert named_titles(page, activities, [page]) == {}


def test_a_title_the_activities_shorten_or_follow_with_its_office_stays() -> None:
    """Real scans: "Kepala Bidang Terkait" is "Kepala Bidang" in the activities (their short
    form, not a misreading), and "Sekretaris" is followed by its office there."""
    page = ["Pemohon", "Kasat", "Kepala Bidang Terkait", "Sekretaris"]
    activities = [
        "Kasat mendisposisikan permohonan kepada Kepala Bidang",
        "Kepala Bidang menelaah permohonan",
        "Diteruskan kepada Sekretaris Satpol PP Prov untuk diparaf",
        "Sekretaris Satpol PP Prov memaraf konsep",
    ]
    assert named_titles(page, activities, [page]) == {}


def test_a_title_spelt_another_way_in_the_activities_stays() -> None:
    """ "Kasubag Program" in the header, "Kasubbag Program" in the activities: one post."""
    page = ["Kepala Badan", "Kasubag Program", "Fungsional Umum"]
    activities = ["Penandatanganan dokumen oleh Kaban kemudian diteruskan ke Kasubbag Program"]
    assert named_titles(page, activities, [page]) == {}
