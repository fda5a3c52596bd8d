"""What a Word or HTML page has under the SOP table (a signature block, an identity block
typed after it) reaches the tab text as rows: never steps."""

from __future__ import annotations

from converters.reading.readers import read_raw
from converters.reading.sop_file import read_sop
from tests.conftest import ROOT

SAMPLE = (ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt").read_text(encoding="utf-8")
SIGNATURE = (
    "\n\nMengetahui,\tDitetapkan di Singkawang\nKepala Dinas Komunikasi dan Informatika\t\n\n"
    "Eva Eranda, S.Kom\t\nPembina\t\nNIP. 19710312 200502 1 001\t\n"
)
IDENTITY = (
    "\n\nNomor SOP\t000.8.3.3/46/Set-B/2023\nTanggal Pembuatan\tJanuari 2023\n"
    "Disahkan oleh\tKepala Dinas\nNama SOP\tPenyusunan IKU\n"
)


def test_a_signature_block_under_the_table_is_no_step() -> None:
    alone = read_sop(SAMPLE.encode(), "sop.txt")
    signed = read_sop((SAMPLE + SIGNATURE).encode(), "sop.txt")
    assert [s.activity for s in signed.steps] == [s.activity for s in alone.steps]
    said = [w for w in signed.warnings if w.code == "line-unused" and "bawah tabel" in w.message]
    assert len(said) == 5  # each line of it is named, so nothing disappears unsaid


def test_an_identity_block_under_the_table_is_no_step_and_keeps_the_reader() -> None:
    alone = read_sop(SAMPLE.encode(), "sop.txt")
    raw = read_raw((SAMPLE + IDENTITY).encode(), "sop.txt")
    assert raw.source_format == "tabbed"  # two-cell lines joined are no broken table rows
    after = read_sop((SAMPLE + IDENTITY).encode(), "sop.txt")
    assert len(after.steps) == len(alone.steps)


def test_a_last_step_without_a_number_but_with_its_cells_stays() -> None:
    lines = SAMPLE.rstrip("\n").split("\n")
    last = next(i for i in range(len(lines) - 1, -1, -1) if lines[i].split("\t")[0].strip() == "8")
    head = next(line.split("\t") for line in lines if "\tWaktu\t" in line)
    cells = [""] * len(head)
    cells[1] = "Mengarsipkan dokumen IKU"
    for title, value in (("Kelengkapan", "Dokumen IKU"), ("Waktu", "1 hari"), ("Output", "Arsip")):
        cells[head.index(title)] = value
    unnumbered = "\t".join(cells)
    text = "\n".join([*lines[: last + 1], unnumbered, *lines[last + 1 :]]) + SIGNATURE
    steps = read_sop(text.encode(), "sop.txt").steps
    assert steps[-1].activity.startswith("Mengarsipkan dokumen IKU")
