"""The period evaluation of the team: per subordinate the two ratings, the predikat that follows
from them (never typed), the angka kredit of a Jabatan Fungsional, and the team's distribution
against the capaian kinerja organisasi (SE 3/2023 warnings, never blocking).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from asndesk.domain.formatting import format_angka
from asndesk.domain.ratings import (
    ANGKA_KREDIT_DESIMAL,
    JenjangFungsional,
    Predikat,
    Rating,
    angka_kredit,
    distribution_warnings,
    predikat_kinerja,
)
from asndesk.domain.skp import JenisJabatan, StatusSkp
from asndesk.errors import ValidationError
from asndesk.i18n import _
from ui.models.rows_table_model import RowsTableModel
from ui.skp_words import STATUS, word
from ui.sync_messages import refusal_words

KEAHLIAN = (JenjangFungsional.AHLI_PERTAMA, JenjangFungsional.AHLI_MUDA,
            JenjangFungsional.AHLI_MADYA, JenjangFungsional.AHLI_UTAMA)
KETERAMPILAN = (JenjangFungsional.PEMULA, JenjangFungsional.TERAMPIL,
                JenjangFungsional.MAHIR, JenjangFungsional.PENYELIA)


def months_of(period_id: str) -> int:
    """How many months a period covers, for the angka kredit: TW 3, S 6, TH 12, a month 1."""
    code = period_id.rsplit("-", 1)[-1]
    return 3 if code.startswith("TW") else 6 if code.startswith("S") else \
        12 if code == "TH" else 1


def jenjang_choices(jenis_jabatan: str | None) -> tuple[JenjangFungsional, ...]:
    """The jenjang a functional position can have; none for other positions."""
    if jenis_jabatan == JenisJabatan.FUNGSIONAL_KEAHLIAN:
        return KEAHLIAN
    if jenis_jabatan == JenisJabatan.FUNGSIONAL_KETERAMPILAN:
        return KETERAMPILAN
    return ()


@dataclass(frozen=True)
class RatingRow:
    nip: str
    nama: str
    skp_id: str | None
    skp_status: str | None
    jenis_jabatan: str | None
    jenjang: str | None            # from the server's roster when it sends it
    hasil: str | None              # Rating values that count here (queued or server's)
    perilaku: str | None
    queued_state: str | None       # this device's latest rating op: pending/sent/acked/…
    refusal: str                   # why the server refused it, in words ("" if it did not)

    @property
    def id(self) -> str:
        return self.nip

    @property
    def rateable(self) -> bool:
        return self.skp_id is not None and self.skp_status == StatusSkp.DISETUJUI

    @property
    def predikat(self) -> Predikat | None:
        """Always from the two ratings (SE 3/2023 matrix), never a stored text."""
        try:
            return predikat_kinerja(self.hasil, self.perilaku)
        except ValidationError:
            return None

    def state_text(self) -> str:
        if not self.rateable:
            return (_("No SKP synced") if self.skp_status is None else
                    _("SKP {status}: rated once approved").format(
                        status=word(STATUS, self.skp_status)))
        if self.queued_state in ("rejected", "conflict"):
            return _("Refused: {why}").format(why=self.refusal)
        if self.queued_state in ("pending", "sent"):
            return _("Waiting to be sent")
        if self.hasil:
            return _("Rated")
        return _("Not rated yet")

    def angka_kredit(self, jenjang: str | None, period_id: str) -> Decimal | None:
        predikat = self.predikat
        if predikat is None or not jenjang or jenjang not in jenjang_choices(self.jenis_jabatan):
            return None
        return angka_kredit(predikat, jenjang, months_of(period_id))


def angka_text(value: Decimal | None) -> str:
    return "" if value is None else format_angka(value, ANGKA_KREDIT_DESIMAL)


def rating_rows(entries: Iterable[Mapping[str, Any]]) -> list[RatingRow]:
    """Rows from `Workspace.team_ratings()`."""
    out = []
    for e in entries:
        skp, current, queued = e.get("skp") or {}, e.get("current") or {}, e.get("queued")
        refusal = ""
        if queued and queued["state"] in ("rejected", "conflict"):
            refusal = refusal_words(queued.get("reason") or "", queued.get("message_id") or "",
                                    queued.get("params") or {})
        out.append(RatingRow(
            nip=e["nip"], nama=e["nama"], skp_id=skp.get("id"), skp_status=skp.get("status"),
            jenis_jabatan=skp.get("jenis_jabatan"), jenjang=(e.get("info") or {}).get("jenjang"),
            hasil=current.get("rating_hasil_kerja"), perilaku=current.get("rating_perilaku"),
            queued_state=queued["state"] if queued else None, refusal=refusal))
    return out


def distribution(rows: Iterable[RatingRow]) -> dict[Predikat, int]:
    """How many subordinates have each predikat in the period (the unrated are not counted)."""
    counts = dict.fromkeys(Predikat, 0)
    for row in rows:
        if row.rateable and row.predikat is not None:
            counts[row.predikat] += 1
    return counts


def distribution_text(counts: Mapping[Predikat, int]) -> str:
    return "; ".join(f"{p.value}: {counts.get(p, 0)}" for p in Predikat)


def warning_texts(capaian: str | None, counts: Mapping[Predikat, int]) -> list[str]:
    """The SE 3/2023 warnings for the team's counts (empty without a capaian)."""
    if not capaian:
        return []
    return [w.message() for w in distribution_warnings(capaian, counts)]


class RatingTableModel(RowsTableModel[RatingRow]):
    NAMA, HASIL, PERILAKU, PREDIKAT, STATE = range(5)

    def headers(self) -> tuple[str, ...]:
        return (_("Name"), _("Rating hasil kerja"), _("Rating perilaku kerja"), _("Predikat"),
                _("State"))

    def display(self, row: RatingRow, col: int) -> str:
        if col == self.NAMA:
            return row.nama
        if col == self.HASIL:
            return row.hasil or ""
        if col == self.PERILAKU:
            return row.perilaku or ""
        if col == self.PREDIKAT:
            return str(row.predikat or "")
        return row.state_text()

    def summary(self, row: RatingRow) -> str:
        parts = [row.nama]
        if row.predikat is not None:
            parts.append(_("rating hasil kerja {hasil}, rating perilaku kerja {perilaku}, "
                           "predikat {predikat}").format(hasil=row.hasil,
                                                         perilaku=row.perilaku,
                                                         predikat=row.predikat))
        parts.append(row.state_text())
        return "; ".join(parts)


RATINGS = tuple(Rating)
