"""The ``ocr-coarse`` warning: OCR text too coarse to read well is still read, and said so.

The fixtures are texts of the fidelity harness (``bench/text_fidelity.py``): generated SOPs
drawn as PDFs and run through Tesseract (``tests/support/text_forms.tesseract``), at 150 dpi
(``--psm 6``) and at 300 dpi (``--psm 4`` and ``--psm 3``), kept as files because OCR costs
5-30 s a page. The file name says the form and the seed, so the truth is
``generate(seed)``. The non-OCR forms are made here from the harness's PDFs (fast).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.reading.readers.ocr.coarse import CODE, measure
from converters.reading.sop_file import read_sop
from tests.support.sop_generator import generate, score, truth_of
from tests.support.text_forms import FORMS, read_contract, render_pdf

FIXTURES = Path(__file__).parent / "fixtures"
COARSE = ("ocr-150dpi-psm6-seed1100.txt", "ocr-150dpi-psm6-seed1203.txt")
CLEAN = ("ocr-300dpi-psm4-seed1100.txt", "ocr-300dpi-psm3-seed1106.txt")


def _text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _seed(name: str) -> int:
    return int(name.rsplit("seed", 1)[1].split(".")[0])


def _lines(text: str) -> list[str]:
    return text.replace("\f", "\n").split("\n")


@pytest.mark.parametrize("name", COARSE)
def test_coarse_text_is_read_and_warned_first(name: str) -> None:
    sop = read_sop(_text(name).encode(), "sop.txt")
    assert sop.warnings[0].code == CODE
    assert "300 dpi" in sop.warnings[0].message
    assert sop.warnings[0].message.startswith("Teks OCR terlalu kasar")
    # still read as well as it can: most of the true steps are there
    truth = truth_of(generate(_seed(name)))
    assert len(sop.steps) >= len(truth.steps) // 2


@pytest.mark.parametrize("name", CLEAN)
def test_clean_ocr_text_is_not_warned(name: str) -> None:
    sop = read_sop(_text(name).encode(), "sop.txt")
    assert CODE not in {w.code for w in sop.warnings}
    assert len(sop.steps) == len(truth_of(generate(_seed(name))).steps)


def test_measure_tells_lost_row_numbers_from_kept_ones() -> None:
    from converters.reading.readers.ocr import _header_blocks

    coarse, clean = (_lines(_text(n)) for n in (COARSE[0], CLEAN[0]))
    low = measure(coarse, _header_blocks(coarse))
    high = measure(clean, _header_blocks(clean))
    assert low.numbered < 0.8 * low.span and low.coarse
    assert high.numbered == high.span and not high.coarse
    assert low.titles < high.titles  # the small header titles are lost at 150 dpi


def test_warning_reaches_the_json_contract_and_inspect() -> None:
    from webui.cli.inspect import render_warnings

    text = _text(COARSE[0])
    result = read_contract(text, "sop.txt")
    assert result.data is not None
    codes = [w["code"] for w in result.data["warnings"]]
    assert codes[0] == CODE
    assert "Teks OCR terlalu kasar" in render_warnings(read_sop(text.encode(), "sop.txt"))
    # the reading is scored as before: the warning changes no step
    tally = score(truth_of(generate(_seed(COARSE[0]))), result.data)
    assert (tally.percent("steps") or 0) > 50


@pytest.mark.parametrize("seed", [1100, 1101, 1102, 1103])
def test_non_ocr_forms_are_not_warned(seed: int) -> None:
    g = generate(seed)
    _, pdf = render_pdf(g)
    for form in (f for f in FORMS if not f.ocr):
        text = form.make(pdf) if form.from_pdf else form.make(g.sop, g.header, g.seed)
        result = read_contract(text, form.filename)
        assert result.data is not None, f"{form.name}: {result.error or result.crash}"
        assert CODE not in {w["code"] for w in result.data["warnings"]}, form.name


# -- reading more of coarse OCR ----------------------------------------------------------------
# Lines as Tesseract gives them from a table rasterised at 150 dpi (shapes taken from the
# harness texts above; the words are any SOP's).


def test_rows_lost_as_debris_keep_the_numbers_after_them() -> None:
    # seed 1100: row 5 came out as "Ma mp Lol Ka Mono", row 6 lost its number
    sop = read_sop(_text(COARSE[0]).encode(), "sop.txt")
    steps = {s.number: s for s in sop.steps}
    assert 5 not in steps and steps[6].activity.startswith("Memverifikasi konsep")
    assert any(w.code == "step-missing" and w.step == 5 for w in sop.warnings)
    assert steps[10].duration.max_minutes == 90  # "Ljam 30 menit": the "1" read as "L"


def test_step_numbers_read_as_letters_are_taken_in_sequence() -> None:
    from converters.reading.readers.ocr.words import mangled_start

    def numbers(line: str) -> tuple[int, ...]:
        found = mangled_start(line)
        assert found is not None, line
        return found[0]

    assert mangled_start("TO | Memaraf surat masuk dalam rangka") == (
        (10,),
        "Memaraf surat masuk dalam rangka",
    )
    assert 14 in numbers("1G | Memeriksa konsep surat keluar")  # "G" for 4, 6 or 8
    assert numbers("z2 | Mengoreksi draf laporan kinerja") == (22,)
    assert numbers("26” bterekapitulasi konsep surat keluar") == (26,)
    for not_a_row in ("Tidak | Ya", "Ll | —", "| | 2 Tol", "Lo", "Tidak, CD"):
        assert mangled_start(not_a_row) is None, not_a_row


_HEADERS_LOST = """\
SOP Penerimaan Surat
No Kegiatan Keterangan
1 | Staf menerima surat masuk dari loket, kemudian Formulir isian 1 Hari Arsip
diserahkan kepada Kasubbag Umum Lol
Z | Mengagendakan surat masuk dalam buku agenda, Buku agenda 10 Menit Agenda
kemudian diserahkan kepada Kasubbag Umum Lo
3 pengadministrasi menelaah surat masuk sesuai dengan Agenda 2 Jam Disposisi
ketentuan yang berlaku Lol
Ma mp Lol Ka Mono
No Kegiatan Keterangan
Kasubbag Staf Pengadministrasi Kelengkapan Waktu Output
5 | Staf mengarsipkan surat masuk, kemudian diserahkan Disposisi Ljam 30 menit Arsip
kepada Pengadministrasi Umum Lo
6 | Kasubbag memaraf surat keluar, kemudian diserahkan Arsip 5 Meni Paraf
kepada Pengadministrasi Umum Lol
"""


def test_numbers_letters_and_lost_rows_of_a_coarse_table() -> None:
    sop = read_sop(_HEADERS_LOST.encode(), "sop.txt")
    steps = {s.number: s for s in sop.steps}
    assert sorted(steps) == [1, 2, 3, 5, 6]  # "Z" is 2; row 4 is debris and reported
    assert steps[2].activity.startswith("Mengagendakan surat masuk")
    assert steps[3].activity.startswith("pengadministrasi menelaah")
    assert any(w.code == "step-missing" and w.step == 4 for w in sop.warnings)
    # the roles come from the second page's header, the unit lost in the header ("Umum")
    # from the hand-overs that name it
    assert sop.roles == ("Kasubbag", "Staf", "Pengadministrasi Umum")
    assert steps[5].duration.max_minutes == 90 and steps[6].duration.max_minutes == 5
    assert steps[1].output == "Arsip"  # the symbol's outline "Lol" is no Output
    assert sop.warnings[0].code == CODE


def test_damaged_copies_of_the_documents_own_cells_are_read_as_it_writes_them() -> None:
    from converters.reading.readers.ocr.cells import KnownCells

    known = KnownCells(["Paraf", "Paraf", "Disposisi", "Disposisi", "Surat Edaran"])
    assert known.tidy("Parat") == "Paraf"
    assert known.tidy("Disposisi KN") == "Disposisi"
    assert known.tidy("Surat keluar") == "Surat keluar"  # no recurring cell is that close


def test_role_names_keep_only_the_jabatan_and_its_unit() -> None:
    from converters.reading.raw import RawRow
    from converters.reading.readers.ocr.role_units import complete_roles, tidy_roles

    rows = [
        RawRow(1, "Mencetak surat, kemudian diserahkan kepada Kepala Dinas"),
        RawRow(2, "Menelaah surat, kemudian diserahkan kepada Pengadministrasi Umum"),
        RawRow(3, "Pengadministrasi Umum mengarsipkan surat"),
    ]
    cells = {"Nota Dinas", "Disposisi"}

    def starts_cell(text: str) -> bool:
        return any(text.startswith(c) for c in cells)

    names = [
        "Pemohon Nota Dinas",
        "kepada Jumat",
        "Bendahara NIK.",
        "Kepala Dinas",
        "Pengadministrasi",
    ]
    assert tidy_roles(names, starts_cell, rows) == [
        "Pemohon",
        "Bendahara",
        "Kepala Dinas",
        "Pengadministrasi",
    ]
    assert complete_roles(["Pengadministrasi", "Kepala Dinas"], rows) == [
        "Pengadministrasi Umum",
        "Kepala Dinas",
    ]
    # a title the text also names without a unit stays as the header wrote it
    rows.append(RawRow(4, "Pengadministrasi menginput surat"))
    assert complete_roles(["Pengadministrasi"], rows) == ["Pengadministrasi"]
