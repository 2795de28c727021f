"""What the person is in the office (supervisor, HR officer, admin) and the organisation
predicate that bounds their unit's predikat — both from the last sync, so they work offline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asndesk.domain.ratings import CapaianOrganisasi
from asndesk.store import reference_repo

if TYPE_CHECKING:
    from asndesk.store.database import Store

ROLE_SUPERVISOR = "supervisor"  # pejabat penilai of at least one person today
ROLE_HR = "hr"                  # pengelola kepegawaian of at least one unit
ROLE_ADMIN = "admin"            # the server's administrator


class RoleUseCases:
    store: Store

    def roles(self) -> dict[str, Any] | None:  # provided by TeamUseCases
        raise NotImplementedError

    def role_names(self) -> frozenset[str]:
        """The roles the stored /me answer gives (empty before the first sync)."""
        me = self.roles() or {}
        names = set()
        if me.get("subordinates"):
            names.add(ROLE_SUPERVISOR)
        if me.get("hr_units"):
            names.add(ROLE_HR)
        if me.get("is_admin"):
            names.add(ROLE_ADMIN)
        return frozenset(names)

    def capaian_organisasi(self, tahun: int, unit_id: str | None = None) -> str | None:
        """The capaian kinerja organisasi of `unit_id` (default: the person's own unit) for
        `tahun`, as last synced; None when the office has not set one."""
        if unit_id is None:
            unit_id = (self.roles() or {}).get("unit_id")
        if not unit_id:
            return None
        value = reference_repo.unit_capaian(self.store.conn, unit_id).get(str(tahun))
        return value if value in {c.value for c in CapaianOrganisasi} else None
