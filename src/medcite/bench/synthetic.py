"""Synthetic-but-realistic evidence corpora of any size for the scale benchmark: the shipped demo
corpus resampled, with new ids and no repeated text.

A synthetic document copies a real one's metadata (title, evidence type, year, source, journal,
authors, MeSH) under a new id ``scale:<n>``; the real article's identifiers and URL are dropped,
since the copy is not that article. Each of its passages is the real passage with one sentence
swapped for a sentence of a topically close passage (a nearest neighbour by the shipped MiniLM
vectors) and, at random, a second close passage's sentence added or two sentences swapped. No two
passages share a text, so the text-hash vector dedupe and BM25's statistics behave as they would
on a real corpus of that size rather than on copies.

Vectors are not computed by the model: a synthetic passage's vector is the mix of its source
passages' real vectors, weighted by the sentences each gave, plus small Gaussian noise, then
normalised. A million passages take minutes instead of days of embedding on two cores.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
import numpy.typing as npt

from medcite.corpus import demo_paths
from medcite.ingest.base import ReadOptions
from medcite.ingest.pipeline import to_passages
from medcite.ingest.registry import detect_reader
from medcite.records import Document, Passage, SourceDocument, embedding_text, text_key
from medcite.settings import Settings
from medcite.store.vectors import load_cache
from medcite.text import split_sentences

NEIGHBOURS = 4
"""Topically close passages a synthetic passage may borrow sentences from."""
NOISE = 0.1
"""Norm (in expectation) of the Gaussian noise added to a mixed vector before normalising."""
ID_PREFIX = "scale:"


@dataclass(frozen=True)
class Seed:
    """The real passages synthetic ones are made from, row-aligned."""

    documents: list[Document]
    spans: list[tuple[int, int]]  # document i owns passage rows spans[i][0]:spans[i][1]
    sections: list[str | None]
    sentences: list[tuple[str, ...]]
    vectors: npt.NDArray[np.float32]  # (rows, dim), unit length
    neighbours: npt.NDArray[np.int32]  # (rows, <= NEIGHBOURS): closest other passages
    skipped_documents: int  # left out: a passage had no vector in the shipped cache
    seconds: float

    @property
    def passages(self) -> int:
        return len(self.sentences)

    @property
    def dimension(self) -> int:
        return int(self.vectors.shape[1])


@dataclass(frozen=True)
class SyntheticDocument:
    document: Document
    source_id: str  # the real document it was resampled from
    passages: list[Passage]
    text_keys: list[str]
    vectors: npt.NDArray[np.float32]  # one row per passage, unit length


@dataclass
class GenerationStats:
    documents: int = 0
    passages: int = 0
    title_bytes: int = 0
    retries: int = 0  # a mix that repeated an earlier text and was made again


def load_seed(
    settings: Settings, cache_dir: Path, *, max_docs: int | None = None, progress: bool = False
) -> Seed:
    """Every demo document (at most ``max_docs`` per corpus file) whose passages all have a
    vector in the shipped caches, chunked as ingest chunks them; the nearest-neighbour table is
    cached in ``cache_dir`` (a minute to compute for the whole demo corpus)."""
    start = time.perf_counter()
    model = settings.embedding.model
    cached: dict[str, npt.NDArray[np.float32]] = {}
    for path in settings.embedding.vector_cache:
        cached.update(load_cache(path, model))
    found: dict[str, tuple[Document, list[Passage], list[str]]] = {}
    skipped = 0
    for path, fmt in demo_paths():
        files = sorted(p for p in path.rglob("[!.]*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            _, reader = detect_reader(file, fmt)
            items = reader(file, ReadOptions())
            for item in items if max_docs is None else islice(items, max_docs):
                if not isinstance(item, SourceDocument):  # a problem, or a notice: no text
                    continue
                passages = to_passages(item, settings.chunk)
                title = item.document.title
                keys = [text_key(embedding_text(title, p.text)) for p in passages]
                if passages and all(key in cached for key in keys):
                    found[item.document.id] = (item.document, passages, keys)
                else:
                    skipped += 1
    documents: list[Document] = []
    spans: list[tuple[int, int]] = []
    sections: list[str | None] = []
    sentences: list[tuple[str, ...]] = []
    rows: list[npt.NDArray[np.float32]] = []
    for document, passages, keys in found.values():
        spans.append((len(sentences), len(sentences) + len(passages)))
        documents.append(document)
        for passage, key in zip(passages, keys, strict=True):
            sections.append(passage.section)
            sentences.append(tuple(split_sentences(passage.text)) or (passage.text,))
            rows.append(cached[key])
    if not rows:
        raise ValueError("no demo passage has a cached vector: is data/vectors/ shipped?")
    vectors = np.stack(rows).astype(np.float32)
    digest = hashlib.sha1(
        "\n".join(f"{d.id}:{b}-{e}" for d, (b, e) in zip(documents, spans, strict=True)).encode()
    ).hexdigest()[:16]
    neighbours = _cached_neighbours(cache_dir / f"seed-neighbours-{digest}.npy", vectors)
    seconds = time.perf_counter() - start
    return Seed(documents, spans, sections, sentences, vectors, neighbours, skipped, seconds)


def generate(
    seed: Seed, passages: int, stats: GenerationStats | None = None, *, salt: int = 0
) -> Iterator[SyntheticDocument]:
    """Synthetic documents holding ``passages`` passages in all (the last one cut short); the
    same arguments give the same corpus, since the random stream is seeded by the size."""
    stats = stats if stats is not None else GenerationStats()
    rng = np.random.default_rng([passages, salt])
    seen: set[str] = set()
    while stats.passages < passages:
        index = int(rng.integers(len(seed.documents)))
        real = seed.documents[index]
        document = dataclasses.replace(
            real, id=f"{ID_PREFIX}{stats.documents}", identifiers={}, url=None
        )
        first, end = seed.spans[index]
        end = min(end, first + passages - stats.passages)
        made: list[Passage] = []
        keys: list[str] = []
        vectors = np.empty((end - first, seed.dimension), dtype=np.float32)
        for ordinal, row in enumerate(range(first, end)):
            text, key, vectors[ordinal] = _passage(seed, row, document.title, rng, seen, stats)
            made.append(
                Passage(
                    Passage.make_id(document.id, ordinal),
                    document.id,
                    ordinal,
                    seed.sections[row],
                    text,
                )
            )
            keys.append(key)
        stats.documents += 1
        stats.passages += len(made)
        stats.title_bytes += len(document.title.encode("utf-8"))
        yield SyntheticDocument(document, real.id, made, keys, vectors)


def _passage(
    seed: Seed,
    row: int,
    title: str,
    rng: np.random.Generator,
    seen: set[str],
    stats: GenerationStats,
) -> tuple[str, str, npt.NDArray[np.float32]]:
    """(text, text key, vector) of one synthetic passage made from seed passage ``row``; a mix
    whose text was made before is made again with one more borrowed sentence each time."""
    own = set(seed.sentences[row])
    pool = _pool(seed, [int(d) for d in seed.neighbours[row]], own)
    if not pool and seed.passages > 1:  # the close passages all say the same (boilerplate)
        pool = _pool(seed, [int(r) for r in rng.integers(seed.passages, size=NEIGHBOURS)], own)
    for attempt in range(16):
        sentences = list(seed.sentences[row])
        weights = {row: float(len(sentences))}
        if pool:
            donor, borrowed = pool[int(rng.integers(len(pool)))]
            if len(sentences) > 1:
                sentences[int(rng.integers(len(sentences)))] = borrowed
                weights[row] -= 1
            else:
                sentences.insert(int(rng.integers(2)), borrowed)
            weights[donor] = weights.get(donor, 0.0) + 1
            roll = rng.random()
            for _ in range(attempt + (1 if roll < 0.35 else 0)):
                other, sentence = pool[int(rng.integers(len(pool)))]
                sentences.insert(int(rng.integers(len(sentences) + 1)), sentence)
                weights[other] = weights.get(other, 0.0) + 1
            if 0.35 <= roll < 0.7 and len(sentences) > 2:
                at = int(rng.integers(len(sentences) - 1))
                sentences[at], sentences[at + 1] = sentences[at + 1], sentences[at]
        elif attempt:  # nothing different to borrow: number the copies
            sentences.append(f"({len(seen)})")
        text = " ".join(sentences)
        key = text_key(embedding_text(title, text))
        if key not in seen:
            seen.add(key)
            return text, key, _mix(seed, weights, rng)
        stats.retries += 1
    raise RuntimeError(f"could not make a new text from seed passage {row}")


def _pool(seed: Seed, rows: list[int], own: set[str]) -> list[tuple[int, str]]:
    """(row, sentence) of the sentences of ``rows`` that the passage does not already hold."""
    return [(r, sentence) for r in rows for sentence in seed.sentences[r] if sentence not in own]


def _mix(
    seed: Seed, weights: dict[int, float], rng: np.random.Generator
) -> npt.NDArray[np.float32]:
    rows = [row for row, weight in weights.items() if weight > 0]
    share = np.array([weights[row] for row in rows], dtype=np.float32)
    vector = (share / share.sum()) @ seed.vectors[rows]
    vector = vector + rng.normal(0.0, NOISE / np.sqrt(seed.dimension), seed.dimension)
    unit: npt.NDArray[np.float32] = (vector / np.linalg.norm(vector)).astype(np.float32)
    return unit


def _cached_neighbours(path: Path, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.int32]:
    if path.exists():
        found: npt.NDArray[np.int32] = np.load(path)
        if found.shape[0] == len(vectors):
            return found
    neighbours = nearest_neighbours(vectors, NEIGHBOURS)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, neighbours)
    return neighbours


def nearest_neighbours(
    vectors: npt.NDArray[np.float32], count: int, block: int = 1024
) -> npt.NDArray[np.int32]:
    """The ``count`` rows closest to each row by cosine, itself and exact copies excluded."""
    rows = len(vectors)
    count = max(0, min(count, rows - 1))
    found = np.zeros((rows, count), dtype=np.int32)
    if not count:
        return found
    for start in range(0, rows, block):
        scores = vectors[start : start + block] @ vectors.T
        own = np.arange(start, start + len(scores))
        scores[own - start, own] = -np.inf
        scores[scores > 0.9999] = -np.inf  # the same text in another document
        top = np.argpartition(-scores, count - 1, axis=1)[:, :count]
        found[start : start + len(scores)] = top
    return found


__all__ = [
    "ID_PREFIX",
    "GenerationStats",
    "Seed",
    "SyntheticDocument",
    "generate",
    "load_seed",
    "nearest_neighbours",
]
