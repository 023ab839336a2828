"""``medcite backup DEST`` and ``medcite restore SRC``; registered on the main CLI in
:mod:`medcite.cli`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

PgBin = Annotated[
    Path | None,
    typer.Option(
        "--pg-bin",
        help="Folder of pg_dump and pg_restore, of the server's major version "
        "(default: the store.pg_bin setting, else PATH).",
    ),
]


def backup(
    dest: Annotated[Path, typer.Argument(help="A new or empty folder for the backup.")],
    pg_bin: PgBin = None,
) -> None:
    """Copy the evidence index, stored answers and site database into DEST, servers running."""
    from medcite.backup.archive import backup as run
    from medcite.backup.manifest import MANIFEST
    from medcite.cli_state import STATE

    manifest = run(STATE.settings, dest, pg_bin=pg_bin or STATE.settings.store.pg_bin)
    for copy in manifest.databases:
        typer.echo(f"{dest / copy.file}  <- {copy.source} ({copy.bytes:,} bytes)")
        typer.echo(_counts(copy.tables))
    typer.echo(
        f"{dest / MANIFEST}  (MedCite {manifest.medcite_version}, {manifest.created_at}, "
        f"{len(manifest.databases)} database(s))"
    )


def restore(
    src: Annotated[Path, typer.Argument(help="A folder written by `medcite backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace databases that already hold data.")
    ] = False,
    pg_bin: PgBin = None,
) -> None:
    """Restore the backup in SRC to the databases the settings name (--force replaces data)."""
    from medcite.backup.archive import restore as run
    from medcite.cli_state import STATE

    done = run(STATE.settings, src, force=force, pg_bin=pg_bin or STATE.settings.store.pg_bin)
    for restored in done:
        typer.echo(f"{src / restored.copy.file}  -> {restored.target}")
        typer.echo(_counts(restored.tables))
        if restored.dropped:
            typer.echo(f"  dropped (not in the backup): {', '.join(restored.dropped)}")
    typer.echo(f"restored {len(done)} database(s) from {src}")


def _counts(tables: dict[str, int], width: int = 100) -> str:
    """``table rows`` pairs, indented, wrapped between pairs (never inside one)."""
    lines = [""]
    for name, rows in sorted(tables.items()):
        pair = f"{name} {rows:,}"
        if lines[-1] and len(lines[-1]) + len(pair) + 4 > width:
            lines.append("")
        lines[-1] += f", {pair}" if lines[-1] else pair
    return "\n".join(f"  {line}" for line in lines)
