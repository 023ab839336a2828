"""The ``medcite`` command as a user runs it: a real process on a real index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medcite.settings import Settings

from .conftest import DATASETS, FIXTURES, HIT_FIELDS


def medcite(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medcite.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "index.sqlite"
    files = [str(DATASETS / name) for name in ("ngc.jsonl", "uspstf.json", "medquad.jsonl")]
    result = medcite("ingest", *files, "--quiet", db=path)
    assert result.returncode == 0, result.stderr
    assert "added" in result.stdout
    return path


def test_search_json_matches_the_documented_schema(db: Path) -> None:
    result = medcite("search", "carpal tunnel syndrome", "--k", "3", "--json", db=db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "carpal tunnel syndrome"
    assert 1 <= len(data["hits"]) <= 3
    for rank, hit in enumerate(data["hits"], start=1):
        assert hit["rank"] == rank
        assert set(hit) == HIT_FIELDS
        assert hit["passage_id"].startswith(hit["doc_id"] + "#")


def test_search_filters_by_type_and_year(db: Path) -> None:
    result = medcite(
        "search", "screening", "--type", "guideline", "--since", "2015", "--json", db=db
    )
    hits = json.loads(result.stdout)["hits"]
    assert hits and all(h["evidence_type"] == "guideline" and h["year"] >= 2015 for h in hits)


def test_reingest_adds_nothing(db: Path) -> None:
    result = medcite("ingest", str(DATASETS / "ngc.jsonl"), "--quiet", db=db)
    assert result.returncode == 0
    assert "0 added" in result.stdout and "3 unchanged" in result.stdout


def test_in_a_log_ingest_prints_a_line_per_file_and_names_its_index(tmp_path: Path) -> None:
    """With stderr not a terminal (a log, CI) no bar frames: one line per file, and the index
    written is named."""
    index = tmp_path / "logged.sqlite"
    files = [DATASETS / "ngc.jsonl", DATASETS / "uspstf.json"]
    result = medcite("ingest", *map(str, files), "--no-embed", db=index)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"ingesting into {index}"
    for path in files:
        assert sum(line.startswith(f"{path} (") and " added, " in line for line in lines) == 1
    assert f"index {index}" in result.stdout


def test_the_default_index_is_the_one_make_demo_builds() -> None:
    makefile = (FIXTURES.parents[1] / "Makefile").read_text(encoding="utf-8")
    assert f"DB ?= {Settings().store.path}" in makefile


def test_ingest_reports_bad_records_and_goes_on(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "own.jsonl"
    bad.write_text('{"title": "Local guideline", "text": "Give fluids."}\nnot json\n')
    result = medcite("ingest", str(bad), "--quiet", "--evidence-type", "guideline", db=db)
    assert result.returncode == 0
    assert "record 2" in result.stderr and "1 added" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "   "), "empty"),
        (("search", "bad\x07query"), "control characters"),
        (("search", "x", "--type", "nonsense"), "unknown evidence type"),
        (("ingest", "/no/such/file.xml"), "no such file"),
    ],
)
def test_errors_are_messages_not_tracebacks(db: Path, args: tuple[str, ...], message: str) -> None:
    result = medcite(*args, db=db)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    result = medcite("search", "anything", db=tmp_path / "absent.sqlite")
    assert result.returncode == 1 and "no index" in result.stderr


def test_eval_retrieval_json(tmp_path: Path) -> None:
    slice_dir = FIXTURES / "scifact_slice"
    run = tmp_path / "run.trec"
    result = medcite(
        "eval",
        "retrieval",
        "--corpus",
        str(slice_dir / "corpus.jsonl.gz"),
        "--queries",
        str(slice_dir / "claims.jsonl"),
        "--qrels",
        str(slice_dir / "qrels.tsv"),
        "--mode",
        "bm25",
        "--limit",
        "20",
        "--json",
        "--run",
        str(run),
        db=tmp_path / "x.sqlite",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"ndcg@10", "recall@100", "mrr@10", "queries"} <= set(data)
    assert data["queries"] == 20 and 0 < data["ndcg@10"] <= 1
    first = run.read_text().splitlines()[0].split()
    assert len(first) == 6 and first[1] == "Q0" and first[3] == "1"


def test_eval_mediqa_json(tmp_path: Path) -> None:
    # Two questions of the MEDIQA format (texts written for the test), each answer in one
    # fresh index: the first-cited answer is looked up in the judgements.
    result = medcite(
        "eval",
        "mediqa",
        str(FIXTURES / "mediqa" / "qa_small.xml"),
        "--json",
        "--misses",
        db=tmp_path / "unused.sqlite",
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["questions"] == 2
    assert figures["chiqa_precision_at_1"] == 0.5  # CHiQA's first gout answer is judged 2
    assert figures["oracle"] == 1.0
    assert 0.0 <= figures["precision_at_1"] <= figures["answered"] <= 1.0
    assert len(figures["misses"]) == round(2 * (1 - figures["precision_at_1"]))


def test_eval_claims_and_review_sheet(db: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        json.dumps(
            {"id": 1, "claim": "Colchicine treats gout.", "evidence": {}, "cited_doc_ids": []}
        )
        + "\n"
    )
    result = medcite("eval", "claims", str(claims), "--all", "--json", db=db)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["claims"] == 1 and figures["by_gold"]["NEI"] == 1
    questions = tmp_path / "questions.txt"
    huge = "Is this normal? " * 80  # over the 1,000-character limit: refused, not a crash
    overdose = "i accidentally took 2 of my pills instead of 1, what should i do?"
    questions.write_text(f"# a comment\nWhat are the symptoms of shingles?\n{huge}\n{overdose}\n")
    sheet = medcite("eval", "review-sheet", str(questions), db=db)
    assert sheet.returncode == 0, sheet.stderr
    assert sheet.stdout.startswith("## Q1. What are the symptoms of shingles?")
    assert "Verdict:" in sheet.stdout and "Bottom line:" in sheet.stdout
    assert "## Q2. Is this normal?" in sheet.stdout
    assert "\nRefused: Your question is" in sheet.stdout
    # the urgent-care notice the page shows is on the sheet too (set AH: reviewers judged an
    # overdose answer without it)
    third = sheet.stdout.split("## Q3.")[1]
    assert "Notice:" in third and "Poison Control" in third
