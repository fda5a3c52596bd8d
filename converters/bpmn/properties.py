"""camunda:properties: how a BPMN element's extension properties are read, and a step's time.

The BPMN reader (SOP model from a BPMN) and the engine (due dates of running tasks) both read
the properties the writer stored under the keys of :mod:`converters.bpmn.names`. They read
them here, through one rule each, so a file means the same thing to both: the same property
wins when a name repeats, and the same Mutu Baku "Waktu" comes out of the same task.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from lxml import etree

from converters.bpmn import names as ns
from converters.bpmn.names import BPMN, CAMUNDA, q
from converters.model import Duration
from converters.reading.durations import parse_duration

MINUTES_PER_WORKING_DAY = 480
"""One working day in minutes: the converters.reading.durations convention."""

_ISO = re.compile(
    r"^P(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def read_properties(element: etree._Element) -> dict[str, str]:
    """camunda:property name → value directly under the element's extensionElements.

    A name that repeats keeps its first value (the Modeler lists properties in the order it
    shows them); a property without a name means nothing and is skipped.
    """
    out: dict[str, str] = {}
    ext = element.find(q(BPMN, "extensionElements"))
    if ext is None:
        return out
    for holder in ext.findall(q(CAMUNDA, "properties")):
        for prop in holder.findall(q(CAMUNDA, "property")):
            name = prop.get("name")
            if name:
                out.setdefault(name, prop.get("value", ""))
    return out


def duration_from_properties(props: Mapping[str, str]) -> Duration:
    """A task's Mutu Baku "Waktu" from its camunda:properties, never stale.

    * The numbers Alur stored are used while the ``waktu`` text is the one they were computed
      from (``waktu_cek``): the round trip through BPMN is exact.
    * Once an analyst edited the text in Camunda Modeler (the fingerprint no longer matches),
      the text is what the SOP now says: it is parsed again with
      :func:`converters.reading.durations.parse_duration`.
    * Without stored minutes (a task drawn in the Modeler, or one given only ``waktu_iso``)
      the minutes come from ``waktu_iso``; the text, when it says the same, decides whether the
      time counts working days ("1 x 24 jam" is wall-clock, "1 hari" is a working day).
    * A task without a fingerprint that carries only a text has the text parsed.

    No time at all gives a Duration whose minutes are None (the engine sets no due date).
    """
    text = props.get(ns.P_DURATION, "")
    check = props.get(ns.P_DURATION_CHECK)
    if check is not None and check != ns.text_check(text):
        return _parse_text(text)
    stored = Duration(
        text=text,
        min_minutes=_int(props.get(ns.P_DURATION_MIN)),
        max_minutes=_int(props.get(ns.P_DURATION_MAX)),
        iso=props.get(ns.P_DURATION_ISO) or None,
        working_days=props.get(ns.P_DURATION_WORKDAYS, "").strip().lower() in ("ya", "true", "1"),
        per_unit=props.get(ns.P_DURATION_UNIT),
    )
    if stored.max_minutes is not None:
        return stored
    from_iso = duration_from_iso(stored.iso) if stored.iso else None
    if from_iso is not None:
        if text.strip():
            from_text = _parse_text(text)
            if from_text.max_minutes == from_iso.max_minutes:
                return from_text
        return dataclasses.replace(from_iso, text=text, per_unit=stored.per_unit)
    if check is None and text.strip():
        return _parse_text(text)
    return stored


def duration_from_iso(iso: str) -> Duration | None:
    """An ISO 8601 duration as a :class:`Duration` (days and longer count working time:
    a week is 5 working days, a month 20); None when ``iso`` is not one."""
    m = _ISO.match(iso.strip().upper())
    if not m or iso.strip().upper() in ("P", "PT"):
        return None
    n = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    working = n["w"] * 5 + n["mo"] * 20 + n["d"]
    wall = n["h"] * 60 + n["mi"] + n["s"] / 60
    if working and wall:
        working += wall / MINUTES_PER_WORKING_DAY
        wall = 0
    minutes = round(working * MINUTES_PER_WORKING_DAY) if working else round(wall)
    return Duration(
        text=iso, min_minutes=minutes, max_minutes=minutes, iso=iso, working_days=bool(working)
    )


def _parse_text(text: str) -> Duration:
    """The parser's reading of ``text``, keeping the text exactly as the analyst wrote it."""
    parsed = parse_duration(text)
    return parsed if parsed.text == text else dataclasses.replace(parsed, text=text)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None and value.strip() else None
    except ValueError:
        return None


__all__ = [
    "MINUTES_PER_WORKING_DAY",
    "duration_from_iso",
    "duration_from_properties",
    "read_properties",
]
