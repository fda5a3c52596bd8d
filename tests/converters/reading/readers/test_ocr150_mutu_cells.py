"""Mutu Baku cells mended against the document's own words (issue 11, helper ocrmutu): two
words of a cell glued where a capital follows a small letter ("taporanIKU")."""

from __future__ import annotations

from converters.reading.readers.ocr.cells import RunningWords


def test_words_glued_at_a_capital_are_cut_where_a_part_is_mended() -> None:
    running = RunningWords(["Menyusun laporan kinerja"])
    assert running.mend("taporanIKU") == "laporan IKU"
    assert running.mend("SuratEdaran") == "SuratEdaran"  # whole words: left as read
    # OCR's own mixed case inside a word ("apIkasi", "METaluT") is no two words
    assert running.mend("apIkasi") == "apIkasi"
