"""SQLAlchemy engines for MedCite's own tables (stored answers, articles, accounts, audit log) on
either backend, and the one way their writers serialise where a row lock is not enough.

SQLite is tuned for several worker processes: WAL, a busy timeout, and ``BEGIN IMMEDIATE`` for
connections run with the ``write`` execution option, so writers queue instead of deadlocking.
PostgreSQL gets a real connection pool (``store.pool_size`` connections, checked before use) and
the psycopg 3 driver whatever driver the URL names."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text


def sqlalchemy_url(url: str) -> str:
    """A SQLAlchemy URL with the psycopg 3 driver for a ``postgresql://`` URL."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def libpq_url(url: str) -> str:
    """The plain libpq form of a PostgreSQL URL (no SQLAlchemy driver name)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


_LOCK_SPACE = 0x6D636974  # "mcit": first key of MedCite's two-key advisory locks


def make_engine(url: str, busy_timeout_ms: int = 10_000, pool_size: int = 8) -> Engine:
    """An engine for ``url`` (``sqlite:///…`` or ``postgresql://…``)."""
    if not url.startswith("sqlite"):
        return create_engine(
            sqlalchemy_url(url), pool_size=pool_size, max_overflow=0, pool_pre_ping=True
        )
    path = url.split("///", 1)[1] if "///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # Writers take the lock up front (no deadlock upgrading a read lock); readers don't.
        write = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def serialise(conn: Connection, key: str) -> None:
    """Make writers of ``key`` take turns until this transaction ends. SQLite writers already
    do (``BEGIN IMMEDIATE`` locks the whole file); on PostgreSQL this takes a transaction-level
    advisory lock, for writes a row lock cannot guard (a row that does not exist yet)."""
    if conn.dialect.name != "postgresql":
        return
    number = zlib.crc32(key.encode()) - 2**31  # a signed int4, as the two-key form wants
    conn.execute(
        text("SELECT pg_advisory_xact_lock(:space, :key)"),
        {"space": _LOCK_SPACE, "key": number},
    )


def upgrade_schema(connection: Connection, migrations: Path, name: str) -> None:
    """Run the Alembic migrations in ``migrations`` to the newest revision on ``connection``;
    processes upgrading the same schema (``name``) at once take turns (:func:`serialise`)."""
    from alembic import command
    from alembic.config import Config

    serialise(connection, f"schema:{name}")
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def run_migrations(context: Any, *, version_table: str = "alembic_version", **options: Any) -> None:
    """The body of an Alembic ``env.py``: migrate on the connection MedCite hands over
    (``config.attributes["connection"]``), or on ``sqlalchemy.url`` when started by the
    ``alembic`` command."""
    config = context.config

    def migrate(connection: Connection) -> None:
        context.configure(connection=connection, version_table=version_table, **options)
        with context.begin_transaction():
            context.run_migrations()

    connection = config.attributes.get("connection")
    if connection is not None:
        migrate(connection)
        return
    engine = create_engine(sqlalchemy_url(config.get_main_option("sqlalchemy.url") or ""))
    with engine.begin() as conn:
        migrate(conn)
