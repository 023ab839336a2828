"""User text never reaches FTS5 syntax: table-driven hostile queries against a real store."""

from __future__ import annotations

import pytest

from medcite.retrieve.hybrid import Mode, Retriever
from medcite.retrieve.query import fts_phrase, parse_query
from medcite.settings import Settings
from medcite.store.base import Filters
from medcite.store.sqlite import SQLiteStore

HOSTILE = [
    ('"unbalanced quote', '"unbalanced" OR "quote"'),
    ('say "sepsis" world', '"say" OR "sepsis" OR "world"'),
    ("cancer NEAR screening", '"cancer" OR "near" OR "screening"'),
    ("NEAR(cancer screening, 2)", '"near" OR "cancer" OR "screening" OR "2"'),
    ("screen*", '"screen"'),
    ("-cancer", '"cancer"'),
    ("title:cancer", '"title" OR "cancer"'),
    ("cancer AND NOT screening OR", '"cancer" OR "screening"'),
    ("^start {col1 col2}: x", '"start" OR "col1" OR "col2" OR "x"'),
    ("café naïve Ελληνικά 中文", '"café" OR "naïve" OR "ελληνικά" OR "中文"'),
    ("()[]{}*:^-+", ""),
]


@pytest.mark.parametrize(("text", "expected"), HOSTILE)
def test_match_expression_quotes_every_token(text: str, expected: str) -> None:
    assert parse_query(text, Settings().retrieval).match == expected


@pytest.mark.parametrize(("text", "_expected"), HOSTILE)
def test_hostile_queries_run_against_real_fts(
    evidence_store: SQLiteStore, text: str, _expected: str
) -> None:
    match = parse_query(text, Settings().retrieval).match
    assert isinstance(evidence_store.bm25(match, Filters(), 10), list)


def test_phrase_doubles_inner_quotes_and_drops_operators() -> None:
    assert fts_phrase('he said "no"') == '"he said no"'
    assert fts_phrase("***") == ""


def test_ten_thousand_character_query(evidence_store: SQLiteStore, embedder: object) -> None:
    retriever = Retriever(evidence_store, Settings(), embedder)  # type: ignore[arg-type]
    text = ("leukopenia " * 1000)[:10_000]
    assert len(text) == 10_000
    result = retriever.search(text, k=5)
    assert len(result.query.terms) <= Settings().retrieval.max_query_terms
    assert result.hits


def test_query_of_only_stopwords_still_searches(
    evidence_store: SQLiteStore, embedder: object
) -> None:
    retriever = Retriever(evidence_store, Settings(), embedder)  # type: ignore[arg-type]
    result = retriever.search("what is it", k=3, mode=Mode.BM25)
    assert result.query.terms == ("what", "is", "it")
