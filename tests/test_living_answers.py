"""Living answers (issue 13, item 6): after an ingest, the articles whose evidence changed — a
cited document replaced or gone, a new document among the question's leading evidence — are
marked "New evidence since review" for reviewers; regenerating clears the mark. Each test builds
its own small SQLite index from the real records of ``fixtures/retractions``."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from medcite.articles.accounts import add_user
from medcite.articles.database import database_url, make_engine, upgrade
from medcite.articles.living import check_living
from medcite.articles.model import Role, User
from medcite.articles.store import ArticleStore, NewArticle
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder
from medcite.ingest.pipeline import IngestReport, ingest_paths
from medcite.retrieve.hybrid import Retriever
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore, open_store
from medcite.web.app import create_app
from tests.conftest import FIXTURES, PASSWORD, run_medcite, web_settings

HERE = FIXTURES / "retractions"
ORIGINAL = HERE / "pubmed_29768149.xml"  # the asthma trial
RETRACTED = HERE / "pubmed_29768149_retracted.xml"  # the same record, changed
CONCERN = HERE / "pubmed_28775130_concern.xml"  # the pesticide study
ASTHMA = "Is as-needed budesonide-formoterol effective in mild asthma?"
NEW_TRIAL = {
    "id": "trial-2027",
    "source": "ward-protocols",
    "title": "As-needed budesonide-formoterol versus maintenance budesonide in mild asthma",
    "text": "In adults with mild asthma, as-needed budesonide-formoterol reduced severe "
    "exacerbations compared with as-needed terbutaline and was as effective as maintenance "
    "budesonide. Budesonide-formoterol as needed is effective in mild asthma.",
    "year": 2027,
    "evidence_type": "rct",
}
UNRELATED = {
    "id": "hip-2027",
    "source": "ward-protocols",
    "title": "Timing of surgery after hip fracture in older adults",
    "text": "Surgery within 48 hours of a hip fracture lowered mortality in older adults. "
    "Early mobilisation after hip surgery shortened the hospital stay.",
    "year": 2027,
    "evidence_type": "cohort",
}
EDITOR = User(1, "ed", Role.EDITOR, True)


def _jsonl(folder: Path, name: str, *records: dict[str, Any]) -> Path:
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _ingest(store: SQLiteStore, embedder: Embedder, *paths: Path) -> IngestReport:
    report = ingest_paths(store, paths, Settings().chunk, progress=False)
    embed_missing(store, embedder, Settings().embedding, progress=False)
    return report


@pytest.fixture()
def corpus(tmp_path: Path, embedder: Embedder) -> Any:
    with open_store(tmp_path / "index.sqlite") as store:
        _ingest(store, embedder, ORIGINAL, CONCERN)
        yield store


@pytest.fixture()
def articles(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'site.sqlite'}")
    upgrade(engine)
    yield ArticleStore(engine)
    engine.dispose()


def _asthma_article(articles: ArticleStore, embedder: Embedder) -> int:
    cited = {"clinician": {"references": [{"n": 1, "doc_id": "pmid:29768149"}]}}
    vector = embedder.embed([ASTHMA])[0]
    article, _ = articles.create(NewArticle(ASTHMA, "asthma budesonide", vector, cited))
    return article.id


def _check(articles: ArticleStore, store: SQLiteStore, embedder: Embedder, report: Any) -> Any:
    retriever = Retriever(store, Settings(), embedder)
    return check_living(articles, store, report.written, retriever, Settings())


def test_a_replaced_source_and_new_leading_evidence_mark_the_article(
    corpus: SQLiteStore, articles: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    aid = _asthma_article(articles, embedder)
    report = _ingest(corpus, embedder, RETRACTED, _jsonl(tmp_path, "new", NEW_TRIAL, UNRELATED))
    assert sorted(report.written.added) == ["ward-protocols:hip-2027", "ward-protocols:trial-2027"]
    assert report.written.replaced == ["pmid:29768149"]

    (marked,) = _check(articles, corpus, embedder, report)
    assert marked.id == aid and marked.state.value == "submitted"  # the state is kept
    assert marked.evidence_changed == (
        "cited PMID 29768149 was replaced; new leading evidence: ward-protocols:trial-2027 "
        "(As-needed budesonide-formoterol versus maintenance budesonide in mild asthma)"
    )
    assert marked.evidence_changed_at is not None
    assert "hip-2027" not in marked.evidence_changed
    entry = articles.audit(aid)[-1]
    assert (entry.actor, entry.from_state, entry.to_state) == ("system", marked.state, marked.state)
    assert entry.comment == f"New evidence since review: {marked.evidence_changed}"
    assert _check(articles, corpus, embedder, report) == []  # marked once
    assert [a.id for a in articles.evidence_changed()] == [aid]

    redone = articles.regenerate(aid, {"clinician": {"references": []}}, EDITOR, "new evidence")
    assert (redone.evidence_changed, redone.evidence_changed_at) == (None, None)
    assert articles.evidence_changed() == []


def test_an_unrelated_new_document_marks_nothing(
    corpus: SQLiteStore, articles: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    aid = _asthma_article(articles, embedder)
    report = _ingest(corpus, embedder, _jsonl(tmp_path, "hip", UNRELATED))
    assert report.written.added == ["ward-protocols:hip-2027"]
    assert _check(articles, corpus, embedder, report) == []
    article = articles.get(aid)
    assert article is not None and article.evidence_changed is None
    assert len(articles.audit(aid)) == 1  # only its creation


def test_a_cited_document_gone_from_the_index_marks_the_article(
    corpus: SQLiteStore, articles: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    cited = {"clinician": {"references": [{"n": 1, "doc_id": "pmid:404"}]}}
    article, _ = articles.create(NewArticle("Does X help?", "x help", None, cited))
    report = _ingest(corpus, embedder, _jsonl(tmp_path, "hip", UNRELATED))
    (marked,) = _check(articles, corpus, embedder, report)
    assert marked.id == article.id
    assert marked.evidence_changed == "cited pmid:404 is no longer in the index"


def test_medcite_ingest_marks_and_medcite_articles_stale_lists(tmp_path: Path) -> None:
    """The commands end to end on a SQLite index with its article database beside it."""
    index = tmp_path / "index.sqlite"

    medcite = partial(run_medcite, index)

    medcite("ingest", str(ORIGINAL), "--no-embed", "--quiet")
    site_db = Path(database_url(Settings().with_store(index)).removeprefix("sqlite:///"))
    assert not site_db.exists()  # no article database is created just to be checked
    assert "no article has new evidence" in medcite("articles", "stale")
    engine = make_engine(database_url(Settings().with_store(index)))
    upgrade(engine)
    articles = ArticleStore(engine)
    cited = {"clinician": {"references": [{"n": 1, "doc_id": "pmid:29768149"}]}}
    article, _ = articles.create(NewArticle(ASTHMA, "budesonide asthma", None, cited))

    out = medcite("ingest", str(RETRACTED), "--no-embed", "--quiet")
    assert "1 article(s) marked: new evidence since review" in out
    assert f"new evidence: /q/{article.slug}: cited PMID 29768149 was replaced" in out
    (row,) = json.loads(medcite("articles", "stale", "--json"))
    assert row["url"] == f"/q/{article.slug}" and row["question"] == ASTHMA
    assert row["state"] == "submitted" and row["marked_at"]
    assert row["changed"] == "cited PMID 29768149 was replaced"
    assert f"/q/{article.slug}" in medcite("articles", "stale")
    engine.dispose()


def test_reviewers_see_the_mark_on_the_page_and_in_the_queue(
    corpus: SQLiteStore, tmp_path: Path
) -> None:
    app = create_app(web_settings(corpus, tmp_path))
    site = app.state.site
    add_user(site.articles, "alice", PASSWORD, Role.REVIEWER)
    with TestClient(app) as client:
        article = client.post("/api/ask", json={"question": ASTHMA}).json()["article"]
        site.articles.mark_evidence_changed(article["id"], ["new leading evidence: <b>x</b>"])
        assert 'class="evidence-changed"' not in client.get(article["url"]).text  # anonymous

        reviewer = TestClient(app)
        token = reviewer.get("/api/session").json()["csrf_token"]
        data = {"name": "alice", "password": PASSWORD, "csrf_token": token, "next": "/review"}
        assert reviewer.post("/login", data=data, follow_redirects=False).status_code == 303
        page = reviewer.get(article["url"]).text
        assert 'class="evidence-changed"' in page
        assert "New evidence since review:</strong> new leading evidence: &lt;b&gt;x" in page
        assert "<b>x</b>" not in page
        queue = reviewer.get("/review").text
        assert "New evidence since review" in queue and article["url"] in queue
    site.close()
