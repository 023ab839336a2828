"""The article database: where it is (:func:`database_url`), one SQLAlchemy engine per process
(:func:`medcite.database.make_engine`: SQLite tuned for several workers, or a PostgreSQL pool),
and Alembic migrations run programmatically (:func:`upgrade`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from medcite.database import make_engine
from medcite.settings import Settings
from medcite.store.migrate import sqlalchemy_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK = 0x6D636172  # "mcar": the advisory lock key of article schema upgrades


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
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.execution_options(write=True).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


__all__ = ["database_url", "make_engine", "upgrade"]
