"""Asking for an amendment (amandemen) of an approved SKP: an optional reason, then the
request; the request itself is the review step (nothing changes in the plan until the pejabat
penilai approves the amendment on the server)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from asndesk.errors import UserFacingError
from asndesk.i18n import _
from ui.announce import Announcer
from ui.forms import Form, plain


class SkpAmendmentDialog(QDialog):
    """Emits `requested(alasan)`; the page writes it and calls `done_ok()` or `show_error`."""

    requested = Signal(str)
    DRAFT_KEY = "skp.amandemen"

    def __init__(self, skp_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.skp_amendment")
        self.setWindowTitle(_("asndesk — request an amendment of the approved SKP"))
        self.resize(640, 380)
        column = QVBoxLayout(self)
        intro = QLabel(_(
            "{skp} is approved. An amendment request lets you change the plan again; the "
            "changes count only when your pejabat penilai approves the amendment.").format(
                skp=skp_label))
        intro.setObjectName("dialog.skp_amendment.intro")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = Form("skp.amandemen")
        self.alasan = self.form.add_text(
            "alasan", _("&Reason for the amendment (optional)"),
            description=_("Why the plan must change, e.g. a new task from your supervisor"))
        column.addWidget(self.form)
        row = QHBoxLayout()
        self.request_button = QPushButton(_("&Send the request"))
        self.request_button.setObjectName("dialog.skp_amendment.request")
        self.request_button.setAccessibleName(plain(self.request_button.text()))
        self.request_button.setAutoDefault(False)
        self.request_button.clicked.connect(lambda _checked=False: self._request())
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("dialog.skp_amendment.cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(lambda _checked=False: self.reject())
        row.addWidget(self.request_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        column.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("dialog.skp_amendment.message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        column.addWidget(self.message)

    def _request(self) -> None:
        self.requested.emit(self.alasan.toPlainText())

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.alasan.setFocus()  # the reason is what there is to type

    def show_error(self, err: UserFacingError, announcer: Announcer | None) -> None:
        """On the reason field when it is about the reason; else under the buttons."""
        if not self.form.show_error(err, announcer):
            self.message.setText(err.message())
            self.message.setVisible(True)
            if announcer is not None:
                announcer.say(err.message(), assertive=True)

    def values(self) -> dict[str, Any]:
        return self.form.values()
