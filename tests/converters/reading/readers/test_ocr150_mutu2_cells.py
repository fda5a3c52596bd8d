"""Mutu Baku Output cells at 150 dpi (issue 11, helper ocrmutu, second round): a cell's rule
glued to its first word. Shaped like the fidelity harness's OCR texts, not copied from one
document."""

from __future__ import annotations

from converters.reading.readers.ocr.cells import RunningWords


def test_a_cells_rule_glued_to_a_word_the_activities_write_is_taken_off() -> None:
    running = RunningWords(["Mengarsipkan surat masuk"])
    assert running.mend("Jarsip") == "Arsip"  # "| Arsip": the rule took the capital
    assert running.mend("Idata") == "Idata"  # "data" is written nowhere: left as read
