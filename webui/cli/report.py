"""``alur report`` and ``alur export-log``: compliance figures and event logs at the command line.

The same figures and files as the web UI's report pages (issue 15), for offices that run the
monitoring from a script or a cron job. The database comes from ``ALUR_DATABASE_URL`` as for
every engine command.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from webui.cli import CliError

REPORT_FORMATS = ("text", "csv", "xlsx", "pdf")
FORM_FORMATS = ("text", "pdf", "docx")


def register(subparsers: Any) -> None:
    report = subparsers.add_parser(
        "report", help="laporan kepatuhan SOP terhadap Mutu Baku (atau formulir monitoring)"
    )
    report.add_argument("process", metavar="PROSES", help="kunci proses (process id)")
    _period(report)
    report.add_argument("--version", type=int, default=None, metavar="N",
                        help="hanya versi proses ini (bawaan: semua versi)")
    report.add_argument("--role", default=None, metavar="PERAN",
                        help="hanya langkah lane peran ini")
    report.add_argument("--format", choices=sorted({*REPORT_FORMATS, *FORM_FORMATS}),
                        default="text", help="text|csv|xlsx|pdf; formulir: text|pdf|docx")
    report.add_argument("--table", default="langkah",
                        help="tabel untuk --format csv: langkah|peran|pengguna|kasus|bulan")
    report.add_argument("--monitoring", action="store_true",
                        help="formulir monitoring Permenpan RB 35/2012 (--format text|pdf|docx)")
    report.add_argument("-o", "--output", default=None, metavar="FILE",
                        help="tulis ke berkas ini (bawaan: layar, untuk text/csv)")
    report.set_defaults(func=_report)

    log = subparsers.add_parser("export-log", help="log peristiwa untuk process mining")
    log.add_argument("process", metavar="PROSES", help="kunci proses (process id)")
    _period(log)
    log.add_argument("--version", type=int, default=None, metavar="N",
                     help="hanya versi proses ini (bawaan: semua versi)")
    log.add_argument("--format", choices=("xes", "csv"), default="xes",
                     help="xes (ProM, Disco, pm4py) atau csv (bawaan: xes)")
    log.add_argument("-o", "--output", default=None, metavar="FILE",
                     help="tulis ke berkas ini (bawaan: layar)")
    log.set_defaults(func=_export_log)


def _period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=_day, default=None, metavar="YYYY-MM-DD",
                        help="kasus yang dimulai sejak tanggal ini")
    parser.add_argument("--to", dest="end", type=_day, default=None, metavar="YYYY-MM-DD",
                        help="kasus yang dimulai sampai tanggal ini")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal tidak sah: {text!r} (YYYY-MM-DD)") from None


def _engine() -> Any:
    from webui.cli.engine import _Engine

    return _Engine()


def _write(data: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _report(args: argparse.Namespace) -> int:
    from engine.compliance import Compliance, ReportFilter
    from engine.errors import EngineError
    from webui import report_files

    eng = _engine()
    if args.start and args.end and args.end < args.start:
        raise CliError("--to lebih awal dari --from")
    flt = ReportFilter(args.process, args.start, args.end, args.version, args.role)
    try:
        report = Compliance(eng.store, eng.runtime.calendar).report(flt, now=eng.runtime.clock())
    except EngineError as exc:
        raise CliError(exc.message) from None
    if args.monitoring:
        from engine.monitoring import build_form

        form = build_form(report)
        if args.format == "pdf":
            _write(report_files.monitoring_pdf(form), args.output)
        elif args.format == "docx":
            _write(report_files.monitoring_docx(form), args.output)
        elif args.format == "text":
            _write(_form_text(form).encode("utf-8"), args.output)
        else:
            raise CliError(f"formulir monitoring: pilih --format {'|'.join(FORM_FORMATS)}")
        return 0
    if args.format == "docx":
        raise CliError("docx hanya untuk --monitoring")
    if args.format == "csv":
        if args.table not in report_files.TABLES:
            raise CliError(f"tabel tidak dikenal: {args.table}")
        _write(report_files.to_csv(report, args.table), args.output)
    elif args.format == "xlsx":
        _write(report_files.to_xlsx(report), args.output or _refuse_tty())
    elif args.format == "pdf":
        _write(report_files.report_pdf(report), args.output or _refuse_tty())
    else:
        _write(_text(report).encode("utf-8"), args.output)
    return 0


def _refuse_tty() -> str | None:
    if sys.stdout.isatty():
        raise CliError("berkas biner: beri -o FILE atau alihkan keluaran")
    return None


def _text(report: Any) -> str:
    from engine.compliance import format_minutes

    day = report.office_day_minutes
    f = report.filter
    share = report.on_time_share
    lines = [
        f"{report.process_name} ({f.process_key})",
        f"periode {f.start or 'awal'} s.d. {f.end or 'sekarang'}; versi "
        f"{', '.join(map(str, report.versions)) or '-'}; peran {f.role or 'semua'}",
        f"kasus {len(report.cases)} (selesai {report.cases_completed}, dalam Mutu Baku "
        f"{report.cases_on_time}); langkah selesai {report.completed}; tepat waktu "
        f"{report.on_time}/{report.with_due}"
        + (f" ({round(share * 100)}%)" if share is not None else "")
        + f"; ditolak {report.rejections}",
        "",
        f"{'langkah':40} {'mutu baku':>14} {'n':>5} {'median':>14} {'p90':>14} "
        f"{'tepat':>6} {'tolak':>6} {'klaim':>12}",
    ]
    for s in report.steps:
        pct = f"{round(s.on_time_share * 100)}%" if s.on_time_share is not None else "-"
        lines.append(
            f"{s.label[:40]:40} {(s.mutu_baku_text or '-')[:14]:>14} {s.executions:>5} "
            f"{format_minutes(s.duration.median, day):>14} "
            f"{format_minutes(s.duration.p90, day):>14} {pct:>6} {s.rejections:>6} "
            f"{format_minutes(s.waiting.median, day):>12}"
        )
    lines.append("")
    for p in report.roles:
        pct = f"{round(p.on_time_share * 100)}%" if p.on_time_share is not None else "-"
        lines.append(f"peran {p.name}: terbuka {p.open}, terlambat {p.overdue}, "
                     f"selesai {p.completed}, tepat waktu {pct}")  # fmt: skip
    return "\n".join(lines) + "\n"


def _form_text(form: Any) -> str:
    lines = [f"FORMULIR MONITORING PELAKSANAAN SOP AP: {form.sop_name}",
             f"periode {form.period_text}", ""]  # fmt: skip
    for r in form.rows:
        verdict = "Ya" if r.followed else "Tidak" if r.followed is False else "-"
        lines.append(f"{r.number}. {r.procedure} [{verdict}] {r.note} {r.action}".rstrip())
    return "\n".join(lines) + "\n"


def _export_log(args: argparse.Namespace) -> int:
    from engine.errors import EngineError
    from engine.eventlog import build_log, render

    eng = _engine()
    try:
        log = build_log(eng.store, args.process, args.start, args.end, eng.runtime.calendar,
                        args.version)  # fmt: skip
    except EngineError as exc:
        raise CliError(exc.message) from None
    _write(render(log, args.format), args.output)
    if args.output:
        print(f"{len(log.traces)} kasus, {log.event_count} peristiwa → {args.output}",
              file=sys.stderr)
    return 0
