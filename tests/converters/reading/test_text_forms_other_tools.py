"""The text forms other tools write (issue 11, session 8): grid tables, a cell per line,
table rows whose cells keep their line breaks (pdfplumber's ``extract_tables()`` written out,
a copied Word table), and pdfplumber's ``layout=True`` text whose columns touch.

Hand-made texts pin each reader's rule; generated SOPs (:mod:`tests.support.text_forms`) check
that what the generator wrote comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.reading.readers import (
    cell_lines,
    dashed_table,
    gridtable,
    pdftext_layout,
    read_text,
    wrapped_rows,
)
from converters.reading.sop_file import read_sop
from tests.support.sop_generator import generate
from tests.support.text_forms import (
    cell_per_line,
    grid_table,
    run_seed,
    simple_table,
    word_tsv,
)

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def _same_steps(text: str, seed: int, fmt: str) -> None:
    g = generate(seed)
    sop = read_sop(text.encode(), "sop.txt")
    assert sop.source_format == fmt
    assert [s.number for s in sop.steps] == [s.number for s in g.sop.steps]
    assert [s.activity for s in sop.steps] == [" ".join(s.activity.split()) for s in g.sop.steps]
    assert [s.duration.text if s.duration else "" for s in sop.steps] == [
        s.duration.text for s in g.sop.steps
    ]
    assert [s.output for s in sop.steps] == [s.output for s in g.sop.steps]
    assert list(sop.roles) == list(g.sop.roles)


# -- grid tables ---------------------------------------------------------------------------------

GRID = """\
SOP Penerimaan Surat

+-----+--------------------+------------+-------+-------------+-----------+----------+
| No  | Kegiatan           | Kepala     | Staf  | Kelengkapan | Waktu     | Output   |
|     |                    | Dinas      |       |             |           |          |
+=====+====================+============+=======+=============+===========+==========+
| 1   | Menerima surat     |            |       | Surat       | 15 menit  | Agenda   |
|     | masuk dan mencatat |            |       |             |           |          |
|     | dalam agenda       |            |       |             |           |          |
+-----+--------------------+------------+-------+-------------+-----------+----------+
| 2   | Mendisposisikan    |            |       | Agenda      | 1 hari    | Surat-   |
|     | surat              |            |       |             |           | menyurat |
+-----+--------------------+------------+-------+-------------+-----------+----------+
"""


def test_a_grid_table_is_read_by_its_rules() -> None:
    doc = read_text(GRID)
    assert doc.source_format == "grid"
    assert [r.number for r in doc.rows] == [1, 2]
    assert doc.rows[0].activity == "Menerima surat masuk dan mencatat dalam agenda"
    assert doc.roles == ["Kepala Dinas", "Staf"]
    assert [r.duration for r in doc.rows] == ["15 menit", "1 hari"]
    # a word wrapped after its hyphen (textwrap, pandoc) is one word again
    assert doc.rows[1].output == "Surat-menyurat"


def test_a_merged_grid_cell_spans_its_columns() -> None:
    rows = [
        "+----+----------+------+------+",
        "| No | Kegiatan | Pelaksana   |",
        "+----+----------+------+------+",
    ]
    assert gridtable.as_tab_lines("\n".join(rows)) == ["No\tKegiatan\tPelaksana\t"]


@pytest.mark.parametrize("seed", [1100, 1103, 1106])
def test_a_generated_grid_table_comes_back_whole(seed: int) -> None:
    g = generate(seed)
    _same_steps(grid_table(g.sop, g.header, seed), seed, "grid")


# -- dash-ruled tables (pandoc simple and multiline tables) ----------------------------------------

SIMPLE = """\
No  Kegiatan                Kepala Dinas  Staf  Waktu     Output
--- ----------------------- ------------- ----- --------- --------
1   Menerima surat masuk                        15 menit  Agenda
2   Mendisposisikan surat                       1 hari    Disposisi

Lembar ini dicetak dari aplikasi.
"""

MULTILINE = """\
----------------------------------------------------------------
No  Kegiatan           Kepala Dinas  Staf  Waktu     Output
--- ------------------ ------------- ----- --------- ----------
1   Menerima surat                         15 menit  Agenda
    masuk dan mencatat                               surat
    dalam agenda

2   Mendisposisikan                        1 hari    Disposisi
    surat
----------------------------------------------------------------
"""


@pytest.mark.parametrize(
    ("text", "activity", "output"),
    [
        (SIMPLE, "Menerima surat masuk", "Agenda"),
        (MULTILINE, "Menerima surat masuk dan mencatat dalam agenda", "Agenda surat"),
    ],
)
def test_dash_runs_give_the_columns(text: str, activity: str, output: str) -> None:
    doc = read_text(text)
    assert doc.source_format == "dashed"
    assert [r.number for r in doc.rows] == [1, 2]
    assert (doc.rows[0].activity, doc.rows[0].output) == (activity, output)
    assert [r.duration for r in doc.rows] == ["15 menit", "1 hari"]
    assert doc.roles == ["Kepala Dinas", "Staf"]


@pytest.mark.parametrize("seed", [1100, 1103, 1106])
def test_a_generated_multiline_table_comes_back_whole(seed: int) -> None:
    g = generate(seed)
    _same_steps(simple_table(g.sop, g.header, seed), seed, "dashed")


# -- a cell per line -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1100, 1101, 1104, 1107])
def test_a_table_written_a_cell_per_line_comes_back_whole(seed: int) -> None:
    """Even seeds keep empty cells (docx2txt: rows cut at the table's width), odd seeds drop
    them (a browser copy: Mutu Baku cells placed around the Waktu value)."""
    g = generate(seed)
    _same_steps(cell_per_line(g.sop, g.header, seed), seed, "cell-lines")


def test_without_empty_cells_a_remark_goes_to_keterangan() -> None:
    text = (
        "\n\n".join(
            [
                "No",
                "Kegiatan",
                "Pelaksana",
                "Mutu Baku",
                "Keterangan",
                "Kepala Dinas",
                "Staf",
                "Kelengkapan",
                "Waktu",
                "Output",
                "1",
                "Menerima surat masuk",
                "Surat",
                "15 menit",
                "Melalui aplikasi",
                "2",
                "Mendisposisikan surat",
                "Agenda",
                "1 hari",
                "Disposisi",
                "Rangkap dua",
            ]
        )
        + "\n"
    )
    doc = read_text(text)
    assert doc.source_format == "cell-lines"
    assert doc.roles == ["Kepala Dinas", "Staf"]
    first, second = doc.rows
    assert (first.requirements, first.duration, first.output, first.notes) == (
        "Surat",
        "15 menit",
        "",
        "Melalui aplikasi",
    )
    assert (second.output, second.notes) == ("Disposisi", "Rangkap dua")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_texts_are_not_taken_for_new_forms(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert cell_lines.sniff(text) == 0.0
    assert gridtable.sniff(text) == 0.0
    assert wrapped_rows.sniff(text) == 0.0
    assert dashed_table.sniff(text) == 0.0
    assert not pdftext_layout.columns_touch(text)


# -- rows broken at their cells' line breaks ------------------------------------------------------

PLUMBER = (
    "\n".join(
        [
            "Nomor SOP | 001/SOP/2024",
            "Tanggal Revisi | ",
            "Disahkan oleh | Kepala Dinas",
            "Budi Santoso",
            "",
            "No | Kegiatan | Pelaksana |  |  | Mutu Baku |  |  | Keterangan",
            " |  | Kepala Dinas |  | Staf P | ersyaratan | Waktu | Output | ",
            "1 | Menerima surat masuk dan",
            "mencatat dalam agenda |  |  | Y | Surat | 15 menit | Agenda | Melalui",
            "aplikasi",
            "2 | Mendisposisikan surat |  |  |  | Agenda | 1 hari | Disposisi | ",
            " |  |  |  |  |  |  |  | ",
            "3 | Mengarsipkan surat; jika belum lengkap kembali ke",
            "langkah 1 |  |  |  | Disposisi | 1 hari",
            "kerja | Arsip | ",
        ]
    )
    + "\n"
)


@pytest.mark.parametrize("separator", [" | ", "\t"])
def test_rows_broken_at_cell_line_breaks_are_joined(separator: str) -> None:
    doc = read_text(PLUMBER.replace(" | ", separator))
    assert doc.source_format == "wrapped-rows"
    assert [r.number for r in doc.rows] == [1, 2, 3]
    assert doc.rows[0].activity == "Menerima surat masuk dan mencatat dalam agenda"
    assert doc.rows[0].notes == "Melalui aplikasi"
    assert doc.rows[2].duration == "1 hari kerja"
    # "langkah 1" goes on with the activity: a header's column title holds no number
    assert doc.rows[2].activity.endswith("kembali ke langkah 1")
    # "Staf P" | "ersyaratan": a title the extractor cut at a cell border
    assert doc.roles == ["Kepala Dinas", "Staf"]
    assert [r.requirements for r in doc.rows] == ["Surat", "Agenda", "Disposisi"]


def test_a_column_empty_in_every_header_line_joins_its_left_neighbour() -> None:
    lines = [
        "No\tKegiatan\tKepala Dinas\t\tStaf\tWaktu",
        "(1)\t(2)\t(3)\t\t(4)\t(5)",
        "1\tMenerima\t\tY\t\t1 hari",
        "2\tMencatat\t\t\t\t2 jam\textra",
    ]
    assert wrapped_rows.merge_split_columns(lines)[:3] == [
        "No\tKegiatan\tKepala Dinas\tStaf\tWaktu",
        "(1)\t(2)\t(3)\t(4)\t(5)",
        "1\tMenerima\tY\t\t1 hari",
    ]


def test_a_copied_word_table_still_reads_as_before() -> None:
    g = generate(1100)
    sop = read_sop(word_tsv(g.sop, g.header, 1100).encode(), "sop.txt")
    assert len(sop.steps) == len(g.sop.steps)
    assert [s.duration.text if s.duration else "" for s in sop.steps] == [
        s.duration.text for s in g.sop.steps
    ]


# -- pdfplumber's layout text --------------------------------------------------------------------


def test_touching_mutu_titles_tell_a_squeezed_layout() -> None:
    squeezed = (
        "             Pelaksana                 Mutu Baku\n"
        "  No.   Kegiatan                                              Keterangan\n"
        "                 Kadis   Bendahara Kelengkapan Waktu Output\n"
    )
    spaced = squeezed.replace("Kelengkapan Waktu Output", "Kelengkapan   Waktu   Output")
    assert pdftext_layout.columns_touch(squeezed)
    assert not pdftext_layout.columns_touch(spaced)


@pytest.mark.slow
def test_pdfplumber_forms_of_a_paged_drawn_table_are_read_whole() -> None:
    """Seed 1115: a drawn template whose second page repeats no header, connectors splitting
    the role columns differently on each page, branch labels in the role cells."""
    forms = ["pdfplumber layout", "pdfplumber tables (tab)", "pdfplumber tables (bars)"]
    for r in run_seed(1115, forms):
        assert not r.crash and not r.error, (r.form, r.crash, r.error)
        for metric in ("documents read", "steps", "roles", "waktu", "output"):
            assert r.tally.percent(metric) == 100.0, (r.form, metric, r.tally.percent(metric))
