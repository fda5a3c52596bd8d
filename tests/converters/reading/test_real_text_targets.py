"""Where a rejected piece of work goes, as activities write it (issue 11, helper realtext).

"Jika tidak sesuai diperbaiki oleh Staf" names who mends the work: the rejection returns to
that role's latest earlier step, as "dikembalikan kepada Staf" does. A lone "jika tidak X"
clause names the SOP's own pair of labels when X is an answer ("Sesuai" / "Tidak sesuai");
a clause whose words are no answer ("jika belum, kembali ke langkah 2") keeps the default
pair. The rows are small and made up; the columns have no symbols left.
"""

from __future__ import annotations

from converters.model import Sop
from converters.reading.inference import infer
from converters.reading.raw import RawDocument, RawRow

_ROLES = ["Kepala Dinas", "Kepala Sub Bagian Umum", "Staf"]
_BEFORE = [(1, "Staf menerima berkas permohonan"), (2, "Staf menyusun draf surat"),
           (3, "Kasubbag Umum memaraf draf surat")]


def _read(check: str) -> Sop:
    rows = [*_BEFORE, (4, check), (5, "Staf mengirim surat")]
    return infer(RawDocument("tabbed", roles=_ROLES,
                             rows=[RawRow(n, a, {}, line=i + 1)
                                   for i, (n, a) in enumerate(rows)]))


def _branches(sop: Sop, number: int) -> list[tuple[str, object]]:
    decision = sop.step(number).decision
    assert decision is not None
    return [(b.label, b.target) for b in decision.branches]


def test_the_work_returns_to_who_mends_it() -> None:
    sop = _read("Kepala Dinas memeriksa draf; jika tidak sesuai diperbaiki oleh Staf")
    assert _branches(sop, 4) == [("Sesuai", 5), ("Tidak sesuai", 2)]


def test_rejected_by_someone_is_no_mending() -> None:
    """"ditolak oleh X" says who rejects, not who mends: no target from it (the rejection
    goes back to the step that handed the work over, as without it)."""
    plain = _read("Kepala Dinas memeriksa draf; jika tidak sesuai dikembalikan")
    by = _read("Kepala Dinas memeriksa draf; jika tidak sesuai ditolak oleh Kepala Dinas")
    assert _branches(by, 4)[1][1] == _branches(plain, 4)[1][1] == 3


def test_a_handover_in_the_clause_is_read_as_before() -> None:
    sop = _read("Kepala Dinas memeriksa draf; jika tidak sesuai dikembalikan kepada Staf")
    assert _branches(sop, 4) == [("Sesuai", 5), ("Tidak sesuai", 2)]


def test_a_lone_negated_answer_names_its_pair() -> None:
    sop = _read("Kepala Dinas memeriksa draf; jika tidak lengkap kembali ke langkah 2")
    assert _branches(sop, 4) == [("Lengkap", 5), ("Tidak lengkap", 2)]


def test_a_clause_without_an_answer_keeps_the_default_pair() -> None:
    sop = _read("Apakah draf sudah sesuai? Jika belum, kembali ke langkah 2")
    assert _branches(sop, 4) == [("Setuju", 5), ("Tidak setuju", 2)]
