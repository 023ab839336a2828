"""Ask events' time as a 64-bit integer (epoch seconds overflow a 32-bit INTEGER in 2038 on
PostgreSQL; SQLite integers are 64-bit already).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ask_events") as batch:
        batch.alter_column("at", type_=sa.BigInteger, existing_type=sa.Integer, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("ask_events") as batch:
        batch.alter_column("at", type_=sa.Integer, existing_type=sa.BigInteger, nullable=False)
