"""Indexing: embedding passages into vectors (cached by text) for dense retrieval."""
