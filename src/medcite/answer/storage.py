"""Stored answers (so follow-ups and the web product can refer to them): one row per answer with
its JSON record and its question embedding for "related".

SQLAlchemy Core on either backend: SQLite (the index file, or a file of its own for the web
app's workers) or PostgreSQL (the evidence database). The table is made by the evidence store's
Alembic migrations (:mod:`medcite.store.migrate`); :data:`answers` mirrors the newest one."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Column, LargeBinary, MetaData, Table, Text, exc, select, text
from sqlalchemy.dialects import postgresql, sqlite

from medcite.answer.model import Answer
from medcite.database import make_engine
from medcite.settings import StoreSettings
from medcite.store.migrate import HEAD, VERSION_TABLE, upgrade
from medcite.store.vectors import blob_scores
from medcite.text import normalise_term

answers = Table(
    "answers",
    MetaData(),
    Column("id", Text, primary_key=True),
    Column("question", Text, nullable=False),
    Column("normalised", Text, nullable=False),
    Column("audience", Text, nullable=False),
    Column("follow_up_of", Text),
    Column("created_at", Text, nullable=False),
    Column("record", Text, nullable=False),
    Column("question_vec", LargeBinary),
)


def new_answer_id() -> str:
    return secrets.token_hex(8)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def answers_url(store: StoreSettings, own_file: bool = False) -> str:
    """Where answers are kept: the PostgreSQL database of ``store.database_url`` when set, else
    the SQLite index file itself, or with ``own_file`` a ``<index>-answers.sqlite`` beside it
    (the web app's workers write answers there while the index stays read-only)."""
    if store.database_url:
        return store.database_url
    index = store.path
    return f"sqlite:///{index.with_name(index.stem + '-answers.sqlite') if own_file else index}"


class AnswerStore:
    """Answers in the database at ``location``: a SQLAlchemy or libpq URL, or a SQLite file."""

    def __init__(
        self, location: str | Path, *, busy_timeout_ms: int = 10_000, pool_size: int = 8
    ) -> None:
        url = f"sqlite:///{location}" if isinstance(location, Path) else location
        self._engine = make_engine(url, busy_timeout_ms, pool_size)
        self._writer = self._engine.execution_options(write=True)
        if self._revision() != HEAD:
            upgrade(url)

    def _revision(self) -> str | None:
        """The evidence schema's Alembic revision, or None before the first migration."""
        try:
            with self._engine.connect() as conn:
                found = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        except exc.DBAPIError:  # no version table yet
            return None
        return None if found is None else str(found)

    def save(self, answer: Answer, question_vec: npt.NDArray[np.float32] | None) -> None:
        """Insert ``answer``, or replace the stored one with its id."""
        values: dict[str, Any] = {
            "id": answer.id,
            "question": answer.question,
            "normalised": normalise_term(answer.resolved_question or answer.question),
            "audience": answer.audience.value,
            "follow_up_of": answer.follow_up_of,
            "created_at": answer.created_at or now(),
            "record": json.dumps(answer.to_dict(), ensure_ascii=False),
            "question_vec": (
                None if question_vec is None else question_vec.astype(np.float32).tobytes()
            ),
        }
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(answers).values(values)
        upsert = insert.on_conflict_do_update(
            index_elements=[answers.c.id],
            set_={name: insert.excluded[name] for name in values if name != "id"},
        )
        with self._writer.begin() as conn:
            conn.execute(upsert)

    def get(self, answer_id: str) -> dict[str, object] | None:
        """The stored Answer JSON, or None."""
        if not (answer_id.isascii() and answer_id.isprintable()):
            # no answer has such an id, and not every string binds (a lone surrogate from
            # undecodable argv bytes; a NUL on PostgreSQL): found by fuzzing
            return None
        with self._engine.connect() as conn:
            record = conn.execute(
                select(answers.c.record).where(answers.c.id == answer_id)
            ).scalar()
        return None if record is None else dict(json.loads(record))

    def similar_questions(
        self, vector: npt.NDArray[np.float32], exclude: str, limit: int, floor: float = 0.55
    ) -> list[str]:
        """Questions of stored answers closest to ``vector`` (cosine), most similar first."""
        query = (
            select(answers.c.question, answers.c.normalised, answers.c.question_vec)
            .where(answers.c.question_vec.is_not(None))
            .order_by(answers.c.created_at.desc())
            .limit(5000)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        rows = [row for row in rows if row[1] != exclude]
        scores = blob_scores([row[2] for row in rows], vector)
        scored: dict[str, tuple[float, str]] = {}
        for (question, normalised, _), score in zip(rows, scores.tolist(), strict=True):
            if score >= floor and score > scored.get(normalised, (-1.0, ""))[0]:
                scored[normalised] = (score, question)
        ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1]))
        return [question for _, question in ranked[:limit]]

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> AnswerStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
