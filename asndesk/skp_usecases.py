"""The employee's SKP use cases: draft the plan (RHK, IKI, lampiran), submit, withdraw.

Editing is allowed only in Draft or Dikembalikan; any change to a child row bumps the SKP's
version, so a supervisor's decision can name exactly the version it saw.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from asndesk.domain.skp import (
    MAKS_INDIKATOR,
    MAKS_LAMPIRAN,
    MAKS_SATUAN,
    MAKS_TEKS_RHK,
    Aspek,
    JenisJabatan,
    JenisLampiran,
    JenisRhk,
    Pendekatan,
    Perspektif,
    Skp,
    StatusSkp,
    can_edit,
    check_transition,
    perilaku_awal,
    skp_problems,
    validate_target,
    validate_text,
)
from asndesk.errors import InvalidState, NotFound, UserFacingError, ValidationError
from asndesk.i18n import N_
from asndesk.store import outbox, rows, skp_repo
from asndesk.store.database import Changes, WriteTx
from asndesk.store.ids import uuid7

if TYPE_CHECKING:
    from asndesk.store.database import Store


class SkpNotReady(UserFacingError):
    """Submit refused: `problems` lists every field to fix, in document order."""

    message_id = N_("The SKP cannot be submitted yet. Items to fix: {count}.")

    def __init__(self, problems: list[ValidationError]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))


def _enum(cls: Any, field: str, value: Any) -> Any:
    try:
        return cls(value)
    except ValueError:
        raise ValidationError(
            field, "bad_choice", N_("{value} is not a valid choice here."), value=str(value)
        ) from None


def _optional_text(field: str, value: str | None, max_len: int) -> str | None:
    if value is None or not value.strip():
        return None
    return validate_text(field, value, max_len)


class SkpUseCases:
    store: Store
    owner_nip: str

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    # -- reads ---------------------------------------------------------------------------
    def skp(self, skp_id: str) -> Skp:
        return skp_repo.load_skp(self.store.conn, skp_id)

    def skp_list(self, tahun: int | None = None) -> list[dict[str, Any]]:
        return skp_repo.list_skp(self.store.conn, self.owner_nip, tahun)

    def skp_history(self, skp_id: str) -> list[dict[str, Any]]:
        return skp_repo.status_history(self.store.conn, skp_id)

    # -- the SKP itself ------------------------------------------------------------------
    def create_skp(
        self,
        tahun: int,
        jenis_jabatan: JenisJabatan | str,
        *,
        pendekatan: Pendekatan | str = Pendekatan.KUANTITATIF,
        jabatan: str | None = None,
        unit_kerja: str | None = None,
    ) -> Changes:
        """A new Draft SKP for `tahun` with the seven BerAKHLAK values in place."""
        if not isinstance(tahun, int) or not 2000 <= tahun <= 2100:
            raise ValidationError("tahun", "out_of_range",
                                  N_("The year must be between {low} and {high}."),
                                  low=2000, high=2100)
        row: dict[str, Any] = {
            "id": uuid7(),
            "pegawai_nip": self.owner_nip,
            "tahun": tahun,
            "jenis_jabatan": str(_enum(JenisJabatan, "jenis_jabatan", jenis_jabatan)),
            "pendekatan": str(_enum(Pendekatan, "pendekatan", pendekatan)),
            "status": StatusSkp.DRAFT.value,
            "jabatan": _optional_text("jabatan", jabatan, 300),
            "unit_kerja": _optional_text("unit_kerja", unit_kerja, 300),
        }
        with self._write() as tx:
            rows.insert(tx, "skp", {**row, "created_at": tx.now_utc})
            for perilaku in perilaku_awal():
                rows.insert(tx, "perilaku", {"skp_id": row["id"], "kode": perilaku.kode})
            self._history(tx, row["id"], None, StatusSkp.DRAFT)
            tx.op("create", "skp", row["id"], row)
        return _primary(tx.changes, row["id"])

    def submit_skp(self, skp_id: str) -> Changes:
        """Validate the whole plan, then Draft/Dikembalikan → Diajukan."""
        skp = self._own_skp(skp_id)
        check_transition(skp.status, StatusSkp.DIAJUKAN)
        problems = skp_problems(skp)
        if problems:
            raise SkpNotReady(problems)
        return self._transition(skp, StatusSkp.DIAJUKAN, "submit")

    def withdraw_skp(self, skp_id: str) -> Changes:
        """Take a submitted SKP back to Draft (the server refuses it once reviewed)."""
        skp = self._own_skp(skp_id)
        check_transition(skp.status, StatusSkp.DRAFT)
        return self._transition(skp, StatusSkp.DRAFT, "withdraw")

    def _transition(self, skp: Skp, to: StatusSkp, kind: str) -> Changes:
        with self._write() as tx:
            version = rows.update(tx, "skp", skp.id, {"status": to.value}, skp.version)
            self._history(tx, skp.id, skp.status, to)
            tx.op(kind, "skp", skp.id, {"status": to.value}, base_version=version - 1)
        return tx.changes

    # -- RHK -----------------------------------------------------------------------------
    def add_rhk(
        self,
        skp_id: str,
        teks: str,
        *,
        jenis: JenisRhk | str = JenisRhk.UTAMA,
        rhk_atasan: str | None = None,
        perspektif: Perspektif | str | None = None,
    ) -> Changes:
        self._editable(skp_id)
        row: dict[str, Any] = {
            "id": uuid7(),
            "skp_id": skp_id,
            "jenis": str(_enum(JenisRhk, "jenis", jenis)),
            "teks": validate_text("teks", teks, MAKS_TEKS_RHK),
            "rhk_atasan": _optional_text("rhk_atasan", rhk_atasan, MAKS_TEKS_RHK),
            "perspektif": (str(_enum(Perspektif, "perspektif", perspektif))
                           if perspektif else None),
        }
        with self._write() as tx:
            row["urutan"] = skp_repo.next_order(tx.conn, "rhk", "skp_id", skp_id)
            rows.insert(tx, "rhk", row)
            rows.touch(tx, "skp", skp_id)
            tx.op("create", "rhk", row["id"], row)
        return _primary(tx.changes, row["id"])

    def edit_rhk(self, rhk_id: str, expected_version: int | None = None, **fields: Any) -> Changes:
        skp_id = skp_repo.skp_id_of_rhk(self.store.conn, rhk_id)
        self._editable(skp_id)
        clean: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "teks":
                clean[name] = validate_text("teks", value, MAKS_TEKS_RHK)
            elif name == "rhk_atasan":
                clean[name] = _optional_text("rhk_atasan", value, MAKS_TEKS_RHK)
            elif name == "jenis":
                clean[name] = str(_enum(JenisRhk, "jenis", value))
            elif name == "perspektif":
                clean[name] = str(_enum(Perspektif, "perspektif", value)) if value else None
            else:
                raise ValueError(f"RHK has no editable field {name!r}")
        return self._edit_child("rhk", rhk_id, skp_id, clean, expected_version)

    def delete_rhk(self, rhk_id: str) -> Changes:
        skp_id = skp_repo.skp_id_of_rhk(self.store.conn, rhk_id)
        return self._delete_child("rhk", rhk_id, skp_id)

    # -- IKI -----------------------------------------------------------------------------
    def add_iki(
        self,
        rhk_id: str,
        indikator: str,
        target_nilai: str | int,
        target_satuan: str,
        *,
        aspek: Aspek | str | None = None,
    ) -> Changes:
        skp_id = skp_repo.skp_id_of_rhk(self.store.conn, rhk_id)
        self._editable(skp_id)
        row: dict[str, Any] = {
            "id": uuid7(),
            "rhk_id": rhk_id,
            "indikator": validate_text("indikator", indikator, MAKS_INDIKATOR),
            "target_nilai": str(validate_target("target_nilai", target_nilai)),
            "target_satuan": validate_text("target_satuan", target_satuan, MAKS_SATUAN),
            "aspek": str(_enum(Aspek, "aspek", aspek)) if aspek else None,
        }
        with self._write() as tx:
            row["urutan"] = skp_repo.next_order(tx.conn, "iki", "rhk_id", rhk_id)
            rows.insert(tx, "iki", row)
            rows.touch(tx, "skp", skp_id)
            tx.op("create", "iki", row["id"], {**row, "skp_id": skp_id})
        return _primary(tx.changes, row["id"])

    def edit_iki(self, iki_id: str, expected_version: int | None = None, **fields: Any) -> Changes:
        skp_id = skp_repo.skp_id_of_iki(self.store.conn, iki_id)
        self._editable(skp_id)
        clean: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "indikator":
                clean[name] = validate_text(name, value, MAKS_INDIKATOR)
            elif name == "target_nilai":
                clean[name] = str(validate_target(name, value))
            elif name == "target_satuan":
                clean[name] = validate_text(name, value, MAKS_SATUAN)
            elif name == "aspek":
                clean[name] = str(_enum(Aspek, name, value)) if value else None
            else:
                raise ValueError(f"IKI has no editable field {name!r}")
        return self._edit_child("iki", iki_id, skp_id, clean, expected_version)

    def delete_iki(self, iki_id: str) -> Changes:
        skp_id = skp_repo.skp_id_of_iki(self.store.conn, iki_id)
        return self._delete_child("iki", iki_id, skp_id)

    # -- lampiran ------------------------------------------------------------------------
    def add_lampiran(self, skp_id: str, jenis: JenisLampiran | str, teks: str) -> Changes:
        self._editable(skp_id)
        row: dict[str, Any] = {
            "id": uuid7(),
            "skp_id": skp_id,
            "jenis": str(_enum(JenisLampiran, "jenis", jenis)),
            "teks": validate_text("teks", teks, MAKS_LAMPIRAN),
        }
        with self._write() as tx:
            row["urutan"] = skp_repo.next_order(tx.conn, "lampiran", "skp_id", skp_id)
            rows.insert(tx, "lampiran", row)
            rows.touch(tx, "skp", skp_id)
            tx.op("create", "lampiran", row["id"], row)
        return _primary(tx.changes, row["id"])

    def delete_lampiran(self, lampiran_id: str) -> Changes:
        skp_id = rows.get(self.store.conn, "lampiran", lampiran_id)["skp_id"]
        return self._delete_child("lampiran", lampiran_id, skp_id)

    # -- shared --------------------------------------------------------------------------
    def _own_skp(self, skp_id: str) -> Skp:
        skp = skp_repo.load_skp(self.store.conn, skp_id)
        if skp.nip_pegawai != self.owner_nip:
            # Another person's SKP (a subordinate's, synced in) is never edited as one's own.
            raise NotFound(kind=rows.LABELS["skp"], id=skp_id)
        return skp

    def _editable(self, skp_id: str) -> None:
        head = skp_repo.skp_head(self.store.conn, skp_id)
        if head["pegawai_nip"] != self.owner_nip:
            raise NotFound(kind=rows.LABELS["skp"], id=skp_id)
        if not can_edit(head["status"]):
            raise InvalidState(status=head["status"])

    def _edit_child(self, table: str, row_id: str, skp_id: str, fields: dict[str, Any],
                    expected_version: int | None) -> Changes:
        with self._write() as tx:
            before = rows.get(tx.conn, table, row_id)
            version = rows.update(tx, table, row_id, fields, expected_version)
            rows.touch(tx, "skp", skp_id)
            tx.op("edit_fields", table, row_id,
                  {**fields, "skp_id": skp_id, outbox.SEEN: {k: before[k] for k in fields}},
                  base_version=version - 1)
        return tx.changes

    def _delete_child(self, table: str, row_id: str, skp_id: str) -> Changes:
        self._editable(skp_id)
        with self._write() as tx:
            old = rows.delete(tx, table, row_id)
            rows.touch(tx, "skp", skp_id)
            tx.op("delete", table, row_id, {"skp_id": skp_id}, base_version=old.get("version"))
        return tx.changes

    def _history(self, tx: WriteTx, skp_id: str, dari: StatusSkp | None, ke: StatusSkp) -> None:
        rows.insert(tx, "skp_status_history", {
            "id": uuid7(), "skp_id": skp_id, "dari": dari.value if dari else None,
            "ke": ke.value, "oleh_nip": self.owner_nip, "terjadi_pada": tx.now_utc,
        })


def _primary(changes: Changes, entity_id: str) -> Changes:
    changes.primary_id = entity_id
    return changes
