"""``pdftotext -layout`` of a decision stated by its drawing alone: the row says only what is
checked ("Meneliti jadwal ..."), and the diamond's labels float below it. A label drawn right of
the last role column reaches into the Kelengkapan column; it is a label (the one vocabulary of
``evidence.split_label``: "Tidak lengkap" as well as "Tidak"), not the end of that cell's text.
Measured with ``bench/text_fidelity.py --drawn-decisions``."""

from __future__ import annotations

from tests.support.text_forms import read_contract

_NO, _ACT, _KASUBBAG, _PENGELOLA = 1, 7, 98, 126
_KEL, _WAKTU, _OUTPUT = 142, 160, 173


def _at(parts: list[tuple[int, str]]) -> str:
    """One layout line: each text at its column."""
    line = [" "] * 200
    for x, text in parts:
        line[x : x + len(text)] = text
    return "".join(line).rstrip()


def _row(number: int, activity: str, kel: str, waktu: str, output: str) -> list[str]:
    return [_at([(_NO + 1, str(number)), (_ACT, activity), (_KEL, kel), (_WAKTU, waktu),
                 (_OUTPUT, output)]), ""]  # fmt: skip


def _text(labels: list[str]) -> str:
    lines = [
        "Nama SOP: Peminjaman Ruang Rapat", "",
        _at([(110, "Pelaksana"), (158, "Mutu Baku")]),
        _at([(_NO, "No"), (60, "Kegiatan"), (189, "Keterangan")]),
        _at([(_KASUBBAG, "Kasubbag"), (_PENGELOLA, "Pengelola"), (_KEL, "Kelengkapan"),
             (_WAKTU, "Waktu"), (_OUTPUT, "Output")]),
        "",
        *_row(1, "Mengisi formulir peminjaman ruang rapat", "Formulir", "10 menit", "Formulir"),
        *_row(2, "Meneliti jadwal pemakaian ruang", "Jadwal ruang", "15 menit", "Catatan"),
        *labels,
        *_row(3, "Menandatangani surat izin pemakaian", "Konsep surat", "1 hari", "Surat izin"),
        *_row(4, "Mengarsipkan surat izin", "Surat izin", "5 menit", "Arsip"),
    ]
    return "\n".join(lines)


def _steps(labels: list[str]) -> dict[int, dict]:
    result = read_contract(_text(labels), "sop.txt")
    assert result.data is not None, result.error
    return {int(s["number"]): s for s in result.data["steps"]}


def test_a_label_reaching_into_the_kelengkapan_column_makes_the_decision() -> None:
    steps = _steps([_at([(136, "Tidak lengkap")]), _at([(125, "Sesuai?")]),
                    _at([(131, "Lengkap")])])  # fmt: skip
    assert steps[2]["requirements"] == "Jadwal ruang"
    decision = steps[2]["decision"]
    assert decision is not None
    assert (decision["approve_to"], decision["reject_to"]) == (3, 1)
    assert all(s["decision"] is None for n, s in steps.items() if n != 2)


def test_a_kelengkapan_value_below_its_row_stays_the_cells_text() -> None:
    steps = _steps([_at([(_KEL, "permohonan")])])
    assert steps[2]["requirements"] == "Jadwal ruang permohonan"
    assert all(s["decision"] is None for s in steps.values())
