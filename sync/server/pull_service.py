"""Answering pulls: per partition, the entities changed after the cursor, in byte-bounded pages.

Only each entity's latest version is sent (older change-log rows are skipped), so a device
that was offline for weeks downloads every record once, not its whole history.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Connection, and_, or_, select

from sync.protocol import (
    Change,
    Cursor,
    Partition,
    PullPage,
    PullRequest,
    PullResponse,
    roles_stamp,
)
from sync.server import epochs, reference_store
from sync.server.accounts import iso
from sync.server.db import meta
from sync.server.schema import (
    change_log,
    entity,
    hr_assignment,
    org_unit,
    person,
    supervisor_link,
)
from sync.server.store_changes import checksum_of

MAX_ROWS_PER_QUERY = 2000


class PartitionRefused(Exception):
    """The caller may not read this partition (or the server does not serve it yet).

    `kind` and `target` say what was refused for the audit log: the person's id for a
    `team:<NIP>` (never the NIP itself), the unit id for `unit:<id>`.
    """

    def __init__(self, code: str, kind: str = "", target: str | None = None) -> None:
        super().__init__(code)
        self.code, self.kind, self.target = code, kind, target


def roles_now(conn: Connection, person_id: str, now: float) -> str:
    """The caller's `roles_stamp`, from the same links and assignments as `GET /me`."""
    today = datetime.fromtimestamp(now, UTC).date().isoformat()
    nips = conn.execute(
        select(person.c.nip).join(supervisor_link, supervisor_link.c.pegawai_id == person.c.id)
        .where(supervisor_link.c.penilai_id == person_id, person.c.nip.is_not(None),
               supervisor_link.c.berlaku_mulai <= today,
               or_(supervisor_link.c.berlaku_sampai.is_(None),
                   supervisor_link.c.berlaku_sampai >= today))).scalars().all()
    units = conn.execute(
        select(hr_assignment.c.unit_id).join(org_unit, org_unit.c.id == hr_assignment.c.unit_id)
        .where(hr_assignment.c.person_id == person_id)).scalars().all()
    return roles_stamp([str(n) for n in nips], [str(u) for u in units])


def owners_of(conn: Connection, person_id: str, is_admin: bool, partition: Partition,
              now: float) -> list[str]:
    """Whose records a partition holds, as the caller is allowed to see them at `now`."""
    if partition.kind == "own":
        return [person_id]
    if partition.kind == "team":
        today = datetime.fromtimestamp(now, UTC).date().isoformat()
        found = conn.execute(
            select(person.c.id).join(supervisor_link, supervisor_link.c.pegawai_id == person.c.id)
            .where(person.c.nip == partition.key, supervisor_link.c.penilai_id == person_id,
                   supervisor_link.c.berlaku_mulai <= today,
                   or_(supervisor_link.c.berlaku_sampai.is_(None),
                       supervisor_link.c.berlaku_sampai >= today))).scalars().all()
        if not found:
            asked = conn.execute(select(person.c.id).where(person.c.nip == partition.key)
                                 ).scalar()
            raise PartitionRefused("partition_forbidden", "team",
                                   None if asked is None else str(asked))
        return [str(found[0])]
    if partition.kind == "unit":
        allowed = is_admin or conn.execute(select(hr_assignment.c.unit_id).where(
            hr_assignment.c.person_id == person_id,
            hr_assignment.c.unit_id == partition.key)).first() is not None
        if not allowed:
            raise PartitionRefused("partition_forbidden", "unit", partition.key[:64])
        return [str(i) for i in conn.execute(
            select(person.c.id).where(person.c.unit_id == partition.key)).scalars()]
    if partition.kind == "ref":
        return [reference_store.REF_OWNER]  # reference data: everyone logged in reads it
    raise PartitionRefused("partition_unsupported")


def _nips(conn: Connection, owners: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(owners), 500):
        query = select(person.c.id, person.c.nip).where(person.c.id.in_(owners[start:start + 500]),
                                                        person.c.nip.is_not(None))
        found.update({str(r.id): str(r.nip) for r in conn.execute(query)})
    return found


def pull(conn: Connection, person_id: str, is_admin: bool, request: PullRequest,
         now: float) -> PullResponse:
    """One page per partition; the byte budget is shared, each page carries at least one row."""
    epoch = meta(conn, "epoch")
    head = int(meta(conn, "change_seq"))
    budget = request.max_bytes
    pages = []
    for partition, cursor in sorted(request.cursors.items()):
        owners = owners_of(conn, person_id, is_admin, partition, now)
        # A cursor from before a restore resumes where the restored history is still valid.
        start, rebased_from = epochs.resume_point(conn, epoch, head, cursor)
        rows = conn.execute(
            reference_store.changes_query(start, head, MAX_ROWS_PER_QUERY)
            if partition.kind == "ref" else
            select(change_log.c.server_seq, entity)
            .join(entity, and_(entity.c.kind == change_log.c.entity_kind,
                               entity.c.id == change_log.c.entity_id,
                               entity.c.version == change_log.c.version))
            .where(change_log.c.owner_id.in_(owners), change_log.c.server_seq > start,
                   change_log.c.server_seq <= head)
            .order_by(change_log.c.server_seq).limit(MAX_ROWS_PER_QUERY)).all()
        changes: list[Change] = []
        used = 0
        nips = _nips(conn, owners) if partition.kind in ("team", "unit") else {}
        for row in rows:
            data = None if row.deleted else json.loads(row.data)
            # Others' records say whose they are and when they changed (team and unit views).
            change = Change(row.server_seq, row.kind, row.id, row.version, data,
                            owner_nip=nips.get(row.owner_id),
                            updated_at=row.updated_at if nips else None)
            size = len(json.dumps(change.to_wire()))
            if changes and used + size > budget:
                break
            changes.append(change)
            used += size
        more = len(changes) < len(rows) or len(rows) == MAX_ROWS_PER_QUERY
        last = changes[-1].server_seq if more else head
        budget = max(1, budget - used)
        pages.append(PullPage(partition, tuple(changes), Cursor(epoch, max(last, start)),
                              checksum_of(conn, owners), more, rebased_from))
    return PullResponse(epoch, tuple(pages), server_time=iso(now),
                        roles=roles_now(conn, person_id, now))
