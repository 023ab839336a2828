"""Retrieval: query parsing with synonym expansion, BM25 + dense search, fusion and priors."""

from medcite.retrieve.hybrid import Retriever, SearchResult
from medcite.retrieve.query import ParsedQuery, fts_phrase, parse_query

__all__ = ["ParsedQuery", "Retriever", "SearchResult", "fts_phrase", "parse_query"]
