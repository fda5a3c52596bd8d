"""Names shared by the BPMN writer, reader and validator: namespaces, property keys, slugs,
and the rules that name tasks and gateways.

They live in one module so the writer and the reader cannot drift apart: a property the writer
emits under one key is read back under the very same key.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

from converters.model import Decision

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
MODELER = "http://camunda.org/schema/modeler/1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

NSMAP = {
    "bpmn": BPMN,
    "bpmndi": BPMNDI,
    "dc": DC,
    "di": DI,
    "camunda": CAMUNDA,
    "modeler": MODELER,
    "xsi": XSI,
}

EXPORTER = "Alur"
EXPORTER_VERSION = "0.1.0"
EXECUTION_PLATFORM = "Camunda Platform"
EXECUTION_PLATFORM_VERSION = "7.21.0"
HISTORY_TIME_TO_LIVE = "180"  # days; Camunda 7 refuses to deploy a process without it

DECISION_FIELD = "keputusan"
"""The form field (process variable) a decision task writes and its gateway tests."""

FORMAT_PROPERTY = "alur_format"
FORMAT_VERSION = "1"

# -- step properties (camunda:properties on a userTask) ----------------------------------------
P_NUMBER = "langkah"
P_REQUIREMENTS = "kelengkapan"
P_DURATION = "waktu"
P_DURATION_ISO = "waktu_iso"
P_DURATION_MIN = "waktu_menit_min"
P_DURATION_MAX = "waktu_menit_maks"
P_DURATION_WORKDAYS = "waktu_hari_kerja"
P_DURATION_UNIT = "waktu_per_satuan"
P_DURATION_CHECK = "waktu_cek"  # fingerprint of the waktu text the numbers were computed from
P_OUTPUT = "output"
P_NOTES = "keterangan"
P_OTHER_ROLES = "peran_lain"  # peran_lain_1, peran_lain_2, ...
P_QUESTION = "pertanyaan"

# -- process properties (identity and header sections) -----------------------------------------
IDENTITY_KEYS = (("number", "nomor"), ("name", "nama"), ("agency", "instansi"), ("unit", "unit"))
DATE_KEYS = (
    ("created", "tanggal_pembuatan"),
    ("revised", "tanggal_revisi"),
    ("effective", "tanggal_efektif"),
)
APPROVER_PREFIX = "disahkan"
APPROVER_KEYS = (
    ("position", "jabatan"),
    ("name", "nama"),
    ("id_number", "nomor_identitas"),
    ("id_kind", "jenis_identitas"),
    ("rank", "pangkat"),
)
SECTION_KEYS = (
    ("legal_basis", "dasar_hukum"),
    ("qualifications", "kualifikasi"),
    ("related_sops", "keterkaitan"),
    ("equipment", "peralatan"),
    ("cautions", "peringatan"),
    ("records", "pencatatan"),
)

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (OCR output sometimes has them)."""
    return _ILLEGAL_XML.sub("", text)


def slug(text: str, sep: str = "_") -> str:
    """ASCII word characters joined by ``sep``: "Tidak setuju" -> "tidak_setuju"."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return sep.join(re.findall(r"[A-Za-z0-9]+", norm))


def ncname(text: str, prefix: str, limit: int = 48) -> str:
    """A readable XML id (NCName) from free text, always starting with ``prefix``.

    Long text is cut at a word boundary so ids stay readable ("..._Utama", not "..._Uta").
    """
    return f"{prefix}_{s}" if (s := cut_slug(text, limit)) else prefix


def cut_slug(text: str, limit: int) -> str:
    """:func:`slug` of ``text`` at most ``limit`` characters long, cut between words."""
    s = slug(text)
    if len(s) > limit:
        cut = s[: limit + 1]
        s = cut[: cut.rindex("_")] if "_" in cut[1:] else s[:limit]
    return s.strip("_")


def value_slug(label: str, index: int) -> str:
    """The enum value id of a decision label: "Tidak setuju" -> "tidak_setuju"."""
    s = slug(label).lower()
    return s or f"pilihan_{index + 1}"


def text_check(text: str) -> str:
    """A short fingerprint of a text, stored beside values computed from it.

    When an analyst edits ``waktu`` in Camunda Modeler but not the numbers derived from it,
    the fingerprint no longer matches and readers recompute the numbers from the new text.
    """
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


# -- element names -----------------------------------------------------------------------------
# Part of the file format: the reader compares a task's (gateway's) name with these to tell an
# analyst's rename from the name Alur gave, so the writer and the reader must share them.

SHORT_NAME_MAX = 50

_CLAUSE_BREAK = re.compile(
    r"\s*(?:[,;.:]\s+|\s-\s|\s(?:kemudian|selanjutnya|lalu|serta|dan jika|jika|apabila"
    r"|bila|untuk kemudian|dan apabila)\s)",
    re.IGNORECASE,
)
_DANGLING = re.compile(
    r"(?:\s+(?:untuk|dan|yang|ke|kepada|dengan|dari|di|serta|atau|oleh))+$", re.IGNORECASE
)


def short_name(activity: str, number: int) -> str:
    """The task label: the activity's first clause, at most :data:`SHORT_NAME_MAX` characters.

    Part of the file format: :mod:`converters.bpmn.reader` compares a task's name with this
    to tell an analyst's rename from the name Alur gave, so change it only with care.
    """
    text = " ".join(activity.split())
    if not text:
        return f"Langkah {number}"
    for m in _CLAUSE_BREAK.finditer(text):
        head = text[: m.start()]
        if m.start() >= 8 and head.count("(") <= head.count(")"):  # not inside brackets
            text = text[: m.start()]
            break
    text = _tidy(text)
    if len(text) > SHORT_NAME_MAX:
        cut = text[: SHORT_NAME_MAX - 1]
        if " " in cut[20:]:
            cut = cut[: cut.rindex(" ")]
        text = _tidy(cut) + "…"
    return text or f"Langkah {number}"


def _tidy(text: str) -> str:
    """No trailing punctuation or connective ("... untuk"), no bracket left open."""
    text = _DANGLING.sub("", text.rstrip(" ,;.:"))
    if text.count("(") > text.count(")"):
        cut = text.rfind("(")
        text = _DANGLING.sub("", text[:cut].rstrip(" ,;.:")) if cut >= 8 else text + ")"
    return text


def gateway_name(decision: Decision) -> str:
    """The text on the decision diamond: the SOP's question, else "Setuju?"-like.

    A yes/no pair says nothing by itself ("Ya?"), so it becomes "Keputusan?".
    """
    if decision.question.strip():
        return decision.question
    first = decision.labels[0].strip()
    if not first or first.lower() in ("ya", "yes", "y"):
        return "Keputusan?"
    return f"{first}?"


def q(ns: str, tag: str) -> str:
    """Clark notation ``{ns}tag`` for lxml."""
    return f"{{{ns}}}{tag}"


# BPMN flow-node element names (local tag names), shared by the reader and the validator.
ACTIVITY_TAGS = frozenset({
    "task",
    "userTask",
    "manualTask",
    "serviceTask",
    "scriptTask",
    "sendTask",
    "receiveTask",
    "businessRuleTask",
    "callActivity",
    "subProcess",
})
GATEWAY_TAGS = frozenset({
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "complexGateway",
    "eventBasedGateway",
})
EVENT_TAGS = frozenset({
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
})
FLOW_NODE_TAGS = ACTIVITY_TAGS | GATEWAY_TAGS | EVENT_TAGS
