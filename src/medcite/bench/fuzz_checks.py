"""What every generated input must get (the fuzz tests and ``make bench``'s fuzz section hold
each one to these checks): a well-formed result, or one of the documented errors — never another
exception, never an HTTP 500.

- a question (``Engine.answer``): an Answer record that keeps the JSON contract and the citation
  invariants, or :class:`~medcite.errors.InputError` with a documented code;
- ``POST /api/ask`` and ``GET /api/search``: the documented response, or a 4xx whose body is
  ``{"error": {"code", "message"}}`` with a code documented for that status;
- search text: the CLI's gate (``check_query``) refuses it, or hybrid / BM25 / dense search returns
  ranked hits in the search JSON's shape; the FTS5 expression the parser writes never makes
  SQLite raise;
- a malformed file (``medcite ingest``): a report whose problems name the file, or
  :class:`~medcite.errors.IngestError` (the file could not be read at all).

A check returns a short label of the outcome (``"answered"``, an error code …) so a run can say
what its inputs met; a broken property raises :class:`PropertyFailed`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

from medcite.answer.engine import Engine
from medcite.answer.model import (
    Answer,
    Audience,
    QuestionType,
    SectionKind,
    Stance,
    Strength,
    Verdict,
)
from medcite.errors import IngestError, InputError
from medcite.eval.citations import CitationReport, check_answer
from medcite.ingest.pipeline import ingest_paths
from medcite.records import EvidenceType
from medcite.retrieve.hybrid import Mode, Retriever
from medcite.retrieve.query import parse_query
from medcite.settings import Settings
from medcite.store import fts
from medcite.store.base import EvidenceStore, Filters
from medcite.store.sqlite import SQLiteStore, open_store
from medcite.text import clean

QUESTION_CODES = frozenset({"empty_question", "question_too_long", "control_characters"})
"""InputError codes of an unusable question (README, "Asking questions")."""
ANSWER_CODES = QUESTION_CODES | {"unknown_answer"}
"""…and of a follow-up of an answer that does not exist."""
QUERY_CODES = frozenset({"invalid_input"})
"""The CLI's search gate (empty text, control characters)."""
ASK_ERRORS: dict[int, frozenset[str]] = {
    400: QUESTION_CODES,
    404: frozenset({"not_found"}),  # follow_up_of names no article
    415: frozenset({"unsupported_media_type"}),
    422: frozenset({"invalid_request"}),
    429: frozenset({"rate_limited"}),
}
"""Status → documented ``error.code`` of ``POST /api/ask`` (README, "JSON API")."""
SEARCH_ERRORS: dict[int, frozenset[str]] = {
    400: frozenset({"empty_query"}),
    422: frozenset({"invalid_request"}),
}
MAX_SENT_QUERY = 4_000
"""Bytes of search text sent in a URL (longer URLs are the client's limit, not the server's)."""
HIT_FIELDS = frozenset(
    {"rank", "score", "passage_id", "doc_id", "title", "evidence_type", "year", "source"}
    | {"section", "text"}
)
"""The documented fields of one search hit (README, "Search JSON")."""
ANSWER_FIELDS = frozenset(f.name for f in dataclasses.fields(Answer))


class PropertyFailed(AssertionError):
    """An input got a result that breaks the contract (not an exception of the code itself)."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise PropertyFailed(message)


# --- answers ----------------------------------------------------------------------------------


def check_engine_answer(
    engine: Engine, question: str, audience: Audience, follow_up_of: str | None = None
) -> str:
    """``Engine.answer``: a well-formed, correctly cited answer, or a documented InputError."""
    try:
        answer = engine.answer(question, audience, follow_up_of=follow_up_of, save=False)
    except InputError as exc:
        expect(exc.code in ANSWER_CODES, f"undocumented error code {exc.code!r}: {exc}")
        return exc.code
    expect(answer.question == clean(question), "the answer names another question")
    expect(answer.audience is audience, "the answer is told for another audience")
    problems = record_problems(answer.to_dict())
    report = CitationReport()
    check_answer(answer, report)
    problems += [f"not verbatim in a cited passage: {text}" for text in report.failures]
    expect(not problems, "; ".join(problems))
    if answer.safety.out_of_scope:
        return "declined (not medical)"
    if answer.references:
        return "answered with evidence"
    return f"answered: {answer.bottom_line.verdict or 'no evidence'}"


def record_problems(record: dict[str, Any]) -> list[str]:
    """What breaks the Answer record's JSON contract (README, "The Answer record")."""
    problems: list[str] = []

    def want(condition: bool, message: str) -> None:
        if not condition:
            problems.append(message)

    want(set(record) == ANSWER_FIELDS, f"fields {sorted(set(record) ^ ANSWER_FIELDS)}")
    try:
        json.dumps(record, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return [*problems, f"not JSON: {exc}"]
    want(isinstance(record.get("question"), str) and bool(record["question"]), "no question")
    want(record.get("audience") in _values(Audience), "audience")
    want(record.get("question_type") in _values(QuestionType), "question_type")
    grade = record.get("reading_grade")
    want(grade is None or (isinstance(grade, float | int) and math.isfinite(grade)), "grade")
    bottom = record.get("bottom_line") or {}
    want(bottom.get("verdict") in {None, *_values(Verdict)}, "verdict")
    want(bottom.get("strength") in {None, *_values(Strength)}, "strength")
    want(isinstance(bottom.get("text"), str) and bool(bottom["text"].strip()), "bottom line text")
    meter = record.get("evidence_meter")
    want(
        meter is None or all(isinstance(v, int) and v >= 0 for v in meter.values()),
        "evidence meter",
    )
    safety = record.get("safety") or {}
    want(
        isinstance(safety.get("emergency"), bool) and isinstance(safety.get("out_of_scope"), bool),
        "safety",
    )
    cited = [*bottom.get("citations", [])]
    for section in record.get("sections") or []:
        want(
            bool(section.get("heading")) and section.get("kind") in _values(SectionKind), "section"
        )
        want(bool(section.get("items")), f"empty section {section.get('heading')!r}")
        for item in section.get("items") or []:
            want(isinstance(item.get("text"), str) and bool(item["text"].strip()), "item text")
            want(bool(item.get("citations")), f"uncited item {item.get('text')!r:.60}")
            cited += item.get("citations") or []
    references = record.get("references") or []
    numbers = [ref.get("n") for ref in references]
    want(numbers == list(range(1, len(numbers) + 1)), f"references numbered {numbers}")
    for ref in references:
        want(ref.get("evidence_type") in _values(EvidenceType), "reference evidence type")
        want(ref.get("stance") in {None, *_values(Stance)}, "reference stance")
        want(bool(ref.get("quotes")), f"reference {ref.get('n')} quotes nothing")
    want(all(n in numbers for n in cited), f"citations {sorted(set(cited) - set(numbers))} dangle")
    want(
        all(n in cited for n in numbers), f"references {sorted(set(numbers) - set(cited))} uncited"
    )
    return problems


def _values(enum: type[Any]) -> frozenset[str]:
    return frozenset(member.value for member in enum)


# --- the JSON API -----------------------------------------------------------------------------


def check_ask(client: Any, body: Any, content_type: str = "application/json") -> str:
    """``POST /api/ask`` with ``body`` sent as JSON (``\\ud800`` escapes and NaN included, as an
    attacker can send them) under ``content_type``. ``client`` is a Starlette ``TestClient``."""
    raw = json.dumps(body).encode("ascii")
    response = client.post("/api/ask", content=raw, headers={"content-type": content_type})
    status = response.status_code
    if status >= 400:
        return _documented_error(response, ASK_ERRORS)
    expect(status in (200, 201), f"status {status}")
    data = response.json()
    expect(set(data) == {"created", "article", "answer"}, f"fields {sorted(data)}")
    expect(data["created"] is (status == 201), "201 is for new articles only")
    record = data["answer"] if data["article"] is None else data["article"]["answer"]
    expect(isinstance(record, dict), "no Answer record")
    problems = record_problems(record)
    expect(not problems, "; ".join(problems))
    return str(status)


def check_search_api(client: Any, query: str) -> str:
    """``GET /api/search?q=…``: articles and passages in the search JSON, or a documented 4xx.
    The text is percent-encoded as UTF-8 (lone surrogates too: the server decodes them)."""
    sent = query.encode("utf-8", "surrogatepass")[:MAX_SENT_QUERY]  # past the 1,000 limit
    url = "/api/search?q=" + quote(sent, safe="")
    response = client.get(url)
    status = response.status_code
    if status >= 400:
        return _documented_error(response, SEARCH_ERRORS)
    expect(status == 200, f"status {status}")
    data = response.json()
    expect(set(data) == {"query", "articles", "passages"}, f"fields {sorted(data)}")
    _check_hits(data["passages"])
    return "200"


def _documented_error(response: Any, documented: dict[int, frozenset[str]]) -> str:
    status = response.status_code
    expect(status != 500, f"500: {response.text[:200]}")
    try:
        body = response.json()
    except ValueError:
        raise PropertyFailed(f"{status} without a JSON body: {response.text[:200]}") from None
    expect(
        isinstance(body, dict)
        and set(body) == {"error"}
        and set(body["error"]) == {"code", "message"},
        f"{status} body {body!r:.200}",
    )
    code = body["error"]["code"]
    expect(code in documented.get(status, frozenset()), f"undocumented {status} {code!r}")
    return f"{status} {code}"


# --- search -----------------------------------------------------------------------------------


def check_search(retriever: Retriever, text: str, mode: Mode, filters: Filters, k: int = 10) -> str:
    """The CLI's ``search``: its gate refuses the text, or the hits are ranked and well-formed."""
    from medcite.cli import check_query  # the gate `medcite search` puts before the retriever

    try:
        query = check_query(text)
    except InputError as exc:
        expect(exc.code in QUERY_CODES, f"undocumented error code {exc.code!r}")
        return "refused"
    result = retriever.search(query, k=k, filters=filters, mode=mode)
    expect(len(result.hits) <= k, f"{len(result.hits)} hits for k={k}")
    _check_hits([hit.to_dict() for hit in result.hits])
    for hit in result.hits:
        document = hit.document
        expect(
            not filters.evidence_types or document.evidence_type in filters.evidence_types, "type"
        )
        expect(not filters.sources or document.source in filters.sources, "source filter")
        year = document.year
        expect(filters.since is None or (year is not None and year >= filters.since), "since")
        expect(filters.until is None or (year is not None and year <= filters.until), "until")
    return "hits" if result.hits else "no hits"


def _check_hits(hits: list[dict[str, Any]]) -> None:
    expect([h.get("rank") for h in hits] == list(range(1, len(hits) + 1)), "ranks")
    for hit in hits:
        expect(set(hit) == HIT_FIELDS, f"hit fields {sorted(hit)}")
        expect(math.isfinite(hit["score"]), "score")
        expect(hit["passage_id"].startswith(hit["doc_id"] + "#"), "passage id")
    scores = [hit["score"] for hit in hits]
    expect(scores == sorted(scores, reverse=True), "hits out of score order")
    expect(len({h["passage_id"] for h in hits}) == len(hits), "a passage twice")


def check_bm25(store: EvidenceStore, text: str, settings: Settings) -> str:
    """The FTS expressions the parser writes for ``text`` (the user's words, then with synonyms)
    run on the store: no syntax error, at most ``limit`` rows, best first."""
    query = parse_query(text, settings.retrieval, store)
    found = 0
    for match in (query.match, query.expanded_match):
        rows = store.bm25(match, Filters(), 20)
        expect(len(rows) <= 20, "more rows than asked for")
        expect([s for _, s in rows] == sorted((s for _, s in rows), reverse=True), "row order")
        found += len(rows)
    return "matched" if found else "no match"


@contextmanager
def budgeted_store(path: Path, budget: int = 10) -> Iterator[SQLiteStore]:
    """The index at ``path`` opened read-only with a tiny FTS5 candidate budget, so nearly every
    query takes the rewritten ``(rare) AND (others)`` path of :mod:`medcite.store.fts` that only
    a million-passage index needs otherwise."""
    with mock.patch.object(fts, "CANDIDATE_BUDGET", budget):
        store = open_store(path, read_only=True)
    try:
        yield store
    finally:
        store.close()


# --- ingest -----------------------------------------------------------------------------------


def check_ingest(
    store: EvidenceStore, folder: Path, name: str, data: bytes, fmt: str | None
) -> str:
    """``medcite ingest`` of one file (``fmt=None``: its format is detected): a report naming the
    file in each problem, or IngestError."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    try:
        report = ingest_paths(store, [path], Settings().chunk, fmt=fmt, progress=False)
    except IngestError:
        return "refused"
    finally:
        path.unlink()
    expect(report.files == 1, f"{report.files} files")
    expect(all(p.path == str(path) for p in report.problems), "a problem names another file")
    expect(min(report.added, report.replaced, report.unchanged) >= 0, "negative counts")
    if report.documents:
        return "read" if not report.problems else "read with problems"
    return "problems" if report.problems else "empty"
