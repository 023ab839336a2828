"""PostgreSQL databases in and out of a backup with ``pg_dump`` and ``pg_restore``.

MedCite's tables live in one schema of its database (the connection's ``current_schema()``:
``public`` unless the URL's ``search_path`` says otherwise). A backup dumps that whole schema in
pg_dump's custom format — every table, sequence and index, whatever later migrations add — and
nothing else of the database. The dump and the manifest's row counts read one exported snapshot,
so they agree while the servers keep writing. Extensions (pgvector) are not dumped: the restore
creates those the schema's columns use, where they were, as MedCite's migrations do.

A restore runs pg_restore in one transaction: the schema's tables are replaced whole, or nothing
changes. Passwords travel in ``PGPASSWORD``, never on a command line. The client tools must be
of the server's major version or newer (``pg_bin``, else ``PATH``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, LiteralString

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from medcite.backup.locations import MIGRATIONS, Database
from medcite.backup.manifest import DatabaseCopy
from medcite.errors import InputError, MissingDependency, StoreError

Conn = psycopg.Connection[tuple[Any, ...]]

# Entries of the schema itself in `pg_restore --list` (the schema, its comment and grants): the
# restore creates the schema when it is missing and never drops it.
_SCHEMA_ENTRY = re.compile(r"^\d+; \d+ \d+ (?:SCHEMA - |\w+ - SCHEMA )")

_EXTENSIONS_USED = """
SELECT DISTINCT e.extname, en.nspname
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = a.atttypid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid
JOIN pg_namespace en ON en.oid = e.extnamespace
WHERE n.nspname = %s AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY 1
"""


def dump(database: Database, file: Path, pg_bin: Path | None) -> DatabaseCopy:
    """``pg_dump`` MedCite's schema of ``database`` into ``file``; what was copied."""
    pg_dump = tool("pg_dump", pg_bin)
    conninfo, env = _client(database.location)
    with _connect(database) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        schema = _one(conn, "SELECT current_schema()")
        if schema is None:
            raise StoreError(f"{database.shown}: no schema on the search_path exists")
        snapshot = _one(conn, "SELECT pg_export_snapshot()")
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--schema={_pattern(schema)}",
                f"--snapshot={snapshot}",
                "--no-password",
                f"--file={file}",
                f"--dbname={conninfo}",
            ],
            env,
        )
        tables = {t: _count(conn, schema, t) for t in _tables(conn, schema)}
        revisions = _revisions(conn, schema, tables)
        extensions = {str(n): str(s) for n, s in conn.execute(_EXTENSIONS_USED, [schema])}
    return DatabaseCopy.written(
        database, file, tables, revisions, schema=schema, extensions=extensions
    )


def tables_in(database: Database, schema: str) -> list[str]:
    """The tables of ``schema`` in ``database``, after checking MedCite would find the schema
    there (its ``current_schema()`` once the schema exists); nothing is changed."""
    with _connect(database) as conn:
        _ensure_schema(conn, schema)
        current = _one(conn, "SELECT current_schema()")
        tables = _tables(conn, schema)
        conn.rollback()  # only a check: the schema is created for real by the restore
    if current != schema:
        raise InputError(
            f"the backup holds schema {schema!r} but MedCite uses {current!r} at "
            f"{database.shown}; set the URL's search_path to {schema!r}",
            "backup_mismatch",
        )
    return tables


def restore(
    copy: DatabaseCopy, database: Database, file: Path, pg_bin: Path | None, force: bool
) -> tuple[dict[str, int], list[str]]:
    """Replace MedCite's schema in ``database`` with the dump ``file``: the rows each table of
    the backup now holds, and the tables dropped because the backup has none of that name (with
    ``force``: left from a newer schema, they would block the restore and the next migration)."""
    assert copy.schema is not None
    pg_restore = tool("pg_restore", pg_bin)
    conninfo, env = _client(database.location)
    with _connect(database, autocommit=True) as conn:
        extra = _prepare(conn, copy, force)
    with tempfile.TemporaryDirectory(prefix="medcite-restore-") as folder:
        listing = Path(folder) / "toc.list"
        toc = _run([pg_restore, "--list", str(file)], env)
        listing.write_text(
            "".join(line for line in toc.splitlines(True) if not _SCHEMA_ENTRY.match(line)),
            encoding="utf-8",
        )
        _run(
            [
                pg_restore,
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                "--no-password",
                *(["--clean", "--if-exists"] if force else []),
                f"--use-list={listing}",
                f"--dbname={conninfo}",
                str(file),
            ],
            env,
        )
    with _connect(database) as conn:
        present = set(_tables(conn, copy.schema))
        counts = {t: _count(conn, copy.schema, t) for t in copy.tables if t in present}
    return counts, extra


def _prepare(conn: Conn, copy: DatabaseCopy, force: bool) -> list[str]:
    """Make the schema and the extensions its columns use, as they were; with ``force`` drop
    the tables the backup does not have. The tables dropped."""
    assert copy.schema is not None
    for extension, where in copy.extensions.items():
        _ensure_schema(conn, where)
        if _one(conn, "SELECT 1 FROM pg_extension WHERE extname = %s", [extension]) is None:
            conn.execute(
                sql.SQL("CREATE EXTENSION IF NOT EXISTS {} SCHEMA {}").format(
                    sql.Identifier(extension), sql.Identifier(where)
                )
            )
    _ensure_schema(conn, copy.schema)
    extra = sorted(set(_tables(conn, copy.schema)) - set(copy.tables)) if force else []
    if extra:
        names = sql.SQL(", ").join(_ident(copy.schema, t) for t in extra)
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(names))
    return extra


def tool(name: str, pg_bin: Path | None) -> str:
    """The PostgreSQL client program ``name``: in ``pg_bin`` when given, else on ``PATH``."""
    if pg_bin is not None:
        path = pg_bin / name
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise MissingDependency(f"no {name} in {pg_bin}")
        return str(path)
    found = shutil.which(name)
    if found is None:
        raise MissingDependency(
            f"{name} is not on PATH: install the PostgreSQL client tools of the server's major "
            "version (Debian: postgresql-client-18) or name their folder with --pg-bin"
        )
    return found


def _client(url: str) -> tuple[str, dict[str, str]]:
    """The connection string for a client program, without the password, and the environment
    that carries the password."""
    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = str(password)
    return make_conninfo("", **params), env


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise StoreError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")
    return done.stdout


def _connect(database: Database, autocommit: bool = False) -> Conn:
    try:
        return psycopg.connect(database.location, autocommit=autocommit)
    except psycopg.OperationalError as exc:
        raise StoreError(f"cannot connect to {database.shown}: {exc}") from None


def _one(
    conn: Conn,
    query: LiteralString | sql.Composed,
    params: list[object] | None = None,
) -> Any:
    row = conn.execute(query, params).fetchone()
    return None if row is None else row[0]


def _revisions(conn: Conn, schema: str, tables: dict[str, int]) -> dict[str, str]:
    found = {}
    for table in MIGRATIONS:
        if tables.get(table):
            query = sql.SQL("SELECT version_num FROM {}").format(_ident(schema, table))
            found[table] = str(_one(conn, query))
    return found


def _tables(conn: Conn, schema: str) -> list[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY 1",
        [schema],
    )
    return [str(name) for (name,) in rows]


def _count(conn: Conn, schema: str, table: str) -> int:
    return int(_one(conn, sql.SQL("SELECT count(*) FROM {}").format(_ident(schema, table))))


def _ident(schema: str, table: str) -> sql.Identifier:
    return sql.Identifier(schema, table)


def _ensure_schema(conn: Conn, name: str) -> None:
    """Create schema ``name`` unless it exists (asking first: ``CREATE SCHEMA IF NOT EXISTS``
    needs the right to create schemas even when there is nothing to create)."""
    if _one(conn, "SELECT to_regnamespace(%s)", [_pattern(name)]) is None:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))


def _pattern(name: str) -> str:
    """``name`` quoted as an identifier (a pg_dump pattern or a regnamespace name matches it
    exactly then, whatever its case or characters)."""
    return '"' + name.replace('"', '""') + '"'
