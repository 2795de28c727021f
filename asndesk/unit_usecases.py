"""The HR officer's view of a unit (pengelola kepegawaian), and the owner's own assessments.

Per person in each unit the officer manages: SKP status, whether an approval is pending,
last contact with the server, last change, and realisasi per period — from the last sync.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from asndesk.domain.skp import StatusSkp
from asndesk.errors import NotFound
from asndesk.i18n import N_
from asndesk.store import rows, team_repo
from asndesk.team_usecases import summary_of

if TYPE_CHECKING:
    from asndesk.store.database import Store


class UnitUseCases:
    store: Store
    owner_nip: str

    def roles(self) -> dict[str, Any] | None:  # provided by TeamUseCases
        raise NotImplementedError

    def hr_units(self) -> list[dict[str, Any]]:
        """The units this person manages as HR officer (from the last /me answer)."""
        me = self.roles() or {}
        return [{"id": u["id"], "nama": u["nama"], "members": len(u.get("members", []))}
                for u in me.get("hr_units", [])]

    def unit_status(self, unit_id: str | None = None, tahun: int | None = None
                    ) -> list[dict[str, Any]]:
        """Each managed unit (or just `unit_id`) with one status line per member."""
        tahun = tahun or date.today().year
        units = self.hr_units()
        if unit_id is not None:
            units = [u for u in units if u["id"] == unit_id]
            if not units:
                raise NotFound(kind=N_("organisation unit"), id=unit_id)
        out = []
        for unit in units:
            partition = f"unit:{unit['id']}"
            members = []
            for person in team_repo.people(self.store.conn, partition):
                summary = summary_of(self.store.conn, partition, person["nip"], tahun)
                skp = summary["skp"]
                members.append({
                    "nip": person["nip"], "nama": person["nama"], "jabatan": person["jabatan"],
                    "last_seen_at": person["info"].get("last_seen_at"), **summary,
                    "approval_pending": bool(skp and skp["status"] == StatusSkp.DIAJUKAN),
                })
            out.append({**unit, "tahun": tahun, "people": members,
                        "pending": sum(m["approval_pending"] for m in members),
                        "without_skp": sum(m["skp"] is None for m in members)})
        return out

    # -- the owner's own SKP, as the supervisor assessed it ------------------------------------
    def own_assessments(self, skp_id: str) -> dict[str, list[dict[str, Any]]]:
        """Ratings (with the server's predikat) and feedback on one's own SKP, as synced."""
        head = rows.get(self.store.conn, "skp", skp_id)
        if head["pegawai_nip"] != self.owner_nip:
            raise NotFound(kind=rows.LABELS["skp"], id=skp_id)
        return team_repo.own_assessments(self.store.conn, skp_id)
