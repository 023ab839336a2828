"""Stored answers on each backend (a SQLite file, a PostgreSQL database): save, replace, get and
"related" questions round-trip; the schema comes from the evidence store's migrations; the
``medcite ask`` command stores answers where a follow-up finds them."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from sqlalchemy import create_engine, text

from medcite.answer.model import Answer, Audience, BottomLine, QuestionType, Safety, Verdict
from medcite.answer.storage import AnswerStore, answers_url
from medcite.database import sqlalchemy_url
from medcite.settings import Settings
from medcite.store.migrate import HEAD, VERSION_TABLE
from medcite.store.postgres import PostgresStore

from .conftest import BACKENDS, AnyStore


@pytest.fixture(params=BACKENDS)
def settings_of(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings whose answers go to a new SQLite index file or a new PostgreSQL database."""
    base = Settings().with_store(tmp_path / "index.sqlite")
    if request.param == "sqlite":
        return base
    url = request.getfixturevalue("postgres_url")
    return base.model_copy(update={"store": base.store.model_copy(update={"database_url": url})})


@pytest.fixture()
def answers(settings_of: Settings) -> Iterator[AnswerStore]:
    with AnswerStore(answers_url(settings_of.store)) as store:
        yield store


def _answer(answer_id: str, question: str, verdict: Verdict = Verdict.YES) -> Answer:
    return Answer(
        id=answer_id,
        question=question,
        audience=Audience.PATIENT,
        question_type=QuestionType.YES_NO,
        bottom_line=BottomLine(verdict, None, f"{verdict.value}: {question}", ()),
        evidence_meter=None,
        sections=(),
        references=(),
        reading_grade=6.5,
        safety=Safety(),
        follow_up_of=None if answer_id == "a1" else "a1",
        created_at=f"2026-11-26T10:00:0{answer_id[-1]}+00:00",
    )


def _unit(*values: float) -> npt.NDArray[np.float32]:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_answers_round_trip(answers: AnswerStore) -> None:
    first = _answer("a1", "Does café coffee raise blood pressure?")
    answers.save(first, _unit(1, 0, 0))
    assert answers.get("a1") == first.to_dict()
    assert answers.get("missing") is None

    changed = _answer("a1", "Does café coffee raise blood pressure?", Verdict.UNCERTAIN)
    answers.save(changed, None)  # the same id replaces the stored answer
    assert answers.get("a1") == changed.to_dict()
    assert answers.similar_questions(_unit(1, 0, 0), exclude="", limit=5) == []


def test_similar_questions_most_similar_first(answers: AnswerStore) -> None:
    answers.save(_answer("a1", "Is aspirin safe?"), _unit(1, 0, 0))
    answers.save(_answer("a2", "Is aspirin safe in pregnancy?"), _unit(0.9, 0.1, 0))
    answers.save(_answer("a3", "What causes gout?"), _unit(0, 0, 1))
    answers.save(_answer("a4", "Is aspirin safe for children?"), _unit(0.8, 0.6, 0))
    query = _unit(1, 0, 0)
    assert answers.similar_questions(query, exclude="", limit=5) == [
        "Is aspirin safe?",
        "Is aspirin safe in pregnancy?",
        "Is aspirin safe for children?",
    ]
    assert answers.similar_questions(query, exclude="is aspirin safe", limit=1) == [
        "Is aspirin safe in pregnancy?"
    ]
    assert answers.similar_questions(query, exclude="", limit=5, floor=0.95) == [
        "Is aspirin safe?",
        "Is aspirin safe in pregnancy?",
    ]


def test_answers_table_comes_from_the_evidence_migrations(
    answers: AnswerStore, settings_of: Settings
) -> None:
    engine = create_engine(sqlalchemy_url(answers_url(settings_of.store)))
    try:
        with engine.connect() as conn:
            version = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    finally:
        engine.dispose()
    assert version == HEAD


def test_a_pre_migration_answers_table_keeps_its_rows(tmp_path: Path) -> None:
    """Index files from before Alembic hold an answers table the store made itself."""
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE answers(id TEXT PRIMARY KEY, question TEXT NOT NULL, normalised TEXT"
            " NOT NULL, audience TEXT NOT NULL, follow_up_of TEXT, created_at TEXT NOT NULL,"
            " record TEXT NOT NULL, question_vec BLOB)"
        )
        db.execute(
            "INSERT INTO answers VALUES ('old', 'q', 'q', 'patient', NULL, 't', '{\"id\": 1}',"
            " NULL)"
        )
    db.close()
    with AnswerStore(path) as store:
        assert store.get("old") == {"id": 1}
        store.save(_answer("a2", "Is aspirin safe?"), _unit(1, 0))
        assert store.similar_questions(_unit(1, 0), exclude="", limit=3) == ["Is aspirin safe?"]


def test_cli_follow_up_finds_the_stored_answer(demo_store: AnyStore, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDCITE_")}
    if isinstance(demo_store, PostgresStore):
        env["MEDCITE_DATABASE_URL"] = demo_store.url  # evidence and answers
        where: list[str] = []
    else:
        demo_store.checkpoint()
        shutil.copy(demo_store.path, tmp_path / "index.sqlite")
        where = ["--db", str(tmp_path / "index.sqlite")]

    def ask(*args: str) -> dict[str, object]:
        command = [str(Path(sys.executable).with_name("medcite")), *where, "ask", *args, "--json"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
        assert done.returncode == 0, done.stderr
        answer: dict[str, object] = json.loads(done.stdout)
        return answer

    first = ask("Can vitamin B12 deficiency cause leukopenia?")
    follow = ask("what dose?", "--follow-up-of", str(first["id"]))
    assert follow["follow_up_of"] == first["id"]
    assert follow["resolved_question"] == (
        "What dose of vitamin B12 is used to treat vitamin B12 deficiency?"
    )
