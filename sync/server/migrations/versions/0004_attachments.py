"""Attachments: resumable uploads and their chunks, complete files, and evidence references.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_upload",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("mime", sa.String(128), nullable=False),
        sa.Column("received", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("completed_at", sa.String(32)),
        sa.UniqueConstraint("person_id", "sha256", name="blob_upload_once"),
    )
    op.create_table(
        "blob_chunk",
        sa.Column("upload_id", sa.String(36), sa.ForeignKey("blob_upload.id"),
                  primary_key=True),
        sa.Column("start", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "blob_file",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("mime", sa.String(128), nullable=False),
        sa.Column("upload_id", sa.String(36), sa.ForeignKey("blob_upload.id"),
                  nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    ref = op.create_table(
        "blob_ref",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("entity_kind", sa.String(32), primary_key=True),
        sa.Column("entity_id", sa.String(36), primary_key=True),
        sa.Column("owner_id", sa.String(36), nullable=False),
    )
    _backfill_refs(ref)


def _backfill_refs(ref: sa.Table) -> None:
    """Evidence attached before this revision gets its references (files come later)."""
    conn = op.get_bind()
    entity = sa.table("entity", sa.column("kind"), sa.column("id"), sa.column("owner_id"),
                      sa.column("data"))
    seen: set[tuple[str, str, str]] = set()
    rows = conn.execute(sa.select(entity).where(entity.c.data.like('%"sha256"%'))).all()
    for row in rows:
        for item in json.loads(row.data).get("bukti", []):
            digest = item.get("sha256") if isinstance(item, dict) else None
            key = (str(digest), row.kind, row.id)
            if isinstance(digest, str) and len(digest) == 64 and key not in seen:
                seen.add(key)
                conn.execute(ref.insert().values(sha256=digest, entity_kind=row.kind,
                                                 entity_id=row.id, owner_id=row.owner_id))


def downgrade() -> None:
    for table in ("blob_ref", "blob_file", "blob_chunk", "blob_upload"):
        op.drop_table(table)
