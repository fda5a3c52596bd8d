"""The YAML authoring format's ``branches`` list: a diamond with three or more ways out, read
into the model and carried through BPMN unchanged (docs/yaml-format.md)."""

from __future__ import annotations

import pytest

from converters.bpmn.reader import read_bpmn
from converters.bpmn.writer import write_bpmn
from converters.model import END, Branch, ConversionError
from converters.reading.sop_file import read_sop

YAML = """\
identity:
  name: Penanganan Pengaduan
roles: [Kasubbag Umum, Staf]
steps:
  - activity: Menerima pengaduan
    role: Staf
  - activity: Memilah pengaduan menurut jenisnya
    role: Kasubbag Umum
    decision:
      pertanyaan: Jenis pengaduan?
      cabang:
        - {label: Teknis, to: 3}
        - {label: Administratif, ke: 4}
        - {label: Keuangan, to: selesai}
  - activity: Menangani pengaduan teknis
    role: Staf
  - activity: Menangani pengaduan administratif
    role: Kasubbag Umum
"""


def test_branches_are_read_in_order_and_survive_bpmn() -> None:
    sop = read_sop(YAML.encode(), "pengaduan.yaml")
    d = sop.step(2).decision
    assert d is not None and d.question == "Jenis pengaduan?"
    assert d.branches == (Branch("Teknis", 3), Branch("Administratif", 4), Branch("Keuangan", END))
    assert read_bpmn(write_bpmn(sop)).essence() == sop.essence()


def test_two_branches_as_a_list_equal_the_pair_of_keys() -> None:
    listed = YAML.replace("        - {label: Keuangan, to: selesai}\n", "")
    pair = YAML.replace(
        """      cabang:
        - {label: Teknis, to: 3}
        - {label: Administratif, ke: 4}
        - {label: Keuangan, to: selesai}
""",
        "      labels: [Teknis, Administratif]\n      approve_to: 3\n      reject_to: 4\n",
    )
    assert read_sop(listed.encode(), "a.yaml").step(2) == read_sop(pair.encode(), "b.yaml").step(2)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("        - {label: Keuangan, to: selesai}\n", "        - {label: Keuangan, to: 9}\n",
         "branches\\[3\\].to menuju langkah 9"),
        ("        - {label: Keuangan, to: selesai}\n", "        - {to: 3}\n", "label dan to"),
        ("      cabang:\n", "      approve_to: 3\n      cabang:\n", "menggantikan"),
        ("        - {label: Administratif, ke: 4}\n        - {label: Keuangan, to: selesai}\n",
         "", "dua cabang atau lebih"),
    ],
)  # fmt: skip
def test_mistakes_in_branches_are_one_line_errors(old: str, new: str, message: str) -> None:
    with pytest.raises(ConversionError, match=message):
        read_sop(YAML.replace(old, new).encode(), "salah.yaml")
