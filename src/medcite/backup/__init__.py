"""Backups of everything MedCite keeps: the evidence index, stored answers and the site database
(articles, versions, audit log, accounts), taken while the servers run and restored with
``medcite restore``.

``locations`` says where the data is, ``sqlite`` and ``postgres`` copy one database each way,
``manifest`` describes and checks a backup folder, ``archive`` does the whole backup or restore,
``commands`` is the CLI."""

from __future__ import annotations

from medcite.backup.archive import Restored, backup, restore
from medcite.backup.locations import Backend, Database, Role, databases
from medcite.backup.manifest import MANIFEST, BackupManifest, DatabaseCopy

__all__ = [
    "MANIFEST",
    "Backend",
    "BackupManifest",
    "Database",
    "DatabaseCopy",
    "Restored",
    "Role",
    "backup",
    "databases",
    "restore",
]
