"""Decisions stated in the Keterangan column (issue 11, helper realtext).

Tables with a short activity column write where rejected work goes in the remarks beside it
("Jika tidak sesuai dikembalikan ke langkah 2"). Such a remark makes the step a decision with
that target; a remark that only says when something happens ("Jika diperlukan ...") does not,
nor does a remark beside an activity that states its own decision. A lone "jika tidak X"
names the SOP's own pair of labels ("Sesuai" / "Tidak sesuai"). The texts are small word
tables copied as tab-separated text.
"""

from __future__ import annotations

from converters.model import Sop
from converters.reading.sop_file import read_sop

_HEADER = "No\tKegiatan\tKepala Sub Bagian Umum\tStaf\tKelengkapan\tWaktu\tOutput\tKeterangan"


def _sop(*rows: str) -> Sop:
    return read_sop(("\n".join((_HEADER, *rows)) + "\n").encode("utf-8"), "sop.txt")


_FIRST = (
    "1\tMenerima berkas permohonan\t\t\tFormulir\t5 menit\tBerkas\t",
    "2\tMenyusun draf surat balasan\t\t\tBerkas\t1 hari\tDraf surat\t",
)
_LAST = (
    "4\tMenandatangani surat balasan\t\t\tDraf diperiksa\t1 jam\tSurat\t",
    "5\tMengirim surat balasan\t\t\tSurat\t1 hari\tSurat terkirim\t",
)


def test_a_remark_that_sends_work_back_makes_a_decision() -> None:
    sop = _sop(*_FIRST,
               "3\tMemeriksa draf surat balasan\t\t\tDraf surat\t1 jam\tDraf diperiksa\t"
               "Jika tidak sesuai dikembalikan ke langkah 2", *_LAST)
    decision = sop.step(3).decision
    assert decision is not None
    assert [(b.label, b.target) for b in decision.branches] == [("Sesuai", 4),
                                                               ("Tidak sesuai", 2)]
    assert [s.number for s in sop.steps if s.decision] == [3]


def test_a_remark_that_only_says_when_is_no_decision() -> None:
    sop = _sop(*_FIRST,
               "3\tMemeriksa draf surat balasan\t\t\tDraf surat\t1 jam\tDraf diperiksa\t"
               "Jika diperlukan tembusan ke Sekretaris", *_LAST)
    assert not any(s.decision for s in sop.steps)


def test_the_activity_s_own_decision_comes_first() -> None:
    """What was right is left alone: the activity states the decision and its target; the
    remark beside it adds nothing."""
    sop = _sop(*_FIRST,
               "3\tMemeriksa draf; jika tidak lengkap dikembalikan ke langkah 1\t\t\tDraf surat"
               "\t1 jam\tDraf diperiksa\tJika tidak sesuai dikembalikan ke langkah 2", *_LAST)
    decision = sop.step(3).decision
    assert decision is not None
    assert [(b.label, b.target) for b in decision.branches] == [("Lengkap", 4),
                                                               ("Tidak lengkap", 1)]
