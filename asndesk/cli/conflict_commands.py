"""`asndesk conflicts list|resolve`: the same field changed on two devices, settled by hand."""

from __future__ import annotations

import argparse
import json
from typing import Any

from asndesk.cli.common import opened
from asndesk.errors import ValidationError
from asndesk.i18n import N_, _
from asndesk.store.rows import LABELS


def register(sub: Any) -> None:
    conflicts = sub.add_parser("conflicts", help=_("changes that clashed with another device"))
    csub = conflicts.add_subparsers(dest="action", required=True)
    csub.add_parser("list", help=_("show each conflict side by side")).set_defaults(
        func=cmd_conflicts_list)
    resolve = csub.add_parser("resolve", help=_("settle one conflict"))
    resolve.add_argument("seq", type=int, help=_("the conflict number from 'conflicts list'"))
    how = resolve.add_mutually_exclusive_group(required=True)
    how.add_argument("--keep", choices=("mine", "theirs"),
                     help=_("keep this device's values (mine) or the server's (theirs)"))
    how.add_argument("--set", action="append", metavar="FIELD=VALUE",
                     help=_("a merged value for one field (repeatable)"))
    resolve.set_defaults(func=cmd_conflicts_resolve)


def _show(value: Any) -> str:
    return _("(empty)") if value is None or value == "" else json.dumps(value,
                                                                        ensure_ascii=False)


def cmd_conflicts_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        found = ws.conflicts()
    if not found:
        print(_("No conflicts."))
        return 0
    for item in found:
        print(_("Conflict {seq}: {kind} {id} (changed on another device too)").format(
            seq=item.seq, kind=_(LABELS.get(item.entity_kind, item.entity_kind)),
            id=item.entity_id))
        for field in item.fields:
            print(_("  {field}: yours {mine} | on the server {theirs}").format(
                field=field.field, mine=_show(field.mine), theirs=_show(field.theirs)))
    print(_("Settle one with: asndesk conflicts resolve NUMBER --keep mine|theirs, "
            "or --set FIELD=VALUE"))
    return 0


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    merged: dict[str, Any] = {}
    for item in args.set or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValidationError("set", "bad_format",
                                  N_("Write FIELD=VALUE, e.g. kegiatan=Rapat."))
        merged[name.strip()] = value
    with opened(args) as ws:
        ws.resolve_conflict(args.seq, args.keep or "merged", merged or None)
    print(_("Conflict {seq} settled; the change goes to the server with the next sync.").format(
        seq=args.seq))
    return 0
