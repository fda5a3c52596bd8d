"""Word-box text (pdftotext -bbox, hOCR, ALTO, Tesseract TSV): parsed, joined into runs,
laid out and read as an SOP table.

The documents here are written by the test from one small table laid out on a character
grid, so each format carries the same words at the same places; the real tools' output is
read by the fidelity harness (``pdftotext -bbox-layout`` in its fast slice, the OCR forms
in ``bench/text_fidelity.py``) and by the fixture test at the end."""

from __future__ import annotations

import dataclasses
import gzip
import html
from pathlib import Path

import pytest

from converters.model import ConversionError
from converters.reading.readers import rank_readers, read_text, word_boxes
from converters.reading.readers.word_boxes import Word, runs, word_pages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# A table as a layout tool places it: the header, two role columns, Mutu Baku.
GRID = """\
No  Kegiatan                     Pelaksana                     Mutu Baku
                                 Kepala Bagian  Staf Umum      Kelengkapan   Waktu    Output
1   Menerima surat permohonan                   X              Surat         5 menit  Agenda
2   Memeriksa kelengkapan berkas                X              Berkas        1 jam    Berkas lengkap
3   Menandatangani surat         X                             Konsep surat  1 hari   Surat balasan
"""
CW, LH = 5.0, 14.0  # a character's width (half an em) and a line's height, in points


def grid_words(grid: str = GRID, cw: float = CW, lh: float = LH) -> list[Word]:
    """Each word of ``grid`` with the box its characters cover."""
    words = []
    for row, line in enumerate(grid.splitlines()):
        col = 0
        for part in line.split(" "):
            if part:
                words.append(Word(col * cw, row * lh + 2, (col + len(part)) * cw,
                                  row * lh + 12, part))  # fmt: skip
            col += len(part) + 1
    return words


def _rows(words: list[Word]) -> list[list[Word]]:
    """The words line by line, as the tools nest them (a line per grid row here)."""
    rows: dict[float, list[Word]] = {}
    for w in words:
        rows.setdefault(w.y0, []).append(w)
    return list(rows.values())


def as_bbox(words: list[Word]) -> str:
    body = "".join(
        "<line>\n" + "".join(f'<word xMin="{w.x0:.6f}" yMin="{w.y0:.6f}" xMax="{w.x1:.6f}" '
                             f'yMax="{w.y1:.6f}">{html.escape(w.text)}</word>\n' for w in row)
        + "</line>\n" for row in _rows(words))  # fmt: skip
    return ('<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title></title>'
            '</head><body><doc><page width="595.0" height="842.0"><flow><block>\n'
            + body + "</block></flow></page></doc></body></html>\n")  # fmt: skip


def as_hocr(words: list[Word], scale: float = 4.0) -> str:
    lines = "".join(
        "<span class='ocr_line' title='bbox 0 0 1 1'>" + "".join(
            f"<span class='ocrx_word' id='word_1_{id(w)}' title='bbox {int(w.x0 * scale)} "
            f"{int(w.y0 * scale)} {int(w.x1 * scale)} {int(w.y1 * scale)}; x_wconf 91'>"
            f"{html.escape(w.text)}</span> " for w in row) + "</span>\n"
        for row in _rows(words))  # fmt: skip
    return ("<?xml version='1.0' encoding='UTF-8'?><html><body><div class='ocr_page' "
            "id='page_1' title='image \"x.png\"; bbox 0 0 2480 3508; ppageno 0'>"
            f"{lines}</div></body></html>")


def as_alto(words: list[Word]) -> str:
    lines = "".join(
        "<TextLine>" + "".join(f'<String ID="s{id(w)}" CONTENT="{html.escape(w.text)}" '
                               f'HPOS="{w.x0:g}" VPOS="{w.y0:g}" WIDTH="{w.x1 - w.x0:g}" '
                               f'HEIGHT="{w.y1 - w.y0:g}" WC="0.9"/><SP/>' for w in row)
        + "</TextLine>" for row in _rows(words))  # fmt: skip
    return ('<?xml version="1.0" encoding="UTF-8"?><alto xmlns="http://www.loc.gov/standards/'
            'alto/ns-v3#"><Layout><Page WIDTH="595" HEIGHT="842" PHYSICAL_IMG_NR="0" ID="p0">'
            f"<PrintSpace><TextBlock>{lines}</TextBlock></PrintSpace></Page></Layout></alto>")


def as_tsv(words: list[Word]) -> str:
    head = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\t"
            "height\tconf\ttext")
    rows = ["1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    rows += [f"5\t1\t1\t1\t{n}\t{i}\t{w.x0:g}\t{w.y0:g}\t{w.x1 - w.x0:g}\t"
             f"{w.y1 - w.y0:g}\t90\t{w.text}"
             for n, row in enumerate(_rows(words), start=1)
             for i, w in enumerate(row, start=1)]  # fmt: skip
    return "\n".join([head, *rows]) + "\n"


def as_poppler_tsv(words: list[Word]) -> str:
    """``pdftotext -tsv``: Tesseract's columns with par_num and block_num swapped, marker
    rows for the page, the flow and each line, every number 0 but the word's."""
    head = ("level\tpage_num\tpar_num\tblock_num\tline_num\tword_num\tleft\ttop\twidth\t"
            "height\tconf\ttext")  # fmt: skip
    rows = ["1\t1\t0\t0\t0\t0\t0.0\t0.0\t595.0\t842.0\t-1\t###PAGE###",
            "3\t1\t0\t0\t0\t0\t0.0\t0.0\t1.0\t1.0\t-1\t###FLOW###"]  # fmt: skip
    for row in _rows(words):
        rows.append("4\t1\t0\t0\t0\t0\t0.0\t0.0\t1.0\t1.0\t-1\t###LINE###")
        rows += [f"5\t1\t0\t0\t0\t{i}\t{w.x0:.2f}\t{w.y0:.2f}\t{w.x1 - w.x0:.2f}\t"
                 f"{w.y1 - w.y0:.2f}\t100\t{w.text}" for i, w in enumerate(row)]  # fmt: skip
    return "\n".join([head, *rows]) + "\n"


WRITERS = {"pdftotext-bbox": as_bbox, "hocr": as_hocr, "alto": as_alto,
           "tesseract-tsv": as_tsv, "pdftotext-tsv": as_poppler_tsv}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_format_is_recognised_and_its_words_kept(kind: str) -> None:
    found = word_pages(WRITERS[kind](grid_words()))
    assert found is not None and found.kind == kind
    assert [w.text for w in found.pages[0]][:3] == ["No", "Kegiatan", "Pelaksana"]
    assert len(found.pages[0]) == len(grid_words())


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_the_table_is_read_with_its_columns(kind: str) -> None:
    doc = read_text(WRITERS[kind](grid_words()))
    texts = [r.activity for r in doc.rows]
    assert texts == ["Menerima surat permohonan", "Memeriksa kelengkapan berkas",
                     "Menandatangani surat"]  # fmt: skip
    assert doc.roles == ["Kepala Bagian", "Staf Umum"]
    if kind.startswith("pdftotext"):  # the OCR reader takes a lone letter in a role column for
        # a symbol's debris (OCR never reads a drawn box as a letter "X"), so only here
        marks = [list(r.marks) for r in doc.rows]
        assert marks == [["Staf Umum"], ["Staf Umum"], ["Kepala Bagian"]]
    assert [r.duration for r in doc.rows] == ["5 menit", "1 jam", "1 hari"]
    assert doc.rows[1].output == "Berkas lengkap"


def test_word_box_text_outranks_the_html_reader() -> None:
    ranked = rank_readers(as_bbox(grid_words()))
    assert ranked[0][1] == "word_boxes"
    assert ranked[0][0] > 0.9


def test_a_word_box_dump_is_not_offered_to_the_other_readers(monkeypatch) -> None:
    # its form is told by its structure and its refusal is final: the other readers are not
    # asked (the OCR reader's sniff cost seconds on the thousands of lines of such a dump)
    from converters.reading.readers import ocr

    def asked(text: str) -> float:
        raise AssertionError("the OCR reader was asked")

    monkeypatch.setattr(ocr, "sniff", asked)
    assert [name for _, name, _ in rank_readers(as_bbox(grid_words()))] == ["word_boxes"]


def test_a_space_joins_words_and_a_column_gap_parts_them() -> None:
    boxes = runs(grid_words("Kepala Bagian  Staf Umum      Kelengkapan"))
    # one space (half an em) joins; two spaces or more part
    assert [b.text for b in boxes] == ["Kepala Bagian", "Staf Umum", "Kelengkapan"]


def test_words_of_one_line_slightly_off_their_baseline_stay_on_the_line() -> None:
    words = [Word(0, 100, 30, 110, "Memeriksa"), Word(33, 103, 60, 113, "berkas"),
             Word(0, 120, 30, 130, "Staf")]  # fmt: skip
    assert [b.text for b in runs(words)] == ["Memeriksa berkas", "Staf"]


def test_a_one_line_cell_between_two_lines_of_its_neighbour_joins_neither() -> None:
    """A header row: "Kepala" / "Bagian" on two lines, "PPK" centred between them. Without
    the tool's lines, a band that grew with each word would chain all three together."""
    words = [Word(0, 100, 36, 110, "Kepala"), Word(0, 110, 36, 120, "Bagian"),
             Word(60, 105, 80, 115, "PPK")]  # fmt: skip
    assert sorted(b.text for b in runs(words)) == ["Bagian", "Kepala", "PPK"]
    given = [dataclasses.replace(w, line=k) for k, w in enumerate(words)]
    assert sorted(b.text for b in runs(given)) == ["Bagian", "Kepala", "PPK"]


def test_words_without_boxes_are_refused_with_a_message() -> None:
    bad = as_hocr(grid_words()).replace("bbox ", "box ")
    with pytest.raises(ConversionError) as err:
        word_boxes.read(bad)
    assert "kotak kata" in str(err.value)


def test_escaped_words_are_unescaped() -> None:
    words = grid_words().copy()
    words[0] = Word(words[0].x0, words[0].y0, words[0].x1, words[0].y1, "No & <x>")
    found = word_pages(as_hocr(words))
    assert found is not None and found.pages[0][0].text == "No & <x>"


def test_word_boxes_without_an_sop_are_refused_not_read_as_a_tab_table() -> None:
    """An identity page alone, as ``pdftotext -tsv`` writes it: the tab reader would take
    each word's row for a table row; the refusal says it is no SOP table."""
    page = grid_words("Nomor SOP    123/2025\nNama SOP     Pengelolaan Surat Masuk\n"
                      "Dasar Hukum  Undang-Undang Nomor 16 Tahun 1997\n" * 3)  # fmt: skip
    with pytest.raises(ConversionError) as err:
        read_text(as_poppler_tsv(page))
    assert "SOP" in str(err.value)
    assert rank_readers(as_poppler_tsv(page))[0][1] == "word_boxes"


def test_an_html_page_with_few_word_spans_is_not_taken() -> None:
    page = "<html><body>" + "<span class='ocrx_word' title='bbox 1 1 2 2'>a</span>" * 3
    assert word_boxes.sniff(page + "</body></html>") == 0.0


def test_real_tesseract_hocr_of_a_generated_sop() -> None:
    """Tesseract 5's own hOCR (300 dpi, psm 3) of the harness's seed 1100, the table page:
    real attribute quoting, line and paragraph spans, confidence figures."""
    text = gzip.decompress((FIXTURES / "hocr-300dpi-psm3-seed1100.hocr.gz").read_bytes())
    doc = read_text(text.decode("utf-8"))
    assert doc.roles == ["Staf", "Bendahara"]
    assert [r.number for r in doc.rows] == list(range(1, 16))
    assert [r.duration for r in doc.rows][:3] == ["Segera", "5 s.d 10 menit", "2 Hari"]
