"""The benchmark runs end to end on a tiny corpus and writes its figures; no timing is asserted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medcite.bench import BenchConfig, latency
from medcite.bench.__main__ import SECTIONS, main, run_section
from medcite.settings import Settings

DATASETS = Path(__file__).parent / "fixtures" / "datasets"

# section → dotted paths of figures that must be positive numbers
POSITIVE = {
    "ingest": ["documents", "passages", "seconds", "documents_per_s", "passages_per_s"],
    "embedding": ["passages", "seconds", "passages_per_s", "model_load_seconds"],
    "build": [
        "seconds.total",
        "seconds.ingest",
        "seconds.vectors",
        "documents",
        "passages",
        "vectors",
        "file_bytes",
        "text_bytes",
        "index_to_text_ratio",
        "bytes_by_part.fts",
        "bytes_by_part.vectors",
    ],
    "search": [
        "queries",
        *(
            f"{mode}.{figure}"
            for mode in ("bm25", "dense", "hybrid")
            for figure in ("p50_ms", "p95_ms", "mean_ms")
        ),
        "hybrid.stage_p50_ms.dense",
    ],
    "bm25s": [
        "passages",
        "index_seconds",
        "single.p50_ms",
        "single.p95_ms",
        "batched_queries_per_s",
        "medcite_fts5.p50_ms",
        "medcite_bm25_over_bm25s_p50",
        "medcite_fts5_over_bm25s_p50",
    ],
    "goals": ["demo_build_s", "hybrid_p50_ms", "demo_build_goal_s", "hybrid_p50_goal_ms"],
}


def _dig(figures: dict[str, Any], dotted: str) -> Any:
    value: Any = figures
    for part in dotted.split("."):
        value = value[part]
    return value


def test_retrieval_bench_writes_every_figure(tmp_path: Path) -> None:
    settings = Settings().with_store(tmp_path / "unused.sqlite")
    settings = settings.model_copy(
        update={"embedding": settings.embedding.model_copy(update={"vector_cache": []})}
    )
    config = BenchConfig(
        settings=settings,
        out_dir=tmp_path / "bench",
        corpus=((DATASETS / "ngc.jsonl", "ngc"), (DATASETS / "uspstf.json", "uspstf")),
        vocab_dir=None,
        embed_sample=8,
        queries=10,
        queries_file=None,
    )
    returned = run_section("retrieval", config)
    figures = json.loads((tmp_path / "bench" / "retrieval.json").read_text(encoding="utf-8"))
    assert figures == returned
    assert set(figures) == {"config", "ingest", "embedding", "build", "search", "bm25s", "goals"}
    for section, paths in POSITIVE.items():
        for dotted in paths:
            value = _dig(figures[section], dotted)
            assert isinstance(value, int | float) and value > 0, f"{section}.{dotted} = {value!r}"
    assert figures["ingest"]["documents"] == figures["build"]["documents"] == 8
    assert figures["search"]["queries"] == 10
    assert figures["search"]["source"] == "document titles"
    assert 0 <= figures["bm25s"]["overlap_at_10"] <= 1
    assert figures["goals"]["demo_build_is_full_demo"] is False


def test_latency_summary() -> None:
    figures = latency([float(ms) for ms in range(1, 101)])
    assert figures == {"p50_ms": 50.5, "p95_ms": 95.05, "mean_ms": 50.5}
    assert latency([]) == {"p50_ms": 0.0, "p95_ms": 0.0, "mean_ms": 0.0}


def test_quick_config_is_a_slice_of_the_demo_corpus() -> None:
    config = BenchConfig.quick()
    assert not config.demo
    assert [fmt for _, fmt in config.files] == ["ngc", "uspstf", "pubmedqa"]
    assert all(path.exists() for path, _ in config.files)
    assert BenchConfig().demo and len(BenchConfig().files) == 8


def test_unknown_section_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert "retrieval" in SECTIONS
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-section"])
    assert exit_info.value.code == 2
    assert "unknown section" in capsys.readouterr().err
