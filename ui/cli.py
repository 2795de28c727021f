"""`asndesk app` (also plain `asndesk`) and `asndesk demo`: the desktop entry points.

Registered through the `asndesk.commands` entry point, so the Qt-free core never imports Qt.
"""

from __future__ import annotations

import argparse
from typing import Any

from asndesk.i18n import _
from asndesk.self_test import add_step
from ui.self_test_step import qt_offscreen_step


def register(sub: Any) -> None:
    add_step("qt", qt_offscreen_step)  # `asndesk --self-test` checks the desktop toolkit too
    app = sub.add_parser("app", help=_("open the desktop app (the default)"))
    app.set_defaults(func=cmd_app)
    demo = sub.add_parser("demo", help=_(
        "open the desktop app on a demo office (local server, sample data; kept apart "
        "from real profiles)"))
    demo.add_argument("--as", dest="as_person", choices=("employee", "supervisor"),
                      default="employee",
                      help=_("whose profile opens: the employee (Siti Aminah) or her "
                             "supervisor (the Bawahan page, decisions, ratings)"))
    demo.set_defaults(func=cmd_demo)


def cmd_app(args: argparse.Namespace) -> int:
    from ui.launch import run  # noqa: PLC0415 (Qt loads only when the app opens)

    return run()


def cmd_demo(args: argparse.Namespace) -> int:
    from ui.demo_launch import run_demo  # noqa: PLC0415

    return run_demo(supervisor=args.as_person == "supervisor")
