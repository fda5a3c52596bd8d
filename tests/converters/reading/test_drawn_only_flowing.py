"""Decisions stated by the drawing alone, in text forms that lose positions (helper
drawnflow).

A signed SOP often states a decision only in its flowchart: the row says "Memeriksa berkas"
and the diamond's arrows carry the labels. Turned into flowing text, the labels survive as
short words: run together in the role cell a Word web page anchors the text boxes to
("◇ Setuju Tidak setuju"), cut in two by a column rule in a table extractor's cells
("Ti" | "dak lengkap"), or gathered after a page's cells by plain ``pdftotext``. The texts
here are small and made up, in the shape each form writes.
"""

from __future__ import annotations

from converters.reading.branch_labels import mend_cut_labels, pieces
from converters.reading.inference import infer
from converters.reading.raw import RawDocument, RawRow
from converters.reading.readers import pdftext_raw

# -- labels run together in one role cell (Word web page, table extractors) ------------------


def test_a_run_of_labels_in_one_cell_is_cut_into_its_labels() -> None:
    """The diamond's mark and both its text boxes in one role cell: each label on its own,
    a two-word label ("Tidak setuju") kept whole."""
    assert pieces("◇ Ya Tidak →") == ["◇", "→", "Ya", "Tidak"]
    assert pieces("◇ Setuju Tidak setuju") == ["◇", "Setuju", "Tidak setuju"]
    assert pieces("Tidak lengkap Lengkap B") == ["B", "Tidak lengkap", "Lengkap"]
    assert pieces("◇ Tidak →") == ["◇", "→", "Tidak"]
    assert pieces("Tidak Sesuai? Ya") == ["Tidak", "Sesuai?", "Ya"]


def test_what_is_no_run_of_labels_is_left_as_before() -> None:
    """One label stays one ("Belum Benar" is not "Belum" and "Benar"), and words that are
    not all labels are not cut."""
    assert pieces("Belum Benar") == ["Belum Benar"]
    assert pieces("Kotak Pengaduan Tatap muka") == ["Kotak Pengaduan Tatap muka"]
    assert pieces("menyerahkan berkas tidak lengkap") == ["menyerahkan berkas tidak lengkap"]
    assert pieces("◇") == ["◇"]


def _doc(*rows: tuple[int, str, dict[str, str]]) -> RawDocument:
    return RawDocument(
        source_format="tabbed", roles=["Kepala Seksi", "Staf"],
        rows=[RawRow(n, a, dict(m), line=i + 1) for i, (n, a, m) in enumerate(rows)],
    )


def test_a_cell_holding_the_diamond_and_its_labels_makes_the_decision() -> None:
    """Through inference: the run of labels decides the row, and the branches carry the
    drawn words."""
    sop = infer(_doc(
        (1, "Menerima berkas permohonan", {"Staf": "○ →"}),
        (2, "Memeriksa berkas permohonan", {"Kepala Seksi": "◇ Setuju Tidak setuju →"}),
        (3, "Menandatangani surat", {"Kepala Seksi": "□ →"}),
    ))
    decisions = {s.number: s.decision for s in sop.steps if s.decision}
    assert list(decisions) == [2]
    assert decisions[2].labels == ("Setuju", "Tidak setuju")


def test_a_drawn_diamond_with_named_labels_makes_the_decision() -> None:
    """The role cell holds the decision shape and two named labels ("Teknis" /
    "Administratif"): the drawing states a decision the text does not ask."""
    sop = infer(_doc(
        (1, "Menerima berkas permohonan", {"Staf": "○ →"}),
        (2, "Menyortir berkas sesuai jenisnya", {"Kepala Seksi": "◇ Teknis Administratif"}),
        (3, "Menandatangani surat", {"Kepala Seksi": "□ →"}),
    ))
    decisions = {s.number: s.decision for s in sop.steps if s.decision}
    assert list(decisions) == [2]
    assert decisions[2].labels == ("Teknis", "Administratif")


def test_a_shape_without_a_label_or_a_box_with_words_decides_nothing() -> None:
    """A diamond alone says no branch, and a process box beside a word is no diamond."""
    sop = infer(_doc(
        (1, "Menerima berkas permohonan", {"Staf": "○ →"}),
        (2, "Menyortir berkas sesuai jenisnya", {"Kepala Seksi": "◇ →"}),
        (3, "Menandatangani surat", {"Kepala Seksi": "□ Teknis Administratif"}),
    ))
    assert not any(s.decision for s in sop.steps)


def test_a_label_cut_by_a_column_rule_is_mended() -> None:
    """A text box across two role columns, cut at the rule: the pieces make the label
    again, over three cells too."""
    assert mend_cut_labels(["Ti", "dak lengkap Lengkap"]) == ["Tidak lengkap Lengkap"]
    assert mend_cut_labels(["ap Lengkap", "Tidak lengk"]) == ["Tidak lengkap Lengkap"]
    assert mend_cut_labels(["Tidak lengka", "p Lengk", "ap"]) == ["Tidak lengkap Lengkap"]
    sop = infer(_doc(
        (1, "Menerima berkas permohonan", {"Staf": "→"}),
        (2, "Memeriksa berkas permohonan", {"Kepala Seksi": "Tidak setuj", "Staf": "u Setuju"}),
        (3, "Menandatangani surat", {"Kepala Seksi": "→"}),
    ))
    decisions = {s.number: s.decision for s in sop.steps if s.decision}
    assert list(decisions) == [2]
    assert decisions[2].labels == ("Setuju", "Tidak setuju")


def test_cells_that_make_no_label_are_not_joined() -> None:
    """A whole label never takes a neighbour's word ("T" + "idak"), a capitalised cell is
    no piece of a word, and what joins into no label stays apart, each cell as written."""
    assert mend_cut_labels(["T", "idak"]) == ["T", "idak"]
    assert mend_cut_labels(["Ti", "Dak"]) == ["Ti", "Dak"]
    assert mend_cut_labels(["D Ad Teknis", "ministratif"]) == ["D Ad Teknis", "ministratif"]
    assert mend_cut_labels(["Tidak  Perlu?", "x"]) == ["Tidak  Perlu?", "x"]


# -- plain pdftotext: labels gathered at a page's end ------------------------------------------


def _text(*blocks: str) -> str:
    """Blocks as plain pdftotext writes them: one blank line between blocks."""
    return "\n\n".join(blocks) + "\n"


_IDENTITY = ("Nomor SOP", "800/12/2024", "Nama SOP", "Pelayanan Izin")
_HEADER = ("\f No", "Kegiatan", "Kepala Seksi", "Staf", "Mutu Baku", "Kelengkapan", "Waktu",
           "Output")


def _marked(text: str) -> dict[int, str]:
    return {r.number or 0: r.marks[pdftext_raw.UNPLACED]
            for r in pdftext_raw.read(text).rows if r.marks}


def test_labels_gathered_after_a_page_stay_on_that_page() -> None:
    """pdftotext writes a page's floating words after its last row: the pair there belongs
    to that page's checking step, not to the next page's, and not to the last row they
    happen to follow."""
    page1 = ("1", "Memeriksa berkas permohonan", "Formulir", "5 menit", "Berkas",
             "2", "Mencetak surat izin", "Berkas", "1 jam", "Surat",
             "Tidak", "Ya")
    page2 = ("3", "Menyampaikan surat izin", "Surat", "1 jam", "Surat",
             "4", "Memeriksa surat izin", "Surat", "1 jam", "Surat",
             "5", "Mengarsipkan surat izin", "Surat", "1 jam", "Arsip")
    assert _marked(_text(*_IDENTITY, *_HEADER, *page1, *_HEADER, *page2)) == {1: "Ya\nTidak"}


def test_labels_gathered_after_a_page_never_go_to_the_next_page() -> None:
    """The next page's checking step stands nearer the row the labels follow, but a
    diamond is never drawn across a page break."""
    page1 = ("1", "Memeriksa berkas permohonan", "Formulir", "5 menit", "Berkas",
             "2", "Mencetak surat izin", "Berkas", "1 jam", "Surat",
             "3", "Menyampaikan surat izin", "Surat", "1 jam", "Surat",
             "Tidak", "Ya")
    page2 = ("4", "Memeriksa surat izin", "Surat", "1 jam", "Surat",
             "5", "Mengarsipkan surat izin", "Surat", "1 jam", "Arsip")
    assert _marked(_text(*_IDENTITY, *_HEADER, *page1, *_HEADER, *page2)) == {1: "Ya\nTidak"}


def test_labels_gathered_after_the_last_row_are_not_that_rows() -> None:
    """Labels after the page's last row say nothing of that row: the page's checking step
    takes them, though no checking step stands beside the last row."""
    rows = ("1", "Memeriksa berkas permohonan", "Formulir", "5 menit", "Berkas",
            "2", "Mencetak surat izin", "Berkas", "1 jam", "Surat",
            "3", "Menyampaikan surat izin", "Surat", "1 jam", "Surat",
            "4", "Mengarsipkan surat izin", "Surat", "1 jam", "Arsip",
            "Tidak", "Ya")
    assert _marked(_text(*_IDENTITY, *_HEADER, *rows)) == {1: "Ya\nTidak"}


def test_gathered_labels_go_to_the_check_that_hands_nothing_on() -> None:
    """Of two checking steps on the page, the diamond's row says only what is checked; the
    one that hands the work on ("... kemudian diserahkan kepada ...") is a plain step."""
    rows = ("1", "Memeriksa kelengkapan berkas permohonan izin usaha mikro", "Formulir",
            "5 menit", "Berkas",
            "2", "Memeriksa surat, kemudian diserahkan kepada Kasi", "Berkas", "1 jam", "Surat",
            "3", "Mencetak surat izin", "Berkas", "1 jam", "Surat",
            "Tidak", "Ya")
    assert _marked(_text(*_IDENTITY, *_HEADER, *rows)) == {1: "Ya\nTidak"}


def test_one_checking_step_on_the_page_still_takes_the_labels() -> None:
    """What was right is left alone: one checking step, one pair of labels."""
    rows = ("1", "Menerima berkas permohonan", "Formulir", "5 menit", "Berkas",
            "2", "Memeriksa berkas permohonan, kemudian diserahkan kepada Kepala Seksi",
            "Berkas", "1 jam", "Berkas",
            "3", "Mencetak surat izin", "Berkas", "1 jam", "Surat",
            "T", "Y")
    assert _marked(_text(*_IDENTITY, *_HEADER, *rows)) == {2: "Y\nT"}


def test_a_pair_of_labels_ending_a_cells_block_is_parted_from_the_cell() -> None:
    """pdftotext wrote the diamond's "Tidak" / "Ya" as the last lines of the row's Output
    block: they are the row's labels, and the Output keeps only its own words."""
    rows = ("1", "Menerima berkas permohonan", "Formulir", "5 menit", "Berkas",
            "2", "Memeriksa berkas permohonan", "Berkas", "1 jam", "Nota Dinas\nTidak\nYa",
            "3", "Mencetak surat izin", "Berkas", "1 jam", "Surat")
    doc = pdftext_raw.read(_text(*_IDENTITY, *_HEADER, *rows))
    assert _marked(_text(*_IDENTITY, *_HEADER, *rows)) == {2: "Ya\nTidak"}
    assert doc.rows[1].output == "Nota Dinas"


def test_a_cell_that_only_wraps_or_ends_in_one_answer_stays_whole() -> None:
    """A cell wrapped in lower case ("Berkas" / "lengkap") is one cell, and one capitalised
    answer alone at a cell's end is not taken from it."""
    rows = ("1", "Menerima berkas permohonan", "Formulir", "5 menit", "Berkas\nlengkap",
            "2", "Memeriksa berkas permohonan", "Berkas", "1 jam", "Nota Dinas\nAda",
            "3", "Mencetak surat izin", "Berkas", "1 jam", "Surat")
    doc = pdftext_raw.read(_text(*_IDENTITY, *_HEADER, *rows))
    assert not any(r.marks for r in doc.rows)
    assert [r.output for r in doc.rows[:2]] == ["Berkas lengkap", "Nota Dinas Ada"]
