"""Fuzzing: generated hostile inputs through every door MedCite has — questions through
``Engine.answer`` and ``POST /api/ask``, search text through the CLI's search, the FTS5
expressions it writes (also on the rewritten path of a big index) and ``GET /api/search``, and
malformed files through every reader of ``medcite ingest`` — each held to the checks of
:mod:`medcite.bench.fuzz_checks`.

The suite (``tests/test_fuzz_*.py``) and this benchmark section run the same strategies
(:mod:`medcite.bench.fuzz_inputs`) and checks; they differ in how many inputs they generate.
:data:`CI_EXAMPLES` sets each target's share; ``MEDCITE_FUZZ_EXAMPLES`` (the total over all
targets) scales every share alike: the suite's default is :data:`CI_TOTAL`, the benchmark's
:data:`BENCH_TOTAL`. Generation is derandomised: a run meets the same inputs every time.

The benchmark builds its own small store (the quick slice of the demo corpus, vectors from the
shipped cache) and app in a temporary folder, and reports inputs, failures (must be 0) and
inputs per second for each target.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medcite.bench import BenchConfig, build_slice, header, per_second, show
from medcite.errors import MissingDependency
from medcite.settings import Settings

if TYPE_CHECKING:
    from hypothesis import settings as HypothesisSettings

    from medcite.answer.engine import Engine
    from medcite.index.embeddings import Embedder
    from medcite.store.sqlite import SQLiteStore

CI_EXAMPLES: dict[str, int] = {
    "ingest": 200,  # per reader format (13): real files broken
    "ingest_json": 100,  # per JSON dataset format (9): values of the wrong type
    "ingest_detect": 400,  # any broken file under any name: format detection
    "ingest_html": 300,  # generated pages of odd markup
    "bm25": 500,  # per store: SQLite, PostgreSQL, SQLite with a tiny candidate budget
    "search": 300,  # the CLI's search: gate, hybrid / BM25 / dense, filters
    "engine": 400,  # Engine.answer (0.1-0.5 s when a question reaches the reader)
    "ask": 120,  # POST /api/ask (three audiences answered and stored per new question)
    "search_api": 150,  # GET /api/search
}
"""Generated inputs per run of each fuzz test in the suite (~6,700 in all, ~3 minutes on 2
cores with the demo corpus built)."""
MULTIPLIER = {"ingest": 13, "ingest_json": 9, "bm25": 3}
"""Tests a target runs as (formats, backends); the others run once."""
CI_TOTAL = sum(n * MULTIPLIER.get(name, 1) for name, n in CI_EXAMPLES.items())
BENCH_TOTAL = 13_000
"""Inputs in all of ``make bench``'s fuzz section (the suite's shares, scaled)."""
ENV = "MEDCITE_FUZZ_EXAMPLES"


def examples(target: str, total: int | None = None) -> int:
    """Inputs for one run of ``target``: its share of ``total`` (default:
    ``$MEDCITE_FUZZ_EXAMPLES``, else the suite's :data:`CI_TOTAL`)."""
    if total is None:
        total = int(os.environ.get(ENV) or CI_TOTAL)
    return max(1, round(CI_EXAMPLES[target] * total / CI_TOTAL))


def fuzz_settings(max_examples: int) -> HypothesisSettings:
    """Hypothesis settings of every fuzz run: reproducible (derandomised, no example database),
    no deadline (an answer takes 0.1-0.5 s), and no health check against big or slow inputs,
    which are the point."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


@dataclass
class Outcome:
    """One target's run: inputs tried, what they met, and its crashes — every failure Hypothesis
    reported (an exception other than the documented errors, or a result breaking the contract
    of :mod:`~medcite.bench.fuzz_checks`), each after shrinking to its smallest input."""

    inputs: int = 0
    seconds: float = 0.0
    met: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "seconds": round(self.seconds, 2),
            "inputs_per_s": per_second(self.inputs, self.seconds),
            "crashes": len(self.crashes),
            "crash_messages": self.crashes[:5],
            "outcomes": dict(self.met.most_common()),
        }


def fuzz(check: Callable[..., str], strategies: tuple[Any, ...], max_examples: int) -> Outcome:
    """Run ``check`` over ``max_examples`` generated argument tuples; crashes are counted, not
    raised (Hypothesis prints each one's smallest input)."""
    from hypothesis import given
    from hypothesis import strategies as st

    outcome = Outcome()

    def one(args: tuple[Any, ...]) -> None:
        outcome.inputs += 1
        outcome.met[check(*args)] += 1

    run = fuzz_settings(max_examples)(given(st.tuples(*strategies))(one))
    start = time.perf_counter()
    try:
        run()
    except ExceptionGroup as group:  # several distinct failures
        outcome.crashes += [_described(exc) for exc in group.exceptions]
    except Exception as exc:
        outcome.crashes.append(_described(exc))
    outcome.seconds = time.perf_counter() - start
    return outcome


def _described(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]


def run(config: BenchConfig) -> dict[str, Any]:
    """``make bench``'s fuzz section: :data:`BENCH_TOTAL` inputs (or ``$MEDCITE_FUZZ_EXAMPLES``)."""
    try:
        import hypothesis  # noqa: F401
    except ImportError:
        raise MissingDependency(
            "fuzzing needs Hypothesis: .venv/bin/pip install -e '.[dev]'"
        ) from None
    total = int(os.environ.get(ENV) or BENCH_TOTAL)
    header(f"Fuzzing ({total:,} generated inputs)")
    results: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory(prefix="medcite-fuzz-") as tmp,
        _system(config, Path(tmp)) as system,
    ):
        for target in _targets(system):
            outcome = fuzz(target.check, target.strategies, examples(target.share, total))
            results[target.name] = outcome.to_dict()
            rate = per_second(outcome.inputs, outcome.seconds)
            show(
                target.name,
                f"{outcome.inputs:>6,} inputs  {len(outcome.crashes)} crashes  {rate:>8,.1f}/s",
            )
            for crash in outcome.crashes:
                print(f"    CRASH: {crash}", flush=True)
    inputs = sum(r["inputs"] for r in results.values())
    seconds = sum(r["seconds"] for r in results.values())
    crashes = sum(r["crashes"] for r in results.values())
    rate = per_second(inputs, seconds)
    show("all targets", f"{inputs:,} inputs  {crashes} crashes  {rate:,.1f}/s")
    return {
        "total_requested": total,
        "inputs": inputs,
        "crashes": crashes,
        "seconds": round(seconds, 1),
        "inputs_per_s": per_second(inputs, seconds),
        "targets": results,
    }


@dataclass(frozen=True)
class Target:
    """One thing fuzzed: ``check`` over arguments drawn from ``strategies``; ``share`` names its
    entry in :data:`CI_EXAMPLES`."""

    name: str
    check: Callable[..., str]
    strategies: tuple[Any, ...]
    share: str


@dataclass(frozen=True)
class System:
    """What the targets run against, all in one temporary folder."""

    settings: Settings
    store: SQLiteStore  # the evidence index (the demo index, or the quick slice)
    budgeted: SQLiteStore  # the same index with a tiny FTS5 candidate budget
    engine: Engine  # with an answer store holding one answer, ``earlier``
    earlier: str
    real_questions: list[str]
    client: Any  # a Starlette TestClient of the app over the same index
    ingest_store: SQLiteStore  # an empty index that malformed files are ingested into
    folder: Path  # where malformed files are written


@contextmanager
def _system(config: BenchConfig, tmp: Path) -> Iterator[System]:
    from starlette.testclient import TestClient

    from medcite.answer.engine import Engine
    from medcite.answer.storage import AnswerStore
    from medcite.bench import answer as answer_bench
    from medcite.bench.fuzz_checks import budgeted_store
    from medcite.index.embeddings import get_embedder
    from medcite.store.sqlite import open_store
    from medcite.web.app import create_app

    settings = config.settings.with_store(tmp / "index.sqlite")
    embedder = get_embedder(settings.embedding)
    with ExitStack() as stack:
        store = stack.enter_context(_evidence(config, settings, embedder))
        answers = stack.enter_context(AnswerStore(tmp / "answers.sqlite"))
        engine = Engine(store, settings, embedder=embedder, answers=answers)
        app = create_app(_web_settings(settings, tmp))
        # registered before the client is entered, so it runs after the client's shutdown
        stack.callback(app.state.site.close)
        yield System(
            settings=settings,
            store=store,
            budgeted=stack.enter_context(budgeted_store(settings.store.path)),
            engine=engine,
            earlier=engine.answer("What are the symptoms of concussion?").id,
            real_questions=answer_bench.questions(store, answer_bench.QUESTIONS),
            client=stack.enter_context(TestClient(app, raise_server_exceptions=False)),
            ingest_store=stack.enter_context(open_store(tmp / "ingest.sqlite")),
            folder=tmp / "files",
        )


def _targets(system: System) -> list[Target]:
    return [*_ingest_targets(system), *_search_targets(system), *_question_targets(system)]


def _ingest_targets(system: System) -> list[Target]:
    from hypothesis import strategies as st

    from medcite.bench import fuzz_files as files
    from medcite.bench.fuzz_checks import check_ingest

    def ingest(fmt: str | None) -> Callable[[tuple[str, bytes]], str]:
        return lambda named: check_ingest(system.ingest_store, system.folder, *named, fmt)

    seeds = files.load_seeds()
    return [
        *(
            Target(
                f"ingest {fmt}", ingest(fmt), (files.malformed_files(fmt, seeds[fmt]),), "ingest"
            )
            for fmt in files.FORMATS
            if seeds.get(fmt)
        ),
        *(
            Target(
                f"ingest {fmt} (mistyped JSON)",
                ingest(fmt),
                (st.sampled_from(seeds[fmt]).flatmap(files.mistyped_json),),
                "ingest_json",
            )
            for fmt in files.JSON_FORMATS
            if seeds.get(fmt)
        ),
        Target(
            "ingest (format detected)", ingest(None), (files.unnamed_files(seeds),), "ingest_detect"
        ),
        Target("ingest html (odd markup)", ingest("html"), (files.html_pages(),), "ingest_html"),
    ]


def _search_targets(system: System) -> list[Target]:
    from hypothesis import strategies as st

    from medcite.bench.fuzz_checks import check_bm25, check_search, check_search_api
    from medcite.bench.fuzz_inputs import filters, search_queries
    from medcite.retrieve.hybrid import Mode, Retriever
    from medcite.store.base import Filters

    retriever = Retriever(system.store, system.settings, system.engine.embedder)

    def search(text: str, mode: Mode, chosen: tuple[Any, ...]) -> str:
        return check_search(retriever, text, mode, Filters(*chosen))

    return [
        Target(
            "bm25 (FTS5 expressions)",
            lambda text: check_bm25(system.store, text, system.settings),
            (search_queries(),),
            "bm25",
        ),
        Target(
            "bm25 (candidate budget)",
            lambda text: check_bm25(system.budgeted, text, system.settings),
            (search_queries(),),
            "bm25",
        ),
        Target(
            "search (CLI)",
            search,
            (search_queries(), st.sampled_from(list(Mode)), filters()),
            "search",
        ),
        Target(
            "GET /api/search",
            lambda q: check_search_api(system.client, q),
            (search_queries(),),
            "search_api",
        ),
    ]


def _question_targets(system: System) -> list[Target]:
    from hypothesis import strategies as st

    from medcite.answer.model import Audience
    from medcite.bench.fuzz_checks import check_ask, check_engine_answer
    from medcite.bench.fuzz_inputs import ask_bodies, follow_ups, questions

    return [
        Target(
            "Engine.answer",
            lambda q, who, follow: check_engine_answer(system.engine, q, who, follow),
            (
                questions(system.real_questions),
                st.sampled_from(list(Audience)),
                follow_ups(system.earlier),
            ),
            "engine",
        ),
        Target(
            "POST /api/ask",
            lambda body: check_ask(system.client, body),
            (ask_bodies(system.real_questions),),
            "ask",
        ),
    ]


@contextmanager
def _evidence(config: BenchConfig, settings: Settings, embedder: Embedder) -> Iterator[SQLiteStore]:
    """The store at ``settings.store.path``: a link to the demo index when ``make demo`` built
    it (opened read-only; the app's answers land beside the link, in the temporary folder, as in
    the web benchmark), else the quick slice of the demo corpus built there."""
    from medcite.bench.answer import DEMO_INDEX
    from medcite.corpus import BUILT_KEY
    from medcite.store.sqlite import open_store

    path = settings.store.path
    if config.demo and DEMO_INDEX.exists():
        path.symlink_to(DEMO_INDEX.resolve())
        store = open_store(path, read_only=True)
        if store.get_meta(BUILT_KEY):
            print(f"  store: {DEMO_INDEX} (read-only)", flush=True)
            with store:
                yield store
            return
        store.close()
        path.unlink()
    print("  store: the quick slice of the demo corpus, built now", flush=True)
    with open_store(path) as store:
        build_slice(store, embedder, replace(BenchConfig.quick(settings), progress=config.progress))
        yield store


def _web_settings(settings: Settings, tmp: Path) -> Settings:
    """The app over the fuzz store, with its own article database and no practical ask limit."""
    web = settings.web.model_copy(
        update={
            "database_url": f"sqlite:///{tmp / 'site.sqlite'}",
            "secret_key": "fuzz-secret-key-not-for-production",
            "ask_limit": 1_000_000,
        }
    )
    return settings.model_copy(update={"web": web})
