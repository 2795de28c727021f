"""`asndesk login`, `asndesk sync [--watch]` and `asndesk sync status`: a profile and its server.

`sync --watch` runs the same scheduler the desktop app uses (sync/scheduler.py); either way a
profile's sync holds its file lock (sync/flight_lock.py), so two windows never sync one profile
at once.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

from asndesk.domain.formatting import format_durasi_menit
from asndesk.i18n import N_, _

if TYPE_CHECKING:
    from asndesk.workspace import Workspace
    from sync.client import DeviceRevoked, SyncClient, SyncReport
    from sync.flight_lock import FlightLock

WATCH_PERIOD_S = 60.0


SYNC_MESSAGES = {
    "network": N_("No connection to the server. Your changes stay queued."),
    "not_protocol": N_("The network answered with something that is not the asndesk server "
                       "(a Wi-Fi login page?). Your changes stay queued."),
    "insecure_url": N_("Refusing plain http:// to another computer; use https://."),
    "tls_untrusted": N_("The server's identity could not be verified: its certificate does "
                        "not match the office's (office.json), or it is not trusted. Your "
                        "changes stay queued; ask the office administrator if this persists."),
    "bad_url": N_("That is not a server address."),
    "login_failed": N_("The NIP or password is wrong."),
    "too_many_attempts": N_("Too many wrong attempts; try again later."),
    "no_session": N_("Log in to the server first: asndesk login --server URL"),
    "busy": N_("This profile is already syncing in another window; try again when it ends."),
    "final_push_pending": N_("This device was revoked by the office, which allows it to send "
                             "its queued changes first. They could not all be sent yet, so the "
                             "profile is kept (locked). Connect to the office network and run "
                             "asndesk sync again."),
}


def register(sub: Any) -> None:
    login = sub.add_parser("login", help=_("connect this profile to the office server"))
    login.add_argument("--server", required=True, help=_("server address, e.g. https://…"))
    login.set_defaults(func=cmd_login)
    sync = sub.add_parser("sync", help=_("send queued changes and fetch new ones"))
    sync.add_argument("--watch", action="store_true", help=_(
        "keep syncing: at once, every minute, and again soon after a failure"))
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

    with opened(args, reconnecting=True) as ws:
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
    from sync.client import SyncClient  # noqa: PLC0415
    from sync.flight_lock import FlightLock  # noqa: PLC0415

    with opened(args, reconnecting=True) as ws:
        url = ws.sync_setting("url")
        if not url:
            print(f"asndesk: {_(SYNC_MESSAGES['no_session'])}", file=sys.stderr)
            return 2
        client, lock = SyncClient(ws, url), FlightLock(ws.profile.folder)
        if args.watch:
            return _watch(ws, client, lock)
        if not lock.acquire():
            print(f"asndesk: {_(SYNC_MESSAGES['busy'])}", file=sys.stderr)
            return 1
        try:
            return _sync_now(ws, client)
        finally:
            lock.release()


def _sync_now(ws: Workspace, client: SyncClient) -> int:
    """One sync (with retries); a revoked device ends in `shred_revoked`."""
    from sync.client import DeviceRevoked, FinalPushPending, SyncError  # noqa: PLC0415

    try:
        report = client.sync()
    except DeviceRevoked as revoked:
        return shred_revoked(ws, client, revoked)
    except FinalPushPending:
        return _keep_for_final_push()
    except SyncError as err:
        print(f"asndesk: {_describe(err)}", file=sys.stderr)
        return 1
    _record_success(ws, report)
    return 1 if report.rejected or report.conflicts else 0


def _watch(ws: Workspace, client: SyncClient, lock: FlightLock) -> int:
    """Sync now, every minute, and after failures with backoff, until Ctrl+C."""
    from sync.client import SyncError  # noqa: PLC0415
    from sync.scheduler import Outcome, SyncScheduler  # noqa: PLC0415

    ended: list[str] = []

    def show(outcome: Outcome) -> None:
        if outcome.report is not None:
            _record_success(ws, outcome.report)
            return
        print(f"asndesk: {_describe(SyncError(outcome.error or ''))}", file=sys.stderr)
        if outcome.needs_person:
            ended.append(outcome.error or "")
            scheduler.stop()
        elif outcome.retry_in is not None:
            print(_("Next attempt in {seconds} s.").format(seconds=round(outcome.retry_in)),
                  file=sys.stderr)

    scheduler = SyncScheduler(client.sync_once, acquire=lock.acquire, release=lock.release,
                              period_s=WATCH_PERIOD_S, on_outcome=show)
    scheduler.request("start")
    try:
        scheduler.run_forever()
    except KeyboardInterrupt:
        return 0
    return _shred(ws) if ended == ["device_revoked"] else 1


def _keep_for_final_push() -> int:
    print(f"asndesk: {_(SYNC_MESSAGES['final_push_pending'])}", file=sys.stderr)
    return 3  # the caller's `opened` locks the profile; it stays on disk for the next try


def shred_revoked(ws: Workspace, client: SyncClient, revoked: DeviceRevoked) -> int:
    """After `device_revoked`: the final push the office allows (if not made yet), then the
    crypto-shred; if that push could not complete, keep the profile (locked) for next time.
    `asndesk sync` and `asndesk bundle upload` both end here."""
    from sync import final_push  # noqa: PLC0415
    from sync.client import FinalPushPending  # noqa: PLC0415

    try:
        final_push.settle(client, revoked)
    except FinalPushPending:
        return _keep_for_final_push()
    report = revoked.final_report
    if report is not None:
        refused = final_push.refused_ops(client)
        print(_("Before erasing, the office allowed a final send: sent {acked}, refused "
                "{rejected}, conflicts {conflicts}.").format(
                    acked=report.acked, rejected=report.rejected, conflicts=report.conflicts),
              file=sys.stderr)
        if refused:
            print(_("These changes were not accepted by the server and are erased with the "
                    "profile:"), file=sys.stderr)
            for op in refused:
                print(f"  - seq {op.seq}: {op.kind} {op.entity_kind} ({op.state})",
                      file=sys.stderr)
    return _shred(ws)


def _shred(ws: Workspace) -> int:
    nip, manager = ws.owner_nip, ws.manager
    ws.lock()
    manager.delete(nip)  # crypto-shred: the office revoked this device
    print(_("This device was revoked by the office; its profile was erased."), file=sys.stderr)
    return 3


def _record_success(ws: Workspace, report: SyncReport) -> None:
    """Remember the successful sync in the profile and print what it did."""
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


def cmd_sync_status(args: argparse.Namespace) -> int:
    from asndesk.cli.common import opened  # noqa: PLC0415
    from asndesk.store import attachment_sync_repo  # noqa: PLC0415

    with opened(args, reconnecting=True) as ws:
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
