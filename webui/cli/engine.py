"""``alur user|deploy|processes|start|tasks|complete|history|worker|db``: the engine at the
command line.

The database comes from ``ALUR_DATABASE_URL`` (default: a SQLite file in the instance folder)
and is migrated on first use. Engine errors become one-line messages (exit 2 for bad input,
1 otherwise); ``--json`` output follows docs/engine-json.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from webui.cli import CliError

JSON_VERSION = 1
_ATTACHMENTS_HELP = "folder lampiran (bawaan: ALUR_UPLOAD_FOLDER, atau uploads/ di folder instance)"
_JSON_HELP = "keluaran JSON (docs/engine-json.md)"
_DECISIONS_HELP = """keputusan yang sah:
  setuju         cabang "Setuju" / "Ya" dari keputusan
  tidak_setuju   cabang "Tidak setuju" / "Tidak" (isi --comment: alasannya)
  nilai atau label cabang lain dari gateway tugas itu, mis. "Perlu revisi"
  Keputusan yang sah untuk tiap tugas ditampilkan oleh `alur tasks` dalam {…}
  (kolom allowed_decisions pada --json)."""


def register(subparsers: Any) -> None:
    user = subparsers.add_parser("user", help="kelola pengguna dan perannya")
    user_sub = user.add_subparsers(dest="user_command", metavar="AKSI")
    user_sub.required = True
    add = user_sub.add_parser("add", help="tambah pengguna")
    add.add_argument("name", metavar="NAMA", help="nama pengguna untuk masuk (huruf, angka, . _ -)")
    add.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="PERAN",
        help="peran (nama lane), boleh berulang",
    )
    add.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari stdin")
    add.add_argument("--admin", action="store_true", help="jadikan admin (atasan)")
    add.add_argument("--full-name", default="", metavar="NAMA_LENGKAP",
                     help="nama yang ditampilkan, mis. \"Budi Santoso, S.Sos\"")
    add.add_argument("--nip", default="", metavar="NIP", help="NIP: 18 angka (boleh kosong)")
    add.add_argument("--jabatan", default="", metavar="JABATAN",
                     help="jabatan, mis. \"Kasubbag Perencanaan\"")
    add.add_argument("--language", default="id", choices=("id", "en"),
                     help="bahasa tampilan web: id (bawaan) atau en")
    add.set_defaults(func=_user_add)
    listing = user_sub.add_parser("list", help="daftar pengguna")
    listing.add_argument("--json", action="store_true", help=_JSON_HELP)
    listing.set_defaults(func=_user_list)

    deploy = subparsers.add_parser("deploy", help="pasang berkas BPMN sebagai definisi proses")
    deploy.add_argument("file", metavar="FILE.bpmn",
                        help="berkas BPMN 2.0 (dari alur convert atau Camunda Modeler)")
    deploy.add_argument("--user", default="", metavar="U",
                        help="pengguna yang memasang (untuk catatan)")
    deploy.add_argument("--json", action="store_true", help=_JSON_HELP)
    deploy.set_defaults(func=_deploy)

    processes = subparsers.add_parser(
        "processes", help="daftar proses terpasang: kunci (untuk alur start), nama, versi"
    )
    processes.add_argument("--json", action="store_true", help=_JSON_HELP)
    processes.set_defaults(func=_processes)

    start = subparsers.add_parser("start", help="mulai kasus baru dari proses terpasang")
    start.add_argument("key", metavar="KEY", help="kunci proses (lihat alur processes)")
    start.add_argument("--user", default="", metavar="U",
                       help="pengguna yang memulai (harus memegang peran lane pertama)")
    start.add_argument("--title", default="", metavar="T", help="judul kasus")
    start.add_argument("--business-key", default="", metavar="K",
                       help="nomor berkas / nomor surat kasus")
    start.add_argument("--version", type=int, default=None, metavar="N",
                       help="versi proses (bawaan: versi terbaru)")
    start.add_argument("--json", action="store_true", help=_JSON_HELP)
    start.set_defaults(func=_start)

    tasks = subparsers.add_parser("tasks", help="daftar tugas yang siap dikerjakan")
    tasks.add_argument("--role", action="append", default=None, metavar="R",
                       help="hanya tugas lane peran ini, boleh berulang")
    tasks.add_argument("--user", default=None, metavar="U",
                       help="tugas untuk pengguna ini (perannya dan yang diambilnya)")
    tasks.add_argument("--overdue", action="store_true", help="hanya yang melewati batas waktu")
    tasks.add_argument("--process", default=None, metavar="KEY", help="hanya proses berkunci ini")
    tasks.add_argument("--limit", type=int, default=100, metavar="N",
                       help="paling banyak N tugas (bawaan: 100)")
    tasks.add_argument("--json", action="store_true", help=_JSON_HELP)
    tasks.set_defaults(func=_tasks)

    complete = subparsers.add_parser(
        "complete",
        help="selesaikan tugas",
        description="Selesaikan tugas. Tugas yang diikuti keputusan perlu --decision.",
        epilog=_DECISIONS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    complete.add_argument("task", metavar="TASK", help="id tugas (kolom pertama alur tasks)")
    complete.add_argument("--user", required=True, metavar="U", help="pengguna yang mengerjakan")
    complete.add_argument(
        "--decision",
        default=None,
        metavar="KEPUTUSAN",
        help="nilai atau label keputusan, mis. setuju, “Perlu revisi” (the flow's name)",
    )
    complete.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="ID=NILAI",
        help="isian formulir tugas (camunda:formField), boleh berulang",
    )
    complete.add_argument("--comment", default="", metavar="KOMENTAR",
                          help="catatan (wajib bila tidak setuju)")
    complete.add_argument("--attachment", action="append", default=[], metavar="NAMA",
                          help="nama lampiran yang dicatat, boleh berulang")
    complete.add_argument("--json", action="store_true", help=_JSON_HELP)
    complete.set_defaults(func=_complete)

    history = subparsers.add_parser("history", help="riwayat (jejak audit) satu kasus")
    history.add_argument("instance", type=int, metavar="KASUS", help="nomor kasus")
    history.add_argument("--json", action="store_true", help=_JSON_HELP)
    history.set_defaults(func=_history)

    worker = subparsers.add_parser(
        "worker", help="jalankan timer BPMN dan kirim notifikasi (lonceng, e-mail) secara berkala"
    )
    worker.add_argument("--once", action="store_true", help="sekali jalan lalu berhenti")
    worker.add_argument("--interval", type=float, default=30.0, metavar="S",
                        help="jeda antar putaran dalam detik (bawaan: 30)")
    worker.set_defaults(func=_worker)

    export = subparsers.add_parser(
        "export",
        help="cadangkan basis data (definisi, kasus, tugas, audit) dan lampiran ke satu arsip",
    )
    export.add_argument("file", metavar="ARSIP.zip", help="arsip zip yang ditulis")
    export.add_argument("--lampiran", default=None, metavar="DIR", help=_ATTACHMENTS_HELP)
    export.set_defaults(func=_export)

    restore = subparsers.add_parser(
        "import", help="pulihkan arsip `alur export` ke basis data baru (kosong)"
    )
    restore.add_argument("file", metavar="ARSIP.zip", help="arsip dari alur export")
    restore.add_argument("--lampiran", default=None, metavar="DIR", help=_ATTACHMENTS_HELP)
    restore.set_defaults(func=_import)

    db = subparsers.add_parser("db", help="basis data")
    db_sub = db.add_subparsers(dest="db_command", metavar="AKSI")
    db_sub.required = True
    upgrade = db_sub.add_parser("upgrade", help="terapkan migrasi (membuat tabel)")
    upgrade.set_defaults(func=_db_upgrade)


# -- plumbing ----------------------------------------------------------------------------------


class _Engine:
    """Store, users, definitions and runtime opened once per command."""

    def __init__(self, migrate: bool = True) -> None:
        from engine.definitions import Definitions
        from engine.runtime import Runtime
        from engine.store import Store
        from engine.users import Users

        try:
            self.store = Store.from_url()
            if migrate and self.store.current_revision() is None:
                self.store.upgrade()
        except Exception as exc:
            raise CliError(f"Basis data tidak dapat dibuka: {_one_line(exc)}", 1) from None
        self.users = Users(self.store)
        self.definitions = Definitions(self.store)
        self.runtime = Runtime(self.store, self.definitions)


def _engine_call(func: Any) -> Any:
    """Run an engine call; engine errors become one-line CLI errors."""
    from sqlalchemy.exc import SQLAlchemyError

    from engine.errors import DefinitionInvalid, EngineError

    try:
        return func()
    except DefinitionInvalid:
        raise  # the caller lists every problem
    except EngineError as exc:
        code = 2 if exc.http_status in (400, 404) else 1
        raise CliError(exc.message, code) from None
    except SQLAlchemyError as exc:
        raise CliError(f"Kesalahan basis data: {_one_line(exc)}", 1) from None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _local(value: datetime, seconds: bool = False) -> str:
    """A timestamp in the office time zone (``ALUR_TIMEZONE``, default WIB) for people."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(os.environ.get("ALUR_TIMEZONE") or "Asia/Jakarta")
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else "") + " %Z")


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def task_json(task: Any) -> dict[str, Any]:
    """One task in the stable ``--json`` form (docs/engine-json.md)."""
    number = (task.properties or {}).get("langkah", "")
    return {
        "task_id": task.id,
        "instance_id": task.instance_id,
        "process_key": task.process_key,
        "process_name": task.process_name,
        "instance_title": task.instance_title,
        "business_key": task.business_key,
        "step": task.element_id,
        "step_number": int(number) if str(number).isdigit() else None,
        "name": task.name,
        "role": task.role,
        "state": task.state,
        "assignee": task.assignee,
        "created": _iso(task.created),
        "due": _iso(task.due),
        "overdue": task.overdue,
        "allowed_decisions": list(task.allowed_decisions),
        "decision_labels": dict(task.decision_labels),
        "completed": _iso(task.completed),
        "completed_by": task.completed_by,
        "decision": task.decision,
    }


def instance_json(inst: Any) -> dict[str, Any]:
    return {
        "instance_id": inst.id,
        "process_key": inst.process_key,
        "process_name": inst.process_name,
        "version": inst.version,
        "title": inst.title,
        "business_key": inst.business_key,
        "status": inst.status,
        "started_by": inst.started_by,
        "started_at": _iso(inst.started_at),
        "ended_at": _iso(inst.ended_at),
        "cancel_reason": inst.cancel_reason,
    }


# -- handlers ----------------------------------------------------------------------------------


def _user_add(args: argparse.Namespace) -> int:
    from engine.users import Profile

    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CliError("Kata sandi kosong di stdin")
    eng = _Engine()
    user = _engine_call(
        lambda: eng.users.add(
            args.name,
            args.role,
            password=password,
            is_admin=args.admin,
            profile=Profile(
                full_name=args.full_name, nip=args.nip, jabatan=args.jabatan, language=args.language
            ),
        )
    )
    roles = ", ".join(user.roles) or "-"
    admin = " (admin)" if user.is_admin else ""
    print(f"Pengguna {user.username} ditambahkan{admin}; peran: {roles}")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    eng = _Engine()
    users = _engine_call(eng.users.list)
    if args.json:
        _print_json(
            {
                "version": JSON_VERSION,
                "users": [
                    {
                        "username": u.username,
                        "full_name": u.full_name,
                        "nip": u.nip,
                        "jabatan": u.jabatan,
                        "language": u.language,
                        "roles": list(u.roles),
                        "is_admin": u.is_admin,
                        "active": u.active,
                    }
                    for u in users
                ],
            }
        )
        return 0
    for u in users:
        flags = (" admin" if u.is_admin else "") + ("" if u.active else " nonaktif")
        print(f"{u.username}\t{', '.join(u.roles) or '-'}{flags}")
    return 0


def _deploy(args: argparse.Namespace) -> int:
    from converters.bpmn.xml import TooLarge
    from engine.errors import DefinitionInvalid
    from webui.cli.convert import read_bpmn

    path = Path(args.file)
    try:
        data = read_bpmn(path)
    except TooLarge as exc:
        raise CliError(f"{path.name} tidak dipasang: {exc}") from None
    eng = _Engine()
    try:
        result = _engine_call(
            lambda: eng.definitions.deploy(data, filename=path.name, user=args.user)
        )
    except DefinitionInvalid as exc:
        for p in exc.problems:
            where = []
            if p.line:
                where.append(f"baris {p.line}")
            if p.element_id:
                where.append(p.element_id + (f" “{p.element_name}”" if p.element_name else ""))
            prefix = f"{path.name}: " + (", ".join(where) + ": " if where else "")
            print(prefix + p.message, file=sys.stderr)
        raise CliError(f"{path.name} tidak dipasang: {len(exc.problems)} masalah") from None
    d = result.definition
    if args.json:
        _print_json(
            {
                "version": JSON_VERSION,
                "key": d.key,
                "name": d.name,
                "definition_version": d.version,
                "definition_id": d.id,
                "sha256": d.sha256,
                "created": result.created,
                "lanes": list(d.lanes),
                "first_lanes": list(d.first_lanes),
            }
        )
    elif result.created:
        print(f"Dipasang: {d.key} versi {d.version} ({d.name}); peran: {', '.join(d.lanes)}")
    else:
        print(f"Tidak berubah: {d.key} versi {d.version} sudah berisi berkas yang sama")
    return 0


def _processes(args: argparse.Namespace) -> int:
    eng = _Engine()
    found = _engine_call(eng.definitions.list)
    if args.json:
        _print_json({
            "version": JSON_VERSION,
            "processes": [
                {"key": d.key, "name": d.name, "definition_version": d.version,
                 "definition_id": d.id, "deployed_at": _iso(d.deployed_at),
                 "lanes": list(d.lanes), "first_lanes": list(d.first_lanes)}
                for d in found
            ],
        })
        return 0
    if not found:
        print("Belum ada proses terpasang (pasang dengan: alur deploy FILE.bpmn).")
        return 0
    width = max(len(d.key) for d in found)
    print(f"{'KUNCI'.ljust(width)}  VERSI  NAMA")
    for d in found:
        print(f"{d.key.ljust(width)}  {str(d.version).rjust(5)}  {d.name}")
    return 0


def _start(args: argparse.Namespace) -> int:
    eng = _Engine()
    inst = _engine_call(
        lambda: eng.runtime.start(
            args.key,
            args.user,
            title=args.title,
            business_key=args.business_key,
            version=args.version,
        )
    )
    ready = _engine_call(lambda: eng.runtime.instance_tasks(inst.id))
    ready = [t for t in ready if t.state == "ready"]
    if args.json:
        data = instance_json(inst)
        data["version_json"] = JSON_VERSION
        data["tasks"] = [task_json(t) for t in ready]
        _print_json(data)
        return 0
    print(f"Instansi #{inst.id} dimulai: {inst.title} ({inst.process_key} versi {inst.version})")
    for t in ready:
        print(f"  tugas {t.id}: {t.name} [{t.role}]")
    return 0


def _tasks(args: argparse.Namespace) -> int:
    eng = _Engine()
    rt = eng.runtime
    if args.user and not args.role:
        page, _total = _engine_call(
            lambda: rt.inbox(
                args.user,
                filter="overdue" if args.overdue else "all",
                process_key=args.process,
                limit=args.limit,
            )
        )
    else:
        page = _engine_call(
            lambda: rt.tasks(
                roles=args.role,
                user=args.user,
                overdue=args.overdue,
                process_key=args.process,
                limit=args.limit,
            )
        )
    if args.json:
        _print_json({"version": JSON_VERSION, "tasks": [task_json(t) for t in page]})
        return 0
    if not page:
        print("Tidak ada tugas.")
        return 0
    for t in page:
        due = _local(t.due) if t.due else "-"
        late = " TERLAMBAT" if t.overdue else ""
        who = f" @{t.assignee}" if t.assignee else ""
        choices = f" {{{'|'.join(t.allowed_decisions)}}}" if t.allowed_decisions else ""
        print(
            f"{t.id}  #{t.instance_id} {t.instance_title} | {t.name} [{t.role}]{who} "
            f"batas {due}{late}{choices}"
        )
    return 0


def _form_values(pairs: list[str]) -> dict[str, str]:
    """``--field id=value`` pairs; a pair without "=" is bad input (exit code 2)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(
                f"--field harus berbentuk ID=NILAI, bukan {pair!r} (expected ID=VALUE)", 2
            )
        out[name.strip()] = value
    return out


def _complete(args: argparse.Namespace) -> int:
    form = _form_values(args.field)
    eng = _Engine()
    result = _engine_call(
        lambda: eng.runtime.complete(
            args.task,
            args.user,
            decision=args.decision,
            comment=args.comment,
            attachments=args.attachment,
            form=form,
        )
    )
    if args.json:
        _print_json(
            {
                "version": JSON_VERSION,
                "task": task_json(result.task),
                "next_tasks": [task_json(t) for t in result.next_tasks],
                "instance_status": result.instance_status,
            }
        )
        return 0
    decided = f" ({result.task.decision})" if result.task.decision else ""
    print(f"Tugas “{result.task.name}” selesai{decided}.")
    for t in result.next_tasks:
        print(f"  berikutnya {t.id}: {t.name} [{t.role}]")
    if result.instance_status == "completed":
        print(f"Proses #{result.task.instance_id} selesai.")
    return 0


def _history(args: argparse.Namespace) -> int:
    eng = _Engine()
    inst = _engine_call(lambda: eng.runtime.instance(args.instance))
    entries = _engine_call(lambda: eng.runtime.history(args.instance))
    if args.json:
        _print_json(
            {
                "version": JSON_VERSION,
                "instance": instance_json(inst),
                "history": [
                    {
                        "id": e.id,
                        "at": _iso(e.at),
                        "user": e.user,
                        "action": e.action,
                        "task_id": e.task_id,
                        "step": e.element_id,
                        "task_name": e.task_name,
                        "decision": e.decision,
                        "comment": e.comment,
                        "attachments": list(e.attachments),
                    }
                    for e in entries
                ],
            }
        )
        return 0
    print(f"#{inst.id} {inst.title} ({inst.process_key} v{inst.version}) — {inst.status}")
    for e in entries:
        at = _local(e.at, seconds=True)
        parts = [at, e.user or "sistem", e.action]
        if e.task_name:
            parts.append(f"“{e.task_name}”")
        if e.decision:
            parts.append(e.decision)
        if e.comment:
            parts.append(f"— {e.comment}")
        print("  " + " ".join(parts))
    return 0


def _worker(args: argparse.Namespace) -> int:
    from engine.worker import run_worker

    eng = _Engine()
    fired = _engine_call(
        lambda: run_worker(eng.runtime, once=args.once, interval=args.interval, log=print)
    )
    if args.once:
        print(f"{fired} timer dijalankan")
    return 0


def _attachments_dir(given: str | None) -> Path:
    """The web UI's upload folder, found the way the web UI finds it."""
    if given:
        return Path(given)
    env = os.environ.get("ALUR_UPLOAD_FOLDER")
    if env:
        return Path(env)
    return Path(os.environ.get("ALUR_INSTANCE_PATH") or "instance") / "uploads"


def _export(args: argparse.Namespace) -> int:
    from engine.backup import export_archive

    target = Path(args.file)
    if not target.parent.is_dir() and str(target.parent):
        raise CliError(f"folder keluaran tidak ada: {target.parent} (no such folder)")
    eng = _Engine()
    folder = _attachments_dir(args.lampiran)
    try:
        summary = _engine_call(lambda: export_archive(eng.store, target, folder))
    except OSError as exc:
        raise CliError(f"{target} tidak dapat ditulis: {exc.strerror or exc}") from None
    rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    print(f"Diekspor ke {target}: {rows}; lampiran {summary.attachments}")
    for name in summary.missing_attachments:
        print(f"peringatan: lampiran {name} tidak ada di {folder} (missing)", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from engine.backup import import_archive

    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"Berkas tidak ditemukan: {source} (file not found)")
    eng = _Engine()
    folder = _attachments_dir(args.lampiran)
    try:
        summary = _engine_call(lambda: import_archive(eng.store, source, folder))
    except OSError as exc:
        raise CliError(f"Lampiran tidak dapat ditulis: {exc.strerror or exc}", 1) from None
    rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    print(f"Dipulihkan dari {source}: {rows}; lampiran {summary.attachments}")
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    eng = _Engine(migrate=False)
    try:
        eng.store.upgrade()
    except Exception as exc:
        raise CliError(f"Migrasi gagal: {_one_line(exc)}", 1) from None
    print(f"Basis data siap (revisi {eng.store.current_revision()})")
    return 0
