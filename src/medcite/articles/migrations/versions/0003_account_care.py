"""Account care: a session epoch per user (bumped by a password change or a disable, which ends
every open session), failed-login counters shared by every app server, and the account event
log (failed logins, locks, account changes).

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
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_at", sa.BigInteger, nullable=False),
        sa.Column("blocked_until", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "account_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("address", sa.String(64), nullable=True),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=True),
    )
    op.create_index("ix_account_events_account", "account_events", ["account"])


def downgrade() -> None:
    op.drop_index("ix_account_events_account", "account_events")
    op.drop_table("account_events")
    op.drop_table("login_failures")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_epoch")
