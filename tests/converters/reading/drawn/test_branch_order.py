"""Which branch of a drawn diamond approves: a yes label before a no label; labels that are
neither in the order the step's own activity names them; a drawn target that says nothing
(both ways to one step) put right from the activity."""

from __future__ import annotations

from converters.model import END, ReaderWarning, StepRef
from converters.reading.drawn.interpret.arrows import Branch
from converters.reading.drawn.interpret.interpreter import (
    _approval_goes_on,
    _clauses,
    _order,
    _stated,
    _twins,
)


def _branch(label: str, x: float, y: float) -> Branch:
    return Branch(page=1, path=((x, y), (x + 40, y)), target=None, target_page=1, label=label)


def test_labels_that_are_neither_yes_nor_no_follow_the_activity() -> None:
    """The diamond draws "Administratif" on its left (leaving first) and "Teknis" on its
    right; the activity says "jika teknis …, jika administratif …": Teknis approves."""
    left, right = _branch("Administratif", 340, 285), _branch("Teknis", 380, 285)
    activity = (
        "Memilah rekapitulasi data sesuai jenisnya; jika teknis diteruskan ke langkah "
        "15, jika administratif diteruskan ke langkah 23"
    )
    assert [b.label for b in _order([left, right], activity)] == ["Teknis", "Administratif"]


def test_without_both_labels_in_the_activity_the_drawing_orders_them() -> None:
    left, right = _branch("Administratif", 340, 285), _branch("Teknis", 380, 285)
    assert [b.label for b in _order([left, right], "Memilah berkas teknis")] == [
        "Administratif",
        "Teknis",
    ]
    assert [b.label for b in _order([right, left])] == ["Administratif", "Teknis"]


def test_a_no_label_never_approves_whatever_the_activity_says() -> None:
    yes, no = _branch("Ya", 380, 285), _branch("Tidak", 340, 285)
    activity = "Memeriksa berkas; jika tidak lengkap dikembalikan, jika ya diteruskan"
    assert [b.label for b in _order([no, yes], activity)] == ["Ya", "Tidak"]


def test_labels_written_as_a_state_answer_yes_or_no() -> None:
    """ "Sudah Benar" (drawn second, below) approves over "Belum Benar": a state said to be
    so is a yes, not a label of neither kind ranked by where it leaves the diamond."""
    done, not_yet = _branch("Sudah Benar", 380, 300), _branch("Belum Benar", 340, 285)
    assert [b.label for b in _order([not_yet, done])] == ["Sudah Benar", "Belum Benar"]
    checked, wrong = _branch("Sudah sesuai.", 380, 300), _branch("Lainnya", 340, 285)
    assert [b.label for b in _order([wrong, checked])] == ["Sudah sesuai.", "Lainnya"]


def test_a_label_is_found_only_as_a_whole_word() -> None:
    """ "Kasi" inside "klasifikasi" is no mention of the label "Kasi"."""
    a, b = _branch("Kasi", 340, 285), _branch("Kabid", 380, 285)
    activity = "Menyusun klasifikasi berkas; jika kabid diteruskan, jika kasi dikembalikan"
    assert [x.label for x in _order([a, b], activity)] == ["Kabid", "Kasi"]


def test_ways_leaving_the_diamond_together_keep_the_drawn_order() -> None:
    """Two ways out of one vertex share their labels' place: which label is whose line is
    not drawn, so the activity's order would only shuffle targets; the drawing's order
    stays."""
    first = Branch(
        page=1,
        path=((271, 301), (324, 301), (324, 357)),
        target=None,
        target_page=1,
        label="Tatap muka",
    )
    second = Branch(
        page=1,
        path=((271, 301), (362, 301), (362, 512)),
        target=None,
        target_page=1,
        label="Kotak Pengaduan",
    )
    activity = (
        "Memilah nota dinas; jika kotak pengaduan ke langkah 18, jika tatap muka ke langkah 20"
    )
    assert [b.label for b in _order([first, second], activity)] == ["Tatap muka", "Kotak Pengaduan"]


def test_a_drawn_target_that_says_nothing_is_taken_from_the_activity() -> None:
    """Both ways drawn into one step (the lines merged on the way), or a way back into the
    diamond's own step: the activity's explicit "kembali ke langkah 1" / "proses selesai"
    is the branch's target, with a warning; a target the drawing does tell stays."""
    warnings: list[ReaderWarning] = []
    targets: list[StepRef] = [4, 4]
    _stated(
        3,
        targets,
        _clauses(
            "Memeriksa nota dinas; jika ya diteruskan kepada PPK, jika tidak kembali ke langkah 1"
        ),
        warnings,
    )
    assert targets == [4, 1]
    assert [w.code for w in warnings] == ["decision-target-guessed"]
    targets = [24, 23]
    _stated(
        23,
        targets,
        _clauses(
            "Memeriksa usulan; jika sesuai diteruskan kepada Staf, jika tidak "
            "sesuai permohonan ditolak dan proses selesai"
        ),
        warnings,
    )
    assert targets == [24, END]
    assert len(warnings) == 2
    targets = [5, 9]  # told by the drawing: followed, the disagreement said
    _stated(
        4,
        targets,
        _clauses("Memeriksa; jika ya ke langkah 6, jika tidak kembali ke langkah 2"),
        warnings,
    )
    assert targets == [5, 9]
    assert [w.code for w in warnings[2:]] == ["decision-text-disagrees"] * 2
    targets = [7, 7]  # the text names no step for either branch: nothing to go by
    _stated(
        6,
        targets,
        _clauses("Memeriksa; jika ya diteruskan kepada PPK, jika tidak dikembalikan"),
        warnings,
    )
    assert targets == [7, 7]
    assert len(warnings) == 4


def test_labels_that_read_alike_are_told_apart_by_where_the_activity_sends_them() -> None:
    """The scan lost the "Tidak" of "Tidak lengkap": both labels read "lengkap". The way
    into step 1, where "jika tidak lengkap kembali ke langkah 1" sends the work, rejects."""
    targets: list[StepRef] = [1, 4]
    labels = ["lengkap", "Lengkap"]
    _twins(
        targets,
        labels,
        _clauses(
            "Memeriksa dokumen: jika lengkap diteruskan kepada Bendahara, "
            "jika tidak lengkap kembali ke langkah 1"
        ),
    )
    assert targets == [4, 1] and labels == ["Lengkap", "lengkap"]
    targets, labels = [1, 4], ["Ya", "Tidak"]  # told apart by the labels: left as they are
    _twins(
        targets, labels, _clauses("Memeriksa; jika ya diteruskan, jika tidak kembali ke langkah 1")
    )
    assert targets == [1, 4]


def test_labels_a_scan_cut_short_or_misread_still_follow_the_activity() -> None:
    """ "Tat" (the rest of "Tatap muka" lost) and "Kotak “engaduan": each begins the
    condition of one "jika …" clause, letter for letter or nearly."""
    first, second = _branch("Tat", 340, 285), _branch("Kotak “engaduan", 380, 285)
    activity = (
        "Memilah nota dinas sesuai jenisnya: jika kotak pengaduan diteruskan ke langkah "
        "11, jika tatap muka diteruskan ke langkah 15"
    )
    assert [b.label for b in _order([first, second], activity)] == ["Kotak “engaduan", "Tat"]
    short = _branch("Ta", 340, 285)  # two letters begin too much to stand for a condition
    assert [b.label for b in _order([short, second], activity)] == ["Ta", "Kotak “engaduan"]


def test_lines_traced_from_pixels_yield_to_the_target_the_activity_states() -> None:
    """On a scan or a pasted picture a line that crosses others is followed the wrong way
    more often than the author's text names a wrong step: there a drawn target the activity
    contradicts is replaced (with a warning); in a vector drawing it stays, and the
    disagreement is said."""
    activity = (
        "Memeriksa surat undangan: jika lengkap diteruskan kepada Staf, jika tidak "
        "lengkap kembali ke langkah 2"
    )
    warnings: list[ReaderWarning] = []
    targets: list[StepRef] = [9, 7]
    _stated(8, targets, _clauses(activity), warnings)
    assert targets == [9, 7]
    assert [w.code for w in warnings] == ["decision-text-disagrees"]
    _stated(8, targets, _clauses(activity), warnings, traced=True)
    assert targets == [9, 2]
    assert [w.code for w in warnings[1:]] == ["decision-target-guessed"]
    assert "langkah 8" in warnings[1].message.lower()
    ended: list[StepRef] = [12, 13]  # "… ditolak dan proses selesai": the end, not step 13
    _stated(
        11,
        ended,
        _clauses(
            "Memeriksa laporan: jika ya diteruskan kepada Pelaksana, jika tidak "
            "permohonan ditolak dan proses selesai"
        ),
        warnings,
        traced=True,
    )
    assert ended == [12, END]


def test_a_label_that_lost_its_start_still_follows_the_activity() -> None:
    """ "atif": the end of "Administratif", its first letters lost under a line."""
    first, second = _branch("atif", 340, 285), _branch("Teknis", 380, 285)
    activity = (
        "Memilah dokumen sesuai jenisnya: jika teknis diteruskan ke langkah 8, jika "
        "administratif diteruskan ke langkah 9"
    )
    assert [b.label for b in _order([first, second], activity)] == ["Teknis", "atif"]


def test_an_approval_drawn_back_into_its_own_step_goes_on_to_the_next() -> None:
    warnings: list[ReaderWarning] = []
    targets: list[StepRef] = [10, 7]
    _approval_goes_on(10, 11, targets, ["Ya", "Tidak"], warnings)
    assert targets == [11, 7] and [w.code for w in warnings] == ["decision-target-guessed"]
    kept: list[StepRef] = [10, 11]  # the next step is the other way's: nothing to go on to
    _approval_goes_on(10, 11, kept, ["Ya", "Tidak"], warnings)
    assert kept == [10, 11] and len(warnings) == 1
