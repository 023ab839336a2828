"""Articles whose sources were retracted: found after an ingest that stored new retraction
notices, flagged for re-review (the page says why; the review queue lists them)."""

from __future__ import annotations

from collections.abc import Collection

from medcite.articles.model import Article
from medcite.articles.store import ArticleStore
from medcite.records import Document, NoticeKind
from medcite.store.base import EvidenceStore


def retracted_sources(
    evidence: EvidenceStore, doc_ids: Collection[str]
) -> dict[str, tuple[str, str]]:
    """Of ``doc_ids``, those a retraction notice names: doc id -> (which source, why)."""
    documents = evidence.documents(doc_ids)
    notices = evidence.notices_for(
        [d.pmid for d in documents.values() if d.pmid],
        [d.doi for d in documents.values() if d.doi],
    )
    retractions = [n for n in notices if n.kind is NoticeKind.RETRACTION]
    found: dict[str, tuple[str, str]] = {}
    for doc_id, document in sorted(documents.items()):
        mine = [n for n in retractions if n.concerns(document)]
        if mine:
            found[doc_id] = (_which(document), mine[0].text)
    return found


def flag_retracted_sources(articles: ArticleStore, evidence: EvidenceStore) -> list[Article]:
    """Flag every article citing a retracted document; returns those newly flagged."""
    return articles.flag_sources(lambda ids: retracted_sources(evidence, ids))


def _which(document: Document) -> str:
    if document.pmid:
        return f"PMID {document.pmid}"
    if document.doi:
        return f"doi:{document.doi}"
    return document.id
