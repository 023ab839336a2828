"""A backup's ``manifest.json``: what was copied, from where, by which MedCite, at which schema
revisions, how many rows each table held, and each file's SHA-256 — so a restore can refuse a
damaged, partial or too-new backup before it touches anything.

The manifest is written last: a folder without one is an unfinished backup."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from medcite.backup.locations import Backend, Database, Role
from medcite.errors import InputError

MANIFEST = "manifest.json"
FORMAT = 1  # bumped when a restore can no longer read older backups as they are


@dataclass(frozen=True)
class DatabaseCopy:
    """One database in the backup."""

    name: str  # "evidence", "answers" or "site": which database of the settings it restores to
    roles: tuple[Role, ...]  # what the database held
    backend: Backend
    source: str  # where it was copied from (a file, or a URL without its password)
    file: str  # the copy, in the backup folder: an SQLite file or a pg_dump custom archive
    bytes: int
    sha256: str
    tables: dict[str, int]  # rows per table at the moment of the copy
    revisions: dict[str, str]  # Alembic version table -> revision the copy is at
    schema: str | None = None  # PostgreSQL: the schema dumped (MedCite's tables live there)
    extensions: dict[str, str] = field(default_factory=dict)  # PostgreSQL: name -> its schema

    @classmethod
    def written(
        cls,
        database: Database,
        file: Path,
        tables: dict[str, int],
        revisions: dict[str, str],
        **postgres: Any,
    ) -> DatabaseCopy:
        """The record of ``database`` copied to ``file`` (its size and checksum read from it);
        ``postgres``: the schema and extensions of a PostgreSQL dump."""
        return cls(
            name=database.name,
            roles=database.roles,
            backend=database.backend,
            source=database.shown,
            file=file.name,
            bytes=file.stat().st_size,
            sha256=sha256_of(file),
            tables=tables,
            revisions=revisions,
            **postgres,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "roles": [role.value for role in self.roles],
            "backend": self.backend.value,
            "source": self.source,
            "file": self.file,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "tables": self.tables,
            "revisions": self.revisions,
            "schema": self.schema,
            "extensions": self.extensions,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatabaseCopy:
        return cls(
            name=str(data["name"]),
            roles=tuple(Role(role) for role in data["roles"]),
            backend=Backend(data["backend"]),
            source=str(data["source"]),
            file=str(data["file"]),
            bytes=int(data["bytes"]),
            sha256=str(data["sha256"]),
            tables={str(k): int(v) for k, v in data["tables"].items()},
            revisions={str(k): str(v) for k, v in data["revisions"].items()},
            schema=data.get("schema"),
            extensions={str(k): str(v) for k, v in data.get("extensions", {}).items()},
        )


@dataclass(frozen=True)
class BackupManifest:
    """Everything a restore needs to know about one backup folder."""

    created_at: str  # ISO 8601, UTC
    medcite_version: str
    databases: tuple[DatabaseCopy, ...]
    format: int = FORMAT

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "created_at": self.created_at,
            "medcite_version": self.medcite_version,
            "databases": [copy.to_dict() for copy in self.databases],
        }

    def write(self, folder: Path) -> Path:
        """Write ``manifest.json`` into ``folder`` in one step (a rename), so it is whole or
        absent."""
        path = folder / MANIFEST
        partial = path.with_suffix(".json.partial")
        with partial.open("w", encoding="utf-8") as out:
            json.dump(self.to_dict(), out, indent=2)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
        return path

    @classmethod
    def read(cls, folder: Path) -> BackupManifest:
        """The manifest of the backup in ``folder``; a missing, unreadable or too-new one is an
        :class:`InputError` (code ``not_a_backup``)."""
        path = folder / MANIFEST
        if not path.is_file():
            raise InputError(
                f"{folder} is not a MedCite backup (no {MANIFEST}; an unfinished backup has none)",
                "not_a_backup",
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if int(data["format"]) > FORMAT:
                raise InputError(
                    f"{path} is format {data['format']}; this MedCite reads format {FORMAT} "
                    "(upgrade MedCite to restore it)",
                    "not_a_backup",
                )
            return cls(
                created_at=str(data["created_at"]),
                medcite_version=str(data["medcite_version"]),
                databases=tuple(DatabaseCopy.from_dict(d) for d in data["databases"]),
                format=int(data["format"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path} is damaged: {exc!r}", "not_a_backup") from None

    def verify(self, folder: Path) -> None:
        """Refuse (code ``backup_corrupt``) a backup whose files are missing or changed."""
        for copy in self.databases:
            path = folder / copy.file
            if Path(copy.file).name != copy.file or not path.is_file():
                raise InputError(f"{path} is missing from the backup", "backup_corrupt")
            if sha256_of(path) != copy.sha256:
                raise InputError(
                    f"{path} does not match its checksum in {MANIFEST}: the backup is damaged",
                    "backup_corrupt",
                )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def medcite_version() -> str:
    try:
        return version("medcite")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"
