"""Camunda generated task forms: read at deploy, validated on every submit.

Why here and not in the web UI: the form's rules (type, required, min/max, enum values) are
part of the process an analyst drew in Camunda Modeler, and the CLI and the web page must
enforce the same ones before anything reaches SpiffWorkflow's task data (which conditions
such as ``${jumlah > 1000000}`` then test). The page only renders what :class:`FormField`
says; this module decides what a submitted text means.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lxml import etree

from converters.bpmn.names import BPMN, CAMUNDA, q
from engine.analysis import FORM_TYPES, Choice, FormField
from engine.errors import BadInput

MAX_TEXT = 4000
"""A string field's longest value (a form is not a document store)."""
_TRUE = ("1", "true", "on", "ya", "yes")
_FALSE = ("", "0", "false", "off", "tidak", "no")


def read_form(task: etree._Element) -> tuple[tuple[FormField, ...], list[str]]:
    """The ``camunda:formField``s of ``task`` and a reason for each one Alur cannot show.

    Reasons are one-line Indonesian texts (English in parentheses) for the deploy report.
    """
    fields: list[FormField] = []
    problems: list[str] = []
    path = f"{q(BPMN, 'extensionElements')}/{q(CAMUNDA, 'formData')}/{q(CAMUNDA, 'formField')}"
    for node in task.iterfind(path):
        field_id = node.get("id") or ""
        kind = node.get("type") or "string"
        if kind not in FORM_TYPES:
            problems.append(
                f"field formulir {field_id!r} berjenis {kind!r}; yang didukung: "
                f"{', '.join(FORM_TYPES)} (unsupported form field type)"
            )
            continue
        default = node.get("defaultValue") or ""
        if "${" in default or "#{" in default:
            problems.append(
                f"nilai bawaan field {field_id!r} berupa ekspresi {default!r} tidak didukung "
                "(expression as default value)"
            )
            default = ""
        choices: tuple[Choice, ...] = ()
        if kind == "enum":
            choices = tuple(
                Choice(v.get("id") or "", v.get("name") or v.get("id") or "")
                for v in node.findall(q(CAMUNDA, "value"))
            )
        rules = {
            (c.get("name") or ""): (c.get("config") or "")
            for c in node.iterfind(f"{q(CAMUNDA, 'validation')}/{q(CAMUNDA, 'constraint')}")
        }
        minimum = rules.get("min") or rules.get("minlength") or ""
        maximum = rules.get("max") or rules.get("maxlength") or ""
        form_field = FormField(
            id=field_id,
            label=" ".join((node.get("label") or "").split()),
            type=kind,
            choices=choices,
            default=default,
            required="required" in rules,
            readonly="readonly" in rules,
            minimum=minimum,
            maximum=maximum,
        )
        for bound in (minimum, maximum):
            if bound and _bound(form_field, bound) is None:
                problems.append(
                    f"batas {bound!r} field {field_id!r} tidak sesuai jenis {kind} "
                    "(invalid min/max)"
                )
        if default:
            try:
                coerce(form_field, default)
            except BadInput as exc:
                problems.append(f"nilai bawaan tidak sah: {exc.message}")
        fields.append(form_field)
    return tuple(fields), problems


def coerce_form(fields: tuple[FormField, ...], submitted: Mapping[str, str]) -> dict[str, Any]:
    """The process variables of a submitted form, typed; :class:`BadInput` (HTTP 400, exit
    code 2) naming the field when a value breaks the form's rules. A field not submitted at
    all takes its default (the CLI sends only what the user typed); a read-only field always
    keeps its default. Unknown names are refused: they would write variables no form has."""
    known = {f.id for f in fields}
    unknown = sorted(set(submitted) - known)
    if unknown:
        raise BadInput(f"Field formulir tidak dikenal: {', '.join(unknown)} (unknown form field)")
    out: dict[str, Any] = {}
    for form_field in fields:
        if form_field.readonly or form_field.id not in submitted:
            raw = form_field.default
        else:
            raw = submitted[form_field.id]
        out[form_field.id] = coerce(form_field, raw)
    return out


def coerce(form_field: FormField, raw: str) -> Any:
    """One field's typed value (see :func:`coerce_form`)."""
    name = f"“{form_field.title}”"
    text = (raw or "").strip()
    if form_field.type == "boolean":
        if text.casefold() in _TRUE:
            return True
        if text.casefold() in _FALSE:  # a checkbox left empty is an answer: "no"
            return False
        raise BadInput(f"Isian {name} harus ya/tidak (must be true or false)")
    if not text:
        if form_field.required:
            raise BadInput(f"Isian {name} wajib diisi (required)")
        return "" if form_field.type == "string" else None
    if form_field.type == "long":
        try:
            value: Any = int(text.replace(".", "")) if _grouped(text) else int(text)
        except ValueError:
            raise BadInput(f"Isian {name} harus bilangan bulat (must be a whole number)") from None
        if abs(value) >= 2**63:
            raise BadInput(f"Isian {name} terlalu besar (number too large)")
    elif form_field.type == "date":
        value = _date(text)
        if value is None:
            raise BadInput(f"Isian {name} harus tanggal, mis. 2026-03-31 (must be a date)")
    elif form_field.type == "enum":
        ids = [c.id for c in form_field.choices]
        by_name = {c.name.casefold(): c.id for c in form_field.choices}
        value = text if text in ids else by_name.get(text.casefold())
        if value is None:
            raise BadInput(
                f"Isian {name} harus salah satu dari: {', '.join(ids)} (not an allowed value)"
            )
    else:
        if len(text) > MAX_TEXT:
            raise BadInput(f"Isian {name} paling panjang {MAX_TEXT} karakter (too long)")
        value = text
    _check_bounds(form_field, value, name)
    return value


def display(form_field: FormField, value: Any) -> str:
    """A stored value as the case history shows it (enum ids as their names, ya/tidak)."""
    if value is None or value == "":
        return "–"
    if form_field.type == "boolean":
        return "ya" if value else "tidak"
    if form_field.type == "enum":
        return next((c.name for c in form_field.choices if c.id == value), str(value))
    return str(value)


def _grouped(text: str) -> bool:
    """ "1.500.000" as Indonesians write a whole number (dots group thousands)."""
    parts = text.lstrip("-").split(".")
    return len(parts) > 1 and all(len(p) == 3 for p in parts[1:]) and parts[0].isdigit()


def _date(text: str) -> str | None:
    """ISO ``YYYY-MM-DD`` (what a browser date input sends) or Camunda's ``dd/MM/yyyy``,
    stored as the ISO text so conditions can compare dates as strings."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _bound(form_field: FormField, text: str) -> int | str | None:
    if form_field.type in ("long", "string"):
        try:
            return int(text)
        except ValueError:
            return None
    if form_field.type == "date":
        return _date(text)
    return None


def _check_bounds(form_field: FormField, value: Any, name: str) -> None:
    low = _bound(form_field, form_field.minimum) if form_field.minimum else None
    high = _bound(form_field, form_field.maximum) if form_field.maximum else None
    measured: Any = len(value) if form_field.type == "string" else value
    unit = " karakter" if form_field.type == "string" else ""
    if low is not None and measured < low:
        raise BadInput(f"Isian {name} paling sedikit {low}{unit} (below minimum)")
    if high is not None and measured > high:
        raise BadInput(f"Isian {name} paling banyak {high}{unit} (above maximum)")


__all__ = ["coerce", "coerce_form", "display", "read_form"]
