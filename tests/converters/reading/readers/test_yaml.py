"""The YAML authoring format: complete steps, clear one-line errors."""

from pathlib import Path

import pytest

from converters.model import END, ConversionError
from converters.reading.readers import read_raw, yaml_reader

ROOT = Path(__file__).resolve().parents[4]
EXAMPLE = ROOT / "tests" / "fixtures" / "sops" / "a1-example.yaml"
DOCS_EXAMPLE = ROOT / "docs" / "yaml-example.yaml"

MINIMAL = """
roles: [Kepala Dinas, Staf]
steps:
  - activity: Menyiapkan konsep
    role: Staf
    duration: 1 jam
  - activity: Memeriksa konsep
    role: kepala  dinas
    decision: {approve_to: end, reject_to: 1, labels: [Ya, Tidak]}
"""


def test_example_file_reads_completely() -> None:
    doc = read_raw(EXAMPLE.read_bytes(), "a1-example.yaml")
    assert doc.source_format == "yaml"
    assert doc.roles == ["Pemohon", "Pengadministrasi", "Kasubbid", "Kabid", "Kepala Badan"]
    steps = doc.authored_steps
    assert steps is not None and [s.number for s in steps] == list(range(1, 13))
    assert all(s.role_provenance.source == "author" for s in steps)
    assert steps[2].decision is not None
    assert (steps[2].decision.approve_to, steps[2].decision.reject_to) == (5, 4)
    assert steps[2].decision.labels == ("Lengkap", "Tidak lengkap")
    assert steps[3].decision is not None and steps[3].decision.reject_to == END
    assert steps[7].duration.working_days is True
    assert steps[10].other_roles == ("Pemohon",)
    assert [r.number for r in doc.rows] == list(range(1, 13))
    ab = doc.identity.approved_by
    assert ab is not None and (ab.id_kind, ab.rank) == ("NIP", "Pembina Utama Muda")
    assert doc.identity.revised is None


def test_docs_example_reads() -> None:
    doc = read_raw(DOCS_EXAMPLE.read_bytes(), DOCS_EXAMPLE.name)
    assert doc.authored_steps


def test_role_names_match_case_insensitively_and_default_labels() -> None:
    doc = yaml_reader.read(MINIMAL)
    steps = doc.authored_steps
    assert steps is not None
    assert steps[1].role == "Kepala Dinas"
    assert steps[0].duration.max_minutes == 60
    assert steps[1].decision is not None and steps[1].decision.labels == ("Ya", "Tidak")


def test_sniff_recognises_yaml_without_extension() -> None:
    assert yaml_reader.sniff(MINIMAL) > 0.9
    assert read_raw(MINIMAL.encode()).source_format == "yaml"


def test_roles_may_be_implied_by_steps() -> None:
    text = "steps:\n  - {activity: A, role: Staf}\n  - {activity: B, role: Kasi}\n"
    doc = yaml_reader.read(text)
    assert doc.roles == ["Staf", "Kasi"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("roles: [Staf]\nsteps:\n  - {activity: A, role: Kasi}\n", "tidak ada di 'roles'"),
        (
            "steps:\n  - {number: 1, activity: A, role: S}\n"
            "  - {number: 1, activity: B, role: S}\n",
            "dipakai dua kali",
        ),
        (
            "steps:\n  - activity: A\n    role: S\n    decision: {approve_to: 2, reject_to: 9}\n"
            "  - {activity: B, role: S}\n",
            "langkah 9 yang tidak ada",
        ),
        ("steps:\n  - {activity: A, role: S, wkatu: 5 menit}\n", "kunci tidak dikenal 'wkatu'"),
        ("steps:\n  - {activity: A}\n", "tanpa pelaksana"),
        ("steps: []\n", "tidak kosong"),
        ("steps:\n  - activity: [A\n", "YAML tidak valid baris"),
        ("- just\n- a list\n", "pemetaan"),
        ("steps:\n  - {activity: A, role: S, decision: {approve_to: x, reject_to: 1}}\n", "end"),
        ("roles: [Staf, staf]\nsteps:\n  - {activity: A, role: Staf}\n", "dua kali"),
        ("!!python/object/apply:os.system ['true']\n", "YAML tidak valid"),
    ],
)
def test_mistakes_give_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(ConversionError) as info:
        yaml_reader.read(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
