"""Storage of the evidence index behind one interface (:class:`EvidenceStore`).

SQLite (one file) is the embedded default; ``store.database_url`` (or ``MEDCITE_DATABASE_URL``)
moves the index to PostgreSQL with pgvector (:mod:`medcite.store.postgres`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medcite.store.base import EvidenceStore, Filters, VectorMatrix
from medcite.store.sqlite import SQLiteStore, open_store

if TYPE_CHECKING:
    from medcite.settings import StoreSettings
    from medcite.store.postgres import PostgresStore


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def connect(settings: StoreSettings, *, read_only: bool = False) -> SQLiteStore | PostgresStore:
    """The evidence store ``settings`` name: PostgreSQL when ``database_url`` is set, else the
    SQLite file at ``path``."""
    if settings.database_url:
        from medcite.errors import ConfigError

        if not is_postgres(settings.database_url):
            raise ConfigError("store.database_url must be a postgresql:// URL")
        from medcite.store.postgres import open_postgres

        return open_postgres(
            settings.database_url, pool_size=settings.pool_size, read_only=read_only
        )
    return open_store(settings.path, busy_timeout_ms=settings.busy_timeout_ms, read_only=read_only)


def where(settings: StoreSettings) -> str:
    """Which index ``settings`` name, for messages: the file, or the URL without its password."""
    if not settings.database_url:
        return str(settings.path)
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


__all__ = [
    "EvidenceStore",
    "Filters",
    "SQLiteStore",
    "VectorMatrix",
    "connect",
    "is_postgres",
    "open_store",
    "where",
]
