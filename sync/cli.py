"""`asndesk server …`: run the central server, or create its database and first admin.

Registered into the `asndesk` command through the `asndesk.commands` entry point group, so
the Qt-free core never imports sync/ (the layering contract) yet offers its commands.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from typing import Any

from asndesk import paths
from asndesk.domain.identity import parse_nip
from asndesk.i18n import _
from asndesk.store.profiles import check_password_policy
from sync import bundle_commands, sync_commands

DEFAULT_PORT = 8470


def default_db_url() -> str:
    """`<data home>/server/server.db`: one SQLite file, zero setup."""
    folder = paths.data_home() / "server"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'server.db'}"


def register(sub: Any) -> None:
    register_server(sub)
    sync_commands.register(sub)
    bundle_commands.register(sub)


def register_server(sub: Any) -> None:
    server = sub.add_parser("server", help=_("run the office sync server (or: server init)"))
    server.add_argument("--db", help=_("database URL (default: a SQLite file in the data "
                                       "folder; or postgresql+psycopg://…)"))
    server.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
    server.add_argument("--port", type=int, default=DEFAULT_PORT)
    server.add_argument("--tls-cert", help=_("serve HTTPS with this certificate (PEM; its "
                                             "chain up to the office CA)"))
    server.add_argument("--tls-key", help=_("the certificate's private key (PEM)"))
    server.set_defaults(func=cmd_server_run)
    ssub = server.add_subparsers(dest="server_action")
    init = ssub.add_parser("init", help=_("create the database and the first admin"))
    init.add_argument("--db", help=_("database URL"))
    init.add_argument("--admin-nip", required=True)
    init.add_argument("--admin-nama", required=True)
    init.set_defaults(func=cmd_server_init)
    restored = ssub.add_parser("restored", help=_("after restoring a backup of the database: "
                                                  "start a new epoch so devices re-send"))
    restored.add_argument("--db", help=_("database URL"))
    restored.set_defaults(func=cmd_server_restored)


# Server modules are imported inside the commands: every `asndesk` call registers these
# parsers, and loading SQLAlchemy/FastAPI/uvicorn for `asndesk log add` would slow it down.


def cmd_server_init(args: argparse.Namespace) -> int:
    from sqlalchemy import select  # noqa: PLC0415

    from sync.server import accounts  # noqa: PLC0415
    from sync.server.db import open_database  # noqa: PLC0415
    from sync.server.schema import person  # noqa: PLC0415

    nip = parse_nip(args.admin_nip, field="admin_nip").nip
    password = os.environ.get("ASNDESK_ADMIN_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            print(_("asndesk: set ASNDESK_ADMIN_PASSWORD or run at a terminal."), file=sys.stderr)
            return 2
        password = getpass.getpass(_("Password for the admin: "))
        if getpass.getpass(_("Repeat the password: ")) != password:
            print(_("asndesk: the two passwords are not the same."), file=sys.stderr)
            return 2
    check_password_policy(password)
    url = args.db or default_db_url()
    engine = open_database(url)
    with engine.begin() as conn:
        if conn.execute(select(person.c.id).where(person.c.is_admin)).first() is not None:
            print(_("asndesk: this server already has an admin."), file=sys.stderr)
            return 2
        accounts.create_person(conn, time.time(), nip=nip, nama=args.admin_nama.strip(),
                               password=password, is_admin=True)
    engine.dispose()
    print(_("Server database ready at {url}; admin {nip} created.").format(
        url=_redact(url), nip=nip))
    return 0


def cmd_server_restored(args: argparse.Namespace) -> int:
    from sync.server.db import open_database  # noqa: PLC0415
    from sync.server.epochs import start_new_epoch  # noqa: PLC0415

    url = args.db or default_db_url()
    engine = open_database(url)
    with engine.begin() as conn:
        start_new_epoch(conn)
    engine.dispose()
    print(_("New epoch started: devices will send again what this backup lacks."))
    return 0


def cmd_server_run(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415

    from sync.server.app import create_app  # noqa: PLC0415
    from sync.server.db import open_database  # noqa: PLC0415

    if bool(args.tls_cert) != bool(args.tls_key):
        print(_("asndesk: --tls-cert and --tls-key go together."), file=sys.stderr)
        return 2
    url = args.db or default_db_url()
    engine = open_database(url)
    scheme = "https" if args.tls_cert else "http"
    print(_("asndesk server on {scheme}://{host}:{port} (database {url})").format(
        scheme=scheme, host=args.host, port=args.port, url=_redact(url)), flush=True)
    uvicorn.run(create_app(engine), host=args.host, port=args.port, log_level="warning",
                ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key)
    return 0


def _redact(url: str) -> str:
    """A database URL without its password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


# -- the employee's side: login, sync, status ----------------------------------------------
