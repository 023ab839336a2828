"""Living answers: after an ingest, the stored articles whose evidence changed — a document the
latest version cites was replaced (its content changed) or is gone from the index, or a newly
added document now ranks among the question's leading evidence — marked "New evidence since
review" with what changed, for reviewers (the page, the queue, ``medcite articles stale``).
Regenerating the article clears the mark; its diff shows what the new evidence did.

Retractions are not repeated here: :mod:`medcite.articles.retractions` flags those (``notice``).

Re-running retrieval for every article after every ingest would cost minutes on a large site, so
new documents are first matched against the articles' stored question vectors (one matrix
product); only the questions close to a new passage are searched again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medcite.articles.model import Article
from medcite.articles.store import ArticleStore
from medcite.index.embeddings import embed_queries
from medcite.records import Document
from medcite.retrieve.hybrid import Retriever
from medcite.settings import Settings
from medcite.store.base import EvidenceStore, Written

CANDIDATE_COSINE = 0.35
"""A new document counts for an article when one of its passages is at least this close to the
question vector (then the question is searched again, and it must also rank among the leading
documents). MiniLM puts a passage on the question's topic at 0.45-0.75, an unrelated one under
0.2 (the fixture records); a candidate too many only costs one search."""
TITLE_CHARS = 80  # of a new document's title, in what the mark says


@dataclass(frozen=True)
class EvidenceChange:
    """What changed in one article's evidence since its latest version was written."""

    article_id: int
    replaced: tuple[str, ...] = ()  # cited documents whose content changed
    missing: tuple[str, ...] = ()  # cited documents no longer in the index
    new: tuple[str, ...] = ()  # new documents now among the question's leading evidence

    def describe(self, documents: dict[str, Document]) -> list[str]:
        """One line per change, for the mark, the audit log and ``medcite articles stale``."""
        lines = [f"cited {_which(d, documents)} was replaced" for d in self.replaced]
        lines += [f"cited {_which(d, documents)} is no longer in the index" for d in self.missing]
        for doc_id in self.new:
            document = documents.get(doc_id)
            title = "" if document is None else f" ({_short(document.title)})"
            lines.append(f"new leading evidence: {_which(doc_id, documents)}{title}")
        return lines


def find_changes(
    articles: ArticleStore,
    evidence: EvidenceStore,
    written: Written,
    retriever: Retriever,
    settings: Settings,
) -> list[EvidenceChange]:
    """The articles whose evidence an ingest that wrote ``written`` changed, by article id."""
    cited = articles.cited_latest()
    replaced = set(written.replaced)
    every = {doc_id for ids in cited.values() for doc_id in ids}
    present = set(evidence.documents(every)) if every else set()
    leading = _new_leading(articles, evidence, written.added, retriever, settings)
    changes = []
    for article_id in sorted(set(cited) | set(leading)):
        ids = cited.get(article_id, set())
        change = EvidenceChange(
            article_id,
            replaced=tuple(sorted(ids & replaced)),
            missing=tuple(sorted(ids - present)),
            new=tuple(leading.get(article_id, ())),
        )
        if change.replaced or change.missing or change.new:
            changes.append(change)
    return changes


def mark_changed(
    articles: ArticleStore, evidence: EvidenceStore, changes: Sequence[EvidenceChange]
) -> list[Article]:
    """Mark each article of ``changes``; returns those whose mark is new or grew."""
    named = {d for c in changes for d in (*c.replaced, *c.new)}
    documents = evidence.documents(named) if named else {}
    marked = []
    for change in changes:
        if articles.mark_evidence_changed(change.article_id, change.describe(documents)):
            article = articles.get(change.article_id)
            assert article is not None
            marked.append(article)
    return marked


def check_living(
    articles: ArticleStore,
    evidence: EvidenceStore,
    written: Written,
    retriever: Retriever,
    settings: Settings,
) -> list[Article]:
    """Find and mark the articles an ingest's changes concern (what ``medcite ingest`` runs)."""
    changes = find_changes(articles, evidence, written, retriever, settings)
    return mark_changed(articles, evidence, changes)


def _new_leading(
    articles: ArticleStore,
    evidence: EvidenceStore,
    added: Collection[str],
    retriever: Retriever,
    settings: Settings,
) -> dict[int, list[str]]:
    """Article id -> the added documents among its question's leading evidence: the first
    ``answer.stance_documents`` documents of the ``answer.passages`` hits an answer reads, and
    close to the question (in a small corpus any document is among the first few)."""
    new = set(added)
    if not new:
        return {}
    passages = [p for doc_id in sorted(new) for p in evidence.passages_of(doc_id)]
    questions = articles.questions()
    if not passages or not questions:
        return {}
    embedder = retriever.embedder
    matrix = embedder.embed([p.text for p in passages])
    vectors = _question_vectors(
        questions, matrix.shape[1], lambda texts: embed_queries(embedder, texts)
    )
    close = (vectors @ matrix.T) >= CANDIDATE_COSINE  # article x new passage
    found: dict[int, list[str]] = {}
    for row in np.flatnonzero(close.any(axis=1)):
        article_id, question, _ = questions[row]
        near = {passages[i].doc_id for i in np.flatnonzero(close[row])}
        hits = retriever.search(question, k=settings.answer.passages).hits
        leading = list(dict.fromkeys(hit.document.id for hit in hits))
        mine = [d for d in leading[: settings.answer.stance_documents] if d in near]
        if mine:
            found[article_id] = mine
    return found


def _question_vectors(
    questions: list[tuple[int, str, bytes | None]],
    dim: int,
    embed: Callable[[list[str]], npt.NDArray[np.float32]],
) -> npt.NDArray[np.float32]:
    """One row per article: its stored question vector, or (stored by another model, or none
    stored) its question embedded now."""
    vectors = np.zeros((len(questions), dim), dtype=np.float32)
    again: list[int] = []
    for row, (_, _, blob) in enumerate(questions):
        if blob is not None and len(blob) == dim * 4:
            vectors[row] = np.frombuffer(blob, dtype=np.float32)
        else:
            again.append(row)
    if again:
        vectors[again] = embed([questions[row][1] for row in again])
    return vectors


def _which(doc_id: str, documents: dict[str, Document]) -> str:
    document = documents.get(doc_id)
    if document is not None and document.pmid:
        return f"PMID {document.pmid}"
    if document is not None and document.doi:
        return f"doi:{document.doi}"
    return doc_id


def _short(title: str) -> str:
    """A title fit for the mark, whose changes are separated by "; "."""
    title = " ".join(title.replace(";", ",").split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"
