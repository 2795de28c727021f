"""`asndesk office show|check`: which office provisioning file is in effect, and is a file valid
(for the HR officer preparing `office.json` before building or copying it beside the app)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from asndesk.i18n import _
from asndesk.office_file import OfficeConfig, load_office_config, read_office_file


def register(sub: Any) -> None:
    office = sub.add_parser("office", help=_("the office provisioning file (office.json)"))
    osub = office.add_subparsers(dest="action", required=True)
    osub.add_parser("show", help=_("show the office file in effect and where it was found")
                    ).set_defaults(func=cmd_office_show)
    check = osub.add_parser("check", help=_("check an office file before handing it out"))
    check.add_argument("file", type=Path, help=_("path of the office.json to check"))
    check.set_defaults(func=cmd_office_check)


def describe(config: OfficeConfig) -> list[str]:
    """The settings as "name: value" lines (never the whole certificate)."""
    policy = config.policy
    unset = _("(not set)")
    trust = (_("office CA certificate") if config.ca_certificate else "") + (
        (" + " if config.ca_certificate else "") + config.public_key_pin
        if config.public_key_pin else "")
    return [
        _("File: {path}").format(path=config.source),
        _("Office: {name}").format(name=config.office_name),
        _("Office code: {code}").format(code=config.office_code or unset),
        _("Server: {url}").format(url=config.server_url),
        _("Server trust: {trust}").format(trust=trust or _("the system's certificates")),
        _("Auto-lock (minutes): {value}").format(value=policy.auto_lock_minutes or unset),
        _("Maximum days offline: {value}").format(value=policy.max_days_offline or unset),
    ]


def cmd_office_show(args: argparse.Namespace) -> int:
    config = load_office_config()
    if config is None:
        print(_("No office file: the server address is typed when connecting."))
        return 0
    print("\n".join(describe(config)))
    return 0


def cmd_office_check(args: argparse.Namespace) -> int:
    config = read_office_file(args.file)  # OfficeConfigError → one clear line, exit 2
    print("\n".join([_("The office file is valid."), *describe(config)]))
    return 0
