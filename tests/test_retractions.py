"""Retractions, expressions of concern and errata (issue 14): read from PubMed XML (the real
retraction notice 41578200 and records edited as PubMed writes retracted ones, see
``fixtures/retractions/README.md``) and from a Retraction Watch CSV; a retracted paper never
comes back from search or answers, an article citing it is flagged, a concern shows on the
reference. Each test builds its own small store on each backend (notices change retrieval, so
the shared session stores are left alone)."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from medcite.articles.accounts import add_user
from medcite.articles.database import database_url, make_engine, upgrade
from medcite.articles.model import Role
from medcite.articles.retractions import flag_retracted_sources
from medcite.articles.store import ArticleStore, NewArticle
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder
from medcite.ingest.base import ReadOptions
from medcite.ingest.pipeline import IngestReport, ingest_paths
from medcite.ingest.pubmed_xml import read_pubmed_xml
from medcite.ingest.registry import detect_format
from medcite.records import Notice, NoticeKind, SourceDocument
from medcite.retrieve.hybrid import Mode, Retriever
from medcite.settings import Settings
from medcite.store.sqlite import open_store
from medcite.web.app import create_app
from tests.conftest import FIXTURES, PASSWORD, AnyStore, run_medcite, web_settings

HERE = FIXTURES / "retractions"
NOTICE = HERE / "pubmed_retraction_notice_41578200.xml"  # real
ORIGINAL = HERE / "pubmed_29768149.xml"  # real
RETRACTED = HERE / "pubmed_29768149_retracted.xml"  # the same, marked retracted
CONCERN = HERE / "pubmed_28775130_concern.xml"  # a real record with a concern and an erratum
WATCH = HERE / "retraction_watch.csv"  # invented rows, real header
ASTHMA = "Is as-needed budesonide-formoterol effective in mild asthma?"
PESTICIDE = "Is occupational pesticide exposure associated with subclinical hypothyroidism?"


def _read(path: Path) -> list[SourceDocument]:
    return [i for i in read_pubmed_xml(path, ReadOptions()) if isinstance(i, SourceDocument)]


def _ingest(store: AnyStore, *paths: Path) -> IngestReport:
    return ingest_paths(store, paths, Settings().chunk, progress=False)


def _doc_ids(store: AnyStore, embedder: Embedder, query: str, mode: Mode, k: int = 10) -> list[str]:
    retriever = Retriever(store, Settings(), embedder)
    return [hit.document.id for hit in retriever.search(query, k=k, mode=mode).hits]


@pytest.fixture()
def corpus(store: AnyStore, embedder: Embedder) -> AnyStore:
    """The two real records (asthma trial, pesticide study) and the real retraction notice,
    embedded: nothing retracted yet."""
    _ingest(store, ORIGINAL, CONCERN, NOTICE)
    embed_missing(store, embedder, Settings().embedding, progress=False)
    return store


def test_the_reader_reads_the_real_retraction_notice() -> None:
    """A notice's own record (``RetractionOf``) retracts the paper it names, not itself."""
    (record,) = _read(NOTICE)
    assert record.document.id == "pmid:41578200"
    assert record.notices == (
        Notice(
            NoticeKind.RETRACTION,
            "pubmed",
            target_pmid="21595987",
            notice_pmid="41578200",
            notice_doi="10.1186/s12885-026-15595-1",
        ),
    )
    assert record.notices[0].text == "Retraction (PubMed, PMID 41578200)"


def test_the_reader_reads_a_retracted_record_concerns_and_errata() -> None:
    (original,) = _read(ORIGINAL)
    assert original.notices == ()
    (retracted,) = _read(RETRACTED)
    # the "Retracted Publication" type and the RetractionIn link are one retraction
    (retraction,) = retracted.notices
    assert retraction.kind is NoticeKind.RETRACTION
    assert (retraction.target_pmid, retraction.target_doi) == ("29768149", "10.1056/nejmoa1715274")
    assert retraction.notice_pmid == "99999901"
    assert retraction.citation is not None and retraction.citation.startswith("N Engl J Med.")
    (concerned,) = _read(CONCERN)
    assert [(n.kind, n.target_pmid, n.notice_pmid) for n in concerned.notices] == [
        (NoticeKind.EXPRESSION_OF_CONCERN, "28775130", "99999902"),
        (NoticeKind.ERRATUM, "28775130", "99999903"),
    ]


def test_reingest_stores_each_notice_once(store: AnyStore) -> None:
    first = _ingest(store, CONCERN, NOTICE, RETRACTED, WATCH)
    assert (first.notices, first.retractions) == (7, 3)
    again = _ingest(store, CONCERN, NOTICE, RETRACTED, WATCH)
    assert (again.notices, again.retractions, again.added, again.replaced) == (0, 0, 0, 0)
    assert len(store.notices_for(["28775130"], [])) == 3  # PubMed concern + erratum, RW concern
    pmids, dois = store.retracted_identifiers()
    assert pmids == {"21595987", "29768149"}
    assert "10.1056/nejmoa1715274" in dois


@pytest.mark.parametrize("mode", list(Mode))
def test_a_retracted_document_is_left_out_of_search(
    corpus: AnyStore, embedder: Embedder, mode: Mode
) -> None:
    assert "pmid:29768149" in _doc_ids(corpus, embedder, ASTHMA, mode)
    assert _doc_ids(corpus, embedder, "patients", mode, k=1) == ["pmid:29768149"]
    report = _ingest(corpus, RETRACTED)
    assert (report.replaced, report.retractions) == (1, 1)
    embed_missing(corpus, embedder, Settings().embedding, progress=False)
    assert "pmid:29768149" not in _doc_ids(corpus, embedder, ASTHMA, mode)
    # left out before the cut at k: the best of the others comes back in its place
    (found,) = _doc_ids(corpus, embedder, "patients", mode, k=1)
    assert found != "pmid:29768149"


def test_the_retraction_watch_csv_matches_by_doi_and_by_pmid(
    corpus: AnyStore, embedder: Embedder
) -> None:
    assert detect_format(WATCH) == "retraction-watch"
    report = _ingest(corpus, WATCH)
    assert (report.documents, report.notices, report.retractions) == (0, 3, 1)
    assert [p.message for p in report.problems] == ["skipped: Reinstatement"]
    # row 90001 names the paper by DOI only (in upper case): it is retracted
    assert "pmid:29768149" not in _doc_ids(corpus, embedder, ASTHMA, Mode.HYBRID)
    # row 90002 names the paper by PMID only: a concern on it
    notices = corpus.notices_for(["28775130"], [])
    (concern,) = [n for n in notices if n.source == "retraction-watch"]
    assert concern.kind is NoticeKind.EXPRESSION_OF_CONCERN
    assert concern.text.startswith("Expression of concern (Retraction Watch, PMID 99999905")


# -- answers, articles, pages ----------------------------------------------------------------------


@pytest.fixture()
def app(corpus: AnyStore, tmp_path: Path) -> Iterator[Any]:
    app = create_app(web_settings(corpus, tmp_path))
    add_user(app.state.site.articles, "ed", PASSWORD, Role.EDITOR)
    add_user(app.state.site.articles, "alice", PASSWORD, Role.REVIEWER)
    yield app
    app.state.site.close()


def _basic(name: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{PASSWORD}".encode()).decode()}


def _signed_in(app: Any, name: str) -> TestClient:
    client = TestClient(app)
    token = client.get("/api/session").json()["csrf_token"]
    data = {"name": name, "password": PASSWORD, "csrf_token": token, "next": "/review"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    return client


def _cited(article: dict[str, Any]) -> set[str]:
    return {ref["doc_id"] for ref in article["answer"]["references"]}


def test_a_retraction_flags_the_article_citing_it(corpus: AnyStore, app: Any) -> None:
    site = app.state.site
    with TestClient(app) as client:
        article = client.post("/api/ask", json={"question": ASTHMA}).json()["article"]
        assert "pmid:29768149" in _cited(article)
        aid = article["id"]
        done = client.post(
            f"/api/articles/{aid}/transitions", json={"to": "under_review"}, headers=_basic("alice")
        )
        assert done.status_code == 200, done.text
        assert flag_retracted_sources(site.articles, corpus) == []  # nothing retracted yet

        _ingest(corpus, RETRACTED)
        (flagged,) = flag_retracted_sources(site.articles, corpus)
        assert flagged.id == aid and flagged.state.value == "under_review"  # state kept
        assert flagged.notice == "PMID 29768149: Retraction (PubMed, PMID 99999901)"
        assert flag_retracted_sources(site.articles, corpus) == []  # flagged once
        entry = site.articles.audit(aid)[-1]
        assert (entry.actor, entry.from_state, entry.to_state) == ("system", *(flagged.state,) * 2)
        assert entry.comment == (
            "Source PMID 29768149 was retracted (Retraction (PubMed, PMID 99999901));"
            " re-review needed"
        )

        page = client.get(article["url"]).text  # anonymous readers see it too
        assert 'class="retraction-notice"' in page
        assert "A source of this article was retracted:</strong> PMID 29768149" in page
        assert client.get(f"/api/articles/{aid}").json()["notice"] == flagged.notice
        queue = _signed_in(app, "alice").get("/review").text
        assert "Retracted sources" in queue and article["url"] in queue

        # a new answer leaves the retracted paper out, and regenerating clears the flag
        answer = site.engine.answer(ASTHMA, save=False)
        assert "pmid:29768149" not in {ref.doc_id for ref in answer.references}
        token = client.get("/api/session", headers=_basic("ed")).json()["csrf_token"]
        redone = client.post(
            f"/api/articles/{aid}/regenerate",
            json={"reason": "source retracted"},
            headers={**_basic("ed"), "X-CSRF-Token": token},
        )
        assert redone.status_code == 200, redone.text
        assert redone.json()["notice"] is None
        assert "pmid:29768149" not in _cited(redone.json())
        assert 'class="retraction-notice"' not in client.get(article["url"]).text


def test_an_expression_of_concern_shows_on_the_reference(corpus: AnyStore, app: Any) -> None:
    corpus.add_notices(  # a citation text to escape on the page
        [Notice(NoticeKind.ERRATUM, "pubmed", target_pmid="28775130", citation="<b>Err</b>")]
    )
    with TestClient(app) as client:
        article = client.post("/api/ask", json={"question": PESTICIDE}).json()["article"]
        (ref,) = [r for r in article["answer"]["references"] if r["doc_id"] == "pmid:28775130"]
        assert ref["notices"] == [  # by kind, then text
            {
                "kind": "expression_of_concern",
                "text": "Expression of concern (PubMed, PMID 99999902)",
            },
            {"kind": "erratum", "text": "Erratum (PubMed, <b>Err</b>)"},
            {"kind": "erratum", "text": "Erratum (PubMed, PMID 99999903)"},
        ]
        page = client.get(article["url"]).text
        assert 'class="ref-notice' in page
        assert "Expression of concern (PubMed, PMID 99999902)" in page
        assert "Erratum (PubMed, &lt;b&gt;Err&lt;/b&gt;)" in page and "<b>Err</b>" not in page


def test_medcite_ingest_flags_articles_and_medcite_search_leaves_the_paper_out(
    tmp_path: Path,
) -> None:
    """The commands end to end on a SQLite index with its article database beside it."""
    index = tmp_path / "index.sqlite"

    medcite = partial(run_medcite, index)

    def found() -> list[str]:
        out = medcite("search", "budesonide formoterol asthma", "--mode", "bm25", "--json")
        return [hit["doc_id"] for hit in json.loads(out)["hits"]]

    medcite("ingest", str(ORIGINAL), str(CONCERN), "--no-embed", "--quiet")
    assert "pmid:29768149" in found()
    engine = make_engine(database_url(Settings().with_store(index)))
    upgrade(engine)
    articles = ArticleStore(engine)
    cited = {"clinician": {"references": [{"n": 1, "doc_id": "pmid:29768149"}]}}
    article, _ = articles.create(NewArticle(ASTHMA, "budesonide asthma", None, cited))

    out = medcite("ingest", str(RETRACTED), "--no-embed", "--quiet")
    assert "notices: 1 new (1 retractions); 1 article(s) flagged for re-review" in out
    assert f"flagged: /q/{article.slug}: PMID 29768149" in out
    assert "pmid:29768149" not in found()
    flagged = articles.get(article.id)
    assert flagged is not None and flagged.notice is not None
    engine.dispose()


def test_an_index_without_a_notices_table_reads_as_having_none(tmp_path: Path) -> None:
    """An index opened read-only before its migration to notices (``medcite serve`` on an
    older file) answers as before: no notices, nothing retracted."""
    with open_store(tmp_path / "index.sqlite") as writable:
        _ingest(writable, CONCERN)
    with sqlite3.connect(tmp_path / "index.sqlite") as db:
        db.execute("DROP TABLE notices")
        db.execute("DELETE FROM meta WHERE key = 'notices_version'")
    with open_store(tmp_path / "index.sqlite", read_only=True) as old:
        assert old.notices_for(["28775130"], []) == []
        hits = Retriever(old, Settings()).search("pesticide", mode=Mode.BM25).hits
        assert hits[0].document.id == "pmid:28775130"
