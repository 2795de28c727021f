"""What the Realisasi page shows: the year's periods (made locally when none were synced),
this year's SKP and the chosen period's realisasi, read on the DB lane; and its summary line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from asndesk.domain.formatting import format_tanggal
from asndesk.domain.periods import JenisPeriode, Periode
from asndesk.domain.skp import Skp
from asndesk.i18n import _, current_locale
from asndesk.store.database import Changes
from asndesk.workspace import Workspace


def periode_of(row: dict[str, Any]) -> Periode:
    return Periode(row["id"], int(row["tahun"]), JenisPeriode(row["jenis"]), int(row["nomor"]),
                   date.fromisoformat(row["mulai"]), date.fromisoformat(row["selesai"]),
                   date.fromisoformat(row["batas_pengisian"]))


def period_name(row: dict[str, Any]) -> str:
    """"Triwulan I 2026" (id) / "Quarter I 2026" (en)."""
    try:
        return periode_of(row).label(current_locale())
    except (KeyError, ValueError):
        return str(row.get("id", ""))


def is_closed(row: dict[str, Any]) -> bool:
    return row.get("status") == "ditutup"


def default_period(periods: list[dict[str, Any]], today: date) -> str | None:
    """The open non-annual period containing `today`, else the first open one, else the first."""
    for p in periods:
        if p["jenis"] != JenisPeriode.TAHUNAN and p["mulai"] <= today.isoformat() <= p["selesai"]:
            return str(p["id"])
    open_ = [p for p in periods if not is_closed(p)]
    chosen = open_[0] if open_ else (periods[0] if periods else None)
    return None if chosen is None else str(chosen["id"])


@dataclass
class RealisasiData:
    tahun: int
    periods: list[dict[str, Any]]
    period_id: str | None
    head: dict[str, Any] | None
    skp: Skp | None
    realisasi: list[dict[str, Any]] = field(default_factory=list)
    created: Changes | None = None

    @property
    def period(self) -> dict[str, Any] | None:
        return next((p for p in self.periods if p["id"] == self.period_id), None)


def load_realisasi(ws: Workspace, tahun: int, period_id: str | None, today: date
                   ) -> RealisasiData:
    """On the DB lane: the year's periods (made locally when none were synced), the current
    SKP and the realisasi of the chosen period."""
    created = None
    periods = ws.periods(tahun)
    if not periods:
        created = ws.ensure_periods(tahun)
        periods = ws.periods(tahun)
    if period_id not in {p["id"] for p in periods}:
        period_id = default_period(periods, today)
    heads = ws.skp_list(tahun)
    head = heads[0] if heads else None
    skp = ws.skp(head["id"]) if head else None
    found = ws.realisasi_list(skp.id, period_id) if skp is not None and period_id else []
    return RealisasiData(tahun, periods, period_id, head, skp, found, created)


def find_realisasi(ws: Workspace, realisasi_id: str) -> tuple[str, str, int] | None:
    """On the DB lane: (iki_id, period_id, tahun) of one realisasi of an own SKP, or None."""
    for head in ws.skp_list():
        for r in ws.realisasi_list(head["id"]):
            if r["id"] == realisasi_id:
                return str(r["iki_id"]), str(r["period_id"]), int(head["tahun"])
    return None


def status_text(data: RealisasiData) -> str:
    """The page's one-line summary: the SKP's state, the period's deadline, how many done."""
    if data.skp is None:
        return _("There is no SKP for {year} yet. Make one on the SKP page first.").format(
            year=data.tahun)
    lines = [_("SKP {year}: {status}.").format(year=data.tahun, status=data.skp.status)]
    p = data.period
    if p is not None:
        deadline = format_tanggal(date.fromisoformat(p["batas_pengisian"]))
        if is_closed(p):
            lines.append(_("{period} is closed.").format(period=period_name(p)))
        else:
            lines.append(_("{period}: fill in by {deadline}.").format(
                period=period_name(p), deadline=deadline))
    recorded = sum(1 for r in data.realisasi if r.get("iki_id"))
    total = sum(len(r.iki) for r in data.skp.rhk)
    lines.append(_("{done} of {total} indicators have a realisation.").format(
        done=recorded, total=total))
    return " ".join(lines)
