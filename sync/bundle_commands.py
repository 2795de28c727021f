"""`asndesk bundle export|upload|import`: offline bundles carried on a USB stick. Export on the
device, upload at any office PC with someone logged in (their session posts it), import the
reply on the device; a refusal prints one line and applies nothing.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from asndesk.errors import UserFacingError
from asndesk.i18n import N_, _

# Server refusals (stable codes) and transport failures of an upload, as the person reads them.
UPLOAD_MESSAGES = {
    "bundle_invalid": N_("The server refused the bundle: it is damaged, was changed, or comes "
                         "from a device the server does not know. Nothing was applied."),
    "bundle_wrong_server": N_("The bundle was made for another server. Nothing was applied."),
    "bundle_expired": N_("The bundle has expired. Nothing was applied; make a new one on the "
                         "device."),
    "bundle_device_revoked": N_("The device that made the bundle was revoked by the office. "
                                "Nothing was applied."),
    "bundle_account_disabled": N_("The account of the bundle's owner is disabled. Nothing was "
                                  "applied."),
    "bundle_wrong_kind": N_("This file is a reply from the server, not a device's bundle: "
                            "import it on the device with asndesk bundle import."),
    "too_large": N_("The bundle is too large for the server."),
    "network": N_("No connection to the server. Try the upload again."),
    "not_protocol": N_("The network answered with something that is not the asndesk server "
                       "(a Wi-Fi login page?). Try the upload again."),
    "no_session": N_("Log in to the server first: asndesk login --server URL"),
}


class UploadFailed(UserFacingError):
    message_id = N_("The upload failed ({code}).")


class BundleFileError(UserFacingError):
    message_id = N_("The file {name} cannot be read or written.")


def register(sub: Any) -> None:
    bundle = sub.add_parser("bundle", help=_("offline bundles: carry changes on a USB stick"))
    bsub = bundle.add_subparsers(dest="bundle_action", required=True)
    export = bsub.add_parser("export", help=_("write this device's queued changes to a file"))
    export.add_argument("file", type=Path)
    export.set_defaults(func=cmd_export)
    upload = bsub.add_parser("upload", help=_("send a device's bundle from this PC and save "
                                              "the server's reply"))
    upload.add_argument("file", type=Path)
    upload.add_argument("--reply", type=Path, help=_("where to save the reply (default: "
                                                     "FILE-reply next to it)"))
    upload.set_defaults(func=cmd_upload)
    imp = bsub.add_parser("import", help=_("apply the server's reply on the device"))
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=cmd_import)


def _read(path: Path, limit: int) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise BundleFileError(name=path.name)
        return path.read_bytes()
    except OSError:
        raise BundleFileError(name=path.name) from None


def _write(path: Path, data: bytes) -> None:
    """Whole file or nothing: written beside the target, then renamed over it."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise BundleFileError(name=path.name) from None


def cmd_export(args: argparse.Namespace) -> int:
    from asndesk.cli.common import opened  # noqa: PLC0415
    from sync.bundle_device import export_bundle  # noqa: PLC0415

    with opened(args, reconnecting=True) as ws:
        data, summary = export_bundle(ws)
        _write(args.file, data)
    print(_("Bundle written to {file}: {ops} changes, {files} files. Upload it at an office "
            "PC: asndesk bundle upload {file}").format(file=args.file, ops=summary.ops,
                                                        files=summary.files))
    if summary.files_left:
        print(_("{count} files did not fit; they are sent when this device syncs online.")
              .format(count=summary.files_left))
    if summary.ops_left:
        print(_("More changes are queued than one bundle carries; export again after "
                "importing the reply."))
    return 0


def cmd_upload(args: argparse.Namespace) -> int:
    from asndesk.cli.common import opened  # noqa: PLC0415
    from sync import bundle  # noqa: PLC0415
    from sync.bundle_device import BundleUploader  # noqa: PLC0415
    from sync.client import DeviceRevoked, SyncError  # noqa: PLC0415
    from sync.sync_commands import shred_revoked  # noqa: PLC0415

    data = _read(args.file, bundle.MAX_BUNDLE_BYTES)
    target = args.reply or args.file.with_name(f"{args.file.stem}-reply{args.file.suffix}")
    with opened(args, reconnecting=True) as ws:
        url = ws.sync_setting("url")
        if not url:
            raise UploadFailed(UPLOAD_MESSAGES["no_session"])
        uploader = BundleUploader(ws, url)
        try:
            reply = uploader.upload(data)
        except DeviceRevoked as revoked:
            # This PC's own device was revoked: the same as `asndesk sync` (its final push
            # where the office allows one, then the erase; the bundle is not uploaded).
            return shred_revoked(ws, uploader, revoked)
        except SyncError as err:
            message = UPLOAD_MESSAGES.get(err.code)
            raise UploadFailed(message, code=err.code) from None
    _write(target, reply)
    print(_("Reply saved to {file}. On the device, run: asndesk bundle import {file}")
          .format(file=target))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from asndesk.cli.common import opened  # noqa: PLC0415
    from sync import bundle  # noqa: PLC0415
    from sync.bundle_device import import_reply  # noqa: PLC0415

    data = _read(args.file, bundle.MAX_REPLY_BYTES)
    with opened(args, reconnecting=True) as ws:
        summary = import_reply(ws, data)
    print(_("Reply imported: sent {acked}, refused {rejected}, conflicts {conflicts}, "
            "received {received}.").format(acked=summary.acked, rejected=summary.rejected,
                                           conflicts=summary.conflicts,
                                           received=summary.received))
    if summary.more:
        print(_("The server has more for this device: export and upload another bundle, or "
                "sync online."))
    return 0
