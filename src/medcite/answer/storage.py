"""Stored answers (so follow-ups and the web product can refer to them) in the index's SQLite
file: one row per answer with its JSON record and its question embedding for "related"."""

from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from medcite.answer.model import Answer
from medcite.text import normalise_term

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers(
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    normalised TEXT NOT NULL,
    audience TEXT NOT NULL,
    follow_up_of TEXT,
    created_at TEXT NOT NULL,
    record TEXT NOT NULL,
    question_vec BLOB
);
CREATE INDEX IF NOT EXISTS answers_normalised ON answers(normalised);
"""


def new_answer_id() -> str:
    return secrets.token_hex(8)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AnswerStore:
    """Answers in SQLite (WAL, shared with the evidence index file by default)."""

    def __init__(self, path: Path, busy_timeout_ms: int = 10_000) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def save(self, answer: Answer, question_vec: npt.NDArray[np.float32] | None) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO answers(id, question, normalised, audience, follow_up_of,"
            " created_at, record, question_vec) VALUES (?,?,?,?,?,?,?,?)",
            (
                answer.id,
                answer.question,
                normalise_term(answer.resolved_question or answer.question),
                answer.audience.value,
                answer.follow_up_of,
                answer.created_at or now(),
                json.dumps(answer.to_dict(), ensure_ascii=False),
                None if question_vec is None else question_vec.astype(np.float32).tobytes(),
            ),
        )

    def get(self, answer_id: str) -> dict[str, object] | None:
        """The stored Answer JSON, or None."""
        row = self._db.execute("SELECT record FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def similar_questions(
        self, vector: npt.NDArray[np.float32], exclude: str, limit: int, floor: float = 0.55
    ) -> list[str]:
        """Questions of stored answers closest to ``vector`` (cosine), most similar first."""
        rows = self._db.execute(
            "SELECT question, normalised, question_vec FROM answers"
            " WHERE question_vec IS NOT NULL ORDER BY created_at DESC LIMIT 5000"
        ).fetchall()
        scored: dict[str, tuple[float, str]] = {}
        for question, normalised, blob in rows:
            if normalised == exclude:
                continue
            score = float(np.frombuffer(blob, dtype=np.float32) @ vector)
            if score >= floor and score > scored.get(normalised, (-1.0, ""))[0]:
                scored[normalised] = (score, question)
        ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1]))
        return [question for _, question in ranked[:limit]]

    def close(self) -> None:
        self._db.close()
