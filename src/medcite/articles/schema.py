"""Tables of the article store (SQLAlchemy Core). Changes go through a new Alembic migration in
``migrations/versions``; this module mirrors the newest one."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", String(32), nullable=False),
    Column("session_epoch", Integer, nullable=False, server_default="0"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("question", Text, nullable=False),
    Column("normalised", Text, nullable=False, index=True),
    Column("question_vec", LargeBinary, nullable=True),
    Column("state", String(24), nullable=False),
    Column("latest_version", Integer, nullable=False),
    Column("approved_version", Integer, nullable=True),
    Column("approved_by", Text, nullable=True),
    Column("approved_at", String(32), nullable=True),
    Column("parent_id", Integer, ForeignKey("articles.id"), nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False, index=True),
    Column("revision", Integer, nullable=False),
    Column("notice", Text, nullable=True),  # why it needs re-review: a retracted source
    Column("evidence_changed", Text, nullable=True),  # new evidence since review: what changed
    Column("evidence_changed_at", String(32), nullable=True),
)

versions = Table(
    "article_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("answers", Text, nullable=False),
    UniqueConstraint("article_id", "version", name="article_versions_unique"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("from_state", String(24), nullable=True),
    Column("to_state", String(24), nullable=False),
    Column("comment", Text, nullable=True),
)

ask_events = Table(
    "ask_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client", String(64), nullable=False, index=True),
    Column("at", BigInteger, nullable=False, index=True),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(200), primary_key=True),  # "account:<name>" or "address:<ip>"
    Column("failures", Integer, nullable=False),
    Column("last_at", BigInteger, nullable=False),
    Column("blocked_until", BigInteger, nullable=False),
)

account_events = Table(
    "account_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("account", Text, nullable=False, index=True),
    Column("actor", Text, nullable=False),
    Column("address", String(64), nullable=True),
    Column("event", String(32), nullable=False),
    Column("detail", Text, nullable=True),
)
