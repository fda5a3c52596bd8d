"""Progress of a long reading: which stage it is in and how many pages are done.

Reading a scanned SOP takes seconds per page, so whoever waits for it (the web upload's job
page, ``alur convert`` on a terminal) wants to see it move. The readers cannot know who
listens, and most callers (tests, scripts, the benchmarks) do not: so the channel is a
:mod:`contextvars` variable. A caller wraps a reading in ``with reporting(callback):`` and the
long loops call :func:`report`; with nobody listening :func:`report` is one variable lookup.

A listener's failure (a database that went away while the job row was written) must never
cost the reading itself: it is logged and the reading goes on. ``reporting`` blocks nest, and
every listener of the enclosing blocks hears each report (the innermost first). Context
variables do not cross into new threads: a reading run in a thread sets its own ``reporting``
there.

Stage codes are stable strings (:class:`Stage`): the web UI and the CLI translate them, so
the readers never carry words for people.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class Stage(StrEnum):
    """What a reading is doing; the codes are part of the job status JSON, never renamed."""

    OPEN = "open"
    """The file is being opened (decoded, pages rasterised)."""
    PAGES = "pages"
    """Pages read without OCR (a vector PDF's paths and words)."""
    OCR = "ocr"
    """Pages read from their pixels (Tesseract): the slow stage of a scan."""
    DRAWING = "drawing"
    """The drawn table interpreted into steps, roles and branches."""


@dataclass(frozen=True)
class Progress:
    """One report: the stage, pages done of the pages in all (0 of 0: not counted in pages)."""

    stage: Stage
    done: int = 0
    total: int = 0
    detail: str = ""


Listener = Callable[[Progress], None]

_LISTENERS: ContextVar[tuple[Listener, ...]] = ContextVar("alur_reading_progress", default=())


@contextmanager
def reporting(listener: Listener) -> Iterator[None]:
    """Within this block, every :func:`report` of this context also goes to ``listener``."""
    token = _LISTENERS.set((listener, *_LISTENERS.get()))
    try:
        yield
    finally:
        _LISTENERS.reset(token)


def listening() -> bool:
    """Whether anyone listens (a caller may skip work done only to report, as counting)."""
    return bool(_LISTENERS.get())


def report(stage: Stage, done: int = 0, total: int = 0, detail: str = "") -> None:
    """Tell the listeners (if any) where the reading is; never raises."""
    listeners = _LISTENERS.get()
    if not listeners:
        return
    progress = Progress(stage, max(done, 0), max(total, done, 0), detail)
    for listener in listeners:
        try:
            listener(progress)
        except Exception:  # a listener's trouble is never the reading's
            log.warning("pendengar kemajuan gagal (progress listener failed)", exc_info=True)


__all__ = ["Listener", "Progress", "Stage", "listening", "report", "reporting"]
