"""SQLite files in and out of a backup with SQLite's online backup API
(:meth:`sqlite3.Connection.backup`).

The copy is taken in one step, so it is one read transaction: a single consistent moment of the
file, while the servers keep writing (the files use WAL, where readers never block writers). The
copy is switched to rollback-journal mode, so it is one self-contained file. Restoring goes the
same way backwards, through SQLite's locks, so servers with the file open see either the old
content or the restored one."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from medcite.backup.locations import MIGRATIONS, Database
from medcite.backup.manifest import DatabaseCopy
from medcite.errors import StoreError


def copy_out(database: Database, file: Path, busy_timeout_ms: int) -> DatabaseCopy:
    """Copy ``database`` (an existing file) to ``file``; what was copied."""
    try:
        source = sqlite3.connect(_uri(database.path, "rw"), uri=True, timeout=_s(busy_timeout_ms))
        with closing(source), closing(sqlite3.connect(file)) as copy:
            source.backup(copy)  # all pages in one step: one snapshot of the source
            copy.execute("PRAGMA journal_mode=DELETE")
            tables, revisions = table_counts(copy), _revisions(copy)
    except sqlite3.Error as exc:
        raise StoreError(f"could not copy {database.path}: {exc}") from None
    return DatabaseCopy.written(database, file, tables, revisions)


def tables_in(path: Path) -> list[str]:
    """The tables of the SQLite file at ``path`` (none when there is no file)."""
    if not path.exists() or path.stat().st_size == 0:
        return []
    with closing(sqlite3.connect(_uri(path, "ro"), uri=True)) as conn:
        return _tables(conn)


def copy_in(file: Path, target: Path, busy_timeout_ms: int) -> dict[str, int]:
    """Replace the database at ``target`` with the copy ``file``; the rows it now holds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        source = sqlite3.connect(_uri(file, "ro"), uri=True)
        with closing(source), closing(sqlite3.connect(target, timeout=_s(busy_timeout_ms))) as db:
            source.backup(db)  # waits for the servers' writers (retrying while it is busy)
            return table_counts(db)
    except sqlite3.Error as exc:
        raise StoreError(f"could not restore {target}: {exc}") from None


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table (virtual tables aside: their rows live in shadow tables, counted too)."""
    return {
        name: int(conn.execute(f"SELECT count(*) FROM {_quoted(name)}").fetchone()[0])
        for name in _tables(conn, virtual=False)
    }


def _tables(conn: sqlite3.Connection, virtual: bool = True) -> list[str]:
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    )
    return [
        str(name)
        for name, sql in rows
        if virtual or not str(sql or "").upper().startswith("CREATE VIRTUAL TABLE")
    ]


def _revisions(conn: sqlite3.Connection) -> dict[str, str]:
    present = set(_tables(conn))
    found = {}
    for table in MIGRATIONS:
        if table in present:
            row = conn.execute(f"SELECT version_num FROM {table}").fetchone()
            if row is not None:
                found[table] = str(row[0])
    return found


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _uri(path: Path, mode: str) -> str:
    """A URI for ``path`` that never creates the file (``mode=rw`` or ``ro``)."""
    return f"{path.resolve().as_uri()}?mode={mode}"


def _s(milliseconds: int) -> float:
    return milliseconds / 1000
