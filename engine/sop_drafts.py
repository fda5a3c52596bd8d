"""SOP drafts: an uploaded SOP being corrected by analysts before it becomes a process.

Reading an SOP guesses (roles at 40 % confidence, a branch target from a lost arrow), so the
parsed model is not deployed at once: it becomes a *draft* that any analyst can open, correct
step by step and finally deploy. The draft lives in the database, not in a session or a temp
file, because corrections take days and several people, and every save is kept with who made
it, when, a one-line summary and the model after it, so the history of a correction can be
read (and an earlier state recovered) later.

Concurrent editing is guarded by the draft's ``revision``: a save names the revision it was
made from and loses (:class:`~engine.errors.Conflict`) when someone else saved in between,
instead of silently overwriting their correction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from converters.model import Sop
from engine.errors import BadInput, Conflict, NotFound
from engine.store import Store, inserted_id, sop_draft_saves, sop_drafts, utcnow

TITLE_MAX = 500
SUMMARY_MAX = 500


class DraftState(StrEnum):
    """Where a draft is in its life: being corrected, turned into a process, or given up."""

    OPEN = "open"
    DEPLOYED = "deployed"
    DISCARDED = "discarded"


_STATE_SUMMARY = {
    DraftState.OPEN: "Dibuka kembali",
    DraftState.DEPLOYED: "Diterapkan sebagai proses",
    DraftState.DISCARDED: "Dibuang",
}
"""The history line of a change of state (the summaries of edits come from the editor)."""


@dataclass(frozen=True)
class Draft:
    """One stored draft with its current SOP model."""

    id: int
    title: str
    filename: str
    sop: Sop
    state: DraftState
    revision: int
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class DraftSave:
    """One entry of a draft's history: the save that made ``revision``."""

    draft_id: int
    revision: int
    at: datetime
    user: str
    summary: str


def _dump(sop: Sop) -> str:
    return json.dumps(sop.to_dict(), ensure_ascii=False, sort_keys=True)


def _title(sop: Sop, filename: str) -> str:
    return (sop.identity.name or filename or "SOP")[:TITLE_MAX]


def _draft(row: Any) -> Draft:
    m = row._mapping
    return Draft(
        id=m["id"],
        title=m["title"],
        filename=m["filename"],
        sop=Sop.from_dict(json.loads(m["model"])),
        state=DraftState(m["state"]),
        revision=m["revision"],
        created_by=m["created_by"],
        created_at=m["created_at"],
        updated_by=m["updated_by"],
        updated_at=m["updated_at"],
    )


def _log_save(
    conn: sa.Connection, draft_id: int, revision: int, *, now: datetime, user: str,
    summary: str, model: str,
) -> None:
    """The history row of one save: who, when, what, and the model it left."""
    conn.execute(
        sop_draft_saves.insert().values(
            draft_id=draft_id, revision=revision, at=now, user=user,
            summary=summary[:SUMMARY_MAX], model=model,
        )
    )  # fmt: skip


def _advance(
    conn: sa.Connection, draft_id: int, revision: int, *, now: datetime, user: str,
    summary: str, model: str, **changes: object,
) -> None:
    """Move the draft to ``revision`` holding ``model`` (with ``changes``) and log it: every
    change after the upload goes through here, so the draft row and its history never
    disagree."""
    conn.execute(
        sop_drafts.update()
        .where(sop_drafts.c.id == draft_id)
        .values(revision=revision, model=model, updated_by=user, updated_at=now, **changes)
    )
    _log_save(conn, draft_id, revision, now=now, user=user, summary=summary, model=model)


class SopDrafts:
    """The drafts of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, sop: Sop, *, filename: str, user: str, summary: str = "") -> Draft:
        """A new open draft holding ``sop``; its first history entry is the upload."""
        now = utcnow()
        model = _dump(sop)
        with self.store.begin() as conn:
            draft_id = inserted_id(
                conn.execute(
                    sop_drafts.insert().values(
                        title=_title(sop, filename),
                        filename=filename[:300],
                        model=model,
                        state=DraftState.OPEN.value,
                        revision=1,
                        created_by=user,
                        created_at=now,
                        updated_by=user,
                        updated_at=now,
                    )
                )
            )
            _log_save(conn, draft_id, 1, now=now, user=user, summary=summary or filename,
                      model=model)
        return self.get(draft_id)

    def get(self, draft_id: int) -> Draft:
        with self.store.begin(write=False) as conn:
            row = conn.execute(sa.select(sop_drafts).where(sop_drafts.c.id == draft_id)).first()
        if row is None:
            raise NotFound(f"Draf SOP {draft_id} tidak ditemukan")
        return _draft(row)

    def in_state(self, state: DraftState | None = DraftState.OPEN) -> list[Draft]:
        """Drafts in ``state`` (None: all), the most recently changed first."""
        query = sa.select(sop_drafts).order_by(
            sop_drafts.c.updated_at.desc(), sop_drafts.c.id.desc()
        )
        if state is not None:
            query = query.where(sop_drafts.c.state == state.value)
        with self.store.begin(write=False) as conn:
            return [_draft(r) for r in conn.execute(query)]

    def save(
        self, draft_id: int, sop: Sop, *, user: str, summary: str, revision: int
    ) -> Draft:
        """Store ``sop`` as the draft's new model, made from ``revision``.

        Raises :class:`Conflict` when the draft moved on since ``revision`` (another analyst
        saved) or is no longer open, :class:`NotFound` when it does not exist."""
        now = utcnow()
        model = _dump(sop)
        with self.store.begin() as conn:
            current = self._locked(conn, draft_id)
            if current["state"] != DraftState.OPEN.value:
                raise Conflict(f"Draf SOP {draft_id} sudah tidak terbuka; tidak dapat diubah")
            if current["revision"] != revision:
                raise Conflict(
                    f"Draf SOP {draft_id} telah diubah oleh {current['updated_by']} "
                    f"(revisi {current['revision']}); muat ulang halaman lalu ulangi perubahan"
                )
            _advance(conn, draft_id, revision + 1, now=now, user=user, summary=summary,
                     model=model, title=_title(sop, current["filename"]))
        return self.get(draft_id)

    def set_state(self, draft_id: int, state: DraftState, *, user: str) -> Draft:
        """Close (deployed / discarded) or reopen a draft; recorded in its history."""
        now = utcnow()
        with self.store.begin() as conn:
            current = self._locked(conn, draft_id)
            _advance(conn, draft_id, current["revision"] + 1, now=now, user=user,
                     summary=_STATE_SUMMARY[state], model=current["model"], state=state.value)
        return self.get(draft_id)

    def history(self, draft_id: int) -> list[DraftSave]:
        """Every save of the draft, the newest first."""
        self.get(draft_id)  # NotFound for an unknown draft, not an empty history
        query = (
            sa.select(
                sop_draft_saves.c.revision, sop_draft_saves.c.at, sop_draft_saves.c.user,
                sop_draft_saves.c.summary,
            )
            .where(sop_draft_saves.c.draft_id == draft_id)
            .order_by(sop_draft_saves.c.revision.desc())
        )  # fmt: skip
        with self.store.begin(write=False) as conn:
            return [
                DraftSave(draft_id, r.revision, r.at, r.user, r.summary)
                for r in conn.execute(query)
            ]

    def model_at(self, draft_id: int, revision: int) -> Sop:
        """The SOP model as the save that made ``revision`` left it."""
        query = sa.select(sop_draft_saves.c.model).where(
            sop_draft_saves.c.draft_id == draft_id, sop_draft_saves.c.revision == revision
        )
        with self.store.begin(write=False) as conn:
            model = conn.execute(query).scalar()
        if model is None:
            raise NotFound(f"Revisi {revision} draf SOP {draft_id} tidak ditemukan")
        return Sop.from_dict(json.loads(model))

    def _locked(self, conn: sa.Connection, draft_id: int) -> Any:
        """The draft row, locked for this write transaction (SQLite: BEGIN IMMEDIATE)."""
        if draft_id < 1:
            raise BadInput("Nomor draf tidak valid")
        query = sa.select(sop_drafts).where(sop_drafts.c.id == draft_id)
        if self.store.dialect == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"Draf SOP {draft_id} tidak ditemukan")
        return row._mapping


__all__ = ["Draft", "DraftSave", "DraftState", "SopDrafts"]
