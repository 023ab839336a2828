"""Documents, passages, full-text index, vectors, vocabulary, glossary (both backends).

SQLite: FTS5 over the passages (external content) and int8 vectors in a blob.
PostgreSQL: a weighted ``tsvector`` per passage with a GIN index, per-lexeme document
frequencies and corpus totals for BM25, ``halfvec`` vectors (an HNSW index per model is added by
the store once the model's dimension is known).

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    evidence_type TEXT NOT NULL,
    evidence_rank INTEGER NOT NULL,
    source TEXT NOT NULL,
    year INTEGER,
    record TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_filters ON documents(evidence_type, year, source);
CREATE TABLE IF NOT EXISTS passages(
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    section TEXT,
    text TEXT NOT NULL,
    text_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE INDEX IF NOT EXISTS passages_text_key ON passages(text_key);
CREATE VIEW IF NOT EXISTS passage_fts_source AS
    SELECT p.key AS key, d.title AS title, p.section AS section, p.text AS text
    FROM passages p JOIN documents d ON d.id = p.doc_id;
CREATE VIRTUAL TABLE IF NOT EXISTS passage_fts USING fts5(
    title, section, text,
    content='passage_fts_source', content_rowid='key',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS vectors(
    model TEXT NOT NULL,
    text_key TEXT NOT NULL,
    vector BLOB NOT NULL,
    scale REAL NOT NULL,
    PRIMARY KEY(model, text_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vocabulary(
    term TEXT NOT NULL,
    concept TEXT NOT NULL,
    display TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY(term, concept)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vocabulary_concept ON vocabulary(concept);
CREATE TABLE IF NOT EXISTS glossary(
    term TEXT NOT NULL,
    display TEXT NOT NULL,
    plain TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY(term, source)
) WITHOUT ROWID
"""

POSTGRESQL = """
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    evidence_type TEXT NOT NULL,
    evidence_rank SMALLINT NOT NULL,
    source TEXT NOT NULL,
    year INTEGER,
    record TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_filters ON documents(evidence_type, year, source);
CREATE TABLE passages(
    key BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    section TEXT,
    text TEXT NOT NULL,
    text_key TEXT NOT NULL,
    length INTEGER NOT NULL,
    tsv TSVECTOR NOT NULL
);
CREATE INDEX passages_doc ON passages(doc_id);
CREATE INDEX passages_text_key ON passages(text_key);
CREATE INDEX passages_tsv ON passages USING gin(tsv);
CREATE TABLE lexemes(lexeme TEXT PRIMARY KEY, df INTEGER NOT NULL);
CREATE TABLE corpus_stats(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    passages BIGINT NOT NULL,
    tokens BIGINT NOT NULL
);
INSERT INTO corpus_stats VALUES (1, 0, 0);
CREATE TABLE vectors(
    model TEXT NOT NULL,
    text_key TEXT NOT NULL,
    embedding HALFVEC NOT NULL,
    PRIMARY KEY(model, text_key)
);
CREATE TABLE vocabulary(
    term TEXT NOT NULL,
    concept TEXT NOT NULL,
    display TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY(term, concept)
);
CREATE INDEX vocabulary_concept ON vocabulary(concept);
CREATE TABLE glossary(
    term TEXT NOT NULL,
    display TEXT NOT NULL,
    plain TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY(term, source)
)
"""


def upgrade() -> None:
    script = POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in script.split(";"):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    for name in ("glossary", "vocabulary", "vectors", "corpus_stats", "lexemes"):
        op.execute(f"DROP TABLE IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS passage_fts")
    op.execute("DROP VIEW IF EXISTS passage_fts_source")
    for name in ("passages", "documents", "meta"):
        op.execute(f"DROP TABLE IF EXISTS {name}")
