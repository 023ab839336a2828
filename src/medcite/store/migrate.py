"""Schema migrations of the evidence store with Alembic, for both backends.

``upgrade(url)`` brings a database to the newest revision; it is cheap to call at every start
and safe from several processes at once on PostgreSQL (an advisory lock serialises them)."""

from __future__ import annotations

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0003"
VERSION_TABLE = "medcite_evidence_version"


def upgrade(url: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from medcite.database import sqlalchemy_url, upgrade_schema

    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            upgrade_schema(connection, MIGRATIONS, "evidence")
    finally:
        engine.dispose()
