"""Role titles that a picture's OCR cut short or garbled, named as the activities write them.

A role column's title wraps in its narrow header cell ("Kasubbag" over "PEKK", "Kepala Sub" /
"Bagian" / "Perencanaan"). Read from pixels (a scan, a pasted picture), a faint or tiny second
line is lost ("Kasubbag"), or the lines run into each other ("Kepala Sub ian Perencana"), and
each page that repeats the header may read it another way, so one column becomes several
roles. The activities name the same people in running text, which OCR reads far better
("diteruskan ke Kasubbag PEKK", "kepada Kepala Sub Bagian Perencanaan"). A title is renamed
only when that is unambiguous:

* **cut short** — the title is a unit's head without its unit ("Kasubbag"), and the
  activities name exactly one longer jabatan that begins with the whole title and adds a
  unit to it, more often than they write the title bare (after another post the name goes
  on with its office: "Sekretaris Dinas", "Sekretaris Satpol PP Prov" are the Sekretaris);
* **garbled** — the activities never write the title itself, and one name they write, about
  as long, is spelt much like it, clearly more than any name of another role (a shorter
  name the title goes on from is the activities' short form: "Kepala Bidang" for "Kepala
  Bidang Terkait").

A renaming that would give two role columns of one page the same name is not made.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence

from converters.reading.roles import RoleBook, display_name, normalize, parse_role
from converters.reading.vocabulary import UNIT_HEAD_WORDS

LIKE = 0.75
"""How alike a garbled title and a name must be (letters in common, spaces ignored):
"Kepala Bagian Sub dan Perencana" and "Kepala Sub Bagian Perencanaan" are 0.79 alike."""
LENGTH = 0.8
"""A garbled title and its name are about as long: the shorter has this share of the longer's
letters at least."""
MARGIN = 0.08
"""A garbled title's best name must beat the best name of another role by this much."""


def named_titles(
    titles: Sequence[str], activities: Sequence[str], pages: Sequence[Sequence[str]]
) -> dict[str, str]:
    """Title -> the name the activities write for it, for the titles to be renamed (see the
    module doc). ``pages``: the role titles of each page, in column order."""
    names: Counter[str] = Counter()  # normalised name -> mentions
    written: dict[str, str] = {}  # normalised name -> as first written
    for activity in activities:
        words = activity.split()
        for m in RoleBook(()).mentions(activity):
            if m.name.kinds:
                names[m.text] += 1
                written.setdefault(m.text, _as_written(words, m.text) or m.text)
    # a name as written and spelt out ("Kabag Program" is "Kepala Bagian Program")
    forms = {n: {normalize(display_name(n)): display_name(n), n: written[n]} for n in names}
    text = " \n ".join(normalize(a) for a in activities)
    known = {normalize(t) for t in titles}
    out: dict[str, str] = {}
    for title in titles:
        norm = normalize(title)
        if not norm:
            continue
        # the activities write the title itself, in full or by its abbreviation: no misreading
        spelt = any(norm in f for f in forms.values())
        name = _completed(norm, names, forms, text, known) or (
            None if spelt else _respelt(norm, forms, text)
        )
        if name is not None:
            out[title] = name
    return {t: n for t, n in out.items() if _distinct(t, n, out, pages)}


def _completed(
    norm: str,
    names: Counter[str],
    forms: dict[str, dict[str, str]],
    text: str,
    known: set[str],
) -> str | None:
    """The one longer name that begins with the title, named more often than the bare title.
    Only a unit's head wants its unit ("Kasubbag" of what?); the name after another post is
    its office ("Sekretaris Satpol PP Prov"), which a header may leave out."""
    words = norm.split()
    if words[0] not in UNIT_HEAD_WORDS or parse_role(norm).units:
        return None
    longer = {
        n: shown
        for n in names
        for f, shown in forms[n].items()
        if f.startswith(norm + " ") and f not in known
    }
    if len(longer) != 1:
        return None
    ((full, shown),) = longer.items()
    if not parse_role(full).units - parse_role(norm).units:
        return None  # the same post with its office named: "Sekretaris" is "Sekretaris Dinas"
    every = len(re.findall(rf"\b{re.escape(norm)}\b", text))
    return shown if names[full] > every - names[full] else None


def _respelt(norm: str, forms: dict[str, dict[str, str]], text: str) -> str | None:
    """The name spelt most like a title the activities never write, clearly ahead of any
    other role's name."""
    if re.search(rf"\b{re.escape(norm)}\b", text):
        return None
    key = norm.replace(" ", "")
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, key, f.replace(" ", "")).ratio(), n, shown)
            for n, spelt in forms.items()
            for f, shown in spelt.items()
            # a misreading keeps the name's length; a name the title goes on from is the
            # activities' short form of it ("Kepala Bidang" for "Kepala Bidang Terkait")
            if not norm.startswith(f + " ") and _alike_long(key, f.replace(" ", ""))
        ),
        reverse=True,
    )
    if not scored or scored[0][0] < LIKE:
        return None
    best, name, shown = scored[0]
    role = _identity(name)
    if role[0] and _identity(norm) == role:
        return None  # the same post spelt another way ("Kasubag Program", "Kasubbag Program")
    rival = next((s for s, n, _ in scored[1:] if _identity(n) != role), 0.0)
    return shown if best - rival >= MARGIN else None


def _alike_long(a: str, b: str) -> bool:
    return min(len(a), len(b)) >= LENGTH * max(len(a), len(b))


def _identity(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """A name's jabatan and unit: "Kasubbag Perencanaan" is "Kepala Sub Bagian
    Perencanaan"."""
    parsed = parse_role(name)
    return parsed.kinds, parsed.units


def _as_written(words: Sequence[str], norm: str) -> str:
    """The words of the activity whose normal form is ``norm``, as written ("Kasubbag PEKK")."""
    size = len(norm.split())
    for n in range(max(size - 1, 1), size + 3):
        for i in range(len(words) - n + 1):
            window = [w.strip(".,;:()\"'") for w in words[i : i + n]]
            if normalize(" ".join(window)) == norm:
                return " ".join(window)
    return ""


def _distinct(
    title: str, name: str, renamed: dict[str, str], pages: Sequence[Sequence[str]]
) -> bool:
    """No page would hold two role columns of one name after the renaming."""
    for page in pages:
        if title not in page:
            continue
        after = [renamed.get(t, t) for t in page]
        if after.count(name) > 1:
            return False
    return True
