"""Beranda: what needs doing now — SKP status, unsynced changes, this week's hours, JP.

A first version from existing use cases; the per-RHK progress and deadlines arrive with the
home summary use case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from PySide6.QtWidgets import QLabel, QWidget

from asndesk.domain.formatting import format_angka
from asndesk.i18n import _, ngettext
from asndesk.workspace import Workspace
from ui.pages.page import Page


@dataclass(frozen=True)
class HomeFacts:
    skp_status: str | None
    pending: int
    jp_total: str
    jp_target: int


def _facts(ws: Workspace, today: date) -> HomeFacts:
    skps = ws.skp_list(today.year)
    jp = ws.jp_summary(today.year)
    return HomeFacts(skps[0]["status"] if skps else None, ws.pending_count(),
                     format_angka(jp.total, 0), jp.target)


class HomePage(Page):
    page_id = "beranda"
    kinds: ClassVar[frozenset[str]] = frozenset()  # everything shown here may change

    def title(self) -> str:
        return _("Home")

    def build(self) -> None:
        self.facts = QLabel(_("Loading…"))
        self.facts.setObjectName("beranda.facts")
        self.facts.setWordWrap(True)
        self.root.addWidget(self.facts)
        self.root.addStretch(1)

    def load(self) -> None:
        today = date.today()
        self.ctx.read(lambda ws: _facts(ws, today), self._show)

    def _show(self, facts: HomeFacts) -> None:
        lines = [
            _("SKP {year}: {status}").format(year=date.today().year,
                                            status=facts.skp_status or _("not made yet")),
            ngettext("{n} change waiting to sync", "{n} changes waiting to sync",
                     facts.pending).format(n=facts.pending),
            _("Training this year: {jp} of {target} JP").format(jp=facts.jp_total,
                                                                 target=facts.jp_target),
        ]
        self.facts.setText("\n".join(lines))

    def first_focus(self) -> QWidget | None:
        return None


