"""The article database: where it is (:func:`database_url`), one SQLAlchemy engine per process
(:func:`medcite.database.make_engine`: SQLite tuned for several workers, or a PostgreSQL pool),
and Alembic migrations run programmatically (:func:`upgrade`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from medcite.database import make_engine, sqlalchemy_url, upgrade_schema
from medcite.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(settings: Settings) -> str:
    """``web.database_url``; else the PostgreSQL database of ``store.database_url`` (articles
    live beside the evidence); else a SQLite file beside the evidence index."""
    if settings.web.database_url:
        return sqlalchemy_url(settings.web.database_url)
    if settings.store.database_url:
        return sqlalchemy_url(settings.store.database_url)
    index = settings.store.path
    return f"sqlite:///{index.with_name(index.stem + '-site.sqlite')}"


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (safe to call at every start, and from several
    app servers starting at once: on PostgreSQL an advisory lock makes them take turns)."""
    with engine.execution_options(write=True).begin() as connection:
        upgrade_schema(connection, MIGRATIONS, "articles")


__all__ = ["database_url", "make_engine", "upgrade"]
