"""``medcite eval retrieval``: index a SciFact-format corpus alone in a temporary store, run every
query through the same hybrid retrieval and score it with ir-measures (pytrec_eval underneath)."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medcite.errors import InputError
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder, get_embedder
from medcite.ingest.base import ReadOptions, iter_json_lines
from medcite.ingest.datasets import scifact_record
from medcite.ingest.pipeline import IngestReport, ingest_items
from medcite.progress import bar as progress_bar
from medcite.records import RecordProblem, SourceDocument
from medcite.retrieve.hybrid import Mode, Retriever
from medcite.retrieve.vocabulary import load_vocabularies
from medcite.settings import DATA_DIR, Settings
from medcite.store import connect

PREFIX = "doc"
MEASURES = ("nDCG@10", "R@10", "R@100", "RR@10")
_NAMES = {"nDCG@10": "ndcg@10", "R@10": "recall@10", "R@100": "recall@100", "RR@10": "mrr@10"}


@dataclass(frozen=True)
class RetrievalReport:
    scores: dict[str, float]
    queries: int
    documents: int

    def to_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {_NAMES[m]: round(self.scores[m], 4) for m in MEASURES}
        out["queries"] = self.queries
        out["documents"] = self.documents
        return out


def read_queries(path: Path) -> list[tuple[str, str]]:
    queries: list[tuple[str, str]] = []
    for number, value in iter_json_lines(path):
        if isinstance(value, RecordProblem):
            raise InputError(str(value))
        text = value.get("claim") or value.get("text") or value.get("query")
        if "id" not in value or not text:
            raise InputError(f"{path}: record {number} needs id and claim")
        queries.append((str(value["id"]), str(text)))
    return queries


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0] in ("query-id", "query_id", "qid"):
                continue
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    return qrels


def _corpus(path: Path) -> Iterator[SourceDocument | RecordProblem]:
    for number, value in iter_json_lines(path):
        if isinstance(value, RecordProblem):
            yield value
            continue
        try:
            yield scifact_record(value, ReadOptions(source="eval"), prefix=PREFIX)
        except (KeyError, TypeError, ValueError) as exc:
            yield RecordProblem(str(path), number, repr(exc))


def evaluate_retrieval(
    corpus: Path,
    queries_path: Path,
    qrels_path: Path,
    settings: Settings,
    *,
    mode: Mode = Mode.HYBRID,
    run_path: Path | None = None,
    limit: int | None = None,
    embedder: Embedder | None = None,
    vocabulary: Path | None = DATA_DIR / "vocab",
    progress: bool = True,
) -> RetrievalReport:
    """Score ``mode`` retrieval; ``vocabulary`` (the shipped synonym files) is loaded into the
    temporary store so queries are expanded exactly as in the product (None: no synonyms).

    The store is a temporary SQLite file, or the database ``settings.store.database_url`` names
    (PostgreSQL; it should be empty: the corpus is ingested into it)."""
    import ir_measures

    qrels = read_qrels(qrels_path)
    queries = [(qid, text) for qid, text in read_queries(queries_path) if qid in qrels][:limit]
    retrieval = settings.retrieval.model_copy(
        update={
            "bm25_candidates": max(settings.retrieval.bm25_candidates, 1000),
            "dense_candidates": max(settings.retrieval.dense_candidates, 1000),
        }
    )
    settings = settings.model_copy(update={"retrieval": retrieval})
    embedder = embedder or get_embedder(settings.embedding)
    run: dict[str, dict[str, float]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="medcite-eval-") as tmp,
        connect(settings.store.model_copy(update={"path": Path(tmp) / "eval.sqlite"})) as store,
    ):
        report = IngestReport()
        ingest_items(store, _corpus(corpus), settings.chunk, report)
        if vocabulary is not None and settings.retrieval.synonyms:
            load_vocabularies(store, vocabulary, progress=progress)
        if mode is not Mode.BM25:
            embed_missing(store, embedder, settings.embedding, progress=progress)
        retriever = Retriever(store, settings, embedder)
        for qid, text in progress_bar(queries, desc="queries", enabled=progress):
            result = retriever.search(text, k=100, mode=mode, per_document=1)
            run[qid] = {
                hit.document.id.removeprefix(f"{PREFIX}:"): float(len(result.hits) - hit.rank + 1)
                for hit in result.hits
            }
    judged = {qid: qrels[qid] for qid, _ in queries}
    measures = [ir_measures.parse_measure(m) for m in MEASURES]
    aggregate = ir_measures.calc_aggregate(measures, judged, run)
    scores = {str(measure): float(value) for measure, value in aggregate.items()}
    if run_path is not None:
        write_trec_run(run_path, run, tag=f"medcite-{mode.value}")
    return RetrievalReport(scores, len(queries), report.documents)


def write_trec_run(path: Path, run: dict[str, dict[str, float]], tag: str) -> None:
    """TREC format: ``qid Q0 docid rank score tag``, ties by doc id."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for qid in sorted(run, key=lambda q: (len(q), q)):
            ranked = sorted(run[qid].items(), key=lambda item: (-item[1], item[0]))
            for rank, (docid, score) in enumerate(ranked, start=1):
                handle.write(f"{qid} Q0 {docid} {rank} {score:.6f} {tag}\n")
