"""``medcite eval pubmedqa``: yes/no/maybe accuracy, macro-F1 and the confusion matrix on a file
in the PubMedQA JSON format, cross-validated so no figure comes from a record the stance model
was trained on.

Each fold's questions are answered with a stance model trained on the other folds' records
(plus SciFact and Evidence Inference when the shared data folder is given). The verdict maps
yes → yes, no → no and uncertain / insufficient evidence → maybe.

* ``reasoning-required``: each record is answered from its own abstract alone, without the
  conclusion (``LONG_ANSWER``), indexed in a store of its own.
* ``question-only``: the demo index (a copy of ``db``, or one built here) plus every record of
  the file with its conclusion; the question is answered from retrieval, and recall@1 says how
  often the record's own abstract is the top hit.
"""

from __future__ import annotations

import datetime
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from medcite.answer.model import Verdict
from medcite.answer.stance import StanceModel
from medcite.answer.train import CACHE, VectorCache, stance_embedder, train_model
from medcite.answer.training_data import read_pubmedqa
from medcite.answer.verdict import ScoredEvidence, decide
from medcite.errors import InputError
from medcite.eval.classification import accuracy, confusion_matrix, macro_f1, stratified_folds
from medcite.index.embeddings import Embedder, get_embedder
from medcite.ingest.base import ReadOptions
from medcite.ingest.datasets import pubmedqa_record
from medcite.ingest.pipeline import IngestReport, ingest_items
from medcite.progress import bar as progress_bar
from medcite.retrieve.hybrid import Retriever
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore, open_store
from medcite.text import split_sentences

Setting = Literal["reasoning-required", "question-only"]
LABELS = ("yes", "no", "maybe")
AnswerFn = Callable[[str, SQLiteStore, Settings, StanceModel], Verdict | None]
"""Answers a question from a store with a stance model; returns the bottom-line verdict."""


def label_of(verdict: Verdict | None) -> str:
    return {Verdict.YES: "yes", Verdict.NO: "no"}.get(verdict, "maybe") if verdict else "maybe"


@dataclass(frozen=True)
class PubMedQAReport:
    setting: str
    answerer: str
    folds: int
    gold: dict[str, str]
    predicted: dict[str, str]
    recall_at_1: float | None = None
    seconds: float = 0.0
    confusion: list[list[int]] = field(init=False)
    accuracy: float = field(init=False)
    macro_f1: float = field(init=False)

    def __post_init__(self) -> None:
        pmids = sorted(self.predicted)
        gold, predicted = [self.gold[p] for p in pmids], [self.predicted[p] for p in pmids]
        matrix = confusion_matrix(gold, predicted, LABELS)
        object.__setattr__(self, "confusion", matrix)
        object.__setattr__(self, "accuracy", accuracy(matrix))
        object.__setattr__(self, "macro_f1", macro_f1(matrix))

    @property
    def n(self) -> int:
        return len(self.predicted)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "n": self.n,
            "setting": self.setting,
            "folds": self.folds,
            "answerer": self.answerer,
            "labels": list(LABELS),
            "confusion_matrix": self.confusion,
            "seconds": round(self.seconds, 1),
        }
        if self.recall_at_1 is not None:
            out["recall_at_1"] = round(self.recall_at_1, 4)
        return out

    def render(self) -> str:
        lines = [
            f"PubMedQA {self.setting}, {self.folds}-fold cross-validation, n={self.n}",
            f"accuracy {self.accuracy:.3f}   macro-F1 {self.macro_f1:.3f}",
        ]
        if self.recall_at_1 is not None:
            lines.append(f"recall@1 of the record's own abstract {self.recall_at_1:.3f}")
        lines.append("gold \\ predicted " + "".join(f"{label:>8}" for label in LABELS))
        for label, row in zip(LABELS, self.confusion, strict=True):
            lines.append(f"{label:<17}" + "".join(f"{v:>8}" for v in row))
        return "\n".join(lines)


# --- answering -----------------------------------------------------------------------------------


def baseline_answerer(cache: VectorCache, k: int = 10) -> AnswerFn:
    """Retrieve → sentences → stance → :func:`decide`, without the answer engine's question
    understanding: the yardstick the engine must beat."""
    last: list[Retriever] = []  # the retriever of the last store (it caches the vectors)
    this_year = datetime.date.today().year

    def run(question: str, store: SQLiteStore, settings: Settings, stance: StanceModel) -> Verdict:
        if not last or last[0].store is not store:
            last[:] = [Retriever(store, settings, cache.embedder)]
        hits = last[0].search(question, k=k, per_document=k).hits  # a whole abstract if need be
        rows = [(hit, s) for hit in hits for s in split_sentences(hit.passage.text)]
        texts = [question] + [s for _, s in rows]
        vectors = stance.embedder(settings.embedding).embed(texts)  # the model's own vectors
        q, s = vectors[0], vectors[1:]
        probs = stance.predict(question, q, [text for _, text in rows], s)
        relevance = np.clip(s @ q, 0.0, 1.0) if len(rows) else np.zeros(0)
        evidence = [
            ScoredEvidence(
                hit.document.id,
                probs[i],
                float(relevance[i]),
                hit.document.evidence_type.rank,
                hit.document.year,
            )
            for i, (hit, _) in enumerate(rows)
        ]
        return decide(evidence, this_year, settings.answer).verdict

    return run


def engine_answerer(embedder: Embedder | None = None) -> AnswerFn:
    """The answer engine's bottom line (:func:`medcite.answer.engine.answer`)."""
    from medcite.answer.engine import answer  # the engine is heavy; only load it when used

    def run(
        question: str, store: SQLiteStore, settings: Settings, stance: StanceModel
    ) -> Verdict | None:
        found = answer(question, store=store, settings=settings, stance=stance, embedder=embedder)
        return found.bottom_line.verdict

    return run


def _fill_vectors(store: SQLiteStore, cache: VectorCache) -> None:
    missing = list(store.missing_vectors(cache.embedder.name))
    if missing:
        vectors = cache.vectors([text for _, text in missing])
        store.put_vectors(cache.embedder.name, zip((k for k, _ in missing), vectors, strict=True))


def _copy_index(source: Path, target: Path) -> None:
    """A consistent copy of a (WAL-mode) index via SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


# --- cross-validation ----------------------------------------------------------------------------


def evaluate_pubmedqa(
    file: Path,
    setting: Setting,
    settings: Settings,
    folds: int = 10,
    *,
    shared_data: Path | None = None,
    db: Path | None = None,
    answer_fn: AnswerFn | None = None,
    answerer: str = "engine",
    passages: int = 10,
    seed: int = 0,
    cache_path: Path | None = CACHE,
    progress: bool = True,
) -> PubMedQAReport:
    """Cross-validated yes/no/maybe figures for ``file`` (see the module docstring).

    ``shared_data``: the shared data folder; its PubMedQA records (less the fold), SciFact and
    Evidence Inference join each fold's training set. ``db``: an existing demo index for
    question-only (it is copied, never changed). ``answer_fn``: how a question is answered
    (default: ``answerer``, "engine" or "baseline"; ``passages``: how many the baseline reads)."""
    start = time.perf_counter()
    records = read_pubmedqa(file)
    gold = {pmid: str(r["final_decision"]) for pmid, r in records.items()}
    if not records or any(a not in LABELS for a in gold.values()):
        raise InputError(f"{file} is not a labelled PubMedQA file")
    cache = VectorCache(get_embedder(settings.embedding), cache_path)  # retrieval's vectors
    stance_cache = VectorCache(stance_embedder(settings), None)  # the stance model's
    answer = answer_fn or (
        engine_answerer(cache.embedder)
        if answerer == "engine"
        else baseline_answerer(cache, passages)
    )
    train_records = dict(records)
    if shared_data is not None:
        shared = shared_data / "pubmedqa" / "pqal_trainval.json"
        train_records = {**read_pubmedqa(shared), **records} if shared.exists() else records
    fold_lists = stratified_folds(gold, folds, seed)
    predicted: dict[str, str] = {}
    hits_at_1: list[bool] = []
    bar = progress_bar(total=len(records), desc=f"pubmedqa {setting}", unit="q", enabled=progress)
    with tempfile.TemporaryDirectory(prefix="medcite-pubmedqa-") as tmp:
        shared_store, finder = None, None
        if setting == "question-only":
            shared_store = _question_only_store(Path(tmp), records, settings, db, cache, progress)
            settings = settings.with_store(shared_store.path)
            finder = Retriever(shared_store, settings, cache.embedder)
        # the reader never saw PubMedQA, but the verdict averages its stance with the stance
        # model's, which trains on PubMedQA: each fold gets a stance model trained without it
        # (the shipped one saw every record)
        for fold in fold_lists:
            model = train_model(
                shared_data,
                stance_cache,
                exclude_pmids=frozenset(fold),
                pubmedqa=train_records,
            )
            for pmid in fold:
                question = str(records[pmid]["QUESTION"])
                if shared_store is not None and finder is not None:
                    verdict = answer(question, shared_store, settings, model)
                    top = finder.search(question, k=1)
                    own = bool(top.hits) and top.hits[0].document.id == f"pmid:{pmid}"
                    hits_at_1.append(own)
                else:
                    verdict = _answer_alone(
                        Path(tmp), pmid, records[pmid], settings, cache, answer, model
                    )
                predicted[pmid] = label_of(verdict)
                bar.update(1)
        if shared_store is not None:
            shared_store.close()
    bar.close()
    cache.save()
    return PubMedQAReport(
        setting,
        answerer if answer_fn is None else getattr(answer_fn, "__name__", "custom"),
        folds,
        gold,
        predicted,
        sum(hits_at_1) / len(hits_at_1) if hits_at_1 else None,
        time.perf_counter() - start,
    )


def _answer_alone(
    tmp: Path,
    pmid: str,
    record: dict[str, Any],
    settings: Settings,
    cache: VectorCache,
    answer: AnswerFn,
    model: StanceModel,
) -> Verdict | None:
    """reasoning-required: the record's abstract without its conclusion is the whole corpus."""
    path = tmp / f"{pmid}.sqlite"
    local = settings.with_store(path)
    local = local.model_copy(
        update={"embedding": local.embedding.model_copy(update={"vector_cache": []})}
    )
    source = pubmedqa_record(pmid, record, ReadOptions(), include_conclusion=False)
    with open_store(path) as store:
        ingest_items(store, [source], local.chunk, IngestReport(), str(path))
        _fill_vectors(store, cache)
        verdict = answer(str(record["QUESTION"]), store, local, model)
    for leftover in tmp.glob(f"{pmid}.sqlite*"):
        leftover.unlink()
    return verdict


def _question_only_store(
    tmp: Path,
    records: dict[str, dict[str, Any]],
    settings: Settings,
    db: Path | None,
    cache: VectorCache,
    progress: bool,
) -> SQLiteStore:
    """The demo index (copied from ``db`` or built) plus every record with its conclusion."""
    path = tmp / "question-only.sqlite"
    if db is not None:
        if not db.exists():
            raise InputError(f"no index at {db}")
        _copy_index(db, path)
    store = open_store(path)
    if db is None:
        from medcite.corpus import build_demo

        build_demo(store, settings.with_store(path), progress=progress)
    items = [
        pubmedqa_record(pmid, record, ReadOptions(), include_conclusion=True)
        for pmid, record in sorted(records.items())
    ]
    ingest_items(store, items, settings.chunk, IngestReport(), "pubmedqa")
    _fill_vectors(store, cache)
    return store
