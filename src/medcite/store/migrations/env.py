"""Alembic environment of the evidence store: runs on the connection MedCite hands over
(``config.attributes``), or on ``sqlalchemy.url`` when started by the ``alembic`` command.

Its version table is ``medcite_evidence_version``, so the evidence store and the article database
(:mod:`medcite.articles.migrations`) can share one PostgreSQL database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

VERSION_TABLE = "medcite_evidence_version"

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        version_table=VERSION_TABLE,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
