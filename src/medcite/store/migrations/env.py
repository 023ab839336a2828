"""Alembic environment of the evidence store (and stored answers). Its version table is
``medcite_evidence_version``, so the evidence store and the site (:mod:`medcite.articles`) can
share one PostgreSQL database."""

from __future__ import annotations

from alembic import context

from medcite.database import run_migrations
from medcite.store.migrate import VERSION_TABLE

run_migrations(context, version_table=VERSION_TABLE, transaction_per_migration=False)
