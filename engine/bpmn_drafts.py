"""BPMN drafts: a deployed version as an analyst is editing it in the embedded modeler.

Why on the server and not in the browser: an analyst who saves a draft expects it to be there
after a reload, on another computer, and for the other analysts; and the draft is one more
thing a backup must carry. There is one draft per deployed version (the version it was opened
from): saving again replaces it, deploying it goes through the preview like any other BPMN and
leaves the draft until someone discards it.

A draft need not be deployable (that is what the modeler's "Validasi" is for), but it must be
a BPMN document the modeler can open again: well-formed, within the size and safety limits of
the one BPMN parser (:func:`converters.bpmn.xml.parse_safely`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from engine.errors import BadInput, NotFound
from engine.store import Store, bpmn_drafts, definitions, utcnow


@dataclass(frozen=True)
class BpmnDraft:
    """The stored draft of one deployed version (``definition_id``), with its last save."""

    definition_id: int
    xml: bytes
    saved_by: str
    saved_at: datetime


def checked_xml(xml: bytes) -> bytes:
    """``xml`` when it is a BPMN document the modeler can reopen; else :class:`BadInput`."""
    from lxml import etree

    from converters.bpmn.names import BPMN
    from converters.bpmn.xml import UnsafeXml, parse_safely

    if not xml.strip():
        raise BadInput("Draf BPMN kosong")
    try:
        root = parse_safely(xml).getroot()
    except UnsafeXml as exc:
        raise BadInput(str(exc)) from None
    except etree.XMLSyntaxError as exc:
        raise BadInput(f"Draf bukan XML yang sah: {exc}") from None
    if root.tag != f"{{{BPMN}}}definitions":
        raise BadInput("Draf bukan dokumen BPMN (elemen akar bukan bpmn:definitions)")
    return xml


class BpmnDrafts:
    """Read, save and discard the drafts; each method is one transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, definition_id: int) -> BpmnDraft | None:
        with self.store.begin(write=False) as conn:
            row = conn.execute(
                sa.select(bpmn_drafts).where(bpmn_drafts.c.definition_id == definition_id)
            ).first()
        if row is None:
            return None
        return BpmnDraft(
            definition_id=row.definition_id,
            xml=bytes(row.xml),
            saved_by=row.saved_by,
            saved_at=row.saved_at,
        )

    def save(self, definition_id: int, xml: bytes, user: str) -> BpmnDraft:
        """Store ``xml`` as the draft of ``definition_id`` (replacing an earlier one)."""
        data = checked_xml(xml)
        now = utcnow()
        values = {"xml": data, "saved_by": user, "saved_at": now}
        for _attempt in range(3):
            try:
                with self.store.begin() as conn:
                    known = conn.execute(
                        sa.select(definitions.c.id).where(definitions.c.id == definition_id)
                    ).first()
                    if known is None:
                        raise NotFound(f"Definisi proses {definition_id} tidak ada")
                    updated = conn.execute(
                        bpmn_drafts.update()
                        .where(bpmn_drafts.c.definition_id == definition_id)
                        .values(**values)
                    )
                    if not updated.rowcount:
                        conn.execute(
                            bpmn_drafts.insert().values(definition_id=definition_id, **values)
                        )
                return BpmnDraft(definition_id, data, user, now)
            except sa.exc.IntegrityError:  # another save inserted the row first: update it
                continue
        raise BadInput("Draf tidak dapat disimpan; coba lagi")

    def discard(self, definition_id: int) -> bool:
        """Forget the draft; False when there was none."""
        with self.store.begin() as conn:
            result = conn.execute(
                bpmn_drafts.delete().where(bpmn_drafts.c.definition_id == definition_id)
            )
        return bool(result.rowcount)


__all__ = ["BpmnDraft", "BpmnDrafts", "checked_xml"]
