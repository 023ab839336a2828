"""Fuzzing search: text full of FTS5 syntax (quotes, NEAR, `*`, column filters, unbalanced
parentheses), any Unicode, huge queries and odd filters through the CLI's search (its gate, then
hybrid / BM25 / dense retrieval) and through the full-text expressions the parser writes — on
both backends, and on SQLite also with a tiny candidate budget, which sends nearly every query
down the rewritten `(rare) AND (others)` path a million-passage index takes.

Inputs per run: `medcite.bench.fuzz.CI_EXAMPLES` (scaled by MEDCITE_FUZZ_EXAMPLES). Each test
notes its input: under the schemathesis pytest plugin, Hypothesis prints a failing example's
arguments blank."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from medcite.bench.fuzz import examples, fuzz_settings
from medcite.bench.fuzz_checks import budgeted_store, check_bm25, check_search
from medcite.bench.fuzz_inputs import filters, search_queries
from medcite.index.embeddings import Embedder
from medcite.records import EvidenceType
from medcite.retrieve.hybrid import Mode, Retriever
from medcite.settings import Settings
from medcite.store.base import Filters
from medcite.store.sqlite import SQLiteStore
from tests.conftest import AnyStore

Chosen = tuple[frozenset[EvidenceType], int | None, int | None, frozenset[str]]


@pytest.fixture(scope="module")
def retriever(evidence_store: SQLiteStore, embedder: Embedder) -> Retriever:
    return Retriever(evidence_store, Settings(), embedder)


@pytest.fixture(scope="module")
def budgeted(evidence_store: SQLiteStore) -> Iterator[SQLiteStore]:
    with budgeted_store(evidence_store.path) as store:
        yield store


@fuzz_settings(examples("bm25"))
@given(text=search_queries())
@example(text='NEAR("cancer" "screening", 2) AND title:* OR ^{x}')
@example(text="((( sepsis")
def test_fts_expressions_never_fail(evidence_store: AnyStore, text: str) -> None:
    note(f"input: {text!r:.2000}")
    check_bm25(evidence_store, text, Settings())


@pytest.mark.sqlite_only
@fuzz_settings(examples("bm25"))
@given(text=search_queries())
@example(text="patients with diabetes and hypertension or stroke risk")
def test_fts_expressions_never_fail_on_the_budgeted_path(budgeted: SQLiteStore, text: str) -> None:
    note(f"input: {text!r:.2000}")
    check_bm25(budgeted, text, Settings())


@pytest.mark.sqlite_only
@fuzz_settings(examples("search"))
@given(text=search_queries(), mode=st.sampled_from(list(Mode)), chosen=filters())
# Found by fuzzing: undecodable argv bytes crashed the dense search (a TypeError from the
# tokenizer); `--since 0` let undated documents through the dense list only; a year past SQLite's
# 64-bit integers raised OverflowError.
@example(text="leukopenia \ud800", mode=Mode.HYBRID, chosen=(frozenset(), None, None, frozenset()))
@example(text="0", mode=Mode.DENSE, chosen=(frozenset(), 0, None, frozenset()))
@example(text="sepsis", mode=Mode.BM25, chosen=(frozenset(), 2**63, None, frozenset()))
@example(text="sepsis", mode=Mode.HYBRID, chosen=(frozenset(), None, -(2**63) - 1, frozenset()))
def test_cli_search_ranks_or_refuses(
    retriever: Retriever, text: str, mode: Mode, chosen: Chosen
) -> None:
    note(f"input: {(text, mode, chosen)!r:.2000}")
    check_search(retriever, text, mode, Filters(*chosen))
