"""Alembic environment of the site (articles, versions, audit log, accounts, ask counts)."""

from __future__ import annotations

from alembic import context

from medcite.articles.schema import metadata
from medcite.database import run_migrations

# render_as_batch: SQLite alters tables by copying them
run_migrations(context, target_metadata=metadata, render_as_batch=True)
