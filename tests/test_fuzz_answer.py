"""Fuzzing questions: random Unicode, huge strings, control characters, injection-like text,
medical words mixed with junk, empty and whitespace-only text through `Engine.answer` (with
follow-ups of a real and of made-up answers) and through the real app's `POST /api/ask` (bodies
of the wrong shape too) and `GET /api/search`. Every input gets a well-formed, correctly cited
Answer record or a documented error; the API never answers 500.

Inputs per run: `medcite.bench.fuzz.CI_EXAMPLES` (scaled by MEDCITE_FUZZ_EXAMPLES). A question
that reaches retrieval costs 0.1-0.5 s (the reader runs), so these get fewer inputs than search
and ingest. Each test notes its input: under the schemathesis pytest plugin, Hypothesis prints
a failing example's arguments blank."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given, note
from hypothesis import strategies as st

from medcite.answer.engine import Engine
from medcite.answer.model import Audience
from medcite.answer.storage import AnswerStore
from medcite.bench.fuzz import examples, fuzz_settings
from medcite.bench.fuzz_checks import check_ask, check_engine_answer, check_search_api
from medcite.bench.fuzz_inputs import ask_bodies, follow_ups, questions, search_queries
from medcite.index.embeddings import Embedder
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore
from medcite.web.app import create_app
from tests.conftest import web_settings

pytestmark = pytest.mark.sqlite_only

EARLIER = "What are the symptoms of concussion?"


@pytest.fixture(scope="module")
def engine(
    demo_store: SQLiteStore, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    with AnswerStore(tmp_path_factory.mktemp("fuzz-answers") / "answers.sqlite") as answers:
        yield Engine(demo_store, Settings(), embedder=embedder, answers=answers)


@pytest.fixture(scope="module")
def earlier(engine: Engine) -> str:
    """The id of a saved answer, for follow-ups."""
    return engine.answer(EARLIER).id


@pytest.fixture(scope="module")
def client(
    demo_store: SQLiteStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = web_settings(demo_store, tmp_path_factory.mktemp("fuzz-web"), ask_limit=10**6)
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.site.close()


def test_fuzz_engine_answers_or_refuses(engine: Engine, earlier: str) -> None:
    @fuzz_settings(examples("engine"))
    @given(
        question=questions(),
        audience=st.sampled_from(list(Audience)),
        follow_up_of=follow_ups(earlier),
    )
    @example(question="", audience=Audience.CLINICIAN, follow_up_of=None)
    @example(question=" \u3000\u200b\n", audience=Audience.PATIENT, follow_up_of=None)
    @example(question="a\x00b", audience=Audience.CLINICIAN, follow_up_of=None)
    @example(question="What dose?\ud800", audience=Audience.STUDENT, follow_up_of=None)
    @example(question="x" * 1_001, audience=Audience.CLINICIAN, follow_up_of=None)
    @example(question="What dose?", audience=Audience.CLINICIAN, follow_up_of="no-such-id")
    # found by fuzzing: an id that is not UTF-8 (undecodable argv bytes) crashed the lookup
    @example(question="What dose?", audience=Audience.CLINICIAN, follow_up_of="\ud800")
    @example(question="And in children?", audience=Audience.PATIENT, follow_up_of=earlier)
    def check(question: str, audience: Audience, follow_up_of: str | None) -> None:
        note(f"input: {(question, audience, follow_up_of)!r:.2000}")
        check_engine_answer(engine, question, audience, follow_up_of)

    check()


@fuzz_settings(examples("ask"))
@given(body=ask_bodies())
@example(body={"question": "How is asthma treated?", "follow_up_of": 2**70})
@example(body={"question": "How is asthma treated?", "audience": "doctor"})
@example(body={"question": 5})
@example(body=["question"])
def test_fuzz_api_ask_never_fails(client: TestClient, body: Any) -> None:
    note(f"input: {body!r:.2000}")
    check_ask(client, body)


@fuzz_settings(examples("search_api"))
@given(query=search_queries())
@example(query="")
@example(query="\x00")
@example(query="x" * 1_001)
def test_fuzz_api_search_never_fails(client: TestClient, query: str) -> None:
    note(f"input: {query!r:.2000}")
    check_search_api(client, query)


def test_a_body_that_is_not_json_is_refused(client: TestClient) -> None:
    """The content types the fuzzing above does not vary."""
    for kind in ("text/plain", "application/x-www-form-urlencoded", ""):
        outcome = check_ask(client, {"question": "How is asthma treated?"}, kind)
        assert outcome.startswith(("415", "422")), outcome
