"""Laporan: official documents (PDF) and exports (CSV, XLSX, JSON) from the desktop app.

Pick a document and its details, then "Preview" (page 1 as an image, "Halaman 1 dari N" and a
summary a screen reader can read) or "Save as…" (the file is written only where the person
chose, by the core, which audits the export). Data is gathered on the DB lane and rendered on
the IO lane, so the window stays responsive; progress is shown and announced at most once per
5 s, and "Cancel" drops a report that is no longer wanted.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QWidget,
)

from asndesk.errors import NotFound, UserFacingError, ValidationError
from asndesk.i18n import N_, _, current_locale
from ui.forms import plain
from ui.pages.page import Page
from ui.pages.page_widgets import button, heading, status_label
from ui.pdf_preview import first_page
from ui.report_jobs import (
    CHOICES,
    NEEDS_HR_UNIT,
    NEEDS_SERVICES,
    NEEDS_SKM,
    TAHUN,
    Availability,
    Choice,
    Gathered,
    ReportRequest,
    availability,
    gather,
    periods,
    produce,
    save,
)
from ui.report_params import ReportParams
from ui.report_summary import page_counter, summary

ANNOUNCE_EVERY_S = 5.0  # progress is announced at most once per 5 s
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
WHY_UNAVAILABLE = {
    NEEDS_HR_UNIT: N_("This report is made from the unit data that sync brings to an HR "
                      "officer (pengelola kepegawaian). This profile manages no unit, or has "
                      "not synced since it was given one."),
    NEEDS_SERVICES: N_("There are no service records on this device yet. Record services on "
                       "the Services page, or sync, and this report becomes available."),
    NEEDS_SKM: N_("There are no survey (SKM) answers on this device. They reach a service "
                  "unit's profile through sync; without them no IKM can be computed."),
}


class ReportPage(Page):
    page_id = "laporan"

    def title(self) -> str:
        return _("Reports")

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        self.available = Availability()
        self._job: object | None = None
        self._announced_at = 0.0
        self._last: tuple[ReportRequest, bytes] | None = None
        intro = QLabel(_("Choose a document and its details, then preview it or save it. "
                         "Reports are made from the data on this device."))
        intro.setWordWrap(True)
        self.root.addWidget(intro)
        kind_label = QLabel(_("Document"))
        kind_label.setWordWrap(True)
        self.kinds_list = QListWidget()
        self.kinds_list.setObjectName("report.kind")
        self.kinds_list.setAccessibleName(plain(kind_label.text()))
        self.kinds_list.setAccessibleDescription(
            _("Arrow keys choose; choosing only shows the details it needs"))
        kind_label.setBuddy(self.kinds_list)
        for choice in CHOICES:
            item = QListWidgetItem(_(choice.title), self.kinds_list)
            item.setData(Qt.ItemDataRole.UserRole, choice.kind)
        self.kinds_list.setMinimumHeight(240)
        self.root.addWidget(kind_label)
        self.root.addWidget(self.kinds_list)
        self.unavailable = status_label("report.unavailable")
        self.unavailable.setVisible(False)
        self.root.addWidget(self.unavailable)
        self.root.addWidget(heading(_("Details"), "report.details.heading"))
        self.params = ReportParams()
        self.params.tahun.currentIndexChanged.connect(lambda _i: self._load_periods())
        self.root.addWidget(self.params)
        self.language_note = status_label("report.language")
        self.language_note.setText(_("Documents are written in the app's language ({language})"
                                     "; change it in Settings.").format(
            language=LANGUAGES.get(current_locale(), current_locale())))
        self.root.addWidget(self.language_note)
        self._build_actions()
        self._build_preview()
        self.kinds_list.currentRowChanged.connect(self._chosen)
        self.kinds_list.setCurrentRow(0)

    def _build_actions(self) -> None:
        row = QHBoxLayout()
        self.preview_button = button(_("Preview"), "report.preview", self.preview,
                                     _("Shows the first page and a summary"))
        self.save_button = button(_("Save as…"), "report.save", self.save_as,
                                  _("Asks where to write the file"))
        self.cancel_button = button(_("Cancel the report"), "report.cancel", self.cancel,
                                    _("Stops waiting for this report; you can keep working"))
        self.cancel_button.setVisible(False)
        for b in (self.preview_button, self.save_button, self.cancel_button):
            row.addWidget(b)
        row.addStretch(1)
        self.root.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setObjectName("report.progress")
        self.progress.setRange(0, 0)  # busy: the core reports no steps inside a render
        self.progress.setAccessibleName(_("Report progress"))
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.root.addWidget(self.progress)
        self.status = status_label("report.status")
        self.root.addWidget(self.status)
        self.message = status_label("report.message")
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        self.root.addWidget(self.message)

    def _build_preview(self) -> None:
        self.root.addWidget(heading(_("Preview"), "report.preview.heading"))
        self.page_count = status_label("report.preview.pages")
        self.root.addWidget(self.page_count)
        self.summary = status_label("report.preview.summary")
        self.root.addWidget(self.summary)
        self.image = QLabel()
        self.image.setObjectName("report.preview.image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # A picture says nothing to a screen reader: Tab reaches it and it reads the summary.
        self.image.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.image.setAccessibleName(_("Preview of the first page"))
        self.image.setVisible(False)
        self.root.addWidget(self.image)
        self.root.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.kinds_list

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        self._last = None  # the data may have changed: a saved file must be made anew
        self.ctx.read(availability, self._show_availability)
        self._load_periods()

    def _load_periods(self) -> None:
        tahun = self.params.tahun.currentData()
        self.ctx.read(lambda ws: periods(ws, tahun),
                      lambda rows: self.params.set_periods(tahun, rows))

    def _show_availability(self, found: Availability) -> None:
        self.available = found
        self.params.set_availability(found)
        self._show_unavailable()

    def choice(self) -> Choice:
        return CHOICES[max(0, self.kinds_list.currentRow())]

    def choose(self, kind: str) -> None:
        """Select a document by its kind (keyboard users use the list; tests use this)."""
        row = next(n for n, c in enumerate(CHOICES) if c.kind == kind)
        self.kinds_list.setCurrentRow(row)

    def _chosen(self, _row: int) -> None:
        self.params.show_for(self.choice())
        self.message.setVisible(False)
        self._show_unavailable()

    def _why_unavailable(self) -> str | None:
        needs = self.choice().needs
        return _(WHY_UNAVAILABLE[needs]) if needs and self.available.missing(needs) else None

    def _show_unavailable(self) -> None:
        why = self._why_unavailable()
        self.unavailable.setText(_("Not available: {why}").format(why=why) if why else "")
        self.unavailable.setVisible(why is not None)

    # -- running a report ----------------------------------------------------------------
    def _request(self) -> ReportRequest | None:
        """The request, or None (said plainly) when the document cannot be made here."""
        if self._job is not None:
            self.ctx.announcer.say(_("A report is still being made; wait, or cancel it."))
            return None
        why = self._why_unavailable()
        if why is not None:
            self._show_unavailable()
            self.ctx.announcer.say(self.unavailable.text(), assertive=True)
            return None
        self.params.clear_errors()
        self.message.setVisible(False)
        return self.params.request(current_locale())

    def _start(self, text: str) -> object:
        self._job = token = object()
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._announced_at = 0.0
        self._progress(token, text)
        return token

    def _progress(self, token: object, text: str) -> bool:
        """Show a step; announce it unless one was announced under 5 s ago (A-12)."""
        if token is not self._job:
            return False  # cancelled, or replaced by a newer report
        self.status.setText(text)
        now = time.monotonic()
        if now - self._announced_at >= ANNOUNCE_EVERY_S:
            self._announced_at = now
            self.ctx.announcer.say(text)
        return True

    def _finish(self, text: str, *, assertive: bool = False, announce: bool = True) -> None:
        self._job = None
        self.progress.setVisible(False)
        if self.cancel_button.hasFocus():
            self.preview_button.setFocus()  # focus must not fall off a hidden button
        self.cancel_button.setVisible(False)
        self.status.setText(text)
        if announce:
            self.ctx.announcer.say(text, assertive=assertive)

    def cancel(self) -> None:
        if self._job is not None:
            self._finish(_("Report cancelled. Your choices are kept."))

    def _failed(self, token: object, err: BaseException) -> None:
        if token is not self._job:
            return
        # The error itself is announced below (one assertive message, not two in a row).
        self._finish(_("The report could not be made."), announce=False)
        if isinstance(err, NotFound) and err.params.get("kind") == "SKP":
            err = ValidationError(TAHUN, "no_skp", N_(
                "There is no SKP for {year} on this device. Make it on the SKP page first, "
                "or sync if it was made on another device."), year=err.params.get("id", ""))
        if isinstance(err, UserFacingError):
            if self.params.show_error(err, self.ctx.announcer):
                return
            text = err.message()
        else:
            text = _("Something went wrong while making the report. Your data is safe; "
                     "try again.")
        self.message.setText(text)
        self.message.setVisible(True)
        self.ctx.announcer.say(text, assertive=True)

    def _make(self, req: ReportRequest, token: object, then: Any) -> None:
        """Gather on the DB lane, then hand the `Gathered` to `then` (GUI thread)."""
        def gathered(found: Gathered) -> None:
            if token is self._job:
                then(found)
        self.ctx.read(lambda ws: gather(ws, req), gathered,
                      lambda err: self._failed(token, err))

    # -- preview -------------------------------------------------------------------------
    def preview(self) -> None:
        req = self._request()
        if req is None:
            return
        token = self._start(_("Gathering the report's data…"))
        self._make(req, token, lambda found: self._render_preview(token, found))

    def _render_preview(self, token: object, found: Gathered) -> None:
        req = found.request
        if req.fmt != "pdf":
            self._show_preview(None, summary(found), None)
            self._finish(_("Exports have no page image; the summary says what the file "
                           "holds. {summary}").format(summary=summary(found)))
            return
        self._progress(token, _("Rendering the PDF…"))
        ratio = self.devicePixelRatioF()

        def render() -> tuple[bytes, Any]:
            data = produce(found)
            return data, first_page(data, ratio=ratio)

        def rendered(result: tuple[bytes, Any]) -> None:
            if token is not self._job:
                return
            data, page = result
            self._last = (req, data)
            text = summary(found, page.pages)
            self._show_preview(QPixmap.fromImage(page.image), text, page.pages)
            self._finish(_("Preview ready. {summary}").format(summary=text))
        self.ctx.io(render, rendered, lambda err: self._failed(token, err))

    def _show_preview(self, pixmap: QPixmap | None, text: str, pages: int | None) -> None:
        self.summary.setText(text)
        self.page_count.setText(page_counter(pages) if pages else "")
        self.image.setVisible(pixmap is not None)
        if pixmap is not None:
            self.image.setPixmap(pixmap)
            self.image.setAccessibleDescription(f"{page_counter(pages or 1)}. {text}")

    # -- save as -------------------------------------------------------------------------
    def save_as(self) -> None:
        req = self._request()
        if req is None:
            return
        suggested = str(Path.home() / suggested_name(req))
        name, _filter = QFileDialog.getSaveFileName(
            self, _("asndesk — save the report"), suggested,
            _("{format} files (*.{ext})").format(format=req.fmt.upper(), ext=req.fmt))
        if not name:
            self.ctx.announcer.say(_("Not saved."))
            return
        path = Path(name)
        if path.suffix.lower() != f".{req.fmt}":
            path = path.with_name(path.name + f".{req.fmt}")
        token = self._start(_("Making the file…"))
        if self._last is not None and self._last[0] == req:
            self._write(token, req, self._last[1], path)  # the previewed bytes, unchanged
            return

        def gathered(found: Gathered) -> None:
            self._progress(token, _("Rendering the file…"))
            self.ctx.io(lambda: produce(found),
                        lambda data: self._write(token, req, data, path),
                        lambda err: self._failed(token, err))
        self._make(req, token, gathered)

    def _write(self, token: object, req: ReportRequest, data: bytes, path: Path) -> None:
        if not self._progress(token, _("Writing {file}…").format(file=path.name)):
            return

        saved = _("Saved to {path}.").format(path=path)

        def done(_changes: Any) -> None:
            if token is self._job:
                self._finish(saved, announce=False)  # ctx.write announced it
            elif self._job is None:
                self.status.setText(saved)  # cancelled too late: the file was written
        # ctx.write: the core writes the one chosen file and its audit entry, on the DB lane.
        self.ctx.write(lambda ws: _saved(save(ws, req, data, path)), done,
                       lambda err: self._failed(token, err), saved=saved)


def _saved(_path: Path) -> None:
    """`ctx.write` wants Changes or None; a saved report changes no record."""
    return None


def suggested_name(req: ReportRequest) -> str:
    """"skp-2026.pdf", "log-2026-11.pdf", "export-log-2026-11-01-2026-11-30.csv"."""
    parts = [req.kind]
    if req.unit:
        parts.append(req.unit)
    if req.periode:
        parts.append(req.periode)
    elif req.tahun:
        parts.append(str(req.tahun) + (f"-{req.bulan:02d}" if req.bulan else ""))
    if req.dari and req.sampai:
        parts += [req.dari.isoformat(), req.sampai.isoformat()]
    return "-".join(parts) + f".{req.fmt}"
