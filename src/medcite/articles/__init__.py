"""Articles: stored answer pages with versions, the advisory-board review workflow, reviewer
accounts and the audit log. Storage is SQLAlchemy Core (SQLite by default, PostgreSQL later)
with schema migrations by Alembic."""
