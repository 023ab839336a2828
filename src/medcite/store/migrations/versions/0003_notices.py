"""Notices: retractions, expressions of concern and errata, matched to documents by the PMID or
DOI of the paper they are about (a notice may be stored before or after its paper).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("target_pmid", sa.Text, nullable=True),
        sa.Column("target_doi", sa.Text, nullable=True),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("added_at", sa.Text, nullable=False),
    )
    op.create_index("notices_pmid", "notices", ["target_pmid"])
    op.create_index("notices_doi", "notices", ["target_doi"])
    op.create_index("notices_kind", "notices", ["kind"])


def downgrade() -> None:
    op.drop_table("notices")
