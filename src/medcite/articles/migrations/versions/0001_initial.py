"""Articles, versions, audit log, users and ask events.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(120), nullable=False, unique=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("normalised", sa.Text, nullable=False),
        sa.Column("question_vec", sa.LargeBinary, nullable=True),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("latest_version", sa.Integer, nullable=False),
        sa.Column("approved_version", sa.Integer, nullable=True),
        sa.Column("approved_by", sa.Text, nullable=True),
        sa.Column("approved_at", sa.String(32), nullable=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
    )
    op.create_index("ix_articles_normalised", "articles", ["normalised"])
    op.create_index("ix_articles_updated_at", "articles", ["updated_at"])
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("answers", sa.Text, nullable=False),
        sa.UniqueConstraint("article_id", "version", name="article_versions_unique"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("from_state", sa.String(24), nullable=True),
        sa.Column("to_state", sa.String(24), nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
    )
    op.create_index("ix_audit_log_article_id", "audit_log", ["article_id"])
    op.create_table(
        "ask_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", sa.Integer, nullable=False),
    )
    op.create_index("ix_ask_events_client", "ask_events", ["client"])
    op.create_index("ix_ask_events_at", "ask_events", ["at"])


def downgrade() -> None:
    for table in ("ask_events", "audit_log", "article_versions", "articles", "users"):
        op.drop_table(table)
