"""Bad input gives one clear line, in Indonesian with the English in brackets, fast and with
bounded memory: through ``read_sop``, ``alur inspect`` (exit 2, one line on stderr, no
traceback) and ``alur convert -o`` (no output file left behind)."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from converters.model import ConversionError
from converters.reading.sop_file import read_sop
from tests.support.drawn_fixtures import case

ROOT = Path(__file__).resolve().parents[4]


def _canvas(**kw: object) -> tuple[io.BytesIO, object]:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    return buf, Canvas(buf, invariant=True, **kw)


def encrypted() -> bytes:
    buf, c = _canvas(encrypt="rahasia")
    c.drawString(72, 720, "SOP rahasia")  # type: ignore[attr-defined]
    c.save()  # type: ignore[attr-defined]
    return buf.getvalue()


def truncated() -> bytes:
    data = case("hand:a4-kegiatan:persetujuan").pdf()
    return data[: len(data) // 3]


def corrupt() -> bytes:
    return b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@cache
def many_pages() -> bytes:
    """5,000 empty pages: cheap to write, costly to a reader that parses every page."""
    buf, c = _canvas()
    for _ in range(5000):
        c.showPage()  # type: ignore[attr-defined]
    c.save()  # type: ignore[attr-defined]
    return buf.getvalue()


def letter() -> bytes:
    buf, c = _canvas()
    y = 760.0
    for line in ("Kepada Yth. Kepala Dinas", "di tempat", "",
                 "Dengan hormat, bersama ini kami sampaikan undangan rapat koordinasi.",
                 "Demikian kami sampaikan, atas perhatiannya kami ucapkan terima kasih."):
        c.drawString(72, y, line)  # type: ignore[attr-defined]
        y -= 16
    c.save()  # type: ignore[attr-defined]
    return buf.getvalue()


def png_bomb() -> bytes:
    """A PNG declaring 50000 x 50000 pixels (2.5 gigapixels) with almost no data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", 50000, 50000, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 50001)) + chunk(b"IEND", b""))


BAD: dict[str, tuple[Callable[[], bytes], str]] = {
    "encrypted.pdf": (encrypted, "kata sandi"),
    "truncated.pdf": (truncated, ""),
    "corrupt.pdf": (corrupt, ""),
    "pages.pdf": (many_pages, "halaman"),
    "letter.pdf": (letter, ""),
    "bomb.png": (png_bomb, ""),
}


def _one_line_bilingual(msg: str) -> None:
    assert msg and "\n" not in msg
    assert "(" in msg and msg.rstrip().endswith(")"), msg  # "Indonesian (english)"


@pytest.mark.parametrize("name", list(BAD))
def test_read_sop_refuses_in_one_line(name: str) -> None:
    make, word = BAD[name]
    data = make()
    t = time.perf_counter()
    with pytest.raises(ConversionError) as err:
        read_sop(data, name)
    assert time.perf_counter() - t < 10
    _one_line_bilingual(str(err.value))
    assert word.lower() in str(err.value).lower()


def _alur(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from webui.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("name", ["encrypted.pdf", "truncated.pdf", "letter.pdf"])
def test_inspect_exits_2_with_one_line(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(BAD[name][0]())
    res = _alur("inspect", str(path))
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr


def test_convert_leaves_no_output_after_failure(tmp_path: Path) -> None:
    path = tmp_path / "truncated.pdf"
    path.write_bytes(truncated())
    out = tmp_path / "out"  # -o names the output folder
    res = _alur("convert", str(path), "-o", str(out))
    assert res.returncode == 2, res.stderr
    assert not (out / "truncated.bpmn").exists()
    assert not list(out.glob("*")) if out.exists() else True


def test_memory_stays_bounded_on_many_pages() -> None:
    import tracemalloc

    data = many_pages()
    tracemalloc.start()
    try:
        with pytest.raises(ConversionError):
            read_sop(data, "pages.pdf")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024


def test_png_bomb_message_has_english() -> None:
    with pytest.raises(ConversionError) as err:
        read_sop(png_bomb(), "bomb.png")
    assert "image" in str(err.value).lower() or "decompression" in str(err.value).lower()
