"""The HR officer's organisation view: a unit's predikat distribution for a year, from the
penilaian records synced into the unit partition, against its capaian kinerja organisasi.
An admin may set the capaian of any unit; only a unit's HR officers hold its records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asndesk.domain.ratings import (
    CapaianOrganisasi,
    Predikat,
    distribution_warnings,
    predikat_kinerja,
)
from asndesk.errors import NotFound, ValidationError
from asndesk.i18n import N_
from asndesk.store import reference_repo, team_repo

if TYPE_CHECKING:
    from asndesk.store.database import Store


class OrgUseCases:
    store: Store

    if TYPE_CHECKING:  # provided by TeamUseCases and the roles mixin
        def roles(self) -> dict[str, Any] | None: ...

        def capaian_organisasi(self, tahun: int, unit_id: str | None = None) -> str | None: ...

    def capaian_units(self) -> list[dict[str, Any]]:
        """The units whose capaian this person may set: their HR units (whose records this
        device holds, `records`), and for an admin every other unit of the office too."""
        me = self.roles() or {}
        units = [{"id": u["id"], "nama": u["nama"], "records": True}
                 for u in me.get("hr_units", [])]
        if me.get("is_admin"):
            held = {u["id"] for u in units}
            units += [{**u, "records": False}
                      for u in reference_repo.org_units(self.store.conn) if u["id"] not in held]
        return units

    def unit_distribution(self, unit_id: str, tahun: int, period_id: str | None = None, *,
                          capaian: str | None = None) -> dict[str, Any]:
        """Per member of an HR unit, the predikat of one period of `tahun` (`period_id`, else
        the annual period when rated, else the latest rated one); the counts per predikat,
        the unit's capaian for the year (from /me) and the SE 3/2023 warnings for them.

        The predikat follows from the two ratings (never the stored text); a member with no
        rating in the period is counted as not rated, not as any predikat. `capaian` judges
        against a value HR just set on the server that the next sync has yet to bring.
        """
        unit = next((u for u in self.capaian_units() if u["id"] == unit_id), None)
        if unit is None:
            raise NotFound(kind=N_("organisation unit"), id=unit_id)
        partition = f"unit:{unit_id}"
        prefix = f"{tahun}-"
        ratings = [r for r in team_repo.records(self.store.conn, partition, ("penilaian",))
                   if str(r.get("period_id") or "").startswith(prefix)]
        rated = {str(r["period_id"]) for r in ratings}
        periods = self._rated_periods(tahun, rated)
        chosen = period_id if period_id in rated else (periods[-1] if periods else None)
        latest: dict[str, dict[str, Any]] = {}
        for r in ratings:
            if r["period_id"] != chosen:
                continue
            held = latest.get(r["owner_nip"])
            if held is None or str(r.get("dinilai_pada") or "") > str(
                    held.get("dinilai_pada") or ""):
                latest[r["owner_nip"]] = r
        counts = dict.fromkeys(Predikat, 0)
        members = []
        for person in team_repo.people(self.store.conn, partition):
            predikat = _predikat_of(latest.get(person["nip"]))
            if predikat is not None:
                counts[predikat] += 1
            members.append({"nip": person["nip"], "nama": person["nama"],
                            "jabatan": person.get("jabatan"),
                            "predikat": predikat.value if predikat else None})
        if capaian is None:
            capaian = self.capaian_organisasi(tahun, unit_id)
        valid = capaian if capaian in set(CapaianOrganisasi) else None
        return {
            "unit_id": unit_id, "unit_nama": unit.get("nama") or unit_id, "tahun": tahun,
            "records": unit["records"],  # False: an admin's unit whose records stay away
            "period_id": chosen, "periods": periods, "capaian": valid,
            "counts": {p.value: n for p, n in counts.items()},
            "total": sum(counts.values()), "members": members,
            "unrated": sum(m["predikat"] is None for m in members),
            "warnings": distribution_warnings(valid, counts) if valid else [],
        }

    def _rated_periods(self, tahun: int, rated: set[str]) -> list[str]:
        """The rated period ids of the year in calendar order (by end date), annual last."""
        order = {p["id"]: (p["jenis"] == "tahunan", p["selesai"], p["id"])
                 for p in reference_repo.periods(self.store.conn, tahun)}
        annual = f"{tahun}-TH"
        return sorted(rated, key=lambda pid: (pid == annual, *order.get(pid, (False, "", pid))))


def _predikat_of(rating: dict[str, Any] | None) -> Predikat | None:
    if rating is None:
        return None
    try:
        return predikat_kinerja(rating.get("rating_hasil_kerja"), rating.get("rating_perilaku"))
    except ValidationError:
        return None  # an incomplete rating has no predikat (never a default)
