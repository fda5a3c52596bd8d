"""The text blocks of plain ``pdftotext`` output: lines between blank lines, with their page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from converters.reading.vocabulary import SIGNED_FOOTER

_FOOTER = re.compile(SIGNED_FOOTER, re.I)


@dataclass
class _Block:
    lines: list[str]
    first_line: int  # 1-based line of the input
    page: int = 0  # pages are separated by form feeds

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.lines)).strip()


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    first = 0
    page = 0
    for i, raw in enumerate(text.replace("\r\n", "\n").replace("\f", "\n\f\n").split("\n"), 1):
        line = raw.strip()
        if not line or _FOOTER.match(line):
            if current:
                blocks.append(_Block(current, first, page))
                current = []
            page += raw == "\f"
            continue
        if not current:
            first = i
        current.append(line)
    if current:
        blocks.append(_Block(current, first, page))
    return blocks
