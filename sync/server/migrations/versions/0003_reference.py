"""Reference data: `ref_entity` (the `ref` pull partition), wider change-log entity ids.

Existing org units are published into the `ref` partition, so clients get them at once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

REF_OWNER = "ref"


def _digest(kind: str, entity_id: str, version: int) -> int:
    # Same as the protocol's change digest; inlined so this revision never changes meaning.
    text = f"{kind}\x1f{entity_id}\x1f{version}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big")


def upgrade() -> None:
    op.create_table(
        "ref_entity",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    # Org unit ids are up to 64 characters; change_log named entities by 36-character ids.
    with op.batch_alter_table("change_log") as batch:
        batch.alter_column("entity_id", type_=sa.String(64), existing_type=sa.String(36),
                           existing_nullable=False)
    _publish_existing_units()


def _publish_existing_units() -> None:
    conn = op.get_bind()
    units = conn.execute(sa.text("SELECT id, kode, nama, induk_id FROM org_unit ORDER BY id")
                         ).all()
    if not units:
        return
    seq = int(conn.execute(sa.text(
        "SELECT value FROM server_meta WHERE key = 'change_seq'")).scalar_one())
    total = 0
    stamp = "1970-01-01T00:00:00.000+00:00"
    for unit in units:
        seq += 1
        data = {"id": unit.id, "kode": unit.kode, "nama": unit.nama, "induk_id": unit.induk_id}
        conn.execute(sa.text(
            "INSERT INTO ref_entity (kind, id, version, data, deleted, updated_at)"
            " VALUES ('org_unit', :id, 1, :data, :deleted, :at)"),
            {"id": unit.id, "data": json.dumps(data, sort_keys=True), "deleted": False,
             "at": stamp})
        conn.execute(sa.text(
            "INSERT INTO change_log (server_seq, owner_id, entity_kind, entity_id, version)"
            " VALUES (:seq, :owner, 'org_unit', :id, 1)"),
            {"seq": seq, "owner": REF_OWNER, "id": unit.id})
        total += _digest("org_unit", unit.id, 1)
    conn.execute(sa.text("UPDATE server_meta SET value = :v WHERE key = 'change_seq'"),
                 {"v": str(seq)})
    conn.execute(sa.text("INSERT INTO owner_checksum (owner_id, checksum) VALUES (:o, :c)"),
                 {"o": REF_OWNER, "c": f"{total % 2**64:016x}"})


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM change_log WHERE owner_id = :o"), {"o": REF_OWNER})
    conn.execute(sa.text("DELETE FROM owner_checksum WHERE owner_id = :o"), {"o": REF_OWNER})
    with op.batch_alter_table("change_log") as batch:
        batch.alter_column("entity_id", type_=sa.String(36), existing_type=sa.String(64),
                           existing_nullable=False)
    op.drop_table("ref_entity")
