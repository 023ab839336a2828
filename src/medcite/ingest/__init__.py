"""Ingestion: readers turn files into :class:`~medcite.records.SourceDocument` records and the
pipeline chunks them into passages and writes them to the store, one document per transaction."""

from medcite.ingest.base import Reader, ReadOptions
from medcite.ingest.registry import READERS, detect_reader

__all__ = ["READERS", "ReadOptions", "Reader", "detect_reader"]
