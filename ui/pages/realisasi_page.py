"""Realisasi: per period, every IKI of this year's SKP with its target and realisation.

Pick a period (this year's; local default Triwulan periods are made when none were synced),
select an indicator in the table, and record or edit its realisation with evidence files and
links in the form below. A period HR closed is read-only, said in words; if it was closed
while typing, saving refuses with that message and nothing typed is lost.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, cast

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from asndesk.errors import PeriodClosed, UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.store.database import Changes
from asndesk.workspace import Workspace
from ui.evidence_box import EvidenceBox
from ui.forms import Form, plain
from ui.models.realisasi_table_model import (
    RealisasiRow,
    RealisasiTableModel,
    realisasi_rows,
)
from ui.models.rows_table_model import ROW_ROLE, angka
from ui.pages.page import Page
from ui.pages.page_widgets import make_table
from ui.pages.realisasi_data import (
    RealisasiData,
    find_realisasi,
    is_closed,
    load_realisasi,
    period_name,
    status_text,
)

DRAFT_KEY = "realisasi.form"


Key = tuple[str, str]  # (iki_id, period_id)


class RealisasiPage(Page):
    page_id = "realisasi"
    kinds: ClassVar[frozenset[str]] = frozenset(
        {"realisasi", "period", "skp", "rhk", "iki", "bukti"})

    def title(self) -> str:
        return _("Realisations")

    # -- widgets -------------------------------------------------------------------------
    def build(self) -> None:
        self.data: RealisasiData | None = None
        self._period_id: str | None = None
        self._key: Key | None = None
        self._row: RealisasiRow | None = None
        self._dirty = False
        self._filling = False
        self._typed: dict[Key, dict[str, Any]] = {}
        self._wanted: str | None = None  # an IKI to select once loaded (show_record)

        row = QHBoxLayout()
        caption = QLabel(_("&Period"))
        self.period = QComboBox()
        self.period.setObjectName("realisasi.period")
        self.period.setAccessibleName(_("Period"))
        self.period.setAccessibleDescription(_("Choosing a period shows its realisations"))
        caption.setBuddy(self.period)
        self.period.currentIndexChanged.connect(self._period_changed)
        row.addWidget(caption)
        row.addWidget(self.period, 1)
        self.root.addLayout(row)

        self.status = QLabel(_("Loading…"))
        self.status.setObjectName("realisasi.status")
        self.status.setWordWrap(True)
        self.root.addWidget(self.status)

        self.model = RealisasiTableModel(parent=self)
        self.table = make_table("realisasi.table", _("Indicators and their realisation"),
                                self.model, sort_column=-1)  # -1: the SKP's own order
        self.table.setAccessibleDescription(
            _("Select an indicator to record its realisation in the form below"))
        self.proxy = cast(QSortFilterProxyModel, self.table.model())
        self.table.setWordWrap(True)
        self.table.setMinimumHeight(180)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.root.addWidget(self.table, 1)

        self.target = QLabel(_("Select an indicator in the table."))
        self.target.setObjectName("realisasi.form.target")
        self.target.setWordWrap(True)
        self.root.addWidget(self.target)

        self.closed = QLabel()
        self.closed.setObjectName("realisasi.closed")
        self.closed.setWordWrap(True)
        self.closed.setProperty("role", "error")
        self.closed.setVisible(False)
        self.root.addWidget(self.closed)

        self.form = Form(DRAFT_KEY)
        self.uraian = self.form.add_text("uraian", _("&Description of what was achieved"))
        self.table.activated.connect(lambda _index: self.uraian.setFocus())
        self.nilai = self.form.add_line(
            "nilai", _("&Value achieved"), max_length=30,
            description=_("A number in the target's unit; may be left empty"))
        self.form.changed.connect(self._typing)
        self.root.addWidget(self.form)

        self.evidence = EvidenceBox("realisasi", links=True)
        self.evidence.changed.connect(self._typing)
        self.root.addWidget(self.evidence)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("&Save realisation"))
        self.save_button.setObjectName("realisasi.save")
        self.save_button.setAccessibleName(plain(self.save_button.text()))
        self.save_button.setDefault(False)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        self.root.addLayout(buttons)
        self._set_editable(False)

    def first_focus(self) -> QWidget | None:
        return self.period

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        today = date.today()
        period_id = self._period_id
        self.ctx.read(lambda ws: load_realisasi(ws, today.year, period_id, today), self._show)

    def _show(self, data: RealisasiData) -> None:
        self.data = data
        self._period_id = data.period_id
        self.period.blockSignals(True)
        self.period.clear()
        for p in data.periods:
            name = period_name(p)
            if is_closed(p):
                name = _("{period} (closed)").format(period=name)
            self.period.addItem(name, p["id"])
        self.period.setCurrentIndex(max(0, self.period.findData(data.period_id)))
        self.period.blockSignals(False)
        self.status.setText(status_text(data))
        keep = self._wanted or (self._key[0] if self._key else None)
        wanted, self._wanted = self._wanted, None
        rows = realisasi_rows(data.skp, data.realisasi) if data.skp is not None else []
        self.model.set_rows(rows)
        if data.created is not None and data.created.entities:
            self.ctx.changed.emit(data.created)  # local default periods: other pages too
        if not rows:
            self._open(None)
            return
        source_row = self.model.row_of(keep) if keep else -1
        self._select_source_row(source_row if source_row >= 0 else 0)
        if wanted is not None:
            self.table.setFocus()  # the person came here to look at this record

    def show_record(self, kind: str, entity_id: str) -> None:
        """Select the indicator and period of realisasi `entity_id` (the Sync page's fix-it
        path for a refused change)."""
        if kind != "realisasi":
            return

        def show(found: tuple[str, str, int] | None) -> None:
            if found is None:
                self.ctx.announcer.say(_("That realisation is no longer on this computer."),
                                       assertive=True)
                return
            self._wanted, self._period_id, _tahun = found
            self.load()
        self.ctx.read(lambda ws: find_realisasi(ws, entity_id), show)

    def _select_source_row(self, source_row: int) -> None:
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if self.table.currentIndex().row() == index.row() and self._row is not None:
            self._open(self.model.row_at(source_row))  # same row: refresh it
            return
        self.table.setCurrentIndex(index)

    def _period_changed(self, _index: int) -> None:
        # Changing the period only shows another period: it never saves or navigates.
        self._period_id = self.period.currentData()
        self.load()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._open(None)
            return
        self._open(self.proxy.data(current, ROW_ROLE))

    # -- the form ------------------------------------------------------------------------
    def _open(self, row: RealisasiRow | None) -> None:
        """Show `row`'s realisation of the chosen period in the form (typing is kept)."""
        new_key = None if row is None or self._period_id is None else (row.iki_id,
                                                                       self._period_id)
        if self._key is not None and new_key != self._key and self._dirty:
            self._typed[self._key] = self._current_values()
        same = new_key == self._key
        self._key, self._row = new_key, row
        if row is None or new_key is None:
            self._fill({"uraian": "", "nilai": ""}, {})
            self._dirty = False
            self.evidence.set_saved([])
            self.target.setText(_("Select an indicator in the table."))
            self._set_editable(False)
            return
        p = self.data.period if self.data else None
        where = period_name(p) if p else ""
        self.target.setText(_("Realisation of “{indicator}” (target {target}) in {period}").format(
            indicator=row.indikator, target=row.target, period=where))
        field_ = self.form.fields["uraian"]
        field_.description = _("For the indicator “{indicator}”, {period}").format(
            indicator=row.indikator, period=where)
        if not field_.error.isVisible():
            self.uraian.setAccessibleDescription(field_.description)
        self.form.fields["nilai"].description = _(
            "A number in the target's unit ({unit}); may be left empty").format(
            unit=row.target_satuan)
        if not self.form.fields["nilai"].error.isVisible():
            self.nilai.setAccessibleDescription(self.form.fields["nilai"].description)
        if new_key in self._typed:
            self._fill_typed(self._typed.pop(new_key))
        elif not (same and self._dirty):
            self.form.clear_errors()
            self.evidence.clear_pending()
            self._fill({"uraian": row.uraian, "nilai": angka(row.nilai)}, {})
            self._dirty = False
        self._load_evidence(row)
        self._set_editable(True)

    def _load_evidence(self, row: RealisasiRow) -> None:
        if row.realisasi_id is None:
            self.evidence.set_saved([])
            return
        key, rid = self._key, row.realisasi_id

        def show(found: list[dict[str, Any]]) -> None:
            if self._key == key:
                self.evidence.set_saved(found)
        self.ctx.read(lambda ws: ws.evidence("realisasi", rid), show)

    def _fill(self, values: dict[str, Any], pending: dict[str, Any]) -> None:
        self._filling = True
        try:
            self.form.set_values(values)
            self.evidence.set_pending(pending)
        finally:
            self._filling = False

    def _fill_typed(self, values: dict[str, Any]) -> None:
        self._fill({"uraian": values.get("uraian", ""), "nilai": values.get("nilai", "")},
                   values)
        self._dirty = True

    def _current_values(self) -> dict[str, Any]:
        return {**self.form.values(), **self.evidence.pending()}

    def _typing(self) -> None:
        if not self._filling:
            self._dirty = True

    def _set_editable(self, has_row: bool) -> None:
        p = self.data.period if self.data else None
        closed = p is not None and is_closed(p)
        editable = has_row and not closed
        self.uraian.setReadOnly(not editable)
        self.nilai.setReadOnly(not editable)
        self.evidence.set_read_only(not editable)
        self.save_button.setEnabled(editable)
        self.form.setEnabled(has_row)
        if closed and p is not None:
            self.closed.setText(_("{period} was closed by the performance manager (pengelola "
                                  "kinerja): its realisations can be read but not changed.")
                                .format(period=period_name(p)))
        self.closed.setVisible(closed)

    # -- saving --------------------------------------------------------------------------
    def save(self) -> None:
        if self._key is None or not self.save_button.isEnabled():
            return
        iki_id, period_id = self._key
        values = self.form.values()
        uraian, nilai = values["uraian"], values["nilai"].strip() or None
        files, links = self.evidence.new_files(), self.evidence.new_links()
        self.form.clear_errors()
        self.evidence.clear_error()
        key = self._key

        def record(ws: Workspace) -> Changes:
            return ws.record_realisasi(iki_id, period_id, uraian, nilai=nilai, bukti=files,
                                       tautan=links)

        def done(_changes: Changes) -> None:
            if self._key == key:
                self._dirty = False
                self.evidence.clear_pending()
            self._typed.pop(key, None)
        self.ctx.write(record, done, lambda err: self._failed(key, err))

    def _failed(self, key: Key, err: UserFacingError) -> None:
        if self._key != key:  # moved on meanwhile: keep what was typed for later
            self.ctx.announcer.say(err.message(), assertive=True)
            return
        if isinstance(err, ValidationError) and err.field in ("bukti", "tautan"):
            self.evidence.show_error(err.message())
            self.ctx.announcer.say(err.message(), assertive=True)
            return
        self.form.show_error(err, self.ctx.announcer, fallback="uraian")
        if isinstance(err, PeriodClosed):
            self.load()  # show the period as closed (read-only); the typing stays

    # -- drafts --------------------------------------------------------------------------
    def drafts(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        typed = dict(self._typed)
        if self._dirty and self._key is not None:
            typed[self._key] = self._current_values()
        for (iki_id, period_id), values in typed.items():
            out[f"{DRAFT_KEY}:{iki_id}:{period_id}"] = {**values, "iki_id": iki_id,
                                                         "period_id": period_id}
        return out

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        for key, values in drafts.items():
            if not key.startswith(DRAFT_KEY + ":"):
                continue
            iki_id, period_id = values.get("iki_id"), values.get("period_id")
            if not iki_id or not period_id:
                continue
            entry = {k: v for k, v in values.items() if k not in ("iki_id", "period_id")}
            if self._key == (iki_id, period_id):
                self._fill_typed(entry)
            else:
                self._typed[(iki_id, period_id)] = entry
