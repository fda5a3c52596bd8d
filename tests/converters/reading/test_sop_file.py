"""read_sop: paths and bytes, format dispatch (BPMN or table), and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters.bpmn.writer import write_bpmn
from converters.model import ConversionError, Sop
from converters.reading.sop_file import looks_like_bpmn, read_sop

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
SINGKAWANG = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"


def test_missing_file_is_a_conversion_error(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="tidak ditemukan"):
        read_sop(tmp_path / "nope.txt")


def test_directory_is_a_conversion_error(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="folder"):
        read_sop(tmp_path)


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_input_is_a_conversion_error(data: bytes) -> None:
    with pytest.raises(ConversionError, match="kosong"):
        read_sop(data, "x.txt")


def test_binary_and_prose_are_refused_with_one_line() -> None:
    for data in (bytes(range(256)) * 4, b"Ini hanya surat biasa, bukan SOP.\nTerima kasih.\n"):
        with pytest.raises(ConversionError) as info:
            read_sop(data, "x.txt")
        assert "\n" not in str(info.value)


def test_path_and_bytes_give_the_same_sop() -> None:
    by_path = read_sop(SINGKAWANG)
    by_str = read_sop(str(SINGKAWANG))
    by_bytes = read_sop(SINGKAWANG.read_bytes(), SINGKAWANG.name)
    assert by_path == by_str == by_bytes
    assert isinstance(by_path, Sop) and len(by_path.steps) == 8
    assert by_path.step(6).role == "Kepala Kantor"


def test_bpmn_is_recognised_by_name_or_namespace() -> None:
    xml = (b'<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn='
           b'"http://www.omg.org/spec/BPMN/20100524/MODEL"/>')
    assert looks_like_bpmn(xml)
    assert looks_like_bpmn(b"anything", "proses.BPMN")
    assert not looks_like_bpmn(b"<p>http://www.omg.org/spec/BPMN/20100524/MODEL</p>", "x.html")
    assert not looks_like_bpmn(SINGKAWANG.read_bytes(), SINGKAWANG.name)


def test_bpmn_goes_through_the_bpmn_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    bpmn_reader = pytest.importorskip("converters.bpmn.reader")
    seen: list[bytes] = []
    marker = read_sop(SINGKAWANG)

    def fake(data: bytes) -> Sop:
        seen.append(data)
        return marker

    monkeypatch.setattr(bpmn_reader, "read_bpmn", fake)
    assert read_sop(b"<definitions/>", "p.bpmn") is marker
    assert seen == [b"<definitions/>"]


def test_bpmn_written_by_alur_reads_back() -> None:
    sop = read_sop(SINGKAWANG)
    back = read_sop(write_bpmn(sop), "singkawang.bpmn")
    assert [s.role for s in back.steps] == [s.role for s in sop.steps]
    assert back.step(5).decision == sop.step(5).decision or (
        back.step(5).decision is not None
        and (back.step(5).decision.approve_to, back.step(5).decision.reject_to) == (6, 4)
    )


# -- robustness: whatever comes in, a Sop or a ConversionError ---------------------------------

_TEXTS = [p.read_text(encoding="utf-8") for p in EXAMPLES]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    text = draw(st.sampled_from(_TEXTS))
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "cut", "junk", "tabs"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, max(len(lines[i]), 0)))]
        elif op == "junk":
            lines[i] = draw(st.text(max_size=40))
        else:
            lines[i] = lines[i].replace("\t", draw(st.sampled_from(["", "\t\t", " | ", "  "])))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(mutated(), st.binary(max_size=2000)))
def test_anything_gives_a_sop_or_a_conversion_error(data: bytes) -> None:
    try:
        sop = read_sop(data, "input.txt")
    except ConversionError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert sop.steps
    numbers = [s.number for s in sop.steps]
    assert numbers == sorted(set(numbers))
    for s in sop.steps:
        assert s.role in sop.roles
        if s.decision is not None:
            for t in (s.decision.approve_to, s.decision.reject_to):
                assert t == "end" or t in numbers
            assert s.decision.approve_to != s.decision.reject_to
