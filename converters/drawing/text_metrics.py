"""Text measuring and wrapping for the SOP document layout.

The document is laid out by Alur (Graphviz only draws it), so every cell must know in advance
how many lines its text takes, or rows would be cut or overlap. There is no font library in the
project, so widths come from the Helvetica/Arial advance widths (Liberation Sans, the font the
document is drawn with, is metric-compatible with Arial), plus a small safety factor because
Graphviz adds its own rounding.
"""

from __future__ import annotations

FONT = "Liberation Sans"
"""Metric-compatible with Arial/Helvetica; installed with Debian's fonts-liberation."""

LINE_FACTOR = 1.2
"""Line height as a multiple of the font size (what Graphviz uses for plain labels)."""

_SAFETY = 1.06

# Advance widths of Helvetica in 1/1000 em for the printable ASCII range (AFM values).
_WIDTHS = {
    " ": 278, "!": 278, '"': 355, "#": 556, "$": 556, "%": 889, "&": 667, "'": 191,
    "(": 333, ")": 333, "*": 389, "+": 584, ",": 278, "-": 333, ".": 278, "/": 278,
    ":": 278, ";": 278, "<": 584, "=": 584, ">": 584, "?": 556, "@": 1015,
    "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 722,
    "I": 278, "J": 500, "K": 667, "L": 556, "M": 833, "N": 722, "O": 778, "P": 667,
    "Q": 778, "R": 722, "S": 667, "T": 611, "U": 722, "V": 667, "W": 944, "X": 667,
    "Y": 667, "Z": 611, "[": 278, "\\": 278, "]": 278, "^": 469, "_": 556, "`": 333,
    "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556, "h": 556,
    "i": 222, "j": 222, "k": 500, "l": 222, "m": 833, "n": 556, "o": 556, "p": 556,
    "q": 556, "r": 333, "s": 500, "t": 278, "u": 556, "v": 500, "w": 722, "x": 500,
    "y": 500, "z": 500, "{": 334, "|": 260, "}": 334, "~": 584,
}
_WIDTHS.update({str(d): 556 for d in range(10)})
_DEFAULT_WIDTH = 600  # anything outside ASCII: a little wider than an average letter
_BOLD_FACTOR = 1.1


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` set in :data:`FONT` at ``size`` points."""
    units = sum(_WIDTHS.get(ch, _DEFAULT_WIDTH) for ch in text)
    factor = _BOLD_FACTOR if bold else 1.0
    return units * size / 1000.0 * factor * _SAFETY


def line_height(size: float) -> float:
    return size * LINE_FACTOR


def _split_long_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """Break a word wider than the cell (URLs, NIPs) at character level, so nothing is cut."""
    parts: list[str] = []
    current = ""
    for ch in word:
        if current and text_width(current + ch, size, bold) > width:
            parts.append(current)
            current = ch
        else:
            current += ch
    if current:
        parts.append(current)
    return parts


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``width`` points.

    Explicit newlines in the text are kept as line breaks; runs of blanks collapse to one.
    An empty text gives no lines.
    """
    lines: list[str] = []
    for paragraph in text.replace("\r", "").split("\n"):
        words = paragraph.split()
        if not words:
            continue
        current = ""
        for word in words:
            pieces = (
                _split_long_word(word, width, size, bold)
                if text_width(word, size, bold) > width
                else [word]
            )
            for piece in pieces:
                candidate = f"{current} {piece}" if current else piece
                if current and text_width(candidate, size, bold) > width:
                    lines.append(current)
                    current = piece
                else:
                    current = candidate
        if current:
            lines.append(current)
    return lines


def fit_lines(lines: list[str], max_lines: int) -> list[str]:
    """At most ``max_lines`` lines, the last one ending in an ellipsis when text was dropped.

    Used only for a cell taller than a whole page, where something has to give.
    """
    if len(lines) <= max_lines:
        return lines
    if max_lines <= 0:
        return []
    kept = lines[:max_lines]
    kept[-1] = kept[-1].rstrip() + " …"
    return kept
