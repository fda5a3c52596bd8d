"""The robustness properties every text reader must have, written once for all of them.

A reader reads a mutated copy of its fixture (lines dropped, junk inserted) or refuses it with
a one-line :class:`ConversionError`; it never crashes on random text, and its ``sniff`` score
stays in [0, 1]. Each reader's test module binds the two tests to its reader and fixture:

    test_mutated_document_reads_or_refuses, test_random_text_reads_or_refuses = (
        robustness_tests(reader_module, fixture_path)
    )
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters.model import ConversionError
from converters.reading.raw import RawDocument


def robustness_tests(reader: ModuleType, fixture: Path) -> tuple[Callable[..., None], ...]:
    """The two property tests for ``reader`` (a module with ``read`` and ``sniff``), the
    mutations starting from ``fixture``."""
    lines = fixture.read_text(encoding="utf-8").split("\n")

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        drop=st.sets(st.integers(0, len(lines) - 1), max_size=25),
        junk=st.lists(st.text(max_size=60), max_size=5),
        at=st.integers(0, len(lines)),
    )
    def mutated_document_reads_or_refuses(drop: set[int], junk: list[str], at: int) -> None:
        mutated = [ln for i, ln in enumerate(lines) if i not in drop]
        mutated[at:at] = junk
        try:
            doc = reader.read("\n".join(mutated))
        except ConversionError as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            assert isinstance(doc, RawDocument)
            assert any(r.number is not None for r in doc.rows)

    @settings(max_examples=60, deadline=None)
    @given(st.text(max_size=400))
    def random_text_reads_or_refuses(text: str) -> None:
        assert 0.0 <= reader.sniff(text) <= 1.0
        try:
            doc = reader.read(text)
        except ConversionError:
            return
        assert isinstance(doc, RawDocument)

    return mutated_document_reads_or_refuses, random_text_reads_or_refuses
