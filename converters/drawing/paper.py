"""Paper sizes and the page margins shared by every page of the SOP document.

The flowchart table pages and the identity page are printed on the same sheets with the same
margins and cell padding; keeping these here lets each page module use them without importing
the other's layout code.
"""

from __future__ import annotations

PAPERS: dict[str, tuple[float, float]] = {
    "a4": (841.89, 595.28),  # landscape, points
    "f4": (935.43, 609.45),  # 330 × 215 mm
}
MARGIN = 28.0
"""Blank border around every page, in points."""
PAD = 3.0
"""Space between a cell's border and its text, in points."""
