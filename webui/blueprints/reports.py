"""Compliance reports (issue 15): per process and per role, the monitoring form, event logs.

Pages only: the figures come from :mod:`engine.compliance`, :mod:`engine.monitoring` and
:mod:`engine.eventlog`; charts from :mod:`webui.report_charts`; files from
:mod:`webui.report_files`. Analysts (and admins) see every process; a user sees the page of a
role they hold, because a role's own figures are theirs to know.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from engine.compliance import (
    Compliance,
    ComplianceReport,
    ReportFilter,
    format_minutes,
    processes_of_role,
    roles_of_process,
)
from webui import report_charts, report_files
from webui.access import analyst_required, is_analyst, login_required
from webui.backend import backend
from webui.routing import query_int

bp = Blueprint("reports", __name__, url_prefix="/laporan")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CASE_ROWS = 50
"""Cases listed on the page (the latest); every case is in the CSV/XLSX."""


def _date(name: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400)


def _filter(key: str, role: str | None = None) -> ReportFilter:
    start, end = _date("dari"), _date("sampai")
    if start and end and end < start:
        abort(400)
    return ReportFilter(key, start=start, end=end, version=query_int("versi"),
                        role=role if role is not None else (request.args.get("peran") or None))


def _report(flt: ReportFilter) -> ComplianceReport:
    be = backend()
    return Compliance(be.store, be.runtime.calendar).report(flt, now=be.runtime.clock())


def _args(flt: ReportFilter) -> dict[str, Any]:
    """The filter as query arguments, for links to the downloads of the same figures."""
    out: dict[str, Any] = {}
    if flt.start:
        out["dari"] = flt.start.isoformat()
    if flt.end:
        out["sampai"] = flt.end.isoformat()
    if flt.version:
        out["versi"] = flt.version
    if flt.role:
        out["peran"] = flt.role
    return out


def _file(data: bytes, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _minutes(value: float | None, report: ComplianceReport) -> str:
    return format_minutes(value, report.office_day_minutes)


@bp.route("/")
@login_required
def index() -> Any:
    be = backend()
    processes = be.definitions.list() if is_analyst(g.user) else []
    return render_template("report_index.html", processes=processes, roles=g.user.roles)


@bp.route("/<key>")
@analyst_required
def process(key: str) -> Any:
    flt = _filter(key)
    report = _report(flt)
    be = backend()
    cases = sorted(report.cases, key=lambda c: c.started_at, reverse=True)[:CASE_ROWS]
    return render_template(
        "report.html",
        report=report,
        flt=flt,
        args=_args(flt),
        cases=cases,
        versions=[d.version for d in be.definitions.versions(key)],
        roles=roles_of_process(be.store, key),
        steps_chart=Markup(report_charts.steps_chart(report, _)),
        trend_chart=Markup(report_charts.trend_chart(report, _)),
        minutes=lambda v: _minutes(v, report),
        level=report_charts.lateness_level,
    )


@bp.route("/<key>/diagram.svg")
@analyst_required
def diagram(key: str) -> Any:
    """The process view coloured by lateness (the newest version in the filter)."""
    from converters.drawing.process_view import StepStatus, render_process

    be = backend()
    flt = _filter(key)
    report = _report(flt)
    definition = be.definitions.get(key, flt.version)
    status = {s.element_id: StepStatus("completed", s.executions) for s in report.steps
              if s.executions}  # fmt: skip
    try:
        svg = render_process(be.definitions.xml(definition.id), status, fmt="svg")
    except Exception:  # a drawing must never take the page down
        from webui.diagrams import placeholder

        return Response(placeholder("Diagram tidak dapat digambar"), mimetype="image/svg+xml")
    return Response(report_charts.colour_by_lateness(svg, report), mimetype="image/svg+xml")


@bp.route("/<key>/<table>.csv")
@analyst_required
def csv_table(key: str, table: str) -> Any:
    if table not in report_files.TABLES:
        abort(404)
    report = _report(_filter(key))
    return _file(report_files.to_csv(report, table), "text/csv; charset=utf-8",
                 f"kepatuhan-{key}-{table}.csv")


@bp.route("/<key>/laporan.xlsx")
@analyst_required
def xlsx(key: str) -> Any:
    return _file(report_files.to_xlsx(_report(_filter(key))), XLSX, f"kepatuhan-{key}.xlsx")


@bp.route("/<key>/laporan.pdf")
@analyst_required
def pdf(key: str) -> Any:
    return _file(report_files.report_pdf(_report(_filter(key))), "application/pdf",
                 f"kepatuhan-{key}.pdf")


def _form(key: str) -> Any:
    from engine.monitoring import build_form

    report = _report(_filter(key))
    number, unit = sop_identity(key, report.filter.version)
    return build_form(report, sop_number=number, unit=unit), report


def sop_identity(key: str, version: int | None) -> tuple[str, str]:
    """Nomor SOP and unit from the deployed BPMN (blank when the file does not say)."""
    be = backend()
    try:
        from converters.reading.sop_file import read_sop

        definition = be.definitions.get(key, version)
        sop = read_sop(be.definitions.xml(definition.id), f"{key}.bpmn")
        return sop.identity.number, sop.identity.unit or sop.identity.agency
    except Exception:  # a BPMN drawn elsewhere has no identity block: the official fills it
        return "", ""


@bp.route("/<key>/monitoring")
@analyst_required
def monitoring(key: str) -> Any:
    form, report = _form(key)
    return render_template("report_monitoring.html", form=form, report=report,
                           args=_args(report.filter))  # fmt: skip


@bp.route("/<key>/monitoring.<fmt>")
@analyst_required
def monitoring_file(key: str, fmt: str) -> Any:
    if fmt not in ("pdf", "docx"):
        abort(404)
    form = _form(key)[0]
    if fmt == "pdf":
        return _file(report_files.monitoring_pdf(form), "application/pdf",
                     f"monitoring-{key}.pdf")
    return _file(report_files.monitoring_docx(form), DOCX, f"monitoring-{key}.docx")


@bp.route("/<key>/log.<fmt>")
@analyst_required
def event_log(key: str, fmt: str) -> Any:
    from engine.eventlog import FORMATS, build_log, render

    if fmt not in FORMATS:
        abort(404)
    be = backend()
    flt = _filter(key)
    log = build_log(be.store, key, flt.start, flt.end, be.runtime.calendar, flt.version)
    mimetype = "application/xml" if fmt == "xes" else "text/csv; charset=utf-8"
    return _file(render(log, fmt), mimetype, f"log-{key}.{fmt}")


@bp.route("/peran/<path:role>")
@login_required
def role(role: str) -> Any:
    """One role across processes: its open, overdue and on-time work and its steps."""
    if not is_analyst(g.user) and role not in g.user.roles:
        abort(403)
    be = backend()
    reports = []
    for key in processes_of_role(be.store, role):
        try:
            reports.append(_report(_filter(key, role=role)))
        except Exception:  # a process removed since: skip it, the others still count
            continue
    return render_template("report_role.html", role=role, reports=reports,
                           minutes=lambda v, r: _minutes(v, r))  # fmt: skip
