"""``alur serve``: the web UI on waitress (a production WSGI server, not Flask's dev server).

It upgrades the database schema, deploys ``bpmn/`` on a fresh database, creates the demo
accounts in demo mode, prints the address and the accounts, then serves until interrupted.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

from webui.cli import CliError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "serve",
        help="jalankan UI web (waitress)",
        description="Jalankan UI web Alur dengan waitress pada basis data ALUR_DATABASE_URL.",
    )
    p.add_argument("--host", default="127.0.0.1", help="alamat (bawaan 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (bawaan 8000)")
    p.add_argument(
        "--demo",
        action="store_true",
        default=os.environ.get("ALUR_DEMO", "") in {"1", "true", "yes"},
        help="buat akun demo per peran (juga ALUR_DEMO=1)",
    )
    p.add_argument(
        "--bpmn-dir",
        default=None,
        help="folder proses yang dipasang pada basis data baru (bawaan: bpmn/ repo)",
    )
    p.add_argument("--threads", type=int, default=8, help="jumlah thread waitress (bawaan 8)")
    cookies = p.add_mutually_exclusive_group()
    cookies.add_argument(
        "--secure-cookies",
        dest="secure_cookies",
        action="store_true",
        default=None,
        help="cookie sesi hanya lewat HTTPS (bawaan kecuali host loopback)",
    )
    cookies.add_argument("--no-secure-cookies", dest="secure_cookies", action="store_false",
                         help="cookie sesi juga lewat HTTP biasa (hanya di jaringan tepercaya)")
    p.set_defaults(func=run)


def _secure_cookies(args: argparse.Namespace) -> bool:
    if args.secure_cookies is not None:
        return bool(args.secure_cookies)
    env = os.environ.get("ALUR_SECURE_COOKIES")
    if env:
        return env.strip().lower() in {"1", "true", "yes", "on"}
    # plain http on this machine is the normal way to try Alur; anywhere else, HTTPS is
    # expected in front (a reverse proxy), so the cookie must not travel in clear text
    return args.host not in LOOPBACK


def run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise CliError(f"port tidak sah: {args.port}")
    from webui.app import create_app
    from webui.backend import Backend
    from webui.config import REPO_ROOT
    from webui.demo import create_demo_users, deploy_library

    try:
        backend = Backend.from_url(os.environ.get("ALUR_DATABASE_URL") or None)
        backend.store.upgrade()
    except Exception as exc:  # a wrong URL or an unreachable server: one line, no traceback
        raise CliError(f"basis data tidak dapat dibuka: {exc}".splitlines()[0]) from exc

    bpmn_dir = Path(args.bpmn_dir or os.environ.get("ALUR_BPMN_DIR") or REPO_ROOT / "bpmn")
    if not backend.definitions.list():
        if bpmn_dir.is_dir():
            lib = deploy_library(backend.definitions, bpmn_dir)
            for line in lib.deployed:
                print(f"dipasang: {line}")
            for line in lib.failed:
                print(f"GAGAL dipasang: {line}")
        else:
            print(f"folder proses tidak ada: {bpmn_dir} (tidak ada yang dipasang)")

    app = create_app(
        {
            "ALUR_BACKEND": backend,
            "ALUR_BPMN_DIR": str(bpmn_dir),
            "SESSION_COOKIE_SECURE": _secure_cookies(args),
        }
    )
    accounts = []
    if args.demo:
        accounts = create_demo_users(
            backend.users, backend.definitions.roles(), app.config["ALUR_ANALYST_ROLE"]
        )

    host_for_url = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host_for_url}:{args.port}/"
    print(f"Alur berjalan di {url}  (basis data: {_safe_url(backend)})")
    if accounts:
        print("Akun demo (nama pengguna / kata sandi — peran):")
        for a in accounts:
            roles = ", ".join(a.roles) or "admin"
            note = "" if a.created else "  (sudah ada; kata sandi tidak diubah)"
            print(f"  {a.username:<28} {a.password:<12} {roles}{note}")
    print("Tekan Ctrl+C untuk berhenti.", flush=True)

    import waitress

    try:
        waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="Alur")
    except OSError as exc:
        raise CliError(f"tidak dapat mendengarkan di {args.host}:{args.port}: {exc}") from exc
    return 0


def _safe_url(backend: Any) -> str:
    """The database URL without a password, fit to print."""
    url = str(getattr(backend.store, "url", ""))
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
