"""A candidate budget for the SQLite backend's FTS5 BM25 on a big index.

FTS5's ``bm25()`` scores every row the MATCH finds, so a query holding a common word
("patients", "risk") scores a good part of a 1M-passage index: hundreds of milliseconds. The
PostgreSQL backend bounds that work by scoring only the passages holding one of the query's rarer
phrases (:func:`medcite.store.base.rare_phrases`); this module does the same for FTS5, but only
when the query's phrases are in more passages together than the budget, so a small corpus ranks
exactly as before.

A query the parser writes is quoted phrases joined by OR. With its phrases split into the rarer
ones R and the others C, two MATCHes replace it: ``(R) AND (C)`` scores the passages holding both
(every phrase of the query counts in ``bm25()``, as in the whole query), and ``R`` alone scores
the passages holding no phrase of C (where C would add nothing). A passage's score against the
whole query is the larger of its two scores, so the result is the whole query's ranking among
the passages holding a rarer phrase.

Document frequencies come from an ``fts5vocab`` table over the index (made on the connection, in
the temp schema: nothing is stored, and an index opened read-only or made by an older version
has it too); the query's words are cut and stemmed by the index's own tokenizer, run on a private
in-memory FTS5 table.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Sequence

from medcite.store.base import CANDIDATE_BUDGET, COMMON_FRACTION, rare_phrases

_PHRASE = r'"(?:[^"]|"")*"'
_QUERY = re.compile(rf"{_PHRASE}(?: OR {_PHRASE})*")
_PHRASES = re.compile(_PHRASE)
_TOKENIZE = re.compile(r"tokenize\s*=\s*('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")", re.IGNORECASE)
_CACHED_TERMS = 100_000  # document frequencies kept between queries (cleared on any change)
VOCABULARY = "temp.passage_fts_vocabulary"


class Budget:
    """Rewrites FTS5 queries of one SQLite connection to stay within ``budget`` rows."""

    def __init__(
        self,
        db: sqlite3.Connection,
        version: Callable[[], object],
        budget: int | None = None,
        common: float | None = None,
    ) -> None:
        self._db = db
        self._version = version  # changes whenever the index may have changed
        self.budget = CANDIDATE_BUDGET if budget is None else budget
        self.common = COMMON_FRACTION if common is None else common
        self._lock = threading.Lock()
        self._tokenizer: _Tokenizer | None = None
        self._seen: object = None
        self._frequencies: dict[str, int] = {}
        self._passages = 0

    def expressions(self, match: str) -> list[str]:
        """``match`` itself, or ``[(R) AND (C), R]`` when its phrases are in more passages
        together than the budget (see the module's docstring)."""
        if not _QUERY.fullmatch(match):
            return [match]
        phrases = _PHRASES.findall(match)
        if len(phrases) < 2 or len(set(phrases)) < len(phrases):
            return [match]
        try:
            found, passages = self._text_frequencies([p[1:-1].replace('""', '"') for p in phrases])
        except sqlite3.Error:  # not a MedCite index, or SQLite without fts5vocab: no budget
            self.close()  # try again next time (the vocabulary table too)
            return [match]
        if sum(found) <= self.budget:
            return [match]
        rare = rare_phrases(dict(enumerate(found)), passages, self.common, self.budget)
        others = [p for i, p in enumerate(phrases) if i not in rare and found[i] > 0]
        chosen = " OR ".join(phrases[i] for i in rare)
        return [f"({chosen}) AND ({' OR '.join(others)})", chosen] if others else [chosen]

    def close(self) -> None:
        with self._lock:
            if self._tokenizer is not None:
                self._tokenizer.close()
                self._tokenizer = None

    def frequencies(self, texts: Sequence[str]) -> list[int] | None:
        """Each text's rarest-word passage count (0 when a word is in no passage); None when
        this index cannot tell (no fts5vocab)."""
        try:
            return self._text_frequencies(texts)[0]
        except sqlite3.Error:
            self.close()
            return None

    def _text_frequencies(self, texts: Sequence[str]) -> tuple[list[int], int]:
        """Each text's rarest-word document frequency (0 when a word is in no passage, or the
        text holds no word) and the number of passages."""
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = _Tokenizer(self._tokenize_option())
                self._db.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY}"
                    " USING fts5vocab(main, passage_fts, row)"
                )
            words = self._tokenizer(texts)
            frequencies = self._document_frequencies(sorted({w for ws in words for w in ws}))
            found = [min((frequencies[w] for w in ws), default=0) for ws in words]
            return found, self._passages

    def _document_frequencies(self, terms: list[str]) -> dict[str, int]:
        """Passages holding each term, kept until the index changes."""
        version = self._version()
        if version != self._seen or len(self._frequencies) > _CACHED_TERMS:
            self._frequencies = {}
            self._passages = int(self._db.execute("SELECT count(*) FROM passages").fetchone()[0])
            self._seen = version
        missing = [t for t in terms if t not in self._frequencies]
        for start in range(0, len(missing), 500):
            batch = missing[start : start + 500]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT term, doc FROM {VOCABULARY} WHERE term IN ({marks})", batch
            )
            self._frequencies.update({str(term): int(doc) for term, doc in rows})
        for term in missing:
            self._frequencies.setdefault(term, 0)
        return {t: self._frequencies[t] for t in terms}

    def _tokenize_option(self) -> str:
        """The index's ``tokenize=`` argument, as written in its schema (FTS5's default when
        none is)."""
        row = self._db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'passage_fts'"
        ).fetchone()
        found = _TOKENIZE.search(str(row[0])) if row else None
        return found.group(1) if found else "'unicode61'"


class _Tokenizer:
    """An FTS5 tokenizer on a private in-memory database: the terms of each text, in order, as
    an index with the same ``tokenize`` option holds them."""

    def __init__(self, option: str) -> None:
        self._db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize={option})")
        self._db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        words: list[list[str]] = [[] for _ in texts]
        self._db.execute("BEGIN")
        try:
            self._db.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", enumerate(texts))
            for doc, term in self._db.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
                words[int(doc)].append(str(term))
        finally:
            self._db.execute("ROLLBACK")  # the table is empty again
        return words

    def close(self) -> None:
        self._db.close()


__all__ = ["CANDIDATE_BUDGET", "COMMON_FRACTION", "Budget"]
