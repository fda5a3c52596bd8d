"""The fidelity oracle's decision and branch-target ceilings (``bench/text_fidelity.py
--oracle``), which tell the OCR misses the text lost from the misses of the reader.

A text made from the model (the Word table copied as tab-separated text) holds every
decision's conditions and targets; the same text with a decision's "langkah N" cut out no
longer holds that decision's reject target, and with its conditions cut out no longer holds the
decision.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.support.sop_generator import generate
from tests.support.text_forms import texts_of

_BENCH = Path(__file__).resolve().parents[3] / "bench" / "text_fidelity.py"
SEED = 1100
"""Step 3 of this SOP decides: "jika tidak lengkap kembali ke langkah 1"."""
STEP = 3


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("text_fidelity", _BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("text_fidelity", module)
    spec.loader.exec_module(module)
    return module


def _text() -> str:
    ((_, text),) = texts_of(generate(SEED), ("word table (tsv)",))
    return text


def _without_conditions(text: str) -> str:
    """The text with step 3's conditions cut out (the Word copy wraps its activity)."""
    out = text.replace("; jika lengkap", "").replace(
        ", jika tidak lengkap kembali ke langkah 1", ""
    )
    assert out != text
    return out


def test_every_decision_and_target_held_in_a_whole_text() -> None:
    tf = _bench()
    steps = tf.oracle_steps(generate(SEED), _text())
    decisions = [s for s in steps if s.decision is not None]
    assert decisions and all(s.decision for s in decisions)
    assert all(s.targets for s in decisions if s.targets is not None)
    assert len(decisions) == sum(1 for s in generate(SEED).sop.steps if s.decision)


def test_lost_step_reference_is_a_lost_target() -> None:
    tf = _bench()
    g = generate(SEED)
    assert "kembali ke langkah 1" in g.sop.steps[STEP - 1].activity
    text = _text().replace("kembali ke langkah 1", "kembali ke langkah")
    step = next(s for s in tf.oracle_steps(g, text) if s.number == STEP)
    assert step.decision is True and step.targets is False


def test_lost_conditions_are_a_lost_decision() -> None:
    tf = _bench()
    g = generate(SEED)
    text = _without_conditions(_text())
    step = next(s for s in tf.oracle_steps(g, text) if s.number == STEP)
    assert step.decision is False and not step.targets


def test_what_the_reader_got_right_is_held() -> None:
    """A reader's right answer proves the text held it, whatever the oracle's matching
    missed: the ceiling is never below what is read."""
    tf = _bench()
    g = generate(SEED)
    text = _without_conditions(_text())
    read = {"steps": [{"number": STEP, "decision": {"approve_to": 4, "reject_to": 1}}]}
    held = tf.oracle_tally(g, text, read)
    lost = tf.oracle_tally(g, text)
    assert held.hits["decision recall"] == lost.hits["decision recall"] + 1
    assert held.hits["branch targets"] == lost.hits["branch targets"] + 1
