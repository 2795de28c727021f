"""Accounts, organisation, devices, tokens, login throttles, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "org_unit",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kode", sa.String(64)),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("induk_id", sa.String(64), sa.ForeignKey("org_unit.id")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("nip", sa.String(18), unique=True),
        sa.Column("jenis_asn", sa.String(8), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("gelar_depan", sa.Text),
        sa.Column("gelar_belakang", sa.Text),
        sa.Column("jabatan", sa.Text),
        sa.Column("jenis_jabatan", sa.String(32)),
        sa.Column("jenjang", sa.String(32)),
        sa.Column("golongan", sa.String(8)),
        sa.Column("unit_id", sa.String(64), sa.ForeignKey("org_unit.id")),
        sa.Column("password_hash", sa.Text),
        sa.Column("is_admin", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "hr_assignment",
        sa.Column("person_id", sa.String(36), sa.ForeignKey("person.id"), primary_key=True),
        sa.Column("unit_id", sa.String(64), sa.ForeignKey("org_unit.id"), primary_key=True),
    )
    op.create_table(
        "supervisor_link",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("pegawai_id", sa.String(36), sa.ForeignKey("person.id"), nullable=False,
                  index=True),
        sa.Column("penilai_id", sa.String(36), sa.ForeignKey("person.id"), index=True),
        sa.Column("atasan_penilai_id", sa.String(36), sa.ForeignKey("person.id")),
        sa.Column("berlaku_mulai", sa.String(10), nullable=False),
        sa.Column("berlaku_sampai", sa.String(10)),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("person.id"), nullable=False,
                  index=True),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_seen_at", sa.String(32)),
        sa.Column("revoked_at", sa.String(32)),
        sa.Column("revoked_by", sa.String(36)),
    )
    op.create_table(
        "refresh_token",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("device.id"), nullable=False,
                  index=True),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("used_at", sa.String(32)),
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("window_start", sa.String(32), nullable=False),
        sa.Column("blocked_until", sa.String(32)),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(36)),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(64)),
        sa.Column("request_id", sa.String(36), nullable=False),
        sa.Column("address", sa.String(64)),
        sa.UniqueConstraint("request_id", "action", "target", name="audit_event_once"),
    )


def downgrade() -> None:
    for table in ("audit_event", "login_throttle", "refresh_token", "device", "supervisor_link",
                  "hr_assignment", "person", "org_unit", "server_meta"):
        op.drop_table(table)
