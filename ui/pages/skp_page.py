"""SKP: the employee's plan for one year — create it, write the RHK (Utama/Tambahan) with
their IKI, see the BerAKHLAK perilaku, keep the lampiran, review and submit, withdraw, follow
the status timeline (with the pejabat penilai's note when returned) and, once approved, ask
for an amendment. The parts live in skp_rhk_panel, skp_iki_panel and skp_extras_panel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from asndesk.domain.skp import JenisJabatan, Skp, StatusSkp, can_edit, skp_problems
from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.skp_usecases import SkpNotReady
from asndesk.workspace import Workspace
from ui.forms import Form, plain
from ui.models.skp_extras_table_model import ProblemRow, problem_rows
from ui.models.skp_history_table_model import SkpHistoryTableModel, timeline
from ui.pages import skp_extras_panel, skp_iki_panel, skp_rhk_panel
from ui.pages.page import Page
from ui.pages.page_widgets import button, heading, make_table, status_label
from ui.pages.skp_extras_panel import ExtrasPanel
from ui.pages.skp_rhk_panel import RhkPanel
from ui.skp_amendment_dialog import SkpAmendmentDialog
from ui.skp_submit_dialog import SkpSubmitDialog
from ui.skp_words import JENIS_JABATAN, STATUS, rhk_number, when, word
from ui.sync_messages import refusal_words, state_words

CREATE_KEY = "skp.create"
_RHK = re.compile(r"rhk\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\]\.(\w+))?$")
_ROW = re.compile(r"(perilaku|lampiran)\[(\d+)\]")


@dataclass
class SkpView:
    """What the page shows for one year (read on the DB lane)."""

    tahun: int
    head: dict[str, Any] | None = None
    skp: Skp | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    amendments: list[dict[str, Any]] = field(default_factory=list)
    problems: int = 0
    jabatan: str | None = None


def read_view(ws: Workspace, tahun: int) -> SkpView:
    heads = ws.skp_list(tahun)
    view = SkpView(tahun, jabatan=ws.person().get("jabatan"))
    if heads:  # the newest revision of the year
        view.head = heads[0]
        view.skp = ws.skp(heads[0]["id"])
        view.history = ws.skp_history(view.skp.id)
        view.amendments = ws.amendments(view.skp.id)
        view.problems = len(skp_problems(view.skp))
    return view


def request_state(request: dict[str, Any]) -> str:
    """An amendment request's state in words, with the server's reason when it refused."""
    text = state_words(request["state"])
    if request["state"] == "rejected":
        text += ": " + refusal_words(request.get("reason") or "", request.get("message_id") or "")
    return text


def plan_summary(skp: Skp) -> str:
    """The plan in a few lines, for the review step."""
    lines = [_("SKP {year}, {kind}").format(year=skp.tahun, kind=word(JENIS_JABATAN,
                                                                      skp.jenis_jabatan))]
    for i, rhk in enumerate(skp.rhk):
        lines.append(f"{rhk_number(skp, i)} {rhk.teks}")
        lines += [f"    {n}. {iki.indikator}" for n, iki in enumerate(rhk.iki, start=1)]
    lines.append(_("Attachment lines: {n}").format(n=len(skp.lampiran)))
    return "\n".join(lines)


class SkpPage(Page):
    page_id = "skp"
    kinds: ClassVar[frozenset[str]] = frozenset(
        {"skp", "rhk", "iki", "lampiran", "perilaku", "amandemen", "skp_status_history"})

    def title(self) -> str:
        return _("SKP")

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        self.tahun = date.today().year
        self.view: SkpView | None = None
        self.submit_dialog: SkpSubmitDialog | None = None
        self.amendment_dialog: SkpAmendmentDialog | None = None
        self._problems: dict[str, ProblemRow] = {}
        self._amendment_draft: str = ""
        self._focus_after_load: QWidget | None = None
        row = QHBoxLayout()
        year_label = QLabel(_("Year"))
        self.year = QSpinBox()
        self.year.setObjectName("skp.year")
        self.year.setRange(2000, 2100)
        self.year.setValue(self.tahun)
        self.year.setAccessibleName(plain(year_label.text()))
        self.year.setAccessibleDescription(_("The SKP year; the button shows it"))
        year_label.setBuddy(self.year)
        row.addWidget(year_label)
        row.addWidget(self.year)
        # Changing the number alone does not switch the page; this button does.
        row.addWidget(button(_("Show that year"), "skp.year.show", self.show_year))
        row.addStretch(1)
        self.root.addLayout(row)
        self.status = status_label("skp.status")
        self.root.addWidget(self.status)
        self.note = status_label("skp.note")
        self.note.setVisible(False)
        self.root.addWidget(self.note)
        self._build_create()
        self.plan = QWidget()
        self.plan.setObjectName("skp.plan")
        column = QVBoxLayout(self.plan)
        column.setContentsMargins(0, 0, 0, 0)
        actions = QHBoxLayout()
        self.review_button = button(_("Review and submit…"), "skp.submit", self.review,
                                    _("Lists what still blocks submitting, or submits"))
        self.withdraw_button = button(_("Withdraw the submission"), "skp.withdraw", self.withdraw,
                                      _("Possible until your pejabat penilai reviews it"))
        self.amend_button = button(_("Request an amendment…"), "skp.amend", self.request_amendment,
                                   _("Only for an approved SKP"))
        for b in (self.review_button, self.withdraw_button, self.amend_button):
            actions.addWidget(b)
        actions.addStretch(1)
        column.addLayout(actions)
        self.amendments = status_label("skp.amendments")
        column.addWidget(self.amendments)
        column.addWidget(heading(_("Status timeline"), "skp.history.heading"))
        self.history_model = SkpHistoryTableModel(parent=self)
        self.history = make_table("skp.history", _("Status timeline"), self.history_model)
        self.history.setMinimumHeight(150)
        self.history.horizontalHeader().resizeSection(0, 300)
        self.history.horizontalHeader().resizeSection(1, 260)
        column.addWidget(self.history)
        self.rhk = RhkPanel(self.ctx, self.plan)
        column.addWidget(self.rhk)
        self.extras = ExtrasPanel(self.ctx, self.plan)
        column.addWidget(self.extras)
        self.plan.setVisible(False)
        self.root.addWidget(self.plan)

    def _build_create(self) -> None:
        self.create_panel = QWidget()
        self.create_panel.setObjectName("skp.create")
        column = QVBoxLayout(self.create_panel)
        column.setContentsMargins(0, 0, 0, 0)
        self.create_title = heading(_("Create the SKP"), "skp.create.heading")
        column.addWidget(self.create_title)
        form = self.create_form = Form("skp.create.form")
        items = [(_(m), str(v)) for v, m in JENIS_JABATAN.items()]
        self.jenis_jabatan = form.add_combo(
            "jenis_jabatan", _("Position type"), items,
            description=_("Decides the SKP layout: JPT uses perspectives instead of aspects"))
        self.jenis_jabatan.setCurrentIndex(self.jenis_jabatan.findData(
            str(JenisJabatan.PELAKSANA)))
        self.jabatan = form.add_line("jabatan", _("Position (optional)"), max_length=300)
        self.unit_kerja = form.add_line("unit_kerja", _("Work unit (optional)"), max_length=300)
        column.addWidget(form)
        row = QHBoxLayout()
        self.create_button = button(_("Create the SKP"), "skp.create.button", self.create_skp)
        row.addWidget(self.create_button)
        row.addStretch(1)
        column.addLayout(row)
        self.create_panel.setVisible(False)
        self.root.addWidget(self.create_panel)

    def first_focus(self) -> QWidget | None:
        return self.year

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        tahun = self.tahun
        self.ctx.read(lambda ws: read_view(ws, tahun), self._show)

    def show_year(self) -> None:
        self.tahun = self.year.value()
        self.load()

    def _show(self, view: SkpView) -> None:
        if view.tahun != self.tahun:
            return  # another year was asked for meanwhile
        self.view = view
        skp = view.skp
        self.create_panel.setVisible(skp is None)
        self.plan.setVisible(skp is not None)
        if skp is None:
            self.status.setText(_("There is no SKP for {year} yet.").format(year=view.tahun))
            self.note.setVisible(False)
            self.create_title.setText("<h2>{}</h2>".format(
                _("Create the SKP of {year}").format(year=view.tahun)))
            if view.jabatan and not self.jabatan.text():
                self.jabatan.setText(view.jabatan)
            return
        editable = can_edit(skp.status)
        text = _("SKP {year} ({kind}): {status}").format(
            year=skp.tahun, kind=word(JENIS_JABATAN, skp.jenis_jabatan),
            status=word(STATUS, skp.status))
        if editable:
            text += ". " + (_("Ready to submit.") if view.problems == 0 else _(
                "Items to fix before submitting: {count}.").format(count=view.problems))
        self.status.setText(text)
        note = (view.head or {}).get("catatan_pengembalian")
        returned = skp.status == StatusSkp.DIKEMBALIKAN and bool(note)
        self.note.setText(_("Your pejabat penilai returned the SKP with this note: {note}")
                          .format(note=note) if returned else "")
        self.note.setVisible(returned)
        self.review_button.setEnabled(editable)
        self.withdraw_button.setEnabled(skp.status == StatusSkp.DIAJUKAN)
        self.amend_button.setEnabled(skp.status == StatusSkp.DISETUJUI)
        self.amendments.setText("\n".join(
            _("Amendment requested {when}: {state}").format(
                when=when(a["dibuat_pada"]), state=request_state(a)) for a in view.amendments))
        self.amendments.setVisible(bool(view.amendments))
        self.history_model.set_rows(timeline(view.history, view.head))
        self.rhk.set_skp(skp, editable)
        self.extras.set_skp(skp, editable)
        if self._focus_after_load is not None:
            self._focus_after_load.setFocus()
            self._focus_after_load = None

    # -- create --------------------------------------------------------------------------
    def create_skp(self) -> None:
        tahun, v = self.tahun, self.create_form.values()
        self.create_form.clear_errors()

        def write(ws: Workspace) -> Any:
            return ws.create_skp(tahun, v["jenis_jabatan"], jabatan=v["jabatan"] or None,
                                 unit_kerja=v["unit_kerja"] or None)

        def done(_changes: Any) -> None:
            self.create_form.clear()
            self._focus_after_load = self.rhk.teks  # shown when the reload brings the plan
        def failed(err: UserFacingError) -> None:
            self.create_form.show_error(err, self.ctx.announcer, fallback="jenis_jabatan")
        self.ctx.write(write, done, failed, saved=_("SKP created. Now add its first RHK."))

    # -- review and submit ---------------------------------------------------------------
    def review(self) -> None:
        skp = self.view.skp if self.view else None
        if skp is None:
            return
        self.ctx.read(lambda ws: ws.skp(skp.id), self._open_review)

    def _open_review(self, skp: Skp) -> None:
        rows = problem_rows(skp, skp_problems(skp))
        self._problems = {r.field: r for r in rows}
        dialog = self.submit_dialog = SkpSubmitDialog(plan_summary(skp), rows, self)
        dialog.submit_requested.connect(lambda: self._submit(skp))
        dialog.jump_requested.connect(self.jump)
        dialog.finished.connect(lambda _r: self._review_closed(dialog))
        dialog.open()

    def _review_closed(self, dialog: SkpSubmitDialog) -> None:
        dialog.deleteLater()
        if self.submit_dialog is dialog:
            self.submit_dialog = None

    def _submit(self, skp: Skp) -> None:
        def failed(err: UserFacingError) -> None:
            if self.submit_dialog is None:
                return
            if isinstance(err, SkpNotReady):
                rows = problem_rows(skp, err.problems)
                self._problems = {r.field: r for r in rows}
                self.submit_dialog.set_problems(rows)
            else:
                self.submit_dialog.show_message(err.message())
            self.ctx.announcer.say(err.message(), assertive=True)

        def done(_changes: Any) -> None:
            if self.submit_dialog is not None:
                self.submit_dialog.accept()
            self.withdraw_button.setFocus()
        self.ctx.write(lambda ws: ws.submit_skp(skp.id), done, failed,
                       saved=_("SKP submitted to your pejabat penilai."))

    def jump(self, path: str) -> None:
        """Move focus to the widget of a review problem and show the problem there."""
        problem = self._problems.get(path)
        text = problem.message if problem else ""
        match = _RHK.match(path)
        if match:
            index, key, iki_index, iki_key = match.groups()
            if key == "iki" and iki_index is not None:
                rhk = self.rhk.skp.rhk[int(index)] if self.rhk.skp else None
                self.rhk.choose(rhk.id if rhk else None)
                row = self.rhk.iki.row_at(int(iki_index))
                if row is not None:
                    self.rhk.iki.start_editing(row)
                self.rhk.iki.show_problem(iki_key, text)
            elif key == "iki":
                rhk = self.rhk.skp.rhk[int(index)] if self.rhk.skp else None
                self.rhk.choose(rhk.id if rhk else None)
                self.rhk.iki.show_problem("indikator", text)
            else:
                self.rhk.show_problem(int(index), key or "teks", text)
            return
        row_match = _ROW.match(path)
        if row_match:
            self.extras.focus_row(row_match.group(1), int(row_match.group(2)), text)
        elif path == "rhk":
            self.rhk.stop_editing(announce=False)
            self.rhk.form.set_values({"jenis": "utama"})
            self.rhk.form.show_error(ValidationError("teks", "review", "{text}", text=text),
                                     self.ctx.announcer)
        elif path == "perilaku":
            self.extras.focus_row("perilaku", 0, text)
        else:
            self.year.setFocus()
            self.ctx.announcer.say(text, assertive=True)

    def withdraw(self) -> None:
        skp = self.view.skp if self.view else None
        if skp is not None:
            self.ctx.write(lambda ws: ws.withdraw_skp(skp.id),
                           lambda _c: self.review_button.setFocus(),
                           saved=_("Submission withdrawn; the SKP is a draft again."))

    # -- amendment -----------------------------------------------------------------------
    def request_amendment(self) -> None:
        skp = self.view.skp if self.view else None
        if skp is None:
            return
        dialog = self.amendment_dialog = SkpAmendmentDialog(
            _("The SKP of {year}").format(year=skp.tahun), self)
        dialog.alasan.setPlainText(self._amendment_draft)
        dialog.requested.connect(lambda alasan: self._send_amendment(dialog, skp.id, alasan))
        dialog.finished.connect(lambda _r: self._amendment_closed(dialog))
        dialog.open()

    def _amendment_closed(self, dialog: SkpAmendmentDialog) -> None:
        dialog.deleteLater()
        if self.amendment_dialog is dialog:
            self.amendment_dialog = None
            self.amend_button.setFocus()

    def _send_amendment(self, dialog: SkpAmendmentDialog, skp_id: str, alasan: str) -> None:
        def done(_changes: Any) -> None:
            self._amendment_draft = ""
            dialog.accept()
        self.ctx.write(lambda ws: ws.request_amendment(skp_id, alasan), done,
                       lambda err: dialog.show_error(err, self.ctx.announcer),
                       saved=_("Amendment request saved; it is sent with the next sync."))

    # -- drafts --------------------------------------------------------------------------
    def drafts(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        create = self.create_form.values()
        if not self.create_panel.isHidden() and create["unit_kerja"].strip():
            found[CREATE_KEY] = {**create, "tahun": self.tahun}
        for key, draft in ((skp_rhk_panel.DRAFT_KEY, self.rhk.draft()),
                           (skp_iki_panel.DRAFT_KEY, self.rhk.iki.draft()),
                           (skp_extras_panel.DRAFT_KEY, self.extras.draft())):
            if draft:
                found[key] = draft
        if self.amendment_dialog is not None:
            self._amendment_draft = self.amendment_dialog.alasan.toPlainText()
        if self._amendment_draft.strip():
            found[SkpAmendmentDialog.DRAFT_KEY] = {"alasan": self._amendment_draft}
        return found

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        if CREATE_KEY in drafts:
            self.create_form.set_values(drafts[CREATE_KEY])
        if skp_rhk_panel.DRAFT_KEY in drafts:
            self.rhk.restore(drafts[skp_rhk_panel.DRAFT_KEY])
        if skp_iki_panel.DRAFT_KEY in drafts:
            iki = drafts[skp_iki_panel.DRAFT_KEY]
            self.rhk.iki.restore(iki)
            if iki.get("rhk_id"):
                self.rhk.choose(str(iki["rhk_id"]), iki.get("edit_id"))
        if skp_extras_panel.DRAFT_KEY in drafts:
            self.extras.restore(drafts[skp_extras_panel.DRAFT_KEY])
        if SkpAmendmentDialog.DRAFT_KEY in drafts:
            self._amendment_draft = str(drafts[SkpAmendmentDialog.DRAFT_KEY].get("alasan") or "")
