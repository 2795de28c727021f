"""Argument parsing and dispatch for `asndesk`; typed errors become one line on stderr + exit 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points

from asndesk import __version__
from asndesk.cli import (
    conflict_commands,
    office_commands,
    profile_commands,
    record_commands,
    report_commands,
    skp_commands,
    team_commands,
)
from asndesk.cli.common import EXIT_USAGE, CliError, describe_error
from asndesk.errors import UserFacingError
from asndesk.i18n import SUPPORTED_LOCALES, _, set_locale
from asndesk.self_test import run_self_test


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and one clear line (its default prints usage noise too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"asndesk: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="asndesk",
        description=_("Offline-first SKP, log harian and layanan for ASN."),
    )
    parser.add_argument("--version", action="version", version=f"asndesk {__version__}")
    parser.add_argument("--profile", "-p", metavar="NIP",
                        help=_("which profile (default: $ASNDESK_PROFILE or the only one)"))
    parser.add_argument("--lang", choices=SUPPORTED_LOCALES,
                        help=_("language of messages (default: id, or $ASNDESK_LANG)"))
    parser.add_argument("--self-test", action="store_true",
                        help=_("check that asndesk works on this computer (a temporary "
                               "encrypted profile, a PDF, the desktop toolkit) and exit"))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    sub.add_parser("welcome", help=_("first-run guide")).set_defaults(
        func=profile_commands.cmd_welcome)
    profile_commands.register(sub)
    record_commands.register(sub)
    skp_commands.register(sub)
    team_commands.register(sub)
    conflict_commands.register(sub)
    report_commands.register(sub)
    office_commands.register(sub)
    for plugin in entry_points(group="asndesk.commands"):
        # sync/ (and later ui/) register their commands here; the core never imports them.
        plugin.load()(sub)
    return parser


def _registered(parser: argparse.ArgumentParser, name: str) -> object | None:
    """The subcommand parser `name` if a plugin (ui/) registered it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(name)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_locale(args.lang)
    if args.self_test:
        return run_self_test()
    if args.command is None:
        app = _registered(parser, "app")
        if app is None:
            print(_("The asndesk desktop app is not installed here. Use the command line: "
                    "asndesk --help, or asndesk welcome."))
            return 0
        args = parser.parse_args([*(sys.argv[1:] if argv is None else argv), "app"])
    try:
        code: int = args.func(args)
        return code
    except UserFacingError as err:
        print(f"asndesk: {describe_error(err)}", file=sys.stderr)
        for problem in getattr(err, "problems", ()):
            print(f"  - {describe_error(problem)}", file=sys.stderr)
        return EXIT_USAGE
    except CliError as err:
        print(f"asndesk: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
