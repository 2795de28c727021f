"""What the pejabat penilai said about one's own SKP, newest first (Umpan Balik page).

Umpan balik (on an RHK, an IKI's realisasi, a BerAKHLAK value, or the SKP as a whole), the
ratings with their predikat per period, and the note of a returned SKP — each row says in
words what it refers to. Rows are built by `feedback_rows` from the core's records, so the
model is tested without widgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asndesk.domain.formatting import format_jam, format_tanggal, zona_dari_offset
from asndesk.domain.skp import BERAKHLAK, Skp, StatusSkp
from asndesk.i18n import _
from ui.models.rows_table_model import RowsTableModel

UMPAN_BALIK, PENILAIAN, PENGEMBALIAN = "umpan_balik", "penilaian", "pengembalian"


def jenis_text(jenis: str) -> str:
    return {UMPAN_BALIK: _("Feedback"), PENILAIAN: _("Rating"),
            PENGEMBALIAN: _("SKP returned")}[jenis]


def when_text(stamp: str | None) -> str:
    """An ISO timestamp (UTC from the server) as local civil time: "5 Maret 2026, pukul 09.30
    WIB"; empty when unknown."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    local = moment.astimezone() if moment.tzinfo is not None else moment
    offset = local.utcoffset()
    zona = None if offset is None else zona_dari_offset(int(offset.total_seconds() // 60))
    return f"{format_tanggal(local.date())}, {format_jam(local, zona)}"


@dataclass(frozen=True)
class FeedbackRow:
    id: str
    jenis: str          # umpan_balik | penilaian | pengembalian
    waktu: str          # ISO timestamp, for ordering
    tentang: str        # what it refers to, in words
    periode: str        # the period's name, or ""
    isi: str            # the text (or the ratings and predikat)
    pemberi: str = ""   # who gave it, when known (NIP or name)

    @property
    def when(self) -> str:
        return when_text(self.waktu)

    def summary(self) -> str:
        parts = [jenis_text(self.jenis), self.when, self.tentang]
        if self.periode:
            parts.append(self.periode)
        parts.append(self.isi)
        return "; ".join(p for p in parts if p)

    def detail(self) -> str:
        """The detail pane's text: every fact on its own line, then the text itself."""
        lines = [_("Kind: {value}").format(value=jenis_text(self.jenis)),
                 _("About: {value}").format(value=self.tentang)]
        if self.periode:
            lines.append(_("Period: {value}").format(value=self.periode))
        if self.when:
            lines.append(_("Given: {value}").format(value=self.when))
        if self.pemberi:
            lines.append(_("From: {value}").format(value=self.pemberi))
        return "\n".join(lines) + "\n\n" + self.isi


def _perilaku(sasaran_id: Any) -> str:
    for value in BERAKHLAK:
        if str(value.kode) == str(sasaran_id):
            return _("Work behaviour: {value}").format(value=value.nama)
    return _("Work behaviour")


def feedback_rows(skp: Skp, head: Mapping[str, Any], assessments: Mapping[str, Any],
                  periods: Mapping[str, str], realisasi: Iterable[Mapping[str, Any]]
                  ) -> list[FeedbackRow]:
    """Rows for one SKP: `head` its skp_list entry, `assessments` its `own_assessments`,
    `periods` id → name, `realisasi` its `realisasi_list` (every period). Newest first."""
    rhk = {r.id: r for r in skp.rhk}
    iki = {i.id: i for r in skp.rhk for i in r.iki}
    real = {r["id"]: r for r in realisasi}
    out: list[FeedbackRow] = []
    for f in assessments.get("umpan_balik", []):
        jenis, target = f.get("sasaran_jenis"), f.get("sasaran_id")
        if jenis == "rhk":
            found = rhk.get(str(target))
            tentang = (_("RHK: {text}").format(text=found.teks) if found is not None
                       else _("An RHK no longer in this SKP"))
        elif jenis == "realisasi":
            r = real.get(str(target))
            indicator = None if r is None else iki.get(r["iki_id"])
            if r is None or indicator is None:
                tentang = _("A realisation not on this device")
            else:
                tentang = _("Realisation of “{indicator}” in {period}").format(
                    indicator=indicator.indikator,
                    period=periods.get(r["period_id"], r["period_id"]))
        elif jenis == "perilaku":
            tentang = _perilaku(target)
        else:
            tentang = _("The SKP as a whole")
        period_id = f.get("period_id")
        out.append(FeedbackRow(
            id=f["id"], jenis=UMPAN_BALIK, waktu=f.get("dibuat_pada") or "", tentang=tentang,
            periode=periods.get(period_id, period_id) if period_id else "",
            isi=f.get("teks") or "", pemberi=f.get("pemberi_nip") or ""))
    for p in assessments.get("penilaian", []):
        name = periods.get(p["period_id"], p["period_id"])
        out.append(FeedbackRow(
            id=p["id"], jenis=PENILAIAN, waktu=p.get("dinilai_pada") or "",
            tentang=_("Performance rating of {period}").format(period=name), periode=name,
            isi=_("Predikat {predikat}. Rating hasil kerja: {hasil}. Rating perilaku kerja: "
                  "{perilaku}.").format(predikat=p.get("predikat") or "?",
                                        hasil=p.get("rating_hasil_kerja") or "?",
                                        perilaku=p.get("rating_perilaku") or "?"),
            pemberi=p.get("penilai_nip") or ""))
    if head.get("status") == StatusSkp.DIKEMBALIKAN and head.get("catatan_pengembalian"):
        out.append(FeedbackRow(
            id=f"{skp.id}:catatan", jenis=PENGEMBALIAN, waktu=head.get("updated_at") or "",
            tentang=_("SKP {year}, returned to be revised").format(year=skp.tahun),
            periode="", isi=str(head["catatan_pengembalian"])))
    out.sort(key=lambda r: (_utc(r.waktu), r.id), reverse=True)
    return out


def _utc(stamp: str) -> str:
    """A sort key comparable across offsets: the moment in UTC (naive stamps as they are)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).isoformat()


class FeedbackTableModel(RowsTableModel[FeedbackRow]):
    WAKTU, JENIS, TENTANG, PERIODE, ISI = range(5)
    tooltip_columns = frozenset({TENTANG, ISI})

    def headers(self) -> tuple[str, ...]:
        return (_("Date"), _("Kind"), _("About"), _("Period"), _("Content"))

    def display(self, r: FeedbackRow, col: int) -> str:
        if col == self.WAKTU:
            return r.when
        if col == self.JENIS:
            return jenis_text(r.jenis)
        if col == self.TENTANG:
            return r.tentang
        if col == self.PERIODE:
            return r.periode
        first_line = r.isi.splitlines()[0] if r.isi else ""
        return first_line

    def summary(self, r: FeedbackRow) -> str:
        return r.summary()

    def sort_key(self, r: FeedbackRow, col: int) -> Any:
        return _utc(r.waktu) if col == self.WAKTU else self.display(r, col).casefold()
