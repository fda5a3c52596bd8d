"""The agency (instansi) beside a process name, so two SOPs with one name differ on the page.

Read from the deployed BPMN by :func:`engine.agency.agency_of` once per definition id (a
deployed version never changes) and kept for the life of the app.
"""

from __future__ import annotations

from flask import current_app

from webui.backend import backend


def agency_of(definition_id: int) -> str:
    """The instansi of deployed definition ``definition_id`` ("" when its SOP does not say)."""
    cache: dict[int, str] = current_app.extensions.setdefault("alur.agencies", {})
    if definition_id not in cache:
        from engine.agency import agency_of as read_agency

        try:
            cache[definition_id] = read_agency(backend().definitions.xml(definition_id))
        except Exception:  # unknown id or unreadable file: the name alone is shown
            cache[definition_id] = ""
    return cache[definition_id]
