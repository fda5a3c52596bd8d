"""Markdown pipe tables (pandoc, markitdown, docling): the tab reader's table with other borders."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.reading.readers import markdown, read_text
from converters.reading.sop_file import read_sop

ROOT = Path(__file__).resolve().parents[4]

TABLE = """\
# SOP Penerimaan Surat Masuk

| DINAS KOMINFO | Nomor SOP | 800/12/SOP/2024 |
|---|---|---|
| | Nama SOP | Penerimaan Surat Masuk |

| No | Kegiatan | Pelaksana | | | Mutu Baku | | | Keterangan |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| | | Kepala Dinas | Sekretaris | Pelaksana | Kelengkapan | Waktu | Output | |
| 1 | Menerima surat masuk<br>dan mencatat di **buku agenda** | | | | Surat | 10 menit | Agenda | |
| 2 | Memeriksa kelengkapan surat: lengkap? | | | | Agenda | 1 jam | Surat \\| lampiran | |
| 3 | Mendisposisikan surat kepada Sekretaris | | | | Surat | 1 hari | Disposisi | |
"""


def test_a_pipe_table_reads_with_its_two_header_rows() -> None:
    doc = read_text(TABLE)
    assert doc.source_format == "markdown"
    assert doc.roles == ["Kepala Dinas", "Sekretaris", "Pelaksana"]
    assert [r.number for r in doc.rows] == [1, 2, 3]
    assert doc.rows[0].activity == "Menerima surat masuk dan mencatat di buku agenda"
    assert (doc.rows[0].duration, doc.rows[0].output) == ("10 menit", "Agenda")
    assert doc.rows[1].output == "Surat | lampiran"  # an escaped bar stays in its cell
    assert doc.identity.number == "800/12/SOP/2024"


def test_the_whole_sop_reads_through_the_entry_point() -> None:
    sop = read_sop(TABLE.encode(), "sop.md")
    assert sop.source_format == "markdown"
    assert len(sop.steps) == 3
    assert sop.steps[2].duration is not None and sop.steps[2].duration.text == "1 hari"


def test_bars_without_a_separator_row_are_not_markdown() -> None:
    """OCR text draws the table's rulings as bars, but never a row of dashes between them."""
    ocr_like = "| No | Kegiatan | Kepala |\n| 1 | Menerima surat | |\n| 2 | Memeriksa | |\n"
    assert markdown.sniff(ocr_like) == 0.0


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.txt")), ids=lambda p: p.name)
def test_sample_texts_are_not_markdown(path: Path) -> None:
    assert markdown.sniff(path.read_text(encoding="utf-8")) == 0.0
