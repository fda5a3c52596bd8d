"""How large an upload may be: the limits of the web UI, stated once and worded once.

Two limits, each with a default here and an ``ALUR_*`` variable to change it:

* a **document** (an SOP document of any kind the command line reads, or a BPMN file) may be
  ``ALUR_MAX_UPLOAD_BYTES``; it is also the whole request's limit (Flask's
  ``MAX_CONTENT_LENGTH``, answered with the 413 page), since a document upload is that one
  file and a CSRF token;
* an **attachment** of a task may be ``ALUR_ATTACHMENT_MAX_BYTES`` each, and all attachments
  of one submit together stay under the request's limit.

Every place that states a limit (the upload pages, the task page, a refusal, the 413 page)
takes its sentence from :func:`document_rule` or :func:`attachment_rule`, so the number and
the words are the same everywhere. Sizes are decimal megabytes (1 MB = 1,000,000 bytes), in
the reader's number format ("4,5 MB" in Indonesian).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

DOCUMENT_BYTES = 10_000_000
"""Default largest SOP document or BPMN file (and whole request)."""
ATTACHMENT_BYTES = 5_000_000
"""Default largest single attachment."""
ATTACHMENT_ENDPOINTS = frozenset({"tasks.complete", "tasks.note"})
"""The views whose uploads are attachments (a 413 there states the attachment rule)."""


@dataclass(frozen=True)
class Limits:
    """The limits in force for one app."""

    document_bytes: int
    attachment_bytes: int

    @property
    def request_bytes(self) -> int:
        """Flask's ``MAX_CONTENT_LENGTH``."""
        return self.document_bytes

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Limits:
        return cls(
            document_bytes=int(config.get("MAX_CONTENT_LENGTH") or DOCUMENT_BYTES),
            attachment_bytes=int(config.get("ALUR_ATTACHMENT_MAX_BYTES") or ATTACHMENT_BYTES),
        )


def current() -> Limits:
    return Limits.of(current_app.config)


def megabytes(n: int) -> str:
    """``5_000_000`` → "5 MB"; ``4_500_000`` → "4,5 MB" (Indonesian) / "4.5 MB" (English)."""
    return f"{format_decimal(n / 1_000_000, format='#,##0.###')} MB"


def document_rule() -> str:
    """The one sentence that states the document limit."""
    return _("Paling besar %(size)s per berkas.", size=megabytes(current().document_bytes))


def attachment_rule() -> str:
    """The one sentence that states the attachment limit."""
    limits = current()
    return _(
        "Paling besar %(each)s per berkas, %(total)s untuk semua lampiran sekaligus.",
        each=megabytes(limits.attachment_bytes),
        total=megabytes(limits.request_bytes),
    )


def rule_for(endpoint: str | None) -> str:
    """The rule of the upload a view takes (for the 413 page, which knows only the view)."""
    return attachment_rule() if endpoint in ATTACHMENT_ENDPOINTS else document_rule()


def too_large(name: str, rule: str) -> str:
    """The refusal of one file over its limit, worded with the rule it broke."""
    return _("Berkas %(name)s melebihi batas. %(rule)s", name=name, rule=rule)


def init_app(app: Flask) -> None:
    """Templates state the limits with ``document_rule()`` / ``attachment_rule()``."""
    app.jinja_env.globals.update(document_rule=document_rule, attachment_rule=attachment_rule)
