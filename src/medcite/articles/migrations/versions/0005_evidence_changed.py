"""New evidence since review: set on an article after an ingest when a document its latest
version cites was replaced or is gone, or a new document now ranks among its question's leading
evidence (what changed, and when); cleared when the article is regenerated.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("evidence_changed", sa.Text, nullable=True))
        batch.add_column(sa.Column("evidence_changed_at", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("evidence_changed_at")
        batch.drop_column("evidence_changed")
