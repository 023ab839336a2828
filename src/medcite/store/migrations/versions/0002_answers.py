"""Stored answers (follow-ups refer to them; "related questions" search their vectors).

An index file written before Alembic may already hold the table (the answer store made it
itself then); it is kept, and only gains the index on ``created_at``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table("answers"):
        _create()
    op.create_index("answers_normalised", "answers", ["normalised"], if_not_exists=True)
    op.create_index("answers_created_at", "answers", ["created_at"], if_not_exists=True)


def _create() -> None:
    op.create_table(
        "answers",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("normalised", sa.Text, nullable=False),
        sa.Column("audience", sa.Text, nullable=False),
        sa.Column("follow_up_of", sa.Text, nullable=True),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("question_vec", sa.LargeBinary, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("answers")
