"""The stale-article check (living answers) on 10,000 articles: how long finding the articles
whose evidence an ingest changed takes, after a batch of 5 new and 2 replaced documents.

The articles are synthetic but shaped like real ones: 500 real questions (the shipped clinical
questions, then question titles of the corpus), each stored 20 times with its MiniLM vector
nudged by a little noise (so a new document close to one question is close to its 20 copies, as
near-duplicate questions are on a real site), each citing three documents of the index. The
evidence is the demo index when ``make demo`` built it, else the benchmark's own build."""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np

from medcite.articles.database import make_engine, upgrade
from medcite.articles.living import find_changes
from medcite.articles.store import ArticleStore, NewArticle
from medcite.bench import BenchConfig, header, show
from medcite.bench.answer import _index, questions
from medcite.index.embeddings import embed_queries
from medcite.retrieve.hybrid import Retriever
from medcite.store.base import Written
from medcite.store.sqlite import SQLiteStore
from medcite.text import normalise_term

ARTICLES = 10_000
DISTINCT = 500
NOISE = 0.02  # per dimension, before normalising: copies stay at cosine ~0.9 of their question
NEW, REPLACED, CITED = 5, 2, 3


def run(config: BenchConfig) -> dict[str, Any]:
    header(f"Stale-article check on {ARTICLES:,} articles (living answers)")
    with tempfile.TemporaryDirectory(prefix="medcite-bench-stale-") as tmp:
        store, where = _index(config, Path(tmp))
        with store:
            figures = _measure(store, config, Path(tmp))
    figures["index"] = where
    return figures


def _measure(store: SQLiteStore, config: BenchConfig, tmp: Path) -> dict[str, Any]:
    retriever = Retriever(store, config.settings)
    asked = questions(store, DISTINCT)
    doc_ids = _doc_ids(store)
    chance = random.Random(0)
    engine = make_engine(f"sqlite:///{tmp / 'site.sqlite'}")
    upgrade(engine)
    articles = ArticleStore(engine)
    started = time.perf_counter()
    _fill(articles, retriever, asked, doc_ids, chance)
    filled_s = time.perf_counter() - started
    added = chance.sample(doc_ids, NEW)
    replaced = chance.sample(doc_ids, REPLACED)
    retriever.search(asked[0], k=5)  # warm: the model and the index pages
    started = time.perf_counter()
    changes = find_changes(articles, store, Written(added, replaced), retriever, config.settings)
    check_s = time.perf_counter() - started
    engine.dispose()
    figures = {
        "articles": ARTICLES,
        "new_documents": NEW,
        "replaced_documents": REPLACED,
        "check_s": round(check_s, 2),
        "articles_changed": len(changes),
        "articles_with_new_evidence": sum(1 for c in changes if c.new),
        "articles_citing_replaced": sum(1 for c in changes if c.replaced),
        "fill_s": round(filled_s, 1),
    }
    show("articles", ARTICLES)
    show("check time (5 new + 2 replaced documents)", figures["check_s"], "s")
    show("articles marked", len(changes))
    show("  with new leading evidence", figures["articles_with_new_evidence"])
    show("  citing a replaced document", figures["articles_citing_replaced"])
    return figures


def _doc_ids(store: SQLiteStore) -> list[str]:
    with closing(sqlite3.connect(store.path)) as db:
        return [str(r[0]) for r in db.execute("SELECT id FROM documents ORDER BY id")]


def _fill(
    articles: ArticleStore,
    retriever: Retriever,
    asked: list[str],
    doc_ids: list[str],
    chance: random.Random,
) -> None:
    base = embed_queries(retriever.embedder, asked)
    noise = np.random.default_rng(0)
    for i in range(ARTICLES):
        row = i % len(asked)
        nudge = noise.normal(0.0, NOISE, size=(base.shape[1],))
        vector = (base[row] + nudge).astype(np.float32)
        vector /= np.linalg.norm(vector)
        cited = [{"doc_id": d} for d in chance.sample(doc_ids, CITED)]
        answers = {a: {"references": cited} for a in ("clinician", "student", "patient")}
        question = asked[row]
        articles.create(NewArticle(question, f"{normalise_term(question)} {i}", vector, answers))
