"""SOP tables saved as CSV (`;` or `,`): read as the tab text they are, never taken for prose."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from converters.reading.readers import delimited, read_raw, read_text
from converters.reading.sop_file import read_sop
from tests.support.sop_generator import generate
from tests.support.text_forms import word_tsv

ROOT = Path(__file__).resolve().parents[4]
EXAMPLES = ROOT / "examples"

SEEDS = (1100, 1103, 1106)


def _as_csv(tsv: str, separator: str) -> str:
    rows = list(csv.reader(io.StringIO(tsv), delimiter="\t"))
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("separator", [";", ","])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_csv_reads_as_its_tab_text_does(seed: int, separator: str) -> None:
    g = generate(seed)
    tsv = word_tsv(g.sop, g.header, seed)
    from_tabs = read_sop(tsv.encode(), "sop.txt")
    from_csv = read_sop(_as_csv(tsv, separator).encode("cp1252", "replace"), "sop.csv")
    assert from_csv.source_format == "csv"
    assert [s.activity for s in from_csv.steps] == [s.activity for s in from_tabs.steps]
    assert [s.role for s in from_csv.steps] == [s.role for s in from_tabs.steps]
    assert [(s.duration.text if s.duration else "", s.output) for s in from_csv.steps] == [
        (s.duration.text if s.duration else "", s.output) for s in from_tabs.steps
    ]
    assert from_csv.roles == from_tabs.roles
    assert len(from_csv.steps) == len(g.sop.steps)


def test_a_quoted_cell_with_line_breaks_stays_one_step() -> None:
    text = (
        "No;Kegiatan;Pelaksana;;Mutu Baku;;;Keterangan\r\n"
        ";;Kepala Dinas;Staf;Kelengkapan;Waktu;Output;\r\n"
        '1;"Menerima surat masuk\r\ndan mencatat\r\ndalam agenda";;;Surat;"0,5 jam";Agenda;\r\n'
        "2;Mendisposisikan surat;;;Agenda;1 hari;Disposisi;\r\n"
    )
    doc = read_text(text)
    assert doc.source_format == "csv"
    assert [r.number for r in doc.rows] == [1, 2]
    assert doc.rows[0].activity == "Menerima surat masuk dan mencatat dalam agenda"
    # the Indonesian decimal comma stays inside its ';' cell
    assert doc.rows[0].duration == "0,5 jam"
    assert doc.roles == ["Kepala Dinas", "Staf"]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_sample_texts_are_not_taken_for_csv(path: Path) -> None:
    """Prose full of commas (the identity block, Dasar Hukum) has no header row of cells."""
    text = path.read_text(encoding="utf-8")
    assert delimited.sniff(text) == 0.0
    assert read_raw(text.encode(), path.name).source_format != "csv"


def test_a_comma_text_without_an_sop_header_is_not_csv() -> None:
    text = "Nama, Alamat, Telepon\nBudi, Jl. Merdeka 1, 0812\nSiti, Jl. Sudirman 2, 0813\n"
    assert delimited.separator_of(text) is None
    assert delimited.sniff(text) == 0.0
