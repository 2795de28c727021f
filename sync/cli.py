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
from asndesk.domain.formatting import format_durasi_menit
from asndesk.domain.identity import parse_nip
from asndesk.i18n import N_, _
from asndesk.store.profiles import check_password_policy
from sync import bundle_commands

DEFAULT_PORT = 8470


def default_db_url() -> str:
    """`<data home>/server/server.db`: one SQLite file, zero setup."""
    folder = paths.data_home() / "server"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'server.db'}"


def register(sub: Any) -> None:
    register_server(sub)
    register_sync(sub)
    bundle_commands.register(sub)


def register_server(sub: Any) -> None:
    server = sub.add_parser("server", help=_("run the office sync server (or: server init)"))
    server.add_argument("--db", help=_("database URL (default: a SQLite file in the data "
                                       "folder; or postgresql+psycopg://…)"))
    server.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
    server.add_argument("--port", type=int, default=DEFAULT_PORT)
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

    url = args.db or default_db_url()
    engine = open_database(url)
    print(_("asndesk server on http://{host}:{port} (database {url})").format(
        host=args.host, port=args.port, url=_redact(url)), flush=True)
    uvicorn.run(create_app(engine), host=args.host, port=args.port, log_level="warning")
    return 0


def _redact(url: str) -> str:
    """A database URL without its password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


# -- the employee's side: login, sync, status ----------------------------------------------
SYNC_MESSAGES = {
    "network": N_("No connection to the server. Your changes stay queued."),
    "not_protocol": N_("The network answered with something that is not the asndesk server "
                       "(a Wi-Fi login page?). Your changes stay queued."),
    "insecure_url": N_("Refusing plain http:// to another computer; use https://."),
    "bad_url": N_("That is not a server address."),
    "login_failed": N_("The NIP or password is wrong."),
    "too_many_attempts": N_("Too many wrong attempts; try again later."),
    "no_session": N_("Log in to the server first: asndesk login --server URL"),
}


def register_sync(sub: Any) -> None:
    login = sub.add_parser("login", help=_("connect this profile to the office server"))
    login.add_argument("--server", required=True, help=_("server address, e.g. https://…"))
    login.set_defaults(func=cmd_login)
    sync = sub.add_parser("sync", help=_("send queued changes and fetch new ones"))
    sync.add_argument("--watch", action="store_true", help=_("keep syncing every minute"))
    sync.set_defaults(func=cmd_sync)
    ssub = sync.add_subparsers(dest="sync_action")
    ssub.add_parser("status", help=_("what is queued, refused or in conflict")
                    ).set_defaults(func=cmd_sync_status)


def _describe(err: Exception) -> str:
    code = getattr(err, "code", "")
    return _(SYNC_MESSAGES[code]) if code in SYNC_MESSAGES else _(
        "Sync failed ({code}).").format(code=code)


def cmd_login(args: argparse.Namespace) -> int:
    from asndesk.cli.common import opened, read_password  # noqa: PLC0415
    from sync.client import SyncClient, SyncError  # noqa: PLC0415

    with opened(args) as ws:
        password = read_password(_("Server password: "), env="ASNDESK_SERVER_PASSWORD")
        try:
            SyncClient(ws, args.server).login(ws.owner_nip, password)
        except SyncError as err:
            print(f"asndesk: {_describe(err)}", file=sys.stderr)
            return 2
    print(_("Connected to {url}.").format(url=args.server))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from asndesk.cli.common import opened  # noqa: PLC0415
    from sync.client import DeviceRevoked, SyncClient, SyncError  # noqa: PLC0415

    with opened(args) as ws:
        url = ws.sync_setting("url")
        if not url:
            print(f"asndesk: {_(SYNC_MESSAGES['no_session'])}", file=sys.stderr)
            return 2
        client = SyncClient(ws, url)
        while True:
            try:
                report = client.sync()
            except DeviceRevoked:
                nip, manager = ws.owner_nip, ws.manager
                ws.lock()
                manager.delete(nip)  # crypto-shred: the office revoked this device
                print(_("This device was revoked by the office; its profile was erased."),
                      file=sys.stderr)
                return 3
            except SyncError as err:
                print(f"asndesk: {_describe(err)}", file=sys.stderr)
                if not args.watch:
                    return 1
            else:
                ws.set_sync_settings(last_success=time.strftime("%Y-%m-%d %H:%M:%S"),
                                     unverified=",".join(sorted(report.unverified)) or None)
                if report.unverified:
                    print(_("Warning: data from the server could not be verified for: {parts}. "
                            "The next sync checks again.").format(
                                parts=", ".join(sorted(report.unverified))), file=sys.stderr)
                print(_("Sent {acked}, refused {rejected}, conflicts {conflicts}, received "
                        "{pulled}.").format(acked=report.acked, rejected=report.rejected,
                                            conflicts=report.conflicts, pulled=report.pulled))
                note = clock_note(report.clock_offset_s)
                if note:
                    print(note, file=sys.stderr)
                if report.files_sent or report.files_fetched:
                    print(_("Evidence files sent {sent}, fetched {fetched}.").format(
                        sent=report.files_sent, fetched=report.files_fetched))
                if not args.watch:
                    return 1 if report.rejected or report.conflicts else 0
            time.sleep(60)


def cmd_sync_status(args: argparse.Namespace) -> int:
    from asndesk.cli.common import opened  # noqa: PLC0415
    from asndesk.store import attachment_sync_repo  # noqa: PLC0415

    with opened(args) as ws:
        files = attachment_sync_repo.status(ws.store.conn)
        counts = {state: len(ws.outbox((state,))) for state in
                  ("pending", "sent", "rejected", "conflict")}
        url, last = ws.sync_setting("url"), ws.sync_setting("last_success")
        refused = ws.outbox(("rejected", "conflict"))
        unverified = ws.sync_setting("unverified")
        offset = ws.sync_setting("clock_offset")
    print(_("Server: {url}").format(url=url or _("(not connected)")))
    print(_("Last successful sync: {when}").format(when=last or _("never")))
    print(_("Waiting: {pending}; sent, no answer yet: {sent}; refused: {rejected}; "
            "conflicts: {conflict}.").format(**counts))
    for op in refused:
        print(f"  - seq {op.seq}: {op.kind} {op.entity_kind} {op.entity_id}")
    if unverified:
        print(_("Not verified against the server: {parts}.").format(parts=unverified))
    note = clock_note(float(offset) if offset else None)
    if note:
        print(note)
    if any(files.values()):
        print(_("Evidence files: {upload_pending} to send, {download_pending} to fetch, "
                "{failed} given up.").format(**files))
    return 0


def clock_note(offset_s: float | None) -> str | None:
    """A plain warning when this computer's clock is far from the server's, else None.

    Sync never refuses because of a clock; the person should still know, because the dates
    and times a record shows were read from this clock.
    """
    from sync.client import CLOCK_WARN_S  # noqa: PLC0415

    if offset_s is None or abs(offset_s) < CLOCK_WARN_S:
        return None
    amount = format_durasi_menit(round(abs(offset_s) / 60))
    if offset_s > 0:
        return _("This computer's clock is {amount} ahead of the server's. Sync goes on; set "
                 "the clock right so that new records get the right time.").format(amount=amount)
    return _("This computer's clock is {amount} behind the server's. Sync goes on; set "
             "the clock right so that new records get the right time.").format(amount=amount)
