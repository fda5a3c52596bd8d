"""The YAML writer: what it writes, the YAML reader reads back to the same SOP."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from converters.model import (
    END,
    Approver,
    Branch,
    Decision,
    Identity,
    Provenance,
    Sop,
    Step,
)
from converters.reading.dates import parse_date
from converters.reading.durations import parse_duration
from converters.reading.sop_file import read_sop
from converters.yaml_writer import write_yaml
from tests.conftest import EXAMPLES


def read_back(text: str) -> Sop:
    return read_sop(text.encode("utf-8"), "draf.yaml")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_round_trip(path: Path) -> None:
    sop = read_sop(path)
    back = read_back(write_yaml(sop))
    assert back.essence() == sop.essence()
    assert back.source_format == "yaml"


def test_every_field_round_trips_including_three_branches_and_end() -> None:
    sop = Sop(
        identity=Identity(
            number="800/114/SOP-BKPSDM/2024", name="Izin Belajar", agency="Pemkab X",
            unit="Bidang PK", created=parse_date("3 Januari 2024"),
            effective=parse_date("Januari 2024"),
            approved_by=Approver("Kepala Badan", "Dra. Sri", "19700512 199503 2 004", "NIP",
                                 "Pembina"),
        ),
        roles=("Pemohon", "Staf", "Kabid", "Sekretaris"),
        steps=(
            Step(1, "Mengajukan permohonan", "Pemohon", other_roles=("Staf",),
                 requirements="Formulir", duration=parse_duration("5-10 menit"),
                 output="Berkas", notes="lengkap"),
            Step(2, "Memilah berkas", "Staf", decision=Decision.of_branches(
                [Branch("Teknis", 3), Branch("Administratif", 4), Branch("Tolak", END)],
                question="Jenis?")),
            Step(3, "Memeriksa teknis", "Kabid", duration=parse_duration("1 hari kerja"),
                 decision=Decision(4, 2, ("Ya", "Tidak"), "Sesuai?")),
            Step(4, "Menandatangani", "Kabid"),
        ),
        legal_basis=("UU 5/2014",), qualifications=("S1",), related_sops=("SOP 2",),
        equipment=("Komputer",), cautions=("Teliti",), records=("Arsip",),
    )  # fmt: skip
    assert read_back(write_yaml(sop)).essence() == sop.essence()


def test_provenance_is_not_written_and_values_become_authored() -> None:
    guessed = Provenance("order", 0.41, ("kolom ke-2",))
    sop = Sop(Identity(name="X"), ("A", "B"),
              (Step(1, "Satu", "A"), Step(2, "Dua", "B", role_provenance=guessed)))  # fmt: skip
    text = write_yaml(sop)
    assert "0.41" not in text and "kolom" not in text
    assert read_back(text).step(2).role_provenance.source == "author"


def test_a_step_role_missing_from_the_roles_is_listed_so_the_reader_accepts_it() -> None:
    sop = Sop(Identity(), ("A",), (Step(1, "Satu", "A"), Step(2, "Dua", "Baru")))
    data = yaml.safe_load(write_yaml(sop))
    assert data["roles"] == ["A", "Baru"]
    assert read_back(write_yaml(sop)).roles == ("A", "Baru")


def test_text_that_looks_like_yaml_stays_text() -> None:
    sop = Sop(Identity(number="800/114", name="yes: no # bukan komentar"), ("A",),
              (Step(1, "- [ ] {x}: 'a'", "A", output="null"),))  # fmt: skip
    back = read_back(write_yaml(sop))
    assert back.identity.name == "yes: no # bukan komentar"
    assert back.step(1).activity == "- [ ] {x}: 'a'" and back.step(1).output == "null"
