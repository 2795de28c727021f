"""Sync: per-device sequence and stored results, entities, change log, checksums, conflicts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_seq",
        sa.Column("device_id", sa.String(36), sa.ForeignKey("device.id"), primary_key=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "op_result",
        sa.Column("device_id", sa.String(36), sa.ForeignKey("device.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("op_id", sa.String(36), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "entity",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("owner_id", sa.String(36), sa.ForeignKey("person.id"), nullable=False,
                  index=True),
        sa.Column("parent_id", sa.String(36)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("field_versions", sa.Text, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "change_log",
        sa.Column("server_seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("owner_id", sa.String(36), nullable=False),
        sa.Column("entity_kind", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index("change_log_by_owner", "owner_id", "server_seq"),
    )
    op.create_table(
        "owner_checksum",
        sa.Column("owner_id", sa.String(36), primary_key=True),
        sa.Column("checksum", sa.String(16), nullable=False),
    )
    op.create_table(
        "conflict",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("owner_id", sa.String(36), nullable=False, index=True),
        sa.Column("entity_kind", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("server_value", sa.Text),
        sa.Column("device_value", sa.Text),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("op_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("resolved_at", sa.String(32)),
    )
    op.execute("INSERT INTO server_meta (key, value) VALUES ('change_seq', '0')")


def downgrade() -> None:
    for table in ("conflict", "owner_checksum", "change_log", "entity", "op_result",
                  "device_seq"):
        op.drop_table(table)
    op.execute("DELETE FROM server_meta WHERE key = 'change_seq'")
