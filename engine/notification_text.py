"""The e-mail a notification becomes: subject and body in the recipient's language.

Why the engine writes these and not the web UI's catalogue: the worker sends mail without a
web request (no Flask, no session language), so the texts live here, Bahasa Indonesia first
and English for users who chose it, with the absolute link into the web UI. The link paths
mirror the web UI's routes; a web UI test checks that they still agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from engine.mail import Letter
from engine.notifications import Kind, Notice, Recipient

TASK_PATH = "/tugas/{task_id}"
CASE_PATH = "/kasus/{instance_id}"
INBOX_PATH = "/kotak-masuk"
SETTINGS_PATH = "/notifikasi/pengaturan"
LANGUAGES = ("id", "en")

_SUBJECTS: Mapping[str, Mapping[Kind, str]] = {
    "id": {
        Kind.NEW_TASK: "Tugas baru: {title}",
        Kind.RETURNED: "Dikembalikan kepada Anda: {title}",
        Kind.DUE_SOON: "Segera jatuh tempo: {title}",
        Kind.OVERDUE: "Terlambat: {title}",
        Kind.CASE_FINISHED: "Kasus selesai: {case}",
        Kind.DIGEST: "Ringkasan tugas {day}: {total} tugas terbuka",
    },
    "en": {
        Kind.NEW_TASK: "New task: {title}",
        Kind.RETURNED: "Returned to you: {title}",
        Kind.DUE_SOON: "Due soon: {title}",
        Kind.OVERDUE: "Overdue: {title}",
        Kind.CASE_FINISHED: "Case finished: {case}",
        Kind.DIGEST: "Task summary {day}: {total} open tasks",
    },
}

_LEADS: Mapping[str, Mapping[Kind, str]] = {
    "id": {
        Kind.NEW_TASK: "Ada tugas baru untuk peran {role}.",
        Kind.RETURNED: "Pekerjaan yang pernah Anda kerjakan dikembalikan oleh {actor}.",
        Kind.DUE_SOON: "Tugas ini jatuh tempo dalam 24 jam.",
        Kind.OVERDUE: "Tugas ini sudah melewati tenggatnya.",
        Kind.CASE_FINISHED: "Kasus yang Anda mulai telah selesai.",
        Kind.DIGEST: "Tugas terbuka di kotak masuk Anda:",
    },
    "en": {
        Kind.NEW_TASK: "There is a new task for the role {role}.",
        Kind.RETURNED: "Work you did before was returned by {actor}.",
        Kind.DUE_SOON: "This task falls due within 24 hours.",
        Kind.OVERDUE: "This task is past its due date.",
        Kind.CASE_FINISHED: "A case you started has finished.",
        Kind.DIGEST: "Open tasks in your inbox:",
    },
}

_WORDS: Mapping[str, Mapping[str, str]] = {
    "id": {
        "greeting": "Yth. {name},",
        "task": "Tugas",
        "process": "Proses",
        "case": "Kasus",
        "due": "Tenggat",
        "note": "Catatan",
        "open_task": "Buka tugas",
        "open_case": "Buka kasus",
        "open_inbox": "Buka kotak masuk",
        "late": "terlambat",
        "more": "… dan {n} tugas lainnya",
        "footer": "Surel ini dikirim otomatis oleh Alur. Atur notifikasi Anda di {url}",
    },
    "en": {
        "greeting": "Dear {name},",
        "task": "Task",
        "process": "Process",
        "case": "Case",
        "due": "Due",
        "note": "Note",
        "open_task": "Open the task",
        "open_case": "Open the case",
        "open_inbox": "Open your inbox",
        "late": "overdue",
        "more": "… and {n} more tasks",
        "footer": "This e-mail was sent by Alur. Change your notifications at {url}",
    },
}


def language_of(recipient: Recipient) -> str:
    return recipient.language if recipient.language in LANGUAGES else LANGUAGES[0]


def link(base_url: str, notice: Notice) -> str:
    """The absolute address of what ``notice`` is about: its task, else its case."""
    base = base_url.rstrip("/")
    if notice.kind == Kind.DIGEST:
        return base + INBOX_PATH
    if notice.task_id:
        return base + TASK_PATH.format(task_id=notice.task_id)
    return base + CASE_PATH.format(instance_id=notice.instance_id)


class Composer:
    """Turns notices into letters for one installation (its address and time zone)."""

    def __init__(self, base_url: str, timezone: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.zone = ZoneInfo(timezone)

    def when(self, value: datetime, language: str) -> str:
        """``7 Des 2026 16.00 WIB``: local office time with its zone, as the pages show it."""
        pattern = "d MMM y HH.mm z" if language == "id" else "d MMM y HH:mm z"
        return format_datetime(value, pattern, tzinfo=self.zone, locale=language)

    def letter(self, notice: Notice, recipient: Recipient, today: datetime) -> Letter:
        lang = language_of(recipient)
        words = _WORDS[lang]
        subject = _SUBJECTS[lang][notice.kind].format(
            title=notice.title,
            case=notice.case_title or notice.title,
            day=format_datetime(today, "d MMM y", tzinfo=self.zone, locale=lang),
            total=notice.digest_total,
        )
        lines = [
            words["greeting"].format(name=recipient.name or recipient.username),
            "",
            _LEADS[lang][notice.kind].format(role=notice.role, actor=notice.actor or "-"),
            "",
        ]
        if notice.kind == Kind.DIGEST:
            for item in notice.digest:
                due = f" — {words['due']} {self.when(item.due, lang)}" if item.due else ""
                late = f" ({words['late']})" if item.overdue else ""
                lines.append(f"- {item.name} · {item.case_title}{due}{late}")
                lines.append(f"  {self.base_url}{TASK_PATH.format(task_id=item.task_id)}")
            if notice.digest_total > len(notice.digest):
                lines.append(words["more"].format(n=notice.digest_total - len(notice.digest)))
            lines += ["", f"{words['open_inbox']}: {link(self.base_url, notice)}"]
        else:
            if notice.kind != Kind.CASE_FINISHED:
                lines.append(f"{words['task']}: {notice.title}")
            lines.append(f"{words['process']}: {notice.process_name}")
            if notice.case_title:
                lines.append(f"{words['case']}: {notice.case_title}")
            if notice.due and notice.kind != Kind.CASE_FINISHED:
                lines.append(f"{words['due']}: {self.when(notice.due, lang)}")
            if notice.comment:
                lines.append(f"{words['note']}: {notice.comment}")
            opener = words["open_case"] if notice.kind == Kind.CASE_FINISHED else words["open_task"]
            lines += ["", f"{opener}: {link(self.base_url, notice)}"]
        lines += ["", "-- ", words["footer"].format(url=self.base_url + SETTINGS_PATH)]
        return Letter(recipient.email, _one_line(subject), "\n".join(lines) + "\n")


def _one_line(text: str, limit: int = 250) -> str:
    """A header must be one line; a long title is cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["CASE_PATH", "SETTINGS_PATH", "TASK_PATH", "Composer", "language_of", "link"]
