"""Hand-built SOPs whose decisions have three or more branches, shared by the BPMN, drawing
and engine tests (fixed cases, no hypothesis: each shape is one the layout must route well).

* ``tiga-cabang-maju`` — "Teknis / Administratif / Keuangan": three forward branches;
* ``tiga-cabang-putar`` — approve forward, two loops back to different earlier steps;
* ``empat-cabang`` — "Kotak Pengaduan / Tatap muka / Telepon / Surel", one of them to the end,
  and a later ordinary two-branch decision in the same process.
"""

from __future__ import annotations

from converters.model import END, Branch, Decision, Identity, Sop, Step

ROLES = ("Kepala Dinas", "Kasubbag Umum", "Staf")


def _sop(name: str, steps: list[Step]) -> Sop:
    return Sop(
        identity=Identity(number=f"800/{len(steps)}/UJI/2024", name=name, agency="Dinas Uji"),
        roles=ROLES,
        steps=tuple(steps),
    )


def multi_branch_sops() -> dict[str, Sop]:
    forward = _sop(
        "Penanganan Pengaduan Menurut Jenis",
        [
            Step(1, "Menerima pengaduan masyarakat", "Staf"),
            Step(
                2,
                "Memilah pengaduan menurut jenisnya",
                "Kasubbag Umum",
                decision=Decision.of_branches(
                    [Branch("Teknis", 3), Branch("Administratif", 4), Branch("Keuangan", 5)],
                    question="Jenis pengaduan?",
                ),
            ),
            Step(3, "Menangani pengaduan teknis", "Staf"),
            Step(4, "Menangani pengaduan administratif", "Kasubbag Umum"),
            Step(5, "Menangani pengaduan keuangan", "Kepala Dinas"),
            Step(6, "Mengarsipkan jawaban pengaduan", "Staf"),
        ],
    )
    loops = _sop(
        "Penelaahan Konsep Surat",
        [
            Step(1, "Menyusun konsep surat", "Staf"),
            Step(2, "Memeriksa konsep surat", "Kasubbag Umum"),
            Step(3, "Mengkaji ulang dasar hukum surat", "Staf"),
            Step(
                4,
                "Menelaah konsep surat",
                "Kepala Dinas",
                decision=Decision(
                    approve_to=5,
                    reject_to=1,
                    labels=("Setuju", "Tidak setuju"),
                    more=(Branch("Perlu kajian", 3),),
                ),
            ),
            Step(5, "Mengirimkan surat", "Staf"),
        ],
    )
    four = _sop(
        "Penerimaan Pengaduan",
        [
            Step(1, "Mencatat saluran pengaduan yang masuk", "Staf"),
            Step(
                2,
                "Menentukan saluran pengaduan",
                "Staf",
                decision=Decision.of_branches(
                    [
                        Branch("Kotak Pengaduan", 3),
                        Branch("Tatap muka", 4),
                        Branch("Telepon", 5),
                        Branch("Surel", END),
                    ],
                    question="Saluran?",
                ),
            ),
            Step(3, "Membuka kotak pengaduan", "Staf"),
            Step(4, "Menerima pengadu secara tatap muka", "Kasubbag Umum"),
            Step(
                5,
                "Menerima pengaduan melalui telepon",
                "Kasubbag Umum",
                decision=Decision(approve_to=6, reject_to=4),
            ),
            Step(6, "Melaporkan pengaduan kepada pimpinan", "Kepala Dinas"),
        ],
    )
    return {"tiga-cabang-maju": forward, "tiga-cabang-putar": loops, "empat-cabang": four}


MULTI_BRANCH = multi_branch_sops()
