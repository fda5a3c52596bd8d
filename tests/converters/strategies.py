"""Hypothesis strategies for random *valid* SOP models, shared by every writer's tests.

``sops()`` draws models a reader could have produced: unique non-empty role names, steps
numbered 1..n, every step performed by one of the roles, and decisions whose one branch goes
to the next step (or the end) so that every step stays reachable; the other branch loops
back, skips forward, or ends. Texts use letters, digits, punctuation, spaces, tabs and
newlines (everything an SOP document holds) but nothing XML 1.0 cannot carry and no ``\\r``,
which XML normalises away.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import strategies as st

from converters.model import (
    END,
    Approver,
    Decision,
    Duration,
    Identity,
    Sop,
    SopDate,
    Step,
    StepRef,
)

_CHARS = st.characters(
    categories=("L", "N", "P", "Zs", "S"),
    exclude_characters="\r\x85\u2028\u2029\ufffe\uffff",
)


def texts(max_size: int = 40, newlines: bool = False) -> st.SearchStrategy[str]:
    """Free text as an SOP cell holds it (optionally with tabs and newlines)."""
    alphabet = st.one_of(_CHARS, st.sampled_from("\n\t")) if newlines else _CHARS
    return st.text(alphabet, max_size=max_size)


def names(max_size: int = 30) -> st.SearchStrategy[str]:
    """A non-empty one-line name without surrounding spaces (roles, labels)."""
    return (
        st.text(_CHARS, min_size=1, max_size=max_size)
        .map(lambda s: " ".join(s.split()))
        .filter(bool)
    )


ROLE_WORDS = (
    "Kepala Dinas",
    "Sekretaris",
    "Kasubbag Umum",
    "Kepala Bidang",
    "Kasi",
    "Staf",
    "Pengadministrasi Umum",
    "Bendahara",
    "Pemohon",
)


def roles() -> st.SearchStrategy[tuple[str, ...]]:
    """1..5 distinct role names, realistic ones mixed with arbitrary text."""
    one = st.one_of(st.sampled_from(ROLE_WORDS), names())
    return st.lists(one, min_size=1, max_size=5, unique=True).map(tuple)


def durations() -> st.SearchStrategy[Duration]:
    minutes = st.integers(min_value=1, max_value=60 * 24 * 30)

    def build(text: str, lo: int, span: int, working: bool, unit: str | None) -> Duration:
        hi = lo + span
        return Duration(text, lo, hi, f"PT{hi}M", working, unit)

    parsed = st.builds(
        build,
        texts(20),
        minutes,
        st.integers(min_value=0, max_value=600),
        st.booleans(),
        st.none() | names(10),
    )
    unparsed = st.builds(Duration, st.sampled_from(["", "-", "Sesuai kebutuhan"]) | texts(15))
    return st.one_of(parsed, unparsed)


def dates() -> st.SearchStrategy[SopDate | None]:
    real = st.builds(
        SopDate,
        texts(20),
        st.none() | st.dates(date(1990, 1, 1), date(2040, 12, 31)),
        st.sampled_from([None, "day", "month", "year"]),
    )
    return st.none() | real


def identities() -> st.SearchStrategy[Identity]:
    approver = st.none() | st.builds(
        Approver,
        texts(30),
        texts(30),
        st.text("0123456789 ", max_size=21),
        st.sampled_from(["", "NIP", "NRP"]),
        texts(20),
    )
    return st.builds(
        Identity,
        number=texts(30),
        name=texts(60),
        agency=texts(60),
        unit=texts(40),
        created=dates(),
        revised=dates(),
        effective=dates(),
        approved_by=approver,
    )


def labels() -> st.SearchStrategy[tuple[str, str]]:
    own = st.tuples(names(15), names(15)).filter(lambda ab: ab[0] != ab[1])
    return st.sampled_from([("Setuju", "Tidak setuju"), ("Ya", "Tidak")]) | own


@st.composite
def sops(draw: st.DrawFn, max_steps: int = 9) -> Sop:
    """A random valid SOP model (see the module docstring for what "valid" means)."""
    role_names = draw(roles())
    n = draw(st.integers(min_value=1, max_value=max_steps))
    steps = []
    for number in range(1, n + 1):
        nxt: StepRef = number + 1 if number < n else END
        decision = None
        if draw(st.integers(0, 3)) == 0:
            choices: list[StepRef] = [t for t in range(1, n + 1) if t != nxt]
            if nxt != END:
                choices.append(END)
            if choices:
                other = draw(st.sampled_from(choices))
                approve, reject = (nxt, other) if draw(st.booleans()) else (other, nxt)
                decision = Decision(approve, reject, draw(labels()), draw(texts(25)))
        steps.append(
            Step(
                number=number,
                activity=draw(texts(120, newlines=True)),
                role=draw(st.sampled_from(role_names)),
                other_roles=tuple(draw(st.lists(st.sampled_from(role_names), max_size=2))),
                requirements=draw(texts(40, newlines=True)),
                duration=draw(durations()),
                output=draw(texts(30)),
                notes=draw(texts(30, newlines=True)),
                decision=decision,
            )
        )
    sections = st.lists(texts(50, newlines=True), max_size=3).map(tuple)
    return Sop(
        identity=draw(identities()),
        roles=role_names,
        steps=tuple(steps),
        legal_basis=draw(sections),
        qualifications=draw(sections),
        related_sops=draw(sections),
        equipment=draw(sections),
        cautions=draw(sections),
        records=draw(sections),
        source_format="tabbed",
    )


# -- hand-built models with the shapes real SOPs have -----------------------------------------


def _step(number: int, role: str, decision: Decision | None = None, **kw: object) -> Step:
    activity = kw.pop("activity", f"Melaksanakan kegiatan {number}, kemudian meneruskan hasilnya")
    return Step(number, str(activity), role, decision=decision, **kw)  # type: ignore[arg-type]


def fixed_sops() -> dict[str, Sop]:
    """Named SOP models covering the flow shapes the writer must draw well."""
    kadis, kasub, staf, umum = "Kepala Dinas", "Kasubbag Umum", "Staf", "Pengadministrasi Umum"
    ident = Identity(
        number="800/12/SOP/2024",
        name="Penyusunan Laporan Kinerja",
        agency="Pemerintah Kota Contoh, Dinas Kominfo",
        created=SopDate("07 Mei 2018", date(2018, 5, 7), "day"),
        approved_by=Approver("Kepala Dinas", "Budi, S.Kom", "19710312 200502 1 001", "NIP"),
    )
    two_loops = Sop(
        identity=ident,
        roles=(kadis, kasub, umum, staf),
        steps=(
            _step(1, kasub, duration=Duration("1 hari", 480, 480, "P1D", True)),
            _step(2, umum, requirements="Konsep IKU", output="Rekap"),
            _step(3, kasub),
            _step(4, umum, notes="Rangkap dua\nuntuk arsip"),
            _step(5, kasub, Decision(6, 4, question="Setuju?")),
            _step(6, kadis, Decision(7, 4)),
            _step(7, kasub, other_roles=(umum,)),
            _step(8, umum, duration=Duration("2 menit/berkas", 2, 2, "PT2M", False, "berkas")),
        ),
        legal_basis=("Permenpan RB 35/2012", "Perda 6/2008"),
        equipment=("Komputer", "ATK"),
        records=("Buku agenda",),
    )
    skip_and_end = Sop(
        identity=Identity(name="Pelayanan Izin", number="503/1/2023"),
        roles=("Pemohon", "Petugas Loket", "Kepala Bidang"),
        steps=(
            _step(1, "Pemohon"),
            _step(2, "Petugas Loket", Decision(4, 3, ("Lengkap", "Tidak lengkap"), "Lengkap?")),
            _step(3, "Pemohon"),
            _step(4, "Kepala Bidang", Decision(5, END, ("Ya", "Tidak"))),
            _step(5, "Petugas Loket"),
        ),
    )
    one_step = Sop(identity=Identity(name="Satu Langkah"), roles=("Staf",), steps=(_step(1, staf),))
    last_decides = Sop(
        identity=Identity(name="Persetujuan"),
        roles=(kadis, staf),
        steps=(_step(1, staf), _step(2, kadis, Decision(END, 1))),
    )
    return {
        "two_loops": two_loops,
        "skip_and_end": skip_and_end,
        "one_step": one_step,
        "last_decides": last_decides,
    }


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))


def model_names() -> list[str]:
    """Names for :func:`model`: the fixed models, then ``example:<stem>`` per sample SOP."""
    return [*fixed_sops(), *(f"example:{p.stem}" for p in EXAMPLES)]


def model(name: str) -> Sop:
    """A model by name; sample SOPs go through the real readers (converters.reading.sop_file)."""
    if not name.startswith("example:"):
        return fixed_sops()[name]
    from converters.reading.sop_file import read_sop

    path = next(p for p in EXAMPLES if p.stem == name.removeprefix("example:"))
    return read_sop(path)
