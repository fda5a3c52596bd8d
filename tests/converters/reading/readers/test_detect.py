"""read_raw: format detection, bad input, and a property test over mutated inputs."""

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters.model import ConversionError
from converters.reading.raw import RawDocument
from converters.reading.readers import read_raw

ROOT = Path(__file__).resolve().parents[4]
TABBED = [
    *sorted(p for p in (ROOT / "examples").glob("*.txt") if "\t" in p.read_text(encoding="utf-8")),
    ROOT / "tests" / "fixtures" / "sops" / "a1-dinkes-pengadaan-obat.txt",
]
SAMPLES = [p.read_text(encoding="utf-8") for p in TABBED]
MUTATION_POOL = [
    *SAMPLES,
    (ROOT / "tests" / "fixtures" / "sops" / "a1-bbpp-pelatihan.txt").read_text(encoding="utf-8"),
    (ROOT / "docs" / "yaml-example.yaml").read_text(encoding="utf-8"),
]


@pytest.mark.parametrize("path", TABBED, ids=lambda p: p.name)
def test_tabbed_samples_are_detected(path: Path) -> None:
    doc = read_raw(path.read_bytes(), path.name)
    assert doc.source_format == "tabbed"
    assert len(doc.rows) >= 5


def test_encodings_utf16_and_cp1252_and_crlf() -> None:
    text = SAMPLES[0]
    utf16 = read_raw(text.encode("utf-16"))
    crlf = read_raw(text.replace("\n", "\r\n").encode("utf-8-sig"))
    plain = read_raw(text.encode("utf-8"))
    assert [r.activity for r in utf16.rows] == [r.activity for r in plain.rows]
    assert [r.activity for r in crlf.rows] == [r.activity for r in plain.rows]
    latin = "No\tKegiatan\tStaf\tWaktu\n1\tMembuat daftar hadir – rapat\t\t5 menit\n"
    doc = read_raw(latin.encode("cp1252"))
    assert doc.rows[0].activity == "Membuat daftar hadir – rapat"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Berkas kosong"),
        (b"  \n\t\n", "Berkas kosong"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "biner"),
        (bytes(range(1, 32)) * 20, "biner"),
        (b"Rapat koordinasi diadakan besok pagi.\nMohon hadir tepat waktu.\n", "Bukan dokumen SOP"),
        (b"No\tKegiatan\tStaf\tWaktu\tOutput\n", "tidak berisi langkah"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
    ],
)
def test_bad_input_gives_one_line_conversion_error(data: bytes, message: str) -> None:
    with pytest.raises(ConversionError) as info:
        read_raw(data, "berkas.txt")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_partly_unreadable_sop_names_the_unused_line() -> None:
    text = SAMPLES[0].rstrip("\n") + "\n\x7f#### ?? ####\n"
    doc = read_raw(text.encode())
    last = len(text.rstrip("\n").split("\n"))
    assert any(w.code == "line-unused" and w.line == last for w in doc.warnings)


def _outcome(data: bytes) -> RawDocument | None:
    try:
        return read_raw(data, "mutasi.txt")
    except ConversionError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_document_or_a_conversion_error(data: bytes) -> None:
    result = _outcome(data)
    assert result is None or isinstance(result, RawDocument)


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(MUTATION_POOL)).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "shuffle", "replace", "duplicate", "cut"]))
        if op == "drop":
            del lines[i]
        elif op == "shuffle":
            cells = lines[i].split("\t")
            lines[i] = "\t".join(draw(st.permutations(cells)))
        elif op == "replace" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            ch = draw(st.sampled_from(["", "\t", "\n", "<", ">", "1.", ":", "Г", "\x00", "é"]))
            lines[i] = lines[i][:j] + ch + lines[i][j + 1 :]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        else:
            lines = lines[:i] if draw(st.booleans()) else lines[i:]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_mutated_samples_give_a_document_or_a_conversion_error(text: str) -> None:
    result = _outcome(text.encode("utf-8"))
    if result is not None:
        assert result.rows or result.authored_steps
        assert all(r.activity or r.number is not None for r in result.rows)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600))
def test_zip_and_pdf_lookalikes_give_a_conversion_error(tail: bytes) -> None:
    for magic in (b"PK\x03\x04", b"%PDF-1.4\n"):
        with pytest.raises(ConversionError):
            read_raw(magic + tail, "x.bin")


@pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("dot")), reason="pdftotext/dot tidak ada"
)
def test_pdf_without_an_sop_table_is_not_an_sop() -> None:
    pdf = subprocess.run(
        ["dot", "-Tpdf"], input=b'digraph { a [label="Undangan rapat besok"] }',
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    with pytest.raises(ConversionError, match="Bukan dokumen SOP"):
        read_raw(pdf, "undangan.pdf")


_COVER = """                                   Nomor SOP            SOP-12/3400/2025
                                   Tanggal Pembuatan    2 Januari 2024
                                   Tanggal Revisi       10 Januari 2025
                                   Disahkan oleh        Kepala Dinas
Nama SOP: Pengelolaan Arsip Inaktif
Dasar Hukum: Undang-Undang Nomor 43 Tahun 2009 tentang Kearsipan
"""


def test_an_sop_cover_without_its_table_says_the_table_may_be_a_picture() -> None:
    """A PDF whose flowchart table is a picture gives its text only the cover: the reader
    says so and points to the original, instead of calling it no SOP."""
    with pytest.raises(ConversionError) as info:
        read_raw(_COVER.encode(), "sop.txt")
    assert "tabel itu mungkin berupa gambar" in str(info.value)
    assert "\n" not in str(info.value)


def test_one_identity_label_or_a_table_title_keeps_the_usual_refusal() -> None:
    """One label may be a citation ("sesuai Nomor SOP ..."); a text with a "Mutu Baku" title
    has its table, whatever the reader made of it."""
    cited = b"Rapat membahas Nomor SOP 12/2024 besok pagi.\nMohon hadir tepat waktu.\n"
    with pytest.raises(ConversionError, match="Bukan dokumen SOP"):
        read_raw(cited, "undangan.txt")
    with pytest.raises(ConversionError) as info:
        read_raw((_COVER + "Pelaksana Mutu Baku\n").encode(), "sop.txt")
    assert "gambar" not in str(info.value)
