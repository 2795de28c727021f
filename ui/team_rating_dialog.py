"""Period evaluation of the team: choose the period, then per subordinate rating hasil kerja
and rating perilaku kerja; the predikat is shown as the matrix gives it, with the team's
distribution against the capaian kinerja organisasi and angka kredit for a Jabatan Fungsional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from asndesk.errors import UserFacingError
from asndesk.i18n import _
from asndesk.store.database import Changes
from asndesk.workspace import Workspace
from ui.context import AppContext
from ui.forms import Form
from ui.models.rows_table_model import ROW_ROLE
from ui.models.team_rating_table_model import (
    RATINGS,
    RatingRow,
    RatingTableModel,
    angka_text,
    distribution,
    distribution_text,
    jenjang_choices,
    rating_rows,
    warning_texts,
)
from ui.pages.page_widgets import button, heading, make_table, status_label
from ui.pages.team_data import periods_of


@dataclass
class RatingData:
    tahun: int
    period_id: str
    periods: list[tuple[str, str]]
    rows: list[RatingRow] = field(default_factory=list)
    capaian: str | None = None


def load_ratings(ws: Workspace, tahun: int, period_id: str | None) -> RatingData:
    periods = periods_of(ws, tahun)
    chosen = period_id if period_id in {p for p, _n in periods} else f"{tahun}-TH"
    return RatingData(tahun, chosen, periods, rating_rows(ws.team_ratings(tahun, chosen)),
                      ws.capaian_organisasi(tahun))


class TeamRatingDialog(QDialog):
    kinds = frozenset({"replica_penilaian", "replica_skp", "penilaian", "outbox"})

    def __init__(self, ctx: AppContext, data: RatingData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.data = ctx, data
        self.setObjectName("dialog.team_rating")
        self.setWindowTitle(_("asndesk — period evaluation of the team, {year}").format(
            year=data.tahun))
        self.resize(900, 720)
        # The body scrolls: at 200 % text the table, form and distribution exceed a screen.
        scroll = QScrollArea()
        scroll.setObjectName("dialog.team_rating.scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its controls take focus, not it
        body = QWidget()
        scroll.setWidget(body)
        QVBoxLayout(self).addWidget(scroll)
        column = QVBoxLayout(body)
        intro = QLabel(_("Choose the period, then each person and their two ratings. The "
                         "predikat follows from the ratings. Ratings are sent at the next "
                         "sync."))
        intro.setObjectName("dialog.team_rating.intro")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.period_form = Form("dialog.team_rating.period_form")
        self.period = self.period_form.add_combo(
            "period_id", _("&Period"), [(name, pid) for pid, name in data.periods],
            description=_("Choosing a period shows its ratings"))
        self.period.currentIndexChanged.connect(lambda _i: self._period_changed())
        column.addWidget(self.period_form)

        self.model = RatingTableModel(parent=self)
        self.table = make_table("dialog.team_rating.table", _("Ratings of the team"),
                                self.model)
        self.table.setMinimumHeight(160)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._row_changed(current))
        column.addWidget(self.table, 1)

        self.form = Form("dialog.team_rating.form")
        choices = [(_("Not chosen"), None)] + [(r.value, r.value) for r in RATINGS]
        self.hasil = self.form.add_combo("rating_hasil_kerja", _("Rating &hasil kerja"),
                                         choices)
        self.perilaku = self.form.add_combo("rating_perilaku", _("Rating pe&rilaku kerja"),
                                            choices)
        self.jenjang = self.form.add_combo(
            "jenjang", _("&Jenjang (Jabatan Fungsional)"), [],
            description=_("Only to show the angka kredit; not sent"))
        # Captions above their combos: at 200 % text a caption beside one would wrap and clip.
        self.form.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for combo in (self.hasil, self.perilaku, self.jenjang):
            combo.currentIndexChanged.connect(lambda _i: self._show_outcome())
        column.addWidget(self.form)
        self.outcome = status_label("dialog.team_rating.predikat")
        column.addWidget(self.outcome)
        row = QHBoxLayout()
        self.save_button = button(_("&Save the rating"), "dialog.team_rating.save", self.save)
        self.close_button = button(_("&Close"), "dialog.team_rating.close", self.reject)
        row.addWidget(self.save_button)
        row.addWidget(self.close_button)
        row.addStretch(1)
        column.addLayout(row)

        column.addWidget(heading(_("The team's predikat distribution"),
                                 "dialog.team_rating.distribution_heading"))
        self.counts = status_label("dialog.team_rating.counts")
        self.capaian = status_label("dialog.team_rating.capaian")
        self.warnings = status_label("dialog.team_rating.warnings")
        self.warnings.setProperty("role", "warning")
        for label in (self.counts, self.capaian, self.warnings):
            column.addWidget(label)
        ctx.changed.connect(self._on_changed)
        self.show_data(data)

    # -- data ------------------------------------------------------------------------------
    def show_data(self, data: RatingData) -> None:
        chosen = self.selected()
        keep = chosen.nip if chosen is not None else None
        self.data = data
        self.period.blockSignals(True)
        self.period.setCurrentIndex(max(0, self.period.findData(data.period_id)))
        self.period.blockSignals(False)
        self.model.set_rows(data.rows)
        counts = distribution(data.rows)
        self.counts.setText(_("Predikat in this period: {counts}.").format(
            counts=distribution_text(counts)))
        if data.capaian:
            self.capaian.setText(_("Capaian kinerja organisasi {year}: {capaian}.").format(
                year=data.tahun, capaian=data.capaian))
            warnings = warning_texts(data.capaian, counts)
            self.warnings.setText(" ".join(warnings) if warnings else _(
                "The distribution follows the guidance for this capaian."))
        else:
            self.capaian.setText(_("The capaian kinerja organisasi of {year} is not set (or "
                                   "not synced yet), so the distribution cannot be compared "
                                   "with the guidance.").format(year=data.tahun))
            self.warnings.setText("")
        self.warnings.setVisible(bool(self.warnings.text()))
        row = max(self.model.row_of(keep), 0) if keep else 0
        if data.rows:
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._row_changed(self.table.currentIndex())

    def reload(self, period_id: str | None = None) -> None:
        tahun, chosen = self.data.tahun, period_id or self.data.period_id
        self.ctx.read(lambda ws: load_ratings(ws, tahun, chosen), self.show_data)

    def _on_changed(self, changes: Changes) -> None:
        if self.isVisible() and any(changes.touched(k) for k in self.kinds):
            self.reload()

    def _period_changed(self) -> None:
        chosen = self.period.currentData()
        if chosen and chosen != self.data.period_id:
            self.reload(str(chosen))  # a combo never saves, it only shows

    # -- the chosen person -----------------------------------------------------------------
    def selected(self) -> RatingRow | None:
        index = self.table.currentIndex()
        row = index.siblingAtColumn(0).data(ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, RatingRow) else None

    def _row_changed(self, _index: Any) -> None:
        row = self.selected()
        self.form.clear_errors()
        for combo, value in ((self.hasil, row.hasil if row else None),
                             (self.perilaku, row.perilaku if row else None)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        levels = jenjang_choices(row.jenis_jabatan) if row else ()
        self.jenjang.blockSignals(True)
        self.jenjang.clear()
        self.jenjang.addItem(_("Not a Jabatan Fungsional") if not levels else _("Not chosen"),
                             None)
        for level in levels:
            self.jenjang.addItem(level.value, level.value)
        if row is not None and row.jenjang:
            self.jenjang.setCurrentIndex(max(0, self.jenjang.findData(row.jenjang)))
        self.jenjang.blockSignals(False)
        self.jenjang.setEnabled(bool(levels))
        rateable = row is not None and row.rateable
        self.form.setEnabled(rateable)
        self.save_button.setEnabled(rateable)
        self._show_outcome()

    def _show_outcome(self) -> None:
        row = self.selected()
        if row is None:
            self.outcome.setText(_("Nobody in the team yet. Sync first."))
            return
        chosen = RatingRow(row.nip, row.nama, row.skp_id, row.skp_status, row.jenis_jabatan,
                           row.jenjang, self.hasil.currentData(), self.perilaku.currentData(),
                           row.queued_state, row.refusal)
        parts = [row.state_text() + "."]
        predikat = chosen.predikat
        parts.append(_("Predikat: {predikat} (follows from the two ratings).").format(
            predikat=predikat) if predikat else _("Predikat: shown once both ratings are "
                                                  "chosen."))
        value = chosen.angka_kredit(self.jenjang.currentData(), self.data.period_id)
        if value is not None:
            parts.append(_("Angka kredit for this period: {value}.").format(
                value=angka_text(value)))
        elif jenjang_choices(row.jenis_jabatan) and predikat:
            parts.append(_("Choose the jenjang to see the angka kredit."))
        self.outcome.setText(" ".join(parts))

    def save(self) -> None:
        row = self.selected()
        if row is None or row.skp_id is None:
            return
        skp_id, period_id = row.skp_id, self.data.period_id
        hasil, perilaku = self.hasil.currentData(), self.perilaku.currentData()
        self.ctx.write(lambda ws: ws.rate_skp(skp_id, period_id, hasil, perilaku),
                       self._saved, self._failed,
                       saved=_("Saved. The rating is sent at the next sync."))

    def _saved(self, _changes: Changes) -> None:
        self.table.setFocus()

    def _failed(self, err: UserFacingError) -> None:
        if not self.form.show_error(err, self.ctx.announcer, fallback="rating_hasil_kerja"):
            self.ctx.announcer.say(err.message(), assertive=True)
