"""Final push: a revoked device may push its queue once, for a window, where policy allows.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("final_push_until", sa.String(32)))
        batch.add_column(sa.Column("final_push_done_at", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.drop_column("final_push_done_at")
        batch.drop_column("final_push_until")
