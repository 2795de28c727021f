"""Capaian kinerja organisasi: the organisation predicate per unit and year (JSON by year).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_unit") as batch:
        batch.add_column(sa.Column("capaian", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("org_unit") as batch:
        batch.drop_column("capaian")
