"""Running a Graphviz program: the one place Alur shells out to ``dot`` / ``neato``.

Both drawings use it (the process view lets ``dot`` lay the graph out, the SOP document has
``neato -n2`` draw the layout Alur computed), so it lives apart from either of them.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

from converters.model import ConversionError


def run_graphviz(dot_source: str, fmt: str, dpi: int | None = None, engine: str = "neato",
                 extra: Sequence[str] = ()) -> bytes:
    """Run a Graphviz program on ``dot_source`` and return its output.

    A missing program or a Graphviz failure becomes a one-line :class:`ConversionError`
    (the CLI prints it), because without ``dot`` nothing can be drawn.
    """
    args = [engine, *extra, f"-T{fmt}"]
    if dpi:
        args.append(f"-Gdpi={dpi}")
    try:
        done = subprocess.run(
            args, input=dot_source.encode("utf-8"), capture_output=True, timeout=120, check=False
        )
    except FileNotFoundError as exc:
        raise ConversionError(
            f"program Graphviz '{engine}' tidak ditemukan (install paket graphviz)"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ConversionError("Graphviz terlalu lama menggambar (timeout)") from exc
    if done.returncode != 0 or not done.stdout:
        msg = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = msg[-1] if msg else f"exit {done.returncode}"
        raise ConversionError(f"Graphviz gagal menggambar: {detail}")
    return done.stdout
