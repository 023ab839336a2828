"""Notices in the evidence store, as both backends keep them: the rows written, and the set of
retracted papers the retriever leaves out (re-read only after new notices are stored)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Protocol

from medcite.records import Document, Notice

VERSION_KEY = "notices_version"
"""The meta key every write of new notices changes, so readers know to re-read them."""


class NoticeStore(Protocol):
    def retracted_identifiers(self) -> tuple[frozenset[str], frozenset[str]]: ...

    def get_meta(self, key: str) -> str | None: ...


def notice_rows(
    notices: Iterable[Notice],
) -> list[tuple[str, str, str, str | None, str | None, str, str]]:
    """(key, kind, source, target pmid, target doi, JSON record, added at) per notice."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return [
        (
            n.key,
            n.kind.value,
            n.source,
            n.target_pmid,
            n.target_doi.lower() if n.target_doi else None,
            json.dumps(n.to_dict(), ensure_ascii=False, sort_keys=True),
            now,
        )
        for n in notices
    ]


def new_version() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Retracted:
    """Which documents are retracted, for the retriever: the PMIDs and DOIs that a retraction
    notice names, cached until the store's notices change (one meta read a search)."""

    def __init__(self, store: NoticeStore) -> None:
        self.store = store
        self._version: str | None = None
        self._ids: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        self._lock = threading.Lock()

    def _current(self) -> tuple[frozenset[str], frozenset[str]]:
        version = self.store.get_meta(VERSION_KEY)
        with self._lock:
            if version is None:
                return frozenset(), frozenset()
            if version != self._version:
                self._ids = self.store.retracted_identifiers()
                self._version = version
            return self._ids

    def filter(self, documents: dict[str, Document]) -> set[str]:
        """The ids of ``documents`` that are retracted."""
        pmids, dois = self._current()
        if not (pmids or dois):
            return set()
        return {
            doc_id
            for doc_id, document in documents.items()
            if (document.pmid and document.pmid in pmids)
            or (document.doi and document.doi.lower() in dois)
        }
