"""Fuzzing `medcite ingest`: every reader fed real fixture files broken the ways files arrive
broken (cut short, garbled, re-encoded, gzip truncated, values of the wrong type, markup nested
thousands deep), generated pages of odd HTML, and any of them under any file name. Each file
gives a report whose problems name it, or IngestError — never another exception.

Inputs per run: `medcite.bench.fuzz.CI_EXAMPLES` (scaled by MEDCITE_FUZZ_EXAMPLES; `make bench`
runs the same strategies with more). Each test notes its input: under the schemathesis pytest
plugin, Hypothesis prints a failing example's arguments blank."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from medcite.bench.fuzz import examples, fuzz_settings
from medcite.bench.fuzz_checks import check_ingest
from medcite.bench.fuzz_files import (
    FORMATS,
    JSON_FORMATS,
    html_pages,
    load_seeds,
    malformed_files,
    mistyped_json,
    unnamed_files,
)
from medcite.ingest.pipeline import ingest_paths
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore, open_store
from tests.conftest import AnyStore

SEEDS = load_seeds()


@pytest.fixture(scope="module")
def ingest_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    """One store for all examples: ingest is idempotent, and a fresh store per example would
    cost more than the example."""
    with open_store(tmp_path_factory.mktemp("fuzz-ingest") / "index.sqlite") as store:
        yield store


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-files")


def test_every_format_has_seed_files() -> None:
    assert all(SEEDS[fmt] for fmt in FORMATS), [fmt for fmt in FORMATS if not SEEDS[fmt]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_broken_real_files(fmt: str, ingest_store: SQLiteStore, files: Path) -> None:
    @fuzz_settings(examples("ingest"))
    @given(named=malformed_files(fmt, SEEDS[fmt]))
    def check(named: tuple[str, bytes]) -> None:
        note(f"input: {named!r:.2000}")
        check_ingest(ingest_store, files, *named, fmt)

    check()


# Found by this fuzzing or while writing it; each crashed `medcite ingest` with a traceback
# before its fix.
MISTYPED_FOUND = {
    "uspstf": [("uspstf.json", b"5"), ("uspstf.json", b'{"specificRecommendations": null}')],
    "medquad": [
        ("medquad.jsonl", b'{"id": 1, "question": "q", "answer": "a", "focus": 5}\n'),
        ("medquad.jsonl", b'{"id": 1, "question": "q", "answer": "a", "question_type": 5}\n'),
    ],
    "evidence-inference": [
        (
            "evidence_inference.jsonl",
            b'{"license": "CC0", "abstract_sections": [5], "title": "t", "pmcid": "1"}\n',
        ),
        ("evidence_inference.jsonl", b'{"license": [], "abstract_sections": [{"text": "a"}]}\n'),
    ],
    "scifact": [("scifact.jsonl", b'{"doc_id": 1, "title": "t\\ud800", "abstract": ["a."]}\n')],
    # stored on SQLite, but PostgreSQL's text cannot hold a NUL: now a problem on both
    "jsonl": [("local-notes.jsonl", b'{"title": "a", "text": "b\\u0000 c"}\n')],
}


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_json_records_with_values_of_the_wrong_type(
    fmt: str, ingest_store: SQLiteStore, files: Path
) -> None:
    @fuzz_settings(examples("ingest_json"))
    @given(named=st.sampled_from(SEEDS[fmt]).flatmap(mistyped_json))
    def check(named: tuple[str, bytes]) -> None:
        note(f"input: {named!r:.2000}")
        check_ingest(ingest_store, files, *named, fmt)

    for found in MISTYPED_FOUND.get(fmt, []):
        check = example(named=found)(check)
    check()


@fuzz_settings(examples("ingest_detect"))
@given(named=unnamed_files(SEEDS))
@example(named=("front.md", b"---\ntitle: " + b"[" * 5_000 + b"\n---\nbody\n"))
@example(named=("deep.jsonl", b"[" * 100_000 + b"\n"))
def test_any_file_under_any_name(
    ingest_store: SQLiteStore, files: Path, named: tuple[str, bytes]
) -> None:
    note(f"input: {named!r:.2000}")
    check_ingest(ingest_store, files, *named, None)


@fuzz_settings(examples("ingest_html"))
@given(named=html_pages())
def test_pages_of_odd_markup(
    ingest_store: SQLiteStore, files: Path, named: tuple[str, bytes]
) -> None:
    note(f"input: {named!r:.2000}")
    check_ingest(ingest_store, files, *named, "html")


def test_records_no_backend_can_store_are_problems_on_both(store: AnyStore, tmp_path: Path) -> None:
    """A NUL (PostgreSQL's text cannot hold one) or a lone surrogate (not UTF-8) in a record:
    that record is a problem, the file's other records are read (both failed the whole write
    with a traceback before; the NUL only on PostgreSQL)."""
    path = tmp_path / "notes.jsonl"
    path.write_bytes(
        b'{"title": "nul", "text": "a\\u0000b"}\n'
        b'{"title": "surrogate \\ud800", "text": "text"}\n'
        b'{"title": "fine", "text": "Give fluids early in sepsis."}\n'
    )
    report = ingest_paths(store, [path], Settings().chunk, fmt="jsonl", progress=False)
    assert report.added == 1
    assert [problem.path for problem in report.problems] == [str(path)] * 2
    nul, surrogate = (problem.message for problem in report.problems)
    assert nul.endswith("holds a NUL character (U+0000)")
    assert "surrogate" in surrogate  # this reader's own id digest already refuses it
