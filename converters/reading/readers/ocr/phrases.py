"""Word sequences an OCR'd SOP uses itself: which cell a wrapped piece completes."""

from __future__ import annotations

from dataclasses import dataclass, field

from converters.reading.readers.ocr.words import head_key, is_cap, norm


@dataclass
class Phrases:
    """Word sequences the document itself uses: to tell which cell a wrapped piece completes.

    ``cells`` are whole cell texts (first-line Mutu Baku cells of every row, header section
    items); ``running`` is running text (activities, the title) used only for word pairs;
    ``title`` holds the phrases an activity may repeat in capitals ("Indikator Kinerja Utama").
    """

    cells: list[str] = field(default_factory=list)
    running: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    unit_words: set[str] = field(default_factory=set)
    """Words of the header's role names after their jabatan ("perencanaan" of "Kasubbag
    Perencanaan"): a wrapped activity line may open with them."""
    outputs: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    """Output and Kelengkapan cells of rows whose Waktu told the two apart."""
    widths: tuple[int, int, int] = (0, 0, 0)
    """The longest first-line text of the Kelengkapan, Output and Keterangan cells (rows
    whose Waktu told them apart), in characters: about how much each column holds on a line."""

    @classmethod
    def for_title(cls, title: str) -> Phrases:
        t = norm(title)
        words = t.split()
        titles = [t] if t else []
        if len(words) > 2:
            titles.append(" ".join(words[1:]))  # "penyusunan indikator kinerja utama" → tail
        return cls(title=titles, running=list(titles))

    def add_cells(self, texts: list[str]) -> None:
        self.cells.extend(norm(t) for t in texts if t.strip())

    @property
    def known(self) -> frozenset[str]:
        """The cell texts as a set (normalised): a branch label that spells one may be a
        document's name, and stays."""
        return frozenset(self.cells)

    def add_running(self, texts: list[str]) -> None:
        self.running.extend(norm(t) for t in texts if t.strip())

    def joins(self, left: str, right: str, cells_only: bool = False) -> bool:
        """True when the last word of ``left`` followed by the first of ``right`` occurs."""
        lw, rw = norm(left[-80:]).split(), norm(right[:80]).split()
        if not lw or not rw:
            return False
        pair = f" {lw[-1]} {rw[0]} "
        texts = self.cells if cells_only else self.cells + self.running
        return any(pair in f" {t} " for t in texts)

    def add_kinds(self, requirements: list[str], outputs: list[str]) -> None:
        self.requirements.extend(norm(t) for t in requirements if t.strip())
        self.outputs.extend(norm(t) for t in outputs if t.strip())

    def add_widths(self, lines: list[tuple[str, str, str]]) -> None:
        if lines:
            self.widths = (max(len(r) for r, _, _ in lines), max(len(o) for _, o, _ in lines),
                           max(len(n) for _, _, n in lines))

    def would_fit(self, column: int, line: str, word: str) -> bool:
        """Whether ``word`` fits after ``line`` in the column: a word that did would not
        have wrapped, so it belongs to another cell."""
        width = self.widths[column]
        return bool(line) and len(line) + 1 + len(word) <= width

    def whole(self, text: str) -> bool:
        t = norm(text)
        return bool(t) and t in self.cells

    def starts(self, text: str) -> bool:
        """True when ``text`` (two words or more) is the beginning of a known cell."""
        t = norm(text)
        return len(t.split()) >= 2 and any(c.startswith(t + " ") for c in self.cells)

    def supports(self, prev: str, piece: str) -> bool:
        """Evidence, from cell texts only, that ``piece`` continues the cell ``prev``.

        Running text is left out on purpose: "rapat pembahasan" in an activity says nothing
        about whether "pembahasan" continues the Kelengkapan "Undangan rapat".
        """
        whole = f"{prev} {piece}"
        return self.joins(prev, piece, cells_only=True) or self.whole(whole) or self.starts(whole)

    def title_broken_at(self, words: list[str], i: int) -> bool:
        """Whether a Capitalised title phrase the activity repeats stops short before
        words[i] (its end wrapped onto the next line: "Indikator Kinerja" / "Utama"), so a
        Capitalised Mutu Baku cell starts here."""
        if i < 2 or not is_cap(words[i]):
            return False
        for k in range(i - 2, max(-1, i - 8), -1):
            head = norm(" ".join(words[k:i]))
            if any(p.startswith(head + " ") and not p.startswith(
                    norm(" ".join(words[k : i + 1])) + " ") and p != norm(
                    " ".join(words[k : i + 1])) for p in self.title if len(p.split()) >= 3):
                return True
        return False

    def running_phrase_at(self, words: list[str], i: int) -> bool:
        """Whether words[i:] starts with a phrase that running text uses in capitals: the
        title's tail ("Indikator Kinerja Utama") or a jabatan ("Kasi Pengujian", "Kaban")."""
        tail = norm(" ".join(words[i:]))
        if any(tail.startswith(p) for p in self.title if len(p.split()) >= 2):
            return True
        first = tail.split()[0] if tail else ""
        return (first in self.roles or head_key(words[i]) is not None
                or (i > 0 and self.mid_sentence(words[i - 1], words[i])))

    def mid_sentence(self, left: str, right: str) -> bool:
        """Whether running text of the document uses ``left right`` with more words after
        them ("melalui aplikasi SRIKANDI, kemudian ..."): a Capitalised name the activities
        use, not the start of a Mutu Baku cell (a pair at a running text's very end may be
        a cell the reading left there)."""
        pair = f" {norm(left)} {norm(right)} "
        if not pair.strip() or len(pair.split()) != 2:
            return False
        return any(pair in f" {t} " and not f" {t}".endswith(pair.rstrip())
                   for t in self.running)
