"""Evaluation: retrieval quality against qrels (and, later, answer quality)."""
