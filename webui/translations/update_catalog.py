"""Refresh the English catalog from the sources: ``python -m webui.translations.update_catalog``.

Extracts every ``_()`` / ``_l()`` / ``gettext()`` / ``N_()`` message (Indonesian text is the
message id), merges it into ``en/LC_MESSAGES/messages.po`` keeping existing translations, and
compiles the ``.mo``. New messages arrive untranslated (English falls back to the Indonesian
text), and the script lists them so a translator knows what to fill in.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main() -> int:
    pot = HERE / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(HERE / "babel.cfg"),
         "-k", "_", "-k", "_l", "-k", "gettext", "-k", "N_", "-o", str(pot), "--no-location",
         "--omit-header", "--sort-output", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    po_path = HERE / "en" / "LC_MESSAGES" / "messages.po"
    with pot.open("rb") as f:
        template = read_po(f)
    with po_path.open("rb") as f:
        catalog = read_po(f, locale="en")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    with po_path.open("wb") as f:
        write_po(f, catalog, omit_header=False, no_location=True, sort_output=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    for msg in missing:
        print(f"belum diterjemahkan: {msg}")
    from webui.i18n import compile_catalogs

    compile_catalogs()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
