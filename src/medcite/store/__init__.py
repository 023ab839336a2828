"""Storage of the evidence index behind one interface (:class:`EvidenceStore`).

SQLite is the embedded default; a second backend implements the same protocol."""

from medcite.store.base import EvidenceStore, Filters, VectorMatrix
from medcite.store.sqlite import SQLiteStore, open_store

__all__ = ["EvidenceStore", "Filters", "SQLiteStore", "VectorMatrix", "open_store"]
