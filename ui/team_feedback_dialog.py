"""Umpan balik from the pejabat penilai: on the SKP as a whole, one of its RHK, an IKI's
realisation (with its evidence shown) or a BerAKHLAK value. Queued, sent at the next sync.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from asndesk.domain.skp import BERAKHLAK
from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.store.database import Changes
from asndesk.workspace import Workspace
from ui.context import AppContext
from ui.forms import Form, add_dialog_buttons, plain
from ui.pages.team_data import ReviewData, evidence_lines
from ui.skp_words import rhk_number

Target = tuple[str, str | None, str | None]  # (sasaran_jenis, sasaran_id, period_id)


def feedback_targets(data: ReviewData) -> list[tuple[str, Target]]:
    """What feedback can be about, in words, in the order the SKP reads."""
    out: list[tuple[str, Target]] = [(_("The SKP as a whole"), ("umum", None, None))]
    skp = data.view.skp
    if skp is None:
        return out
    for i, rhk in enumerate(skp.rhk):
        out.append((_("RHK {number}: {text}").format(number=rhk_number(skp, i), text=rhk.teks),
                    ("rhk", rhk.id, None)))
    names = {i.id: i.indikator for r in skp.rhk for i in r.iki}
    for r in data.view.realisasi:
        period = r.get("period_id") or ""
        out.append((_("Realisation of “{indicator}” in {period}").format(
            indicator=names.get(r.get("iki_id") or "", "?"),
            period=data.periods.get(period, period)), ("realisasi", r["id"], period or None)))
    for value in BERAKHLAK:
        out.append((_("Work behaviour: {value}").format(value=value.nama),
                    ("perilaku", str(value.kode), None)))
    return out


def about_text(data: ReviewData, target: Target) -> str:
    """What the chosen item is: a realisation's text and evidence, earlier feedback on it."""
    jenis, sasaran_id, _period = target
    lines: list[str] = []
    if jenis == "realisasi":
        found = next((r for r in data.view.realisasi if r["id"] == sasaran_id), {})
        lines.append(_("Realisation: {text}").format(text=found.get("uraian") or ""))
        if found.get("nilai"):
            lines.append(_("Value: {value}").format(value=found["nilai"]))
        evidence = evidence_lines(found.get("bukti"))
        lines.append(_("Evidence (bukti dukung):") if evidence else
                     _("No evidence attached to this realisation."))
        lines += [f"  {e}" for e in evidence]
    earlier = [f for f in data.view.umpan_balik if f.get("sasaran_jenis") == jenis
               and (f.get("sasaran_id") or None) == sasaran_id]
    if earlier:
        lines.append(_("Feedback already given on this:"))
        lines += [f"  {f.get('teks') or ''}" for f in earlier]
    elif jenis != "realisasi":
        lines.append(_("No feedback given on this yet."))
    return "\n".join(lines)


class TeamFeedbackDialog(QDialog):
    def __init__(self, ctx: AppContext, data: ReviewData, parent: QWidget | None = None,
                 target: Target | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.data = ctx, data
        self.setObjectName("dialog.team_feedback")
        self.setWindowTitle(_("asndesk — feedback for {name}").format(name=data.nama))
        self.resize(720, 560)
        column = QVBoxLayout(self)
        intro = QLabel(_("Your feedback reaches {name} at the next sync of both your "
                         "devices.").format(name=data.nama))
        intro.setObjectName("dialog.team_feedback.intro")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = Form("dialog.team_feedback.form")
        self.targets = feedback_targets(data)
        self.about = self.form.add_combo("sasaran", _("&About"), self.targets,
                                         description=_("What the feedback is about"))
        self.about.currentIndexChanged.connect(lambda _i: self._show_about())
        column.addWidget(self.form)

        caption = QLabel(_("&What the chosen item holds"))
        caption.setWordWrap(True)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("dialog.team_feedback.detail")
        self.detail.setAccessibleName(plain(caption.text()))
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                            | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMaximumHeight(140)
        caption.setBuddy(self.detail)
        column.addWidget(caption)
        column.addWidget(self.detail)

        self.text_form = Form("dialog.team_feedback.text_form")
        self.teks = self.text_form.add_text("teks", _("&Feedback"),
                                            description=_("Required; up to 4000 characters"))
        column.addWidget(self.text_form, 1)
        self.send_button, self.cancel_button = add_dialog_buttons(
            column, "dialog.team_feedback", _("&Send feedback"), _("Cancel"))
        self.send_button.setAccessibleName(plain(self.send_button.text()))
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.send_button.clicked.connect(lambda _checked=False: self.send())
        self.cancel_button.clicked.connect(lambda _checked=False: self.reject())
        if target is not None:
            self.choose(target)
        self._show_about()
        self.about.setFocus()

    def choose(self, target: Target) -> None:
        index = next((n for n, (_text, t) in enumerate(self.targets) if t[:2] == target[:2]),
                     -1)
        if index >= 0:
            self.about.setCurrentIndex(index)

    def target(self) -> Target:
        return self.targets[max(self.about.currentIndex(), 0)][1]

    def _show_about(self) -> None:
        self.detail.setPlainText(about_text(self.data, self.target()))

    def send(self) -> None:
        skp = self.data.view.skp
        if skp is None:
            return
        skp_id, (jenis, sasaran_id, period_id) = skp.id, self.target()
        teks = self.teks.toPlainText()
        self.text_form.clear_errors()
        self.form.clear_errors()

        def give(ws: Workspace) -> Changes:
            return ws.give_feedback(skp_id, teks, sasaran_jenis=jenis, sasaran_id=sasaran_id,
                                    period_id=period_id)
        self.ctx.write(give, lambda _changes: self.accept(), self._failed,
                       saved=_("Saved. The feedback is sent at the next sync."))

    def _failed(self, err: UserFacingError) -> None:
        # The text's errors go under the text; anything about the target under "About".
        if isinstance(err, ValidationError) and err.field == "teks":
            self.text_form.show_error(err, self.ctx.announcer)
        else:
            self.form.show_error(err, self.ctx.announcer, fallback="sasaran")
