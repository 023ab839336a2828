"""Backing up and restoring every database MedCite keeps (:func:`backup`, :func:`restore`).

A backup is a folder: one copy per database (``evidence.sqlite``, ``answers.sqlite``,
``site.sqlite``; or ``evidence.dump`` and, when the site has a database of its own,
``site.dump``) and ``manifest.json``, written last. Each database is copied at one consistent
moment while the servers keep writing; different databases are copied one after the other.

A restore checks everything before it writes anything: the manifest, every file's checksum, that
this MedCite knows the schema revisions, that the backup fits the databases the settings name,
and that none of them holds data — unless ``force`` says to replace it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from medcite.backup import postgres, sqlite
from medcite.backup.locations import MIGRATIONS, Backend, Database, databases
from medcite.backup.manifest import BackupManifest, DatabaseCopy, medcite_version
from medcite.errors import InputError, StoreError
from medcite.settings import Settings


@dataclass(frozen=True)
class Restored:
    """One database written back by :func:`restore`."""

    copy: DatabaseCopy  # what the backup held
    target: str  # where it went (a file, or a URL without its password)
    tables: dict[str, int]  # rows per table there now
    dropped: tuple[str, ...] = ()  # tables the backup has none of, dropped (``force`` only)


def backup(settings: Settings, dest: Path, *, pg_bin: Path | None = None) -> BackupManifest:
    """Copy the databases ``settings`` name into the new or empty folder ``dest``. SQLite files
    that do not exist yet (the web app's answers before its first answer) are left out."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError(f"{dest} exists and is not an empty folder", "backup_exists")
    created = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        copies = []
        for database in databases(settings):
            if database.backend is Backend.SQLITE:
                if not database.path.is_file():
                    continue
                written.append(dest / f"{database.name}.sqlite")
                copy = sqlite.copy_out(database, written[-1], settings.store.busy_timeout_ms)
            else:
                written.append(dest / f"{database.name}.dump")
                copy = postgres.dump(database, written[-1], pg_bin)
            copies.append(copy)
        if not copies:
            raise InputError(
                f"nothing to back up: no evidence index at {settings.store.path}", "no_index"
            )
        manifest = BackupManifest(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            medcite_version=medcite_version(),
            databases=tuple(copies),
        )
        manifest.write(dest)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if created:
            shutil.rmtree(dest, ignore_errors=True)
        raise
    return manifest


def restore(
    settings: Settings, source: Path, *, force: bool = False, pg_bin: Path | None = None
) -> list[Restored]:
    """Write the backup in ``source`` back to the databases ``settings`` name. A database that
    already holds tables is only replaced with ``force``; otherwise nothing is written
    (:class:`InputError`, code ``restore_would_overwrite``)."""
    manifest = BackupManifest.read(source)
    manifest.verify(source)
    _check_revisions(manifest)
    pairs = [(copy, _target(copy, settings)) for copy in manifest.databases]
    occupied = [target.shown for copy, target in pairs if _tables_there(copy, target)]
    if occupied and not force:
        raise InputError(
            f"not restoring over data in {', '.join(occupied)}; add --force to replace it "
            "with the backup",
            "restore_would_overwrite",
        )
    done = []
    for copy, target in pairs:
        file = source / copy.file
        dropped: list[str] = []
        if copy.backend is Backend.SQLITE:
            tables = sqlite.copy_in(file, target.path, settings.store.busy_timeout_ms)
        else:
            tables, dropped = postgres.restore(copy, target, file, pg_bin, force)
        wrong = {t: (n, tables.get(t)) for t, n in copy.tables.items() if tables.get(t) != n}
        if wrong:
            raise StoreError(f"{target.shown} differs from the backup after the restore: {wrong}")
        done.append(Restored(copy, target.shown, tables, tuple(dropped)))
    return done


def _target(copy: DatabaseCopy, settings: Settings) -> Database:
    """The database of the settings that ``copy`` restores to (the same roles on the same
    backend)."""
    current = {database.name: database for database in databases(settings)}
    target = current.get(copy.name)
    if target is None or target.backend is not copy.backend or target.roles != copy.roles:
        now = ", ".join(f"{d.backend.value} {'+'.join(d.roles)}" for d in current.values())
        raise InputError(
            f"the backup's {copy.name} database ({copy.backend.value}, holding "
            f"{', '.join(copy.roles)}) has no counterpart in the current settings ({now}); "
            "restore with settings of the same shape",
            "backup_mismatch",
        )
    return target


def _tables_there(copy: DatabaseCopy, target: Database) -> list[str]:
    if copy.backend is Backend.SQLITE:
        return sqlite.tables_in(target.path)
    assert copy.schema is not None
    return postgres.tables_in(target, copy.schema)


def _check_revisions(manifest: BackupManifest) -> None:
    """Refuse a backup whose schema is newer than this MedCite's migrations (code
    ``backup_too_new``): its servers could not start on it."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    for copy in manifest.databases:
        for table, revision in copy.revisions.items():
            if table not in MIGRATIONS:
                continue
            try:
                ScriptDirectory(str(MIGRATIONS[table])).get_revision(revision)
            except CommandError:
                raise InputError(
                    f"the backup's {copy.name} database is at revision {revision} of {table}, "
                    f"which MedCite {medcite_version()} does not know (the backup was made by "
                    f"MedCite {manifest.medcite_version}); upgrade MedCite, then restore",
                    "backup_too_new",
                ) from None
