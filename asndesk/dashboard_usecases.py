"""The dashboard (Dasbor) for every role, scoped to what the person may see: their own data,
their team's (`team:<NIP>` partitions) or an HR unit's (`unit:<id>`), as the last sync left it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from asndesk.dashboard_charts import (
    ChartData,
    activity_calendar,
    completion_trend,
    jp_per_month,
    jp_per_person,
    predikat_distribution,
    skm_by_element,
    within_standard_share,
)
from asndesk.domain.activity import Pelatihan, new_pelatihan
from asndesk.domain.ratings import CapaianOrganisasi, Predikat, distribution_warnings
from asndesk.errors import NotFound, ValidationError
from asndesk.i18n import N_, _
from asndesk.store import dashboard_repo

if TYPE_CHECKING:
    from asndesk.store.database import Store

SCOPE_OWN, SCOPE_TEAM, UNIT_PREFIX = "own", "team", "unit:"


@dataclass(frozen=True)
class DashboardScope:
    """Whose data a dashboard shows: `own`, `team` or `unit:<id>`, with its words."""

    key: str
    label: str


@dataclass(frozen=True)
class Dashboard:
    scope: DashboardScope
    tahun: int
    charts: tuple[ChartData, ...]

    def chart(self, key: str) -> ChartData:
        return next(c for c in self.charts if c.key == key)


def _enum_or_none(cls: Any, value: object) -> Any:
    try:
        return cls(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def trainings_of(records: list[dict[str, Any]]) -> list[Pelatihan]:
    """Trainings that validate; a damaged record (from any device) is left out, not fatal."""
    out = []
    for r in records:
        try:
            out.append(new_pelatihan(id=r["id"], nama=r.get("nama") or "-",
                                     tanggal_mulai=r.get("tanggal_mulai") or "",
                                     tanggal_selesai=r.get("tanggal_selesai") or "",
                                     jp=r.get("jp") or "", penyelenggara=r.get("penyelenggara")))
        except ValidationError:
            continue
    return out


def latest_ratings(records: list[dict[str, Any]], tahun: int) -> list[dict[str, Any]]:
    """Per person, the rating of `tahun` that counts: the annual one, else the latest given."""
    per_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        if str(r.get("period_id") or "").startswith(f"{tahun:04d}-"):
            per_owner[str(r.get("owner_nip"))].append(r)
    return [max(found, key=lambda r: (str(r["period_id"]).endswith("-TH"),
                                      str(r.get("dinilai_pada") or ""), str(r["id"])))
            for found in per_owner.values()]


class DashboardUseCases:
    store: Store
    owner_nip: str

    if TYPE_CHECKING:
        def roles(self) -> dict[str, Any] | None: ...  # TeamUseCases

        def hr_units(self) -> list[dict[str, Any]]: ...  # UnitUseCases

        def capaian_organisasi(self, tahun: int, unit_id: str | None = None
                               ) -> str | None: ...  # Workspace (from the stored /me)

    def dashboard_scopes(self) -> list[DashboardScope]:
        """What this person may look at: always their own data; their team when they have
        subordinates; each unit they manage as HR officer."""
        scopes = [DashboardScope(SCOPE_OWN, _("My own data"))]
        team = dashboard_repo.team_partitions(self.store.conn)
        if team:
            scopes.append(DashboardScope(SCOPE_TEAM, _("My team ({count} people)").format(
                count=len(team))))
        scopes += [DashboardScope(f"{UNIT_PREFIX}{u['id']}", _("Unit {name}").format(
            name=u["nama"])) for u in self.hr_units()]
        return scopes

    def dashboard(self, scope: str = SCOPE_OWN, tahun: int | None = None) -> Dashboard:
        """The six charts of `tahun` for one scope (NotFound for a scope not held)."""
        tahun = tahun or date.today().year
        chosen = next((s for s in self.dashboard_scopes() if s.key == scope), None)
        if chosen is None:
            raise NotFound(kind=N_("dashboard view"), id=scope)
        dari, sampai = f"{tahun:04d}-01-01", f"{tahun:04d}-12-31"
        conn = self.store.conn
        types = dashboard_repo.service_types(conn)
        if scope == SCOPE_OWN:
            services = dashboard_repo.own_service_logs(conn, dari, sampai)
            logs = dashboard_repo.own_logs(conn, dari, sampai)
            forms = dashboard_repo.own_skm(conn, dari, sampai)
            ratings = dashboard_repo.own_ratings(conn, self.owner_nip, tahun)
            jp = jp_per_month(tahun, trainings_of(
                dashboard_repo.own_trainings(conn, dari, sampai)))
        else:
            parts = (dashboard_repo.team_partitions(conn) if scope == SCOPE_TEAM else [scope])
            services = dashboard_repo.replica(conn, parts, "service_log",
                                              date_path="$.diterima_tanggal", dari=dari,
                                              sampai=sampai)
            for t in dashboard_repo.replica(conn, parts, "service_type"):
                types.setdefault(t["id"], t)  # a member's own type, unknown here otherwise
            logs = dashboard_repo.replica(conn, parts, "log_harian", date_path="$.tanggal",
                                          dari=dari, sampai=sampai)
            # Survey forms count once each, whoever typed them in (own device or a member's).
            forms = list({f["id"]: f for f in [
                *dashboard_repo.own_skm(conn, dari, sampai),
                *dashboard_repo.replica_skm(conn, parts, dari, sampai)]}.values())
            ratings = latest_ratings(dashboard_repo.replica(conn, parts, "penilaian"), tahun)
            by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for r in dashboard_repo.replica(conn, parts, "pelatihan",
                                            date_path="$.tanggal_selesai", dari=dari,
                                            sampai=sampai):
                by_owner[str(r["owner_nip"])].append(r)
            jp = jp_per_person(tahun, dashboard_repo.people_of(conn, parts),
                               {nip: trainings_of(found) for nip, found in by_owner.items()})
        unit_id = scope[len(UNIT_PREFIX):] if scope.startswith(UNIT_PREFIX) else None
        charts = (completion_trend(tahun, services),
                  within_standard_share(tahun, services, types),
                  self._predikat_chart(tahun, ratings, unit_id),
                  skm_by_element(tahun, forms),
                  activity_calendar(tahun, logs),
                  jp)
        return Dashboard(chosen, tahun, charts)

    def predikat_counts(self, ratings: list[dict[str, Any]]) -> dict[Predikat, int]:
        """How many ratings name each predikat (unknown words are left out)."""
        counts: Counter[Predikat] = Counter()
        for r in ratings:
            found = _enum_or_none(Predikat, r.get("predikat"))
            if found is not None:
                counts[found] += 1
        return {p: counts.get(p, 0) for p in Predikat}

    def _predikat_chart(self, tahun: int, ratings: list[dict[str, Any]],
                        unit_id: str | None) -> ChartData:
        counts = self.predikat_counts(ratings)
        capaian = self._capaian(tahun, unit_id, ratings)
        warnings = distribution_warnings(capaian, counts) if capaian is not None else []
        return predikat_distribution(tahun, counts, capaian, warnings)

    def _capaian(self, tahun: int, unit_id: str | None, ratings: list[dict[str, Any]]
                 ) -> CapaianOrganisasi | None:
        """The organisation predicate from /me; else the one every rating names, if they
        agree (a rating carries the capaian in force when it was given)."""
        given = _enum_or_none(CapaianOrganisasi, self.capaian_organisasi(tahun, unit_id))
        if given is not None:
            return given  # type: ignore[no-any-return]
        named = {r.get("capaian_organisasi") for r in ratings} - {None, ""}
        return _enum_or_none(CapaianOrganisasi, named.pop()) if len(named) == 1 else None
