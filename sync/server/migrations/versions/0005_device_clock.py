"""Device clocks: the skew each device's clock showed at its last contact (never enforced).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("clock_offset_s", sa.Integer))
        batch.add_column(sa.Column("clock_checked_at", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.drop_column("clock_checked_at")
        batch.drop_column("clock_offset_s")
