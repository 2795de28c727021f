"""The one facade the CLI and the UI call: open/unlock/lock a profile and run use cases.

Every write is one transaction (rows + outbox op + audit entry) and returns a `Changes`
record. Use cases live in mixins by area; this module holds the profile lifecycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from asndesk.activity_usecases import ActivityUseCases
from asndesk.amendment_usecases import AmendmentUseCases
from asndesk.conflict_usecases import ConflictUseCases
from asndesk.dashboard_usecases import DashboardUseCases
from asndesk.domain.activity import MAKS_NAMA
from asndesk.domain.calendar import HariLibur, HolidayCalendar, JenisLibur, default_calendar
from asndesk.domain.identity import (
    JenisPegawai,
    normalisasi_golongan,
    parse_nomor_induk,
    validate_golongan_pppk,
)
from asndesk.domain.skp import validate_text
from asndesk.draft_usecases import DraftUseCases
from asndesk.errors import ProfileCorrupt, ProfileLocked
from asndesk.export import ExportUseCases
from asndesk.home_usecases import HomeUseCases
from asndesk.offline_policy import OfflinePolicyUseCases
from asndesk.org_usecases import OrgUseCases
from asndesk.replica_usecases import ReplicaUseCases
from asndesk.role_usecases import RoleUseCases
from asndesk.skm_usecases import SkmUseCases
from asndesk.skp_usecases import SkpUseCases
from asndesk.store import audit, outbox, reference_pull, reference_repo, rows
from asndesk.store.database import Changes, Store, WriteTx
from asndesk.store.ids import uuid7
from asndesk.store.profiles import (
    ProfileInfo,
    ProfileManager,
    UnlockedKey,
    check_password_policy,
)
from asndesk.team_usecases import TeamUseCases
from asndesk.unit_usecases import UnitUseCases

__all__ = ["Changes", "Workspace"]


class Workspace(SkpUseCases, ActivityUseCases, ExportUseCases, ReplicaUseCases, TeamUseCases,
                UnitUseCases, ConflictUseCases, DraftUseCases, HomeUseCases,
                AmendmentUseCases, SkmUseCases, RoleUseCases, OrgUseCases,
                DashboardUseCases, OfflinePolicyUseCases):
    """An unlocked profile. Create with `Workspace.create_profile` or `Workspace.open`."""

    def __init__(self, store: Store, key: UnlockedKey, manager: ProfileManager,
                 *, owns_key: bool = True) -> None:
        self.store = store
        self._key: UnlockedKey | None = key
        self._owns_key = owns_key
        self.manager = manager
        self.profile: ProfileInfo = key.info
        self.owner_nip: str = key.info.nip
        self._calendar: HolidayCalendar | None = None
        self._calendar_stamp: str | None = None

    # -- lifecycle -----------------------------------------------------------------------
    @classmethod
    def create_profile(
        cls,
        nip: str,
        nama: str,
        password: str,
        *,
        jenis_pegawai: JenisPegawai | str = JenisPegawai.PNS,
        gelar_depan: str | None = None,
        gelar_belakang: str | None = None,
        jabatan: str | None = None,
        golongan: str | None = None,
        manager: ProfileManager | None = None,
    ) -> tuple[Workspace, str]:
        """Create an encrypted profile for one person; returns it open and the recovery key.

        The recovery key is shown to the person once and stored nowhere in the clear.
        """
        manager = manager or ProfileManager()
        jenis = JenisPegawai(jenis_pegawai)
        digits = str(parse_nomor_induk(nip, jenis))
        # Everything is validated before any file is made: a refused create leaves nothing.
        person: dict[str, Any] = {
            "id": uuid7(),
            "nip": digits,
            "jenis_asn": str(jenis),
            "nama": validate_text("nama", nama, MAKS_NAMA),
            "gelar_depan": _optional("gelar_depan", gelar_depan),
            "gelar_belakang": _optional("gelar_belakang", gelar_belakang),
            "jabatan": _optional("jabatan", jabatan),
            "golongan": (None if not golongan else normalisasi_golongan(golongan)
                         if jenis is JenisPegawai.PNS else validate_golongan_pppk(golongan)),
        }
        check_password_policy(password)
        key, recovery_key = manager.create(digits, person["nama"], password)
        try:
            store = Store.open(key.info.db_path, bytes(key.dek), create=True)
        except BaseException:
            key.wipe()
            manager.delete(digits)
            raise
        workspace = cls(store, key, manager)
        with store.write(digits) as tx:
            store.set_meta("owner_nip", digits)
            rows.insert(tx, "person", person)
            tx.audit("profile.create")
        return workspace, recovery_key

    @classmethod
    def open(cls, nip: str, password: str, *, manager: ProfileManager | None = None) -> Workspace:
        """Unlock a profile with its password (`WrongPassword`, `UnlockDelayed` on failure)."""
        manager = manager or ProfileManager()
        key = manager.unlock(nip, password)
        try:
            store = Store.open(key.info.db_path, bytes(key.dek))
        except BaseException:
            key.wipe()
            raise
        return cls(store, key, manager)

    def sibling(self) -> Workspace:
        """The same profile on a second connection, for a worker thread (the sync engine).

        WAL lets it read while the DB lane writes; SQLite's busy timeout orders the writes.
        Its `lock()` closes only its own connection: the data key belongs to this workspace.
        """
        if self._key is None:
            raise ProfileLocked()
        store = Store.open(self.profile.db_path, bytes(self._key.dek))
        return type(self)(store, self._key, self.manager, owns_key=False)

    def lock(self) -> None:
        """Close the connection and forget the data key; the object is unusable afterwards."""
        self.store.close()
        if self._key is not None:
            if self._owns_key:
                self._key.wipe()
            self._key = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()

    @property
    def db_path(self) -> Path:
        return self.profile.db_path

    @contextmanager
    def _write(self) -> Iterator[WriteTx]:
        with self.store.write(self.owner_nip) as tx:
            yield tx

    # -- reference data ------------------------------------------------------------------
    def calendar(self) -> HolidayCalendar:
        """Shipped national holiday calendar, with any HR-updated years from the store on top."""
        # A pull of the server's holidays moves the stamp: the cached calendar is then stale.
        stamp = self.store.meta(reference_pull.HOLIDAY_STAMP)
        if self._calendar is None or stamp != self._calendar_stamp:
            self._calendar_stamp = stamp
            stored = [
                HariLibur(date.fromisoformat(r["tanggal"]), r["nama"], JenisLibur(r["jenis"]))
                for r in reference_repo.holidays(self.store.conn)
            ]
            base = default_calendar()
            self._calendar = base.merge(HolidayCalendar(stored)) if stored else base
        return self._calendar

    # -- outbox and audit ----------------------------------------------------------------
    def outbox(self, states: tuple[str, ...] = outbox.STATES) -> list[outbox.Op]:
        return outbox.list_ops(self.store.conn, states)

    def pending_count(self) -> int:
        return outbox.count_by_state(self.store.conn)["pending"]

    def outbox_counts(self) -> dict[str, int]:
        """How many ops are in each outbox state (pending, sent, acked, rejected, conflict)."""
        return outbox.count_by_state(self.store.conn)

    def verify_audit(self) -> audit.AuditVerification:
        return audit.verify(self.store.conn)

    def person(self) -> dict[str, Any]:
        """The owner's own person record (name, titles, jabatan, golongan)."""
        found = reference_repo.person_by_nip(self.store.conn, self.owner_nip)
        if found is None:
            raise ProfileCorrupt()
        return found


def _optional(field: str, value: str | None) -> str | None:
    return validate_text(field, value, MAKS_NAMA) if value and value.strip() else None
