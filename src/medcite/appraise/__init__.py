"""Critical appraisal of a single source: what kind of study it is and what it studied.

The study snapshot (:func:`extract_snapshot`) reads a document's own title and abstract and
returns spans of that text, never paraphrase, so every value can be shown next to its source.
"""

from medcite.appraise.snapshot import Snapshot, extract_snapshot

__all__ = ["Snapshot", "extract_snapshot"]
