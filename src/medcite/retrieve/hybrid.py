"""Hybrid retrieval: BM25 (FTS5) and dense (MiniLM) candidate lists, fused with RRF, then the
evidence-level and recency priors. Ranking is deterministic: ties go to the smaller passage id.
A retracted document (one a retraction notice names) is never a hit."""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from medcite.evidence import evidence_level
from medcite.index.build import check_model, index_models, model_mismatch
from medcite.index.embeddings import Embedder, embed_queries, get_embedder
from medcite.records import Hit
from medcite.retrieve.fusion import prior, rrf
from medcite.retrieve.query import ParsedQuery, parse_query
from medcite.settings import Settings
from medcite.store.base import EvidenceStore, Filters
from medcite.store.notices import Retracted


class Mode(StrEnum):
    HYBRID = "hybrid"
    BM25 = "bm25"
    DENSE = "dense"


@dataclass(frozen=True)
class SearchResult:
    query: ParsedQuery
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"query": self.query.text, "hits": [hit.to_dict() for hit in self.hits]}


class Retriever:
    """Searches one store. Holds the embedder and the store's cached vector matrix."""

    def __init__(
        self, store: EvidenceStore, settings: Settings, embedder: Embedder | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self._embedder = embedder
        self.this_year = datetime.date.today().year
        self._vectors: dict[str, npt.NDArray[np.float32]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._retracted = Retracted(store)
        self._model_checked = False

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings.embedding)
        return self._embedder

    def search(
        self,
        text: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: Mode = Mode.HYBRID,
        per_document: int | None = None,
    ) -> SearchResult:
        filters = filters or Filters()
        settings = self.settings.retrieval
        timings: dict[str, float] = {}
        start = time.perf_counter()
        query = parse_query(text, settings, self.store)
        timings["parse"] = _ms(start)
        jobs: list[tuple[str, float, Callable[[], list[int]]]] = []
        if mode in (Mode.HYBRID, Mode.BM25):
            columns = (settings.title_weight, settings.section_weight, settings.text_weight)
            jobs.append(
                ("bm25", settings.bm25_weight, self._bm25_job(query.match, filters, columns))
            )
            short = len(query.terms) <= settings.synonym_max_terms
            if query.expanded_match and settings.synonym_weight and short:
                # synonyms get a list of their own, so they can add recall without
                # diluting the user's own words in one long OR query
                expanded = self._bm25_job(query.expanded_match, filters, columns)
                jobs.append(("synonyms", settings.synonym_weight, expanded))
        if mode in (Mode.HYBRID, Mode.DENSE):
            dense = settings.dense_candidates
            weight = self._dense_weight()
            jobs.append(("dense", weight, lambda: self._dense(text, filters, dense)))
        lists = self._run(jobs, timings)
        weights = [weight for _, weight, _ in jobs]
        start = time.perf_counter()
        per_doc = per_document or settings.per_document
        ranked = self._rank(lists, weights, k, per_doc, mode, text)
        similarity = {} if mode is Mode.BM25 else self._similarities(text, [k for k, _ in ranked])
        hits = [dataclasses.replace(hit, similarity=similarity.get(key)) for key, hit in ranked]
        timings["rank"] = _ms(start)
        return SearchResult(query, hits, timings)

    def _dense_weight(self) -> float:
        """``retrieval.dense_weight`` when set (file, environment or code), else the weight the
        embedder recommends (:attr:`medcite.index.static.StaticEmbedder.dense_weight`: a weaker
        dense list fused at full weight drags BM25 down), else the default."""
        settings = self.settings.retrieval
        if "dense_weight" in settings.model_fields_set:
            return settings.dense_weight
        recommended = getattr(self.embedder, "dense_weight", None)
        return settings.dense_weight if recommended is None else float(recommended)

    def _bm25_job(
        self, match: str, filters: Filters, columns: tuple[float, float, float]
    ) -> Callable[[], list[int]]:
        limit = self.settings.retrieval.bm25_candidates
        return lambda: [key for key, _ in self.store.bm25(match, filters, limit, columns)]

    def _run(
        self, jobs: list[tuple[str, float, Callable[[], list[int]]]], timings: dict[str, float]
    ) -> list[list[int]]:
        """Each candidate list, in order. A store whose reads may run at once (a connection
        pool: PostgreSQL) runs them on threads, so a search waits for the slowest list, not
        for their sum; the others (one SQLite connection) run them one after another."""

        def timed(name: str, job: Callable[[], list[int]]) -> list[int]:
            start = time.perf_counter()
            found = job()
            timings[name] = _ms(start)
            return found

        if len(jobs) < 2 or not self.store.parallel_reads:
            return [timed(name, job) for name, _, job in jobs]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="medcite-search")
        futures = [self._pool.submit(timed, name, job) for name, _, job in jobs]
        return [future.result() for future in futures]

    def query_vector(self, text: str) -> npt.NDArray[np.float32]:
        """The query's embedding (the last few are cached: the engine asks again)."""
        cached = self._vectors.get(text)
        if cached is None:
            cached = embed_queries(self.embedder, [text])[0]
            if len(self._vectors) > 64:
                self._vectors.clear()
            self._vectors[text] = cached
        return cached

    def _dense(self, text: str, filters: Filters, limit: int) -> list[int]:
        self._check_model()
        query = self.query_vector(text)
        found = self.store.dense(self.embedder.name, query, filters, limit)
        unchecked = not found and filters.empty and limit > 0 and not self._model_checked
        if unchecked and self.store.stats().vectors:
            # an index from before models were recorded: vectors, but none of this model
            raise model_mismatch(self.embedder.name, [])
        return [key for key, _ in found]

    def _check_model(self) -> None:
        """Once per retriever: the index holds vectors of the configured embedding model."""
        if not self._model_checked:
            models = index_models(self.store)
            check_model(self.store, self.embedder.name, models)
            self._model_checked = bool(models)

    def _similarities(self, text: str, keys: list[int]) -> dict[int, float]:
        """Cosine of the query with each passage that has a vector."""
        if not keys:
            return {}
        self._check_model()
        return self.store.similarities(self.embedder.name, self.query_vector(text), keys)

    def _contenders(self, fused: dict[int, float], depth: int) -> dict[int, float]:
        """Only candidates the priors could still lift into the results: the priors multiply a
        score by at most ``max_boost``, so anything below the depth-th score / max_boost cannot
        overtake it (saves loading hundreds of passages and documents per search)."""
        if len(fused) <= depth:
            return fused
        settings = self.settings.retrieval
        max_boost = (1 + settings.evidence_weight) * (1 + settings.recency_weight)
        floor = sorted(fused.values(), reverse=True)[depth - 1] / max_boost
        return {key: score for key, score in fused.items() if score >= floor}

    def _rank(
        self,
        lists: Sequence[list[int]],
        weights: Sequence[float],
        k: int,
        per_document: int,
        mode: Mode,
        question: str = "",
    ) -> list[tuple[int, Hit]]:
        """(passage key, hit) best first. Retracted documents are left out after fusion; when
        that leaves fewer than ``k`` hits among the contenders, every candidate is ranked."""
        fused = rrf(lists, weights, self.settings.retrieval.rrf_k)
        if not fused:
            return []
        contenders = self._contenders(fused, k * per_document * 4)
        hits, excluded = self._hits(contenders, lists, k, per_document, mode, question)
        if len(hits) < k and excluded and len(contenders) < len(fused):
            hits, _ = self._hits(fused, lists, k, per_document, mode, question)
        return hits

    def _hits(
        self,
        fused: dict[int, float],
        lists: Sequence[list[int]],
        k: int,
        per_document: int,
        mode: Mode,
        question: str = "",
    ) -> tuple[list[tuple[int, Hit]], bool]:
        """The ranked hits among ``fused``, and whether a retracted document was left out. The
        evidence prior weighs each document at its level for ``question`` (a drug label as a
        guideline for a dose question: :func:`medcite.evidence.evidence_level`)."""
        passages = self.store.passages_by_key(list(fused))
        documents = self.store.documents({p.doc_id for p in passages.values()})
        retracted = self._retracted.filter(documents)
        ranks = [{key: r for r, key in enumerate(keys, start=1)} for keys in lists]
        scored = []
        for key, score in fused.items():
            passage = passages.get(key)
            if passage is None or passage.doc_id in retracted:
                continue
            document = documents[passage.doc_id]
            level = evidence_level(document.evidence_type, question)
            boost = prior(level, document.year, self.settings.retrieval, self.this_year)
            scored.append((score * boost, passage.id, key, passage, document))
        scored.sort(key=lambda row: (-row[0], row[1]))
        hits: list[tuple[int, Hit]] = []
        per_doc: dict[str, int] = {}
        for score, _, key, passage, document in scored:
            if per_doc.get(document.id, 0) >= per_document:
                continue
            per_doc[document.id] = per_doc.get(document.id, 0) + 1
            bm25_rank = ranks[0].get(key) if mode is not Mode.DENSE else None
            dense_rank = ranks[-1].get(key) if mode is not Mode.BM25 else None
            hit = Hit(len(hits) + 1, score, passage, document, bm25_rank, dense_rank)
            hits.append((key, hit))
            if len(hits) >= k:
                break
        return hits, bool(retracted)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)
