"""Citation export (RIS, BibTeX, CSL-JSON) of real answers over the shipped demo corpus: every
file is read back by an independent library (rispy, bibtexparser, json, and citeproc-py to
format a bibliography) and must keep each reference's identifiers, title, year and journal;
the API's media types, download names and errors; the page's links; the CLI option."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from fastapi.testclient import TestClient

from medcite.answer.citations_export import (
    CiteFormat,
    EntryKind,
    citation_keys,
    entry_kind,
    export_references,
    split_name,
)
from medcite.answer.engine import Engine
from medcite.answer.storage import AnswerStore
from medcite.articles.store import NewArticle
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder
from medcite.ingest.pipeline import ingest_paths
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore, open_store
from medcite.web.app import create_app
from tests.conftest import FIXTURES, web_settings

pytestmark = pytest.mark.sqlite_only  # about the files written, not about storage
# Between them: PubMed articles with authors, PMIDs and DOIs, a guideline (a report of its
# issuing body) and consumer-health pages (web pages) — every entry kind.
LOW_BACK = "How is low back pain managed without surgery?"
# the answers are exported with the judge off: it leaves out LOW_BACK's item from a 1985 PubMed
# review ("The majority of adults will have at least one episode …"), the one reference of these
# answers that names its authors, and what is exported is what these tests are about
UNJUDGED = {"MEDCITE_ANSWER__JUDGE": "false"}
HYPERTENSION = "What is the first-line treatment for hypertension in adults?"
RIS_CONTAINER = {
    EntryKind.ARTICLE: "secondary_title",
    EntryKind.REPORT: "publisher",
    EntryKind.WEBPAGE: "secondary_title",
}
BIBTEX_CONTAINER = {
    EntryKind.ARTICLE: "journal",
    EntryKind.REPORT: "institution",
    EntryKind.WEBPAGE: "howpublished",
}
VERBATIM = frozenset({"pmid", "doi", "url", "author"})
CSL_CONTAINER = {
    EntryKind.ARTICLE: "container-title",
    EntryKind.REPORT: "publisher",
    EntryKind.WEBPAGE: "container-title",
}


# -- readers: each format parsed back by its own library ------------------------------------------


def read_ris(text: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = rispy.loads(text)
    return entries


def read_bibtex(text: str) -> list[dict[str, Any]]:
    """Entries as {field: value} with ``ENTRYTYPE`` and ``ID``: text fields LaTeX-decoded,
    identifiers as written (biblatex reads ``doi`` and ``url`` verbatim: a "%" in a URL is no
    TeX comment there), ``author`` as the list of names BibTeX sees."""
    raw = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert raw.failed_blocks == [] and decoded.failed_blocks == [], raw.failed_blocks
    entries = []
    for plain, tex in zip(decoded.entries, raw.entries, strict=True):
        entry: dict[str, Any] = {"ENTRYTYPE": plain.entry_type, "ID": plain.key}
        entry |= {f.key: f.value for f in plain.fields}
        entry |= {f.key: f.value for f in tex.fields if f.key in VERBATIM}
        entries.append(entry)
    return entries


def words(text: str) -> list[str]:
    """A title's words: what TeX typesetting ("--" as a dash, quotes) must not change.
    (pylatexenc reads ``\\textasciicircum{}`` as the modifier letter U+02C6.)"""
    return re.findall(r"\w+", text.casefold().replace("\u02c6", "^"))


def assert_ris_keeps(references: list[dict[str, Any]], text: str) -> None:
    entries = read_ris(text)
    assert len(entries) == len(references)
    for ref, entry in zip(references, entries, strict=True):
        kind = entry_kind(ref)
        assert entry["type_of_reference"] == kind.ris_type
        assert entry["title"] == ref["title"]
        assert entry.get("accession_number") == ref["pmid"]
        assert entry.get("doi") == ref["doi"]
        assert entry.get("urls") == ([ref["url"]] if ref["url"] else None)
        assert entry.get("year") == (str(ref["year"]) if ref["year"] else None)
        assert entry.get(RIS_CONTAINER[kind]) == ref["journal"]
        assert len(entry.get("authors", [])) == len(ref.get("authors", []))


def assert_bibtex_keeps(references: list[dict[str, Any]], text: str) -> None:
    entries = read_bibtex(text)
    assert len(entries) == len(references)
    assert len({e["ID"] for e in entries}) == len(entries), "citation keys must be unique"
    for ref, entry in zip(references, entries, strict=True):
        kind = entry_kind(ref)
        assert entry["ENTRYTYPE"] == kind.bibtex_type
        assert words(entry["title"]) == words(ref["title"])
        assert entry.get("pmid") == ref["pmid"]
        assert entry.get("doi") == ref["doi"]
        assert entry.get("url") == ref["url"]
        assert entry.get("year") == (str(ref["year"]) if ref["year"] else None)
        journal = entry.get(BIBTEX_CONTAINER[kind])
        assert (journal and words(journal)) == (ref["journal"] and words(ref["journal"]))
        assert len(entry.get("author", [])) == len(ref.get("authors", []))


def assert_csl_keeps(references: list[dict[str, Any]], text: str) -> None:
    items = json.loads(text)
    assert len(items) == len(references)
    for ref, item in zip(references, items, strict=True):
        kind = entry_kind(ref)
        assert item["type"] == kind.csl_type and item["title"] == ref["title"]
        assert item.get("PMID") == ref["pmid"]
        assert item.get("DOI") == ref["doi"]
        assert item.get("URL") == ref["url"]
        assert item.get("issued") == ({"date-parts": [[ref["year"]]]} if ref["year"] else None)
        assert item.get(CSL_CONTAINER[kind]) == ref["journal"]
        assert len(item.get("author", [])) == len(ref.get("authors", []))


KEEPS = {
    CiteFormat.RIS: assert_ris_keeps,
    CiteFormat.BIBTEX: assert_bibtex_keeps,
    CiteFormat.CSL_JSON: assert_csl_keeps,
}


# -- exports of real answers ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(
    demo_store: SQLiteStore, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Engine:
    answers = AnswerStore(tmp_path_factory.mktemp("answers") / "answers.sqlite")
    return Engine(
        demo_store, Settings().with_answer(judge=False), embedder=embedder, answers=answers
    )


@pytest.fixture(scope="module")
def answers(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Question → the references of its real answer, as the Answer record holds them."""
    return {
        q: engine.answer(q, save=False).to_dict()["references"] for q in (LOW_BACK, HYPERTENSION)
    }


@pytest.fixture(scope="module")
def references(answers: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [r for refs in answers.values() for r in refs]


def test_the_answers_cover_every_kind_of_entry(references: list[dict[str, Any]]) -> None:
    # the demo corpus holds no drug label: test_drug_labels.py exports real ones
    assert {entry_kind(r) for r in references} == set(EntryKind) - {EntryKind.LABEL}
    assert any(r["authors"] for r in references), "a PubMed reference names its authors"
    assert any(r["pmid"] and r["doi"] for r in references)
    assert all(isinstance(r["authors"], list) for r in references)


@pytest.mark.parametrize("fmt", list(CiteFormat))
def test_export_parses_back_and_keeps_every_identifier(
    references: list[dict[str, Any]], fmt: CiteFormat
) -> None:
    KEEPS[fmt](references, export_references(references, fmt))


def test_authors_are_split_as_the_source_names_them(references: list[dict[str, Any]]) -> None:
    ref = next(r for r in references if r["authors"])
    items = json.loads(export_references([ref], CiteFormat.CSL_JSON))
    names = items[0]["author"]
    for given, name in zip(ref["authors"], names, strict=True):
        family, initials = given.rsplit(" ", 1)
        assert name == {"family": family, "given": " ".join(f"{c}." for c in initials)}
    ris = read_ris(export_references([ref], CiteFormat.RIS))[0]
    assert ris["authors"] == [f"{n['family']}, {n['given']}" for n in names]


def test_citeproc_formats_the_csl_json_as_a_bibliography(
    references: list[dict[str, Any]],
) -> None:
    citeproc = pytest.importorskip("citeproc", reason="needs the dev extra (citeproc-py)")
    from citeproc.source.json import CiteProcJSON

    items = json.loads(export_references(references, CiteFormat.CSL_JSON))
    style = citeproc.CitationStylesStyle(
        str(Path(citeproc.__file__).parent / "data/styles/harvard-cite-them-right.csl"),
        validate=False,
    )
    bibliography = citeproc.CitationStylesBibliography(
        style, CiteProcJSON(items), citeproc.formatter.plain
    )
    for item in items:
        bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    entries = [str(entry) for entry in bibliography.bibliography()]
    assert len(entries) == len(items)
    text = "\n".join(entries).casefold()
    for ref in references:
        assert ref["title"].casefold() in text
        if ref["doi"]:
            assert ref["doi"].casefold() in text  # the style links the DOI


# -- the writers on hostile and partial records --------------------------------------------------

HOSTILE = {
    "n": 1,
    "doc_id": "doi:10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E",
    "title": "Unbalanced } brace { and 100% & $x_1$ ~ #1 \\ ^\nER  - \nTY  - JOUR",
    "journal": "J & Co {Ltd}",
    "year": 1998,
    "evidence_type": "rct",
    "pmid": "9595616",
    "doi": "10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E",
    "url": "https://example.org/a_b?x=1&y=%7B",
    "authors": ["O'Brien-Smith JA", "van der Berg A", "Writing Group for the WHI Investigators"],
    "quotes": [],
}


@pytest.mark.parametrize("fmt", list(CiteFormat))
def test_special_characters_and_newlines_cannot_break_a_file(fmt: CiteFormat) -> None:
    text = export_references([HOSTILE, {**HOSTILE, "n": 2}], fmt)
    flat = {**HOSTILE, "title": " ".join(HOSTILE["title"].split())}
    KEEPS[fmt]([flat, flat], text)
    if fmt is CiteFormat.RIS:
        assert text.count("TY  - ") == 2, "a newline in a title must not start a record"


def test_a_record_says_only_what_its_source_gave() -> None:
    bare = {"n": 1, "doc_id": "scifact:4983", "title": "A title", "evidence_type": "review"}
    item = json.loads(export_references([bare], CiteFormat.CSL_JSON))[0]
    assert item == {
        "id": "scifact_4983",
        "type": "article-journal",
        "title": "A title",
        "keyword": "Review",
    }
    entry = read_ris(export_references([bare], CiteFormat.RIS))[0]
    assert set(entry) == {"type_of_reference", "id", "title", "keywords"}
    bib = read_bibtex(export_references([bare], CiteFormat.BIBTEX))[0]
    assert set(bib) == {"ENTRYTYPE", "ID", "title", "keywords"}


def test_volume_issue_and_pages_are_written_where_a_record_has_them() -> None:
    ref = {**HOSTILE, "title": "T", "volume": "17", "issue": "8", "pages": "857-72"}
    item = json.loads(export_references([ref], CiteFormat.CSL_JSON))[0]
    assert (item["volume"], item["issue"], item["page"]) == ("17", "8", "857-72")
    entry = read_ris(export_references([ref], CiteFormat.RIS))[0]
    assert (entry["volume"], entry["number"], entry["start_page"], entry["end_page"]) == (
        "17",
        "8",
        "857",
        "72",
    )
    bib = read_bibtex(export_references([ref], CiteFormat.BIBTEX))[0]
    assert (bib["volume"], bib["number"], bib["pages"]) == ("17", "8", "857–72")  # "--" in TeX


@pytest.fixture(scope="module")
def pubmed_engine(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Engine]:
    """An index of real efetch records only: the NEJM 2018 trial of PMID 29768149 (volume 378,
    issue 20, MedlinePgn 1865-1876) and the two records of ``biopython_pubmed1.xml``."""
    settings = Settings()
    efetch = FIXTURES / "efetch"
    files = [efetch / "pubmed-29768149.xml", efetch / "biopython_pubmed1.xml"]
    with open_store(tmp_path_factory.mktemp("pubmed") / "index.sqlite") as store:
        ingest_paths(store, files, settings.chunk, fmt="pubmed-xml", progress=False)
        embed_missing(store, embedder, settings.embedding, progress=False)
        yield Engine(store, settings, embedder=embedder)


def test_pubmed_volume_issue_and_pages_reach_every_format(pubmed_engine: Engine) -> None:
    """From the PubMed XML reader through a real answer's reference into each file."""
    answer = pubmed_engine.answer(
        "Is as-needed budesonide-formoterol effective in mild asthma?", save=False
    )
    (ref,) = [r for r in answer.to_dict()["references"] if r["doc_id"] == "pmid:29768149"]
    assert (ref["volume"], ref["issue"], ref["pages"]) == ("378", "20", "1865-1876")
    item = json.loads(export_references([ref], CiteFormat.CSL_JSON))[0]
    assert (item["volume"], item["issue"], item["page"]) == ("378", "20", "1865-1876")
    assert item["container-title"] == "The New England journal of medicine"
    entry = read_ris(export_references([ref], CiteFormat.RIS))[0]
    assert (entry["volume"], entry["number"]) == ("378", "20")
    assert (entry["start_page"], entry["end_page"]) == ("1865", "1876")
    bib = read_bibtex(export_references([ref], CiteFormat.BIBTEX))[0]
    assert (bib["volume"], bib["number"], bib["pages"]) == ("378", "20", "1865–1876")
    for fmt in CiteFormat:
        KEEPS[fmt]([ref], export_references([ref], fmt))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Smith JA", {"family": "Smith", "given": "J. A."}),
        ("van der Berg A", {"family": "van der Berg", "given": "A."}),
        ("Smith, John A.", {"family": "Smith", "given": "John A."}),
        ("American Diabetes Association", {"literal": "American Diabetes Association"}),
        ("WHO", {"literal": "WHO"}),
        ("  Gandour   JT ", {"family": "Gandour", "given": "J. T."}),
    ],
)
def test_split_name(name: str, expected: dict[str, str]) -> None:
    assert split_name(name) == expected


@pytest.mark.parametrize(
    ("reference", "kind"),
    [
        ({"evidence_type": "guideline", "pmid": "1"}, EntryKind.ARTICLE),  # in a journal
        ({"evidence_type": "guideline", "doi": "10.1/x"}, EntryKind.ARTICLE),
        ({"evidence_type": "guideline"}, EntryKind.REPORT),
        ({"evidence_type": "consumer_health", "url": "https://x.org"}, EntryKind.WEBPAGE),
        ({"evidence_type": "rct"}, EntryKind.ARTICLE),
    ],
)
def test_entry_kind(reference: dict[str, Any], kind: EntryKind) -> None:
    assert entry_kind(reference) is kind


def test_citation_keys_are_stable_and_unique() -> None:
    refs = [{"doc_id": "pmid:123"}, {"doc_id": "pmid:123"}, {"doc_id": "medquad:1_A/2#3"}, {}]
    assert citation_keys(refs) == ["pmid123", "pmid123_2", "medquad_1_A_2_3", "ref"]


def test_formats_name_their_media_types() -> None:
    assert {f.value: (f.media_type, f.extension) for f in CiteFormat} == {
        "ris": ("application/x-research-info-systems", "ris"),
        "bibtex": ("application/x-bibtex", "bib"),
        "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
    }


# -- the API and the page ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(
    demo_store: SQLiteStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = web_settings(demo_store, tmp_path_factory.mktemp("export-site"))
    app = create_app(settings.with_answer(judge=False))
    with TestClient(app) as test_client:
        yield test_client
    app.state.site.close()


@pytest.fixture(scope="module")
def article(client: TestClient) -> dict[str, Any]:
    response = client.post("/api/ask", json={"question": LOW_BACK})
    assert response.status_code in (200, 201), response.text
    found: dict[str, Any] = response.json()["article"]
    return found


@pytest.mark.parametrize("fmt", list(CiteFormat))
def test_api_serves_each_format_as_a_named_download(
    client: TestClient, article: dict[str, Any], fmt: CiteFormat
) -> None:
    response = client.get(f"/api/articles/{article['id']}/references", params={"format": fmt.value})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    assert response.headers["content-disposition"] == (
        f'attachment; filename="medcite-{article["slug"]}.{fmt.extension}"'
    )
    KEEPS[fmt](article["answer"]["references"], response.text)


def test_api_exports_the_audience_and_version_asked_for(
    client: TestClient, article: dict[str, Any]
) -> None:
    url = f"/api/articles/{article['id']}"
    patient = client.get(url, params={"audience": "patient", "version": 1}).json()["answer"]
    response = client.get(
        f"{url}/references", params={"format": "csl-json", "audience": "patient", "version": 1}
    )
    assert_csl_keeps(patient["references"], response.text)


@pytest.mark.parametrize(
    ("params", "where"),
    [({"format": "docx"}, "format"), ({}, "format"), ({"format": "ris", "version": 0}, "version")],
)
def test_api_bad_request_is_a_clear_422(
    client: TestClient, article: dict[str, Any], params: dict[str, Any], where: str
) -> None:
    response = client.get(f"/api/articles/{article['id']}/references", params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and where in error["message"]
    if params.get("format") == "docx":
        assert all(f.value in error["message"] for f in CiteFormat), error["message"]


def test_api_unknown_article_or_version_is_404(client: TestClient, article: dict[str, Any]) -> None:
    missing = client.get("/api/articles/999999/references", params={"format": "ris"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    version = client.get(
        f"/api/articles/{article['id']}/references", params={"format": "ris", "version": 9}
    )
    assert version.status_code == 404 and version.json()["error"]["code"] == "not_found"


def test_records_stored_before_authors_were_kept_get_them_from_the_index(
    client: TestClient, article: dict[str, Any]
) -> None:
    site = client.app.state.site
    version = site.articles.version(article["id"], 1)
    old = {
        audience: {
            **answer,
            "references": [
                {k: v for k, v in r.items() if k != "authors"} for r in answer["references"]
            ],
        }
        for audience, answer in version.answers.items()
    }
    legacy, _ = site.articles.create(
        NewArticle("legacy export question", "legacy export", None, old)
    )
    response = client.get(f"/api/articles/{legacy.id}/references", params={"format": "csl-json"})
    now = article["answer"]["references"]
    assert_csl_keeps(now, response.text)
    assert any(r["authors"] for r in now)


def test_page_links_each_export_and_the_links_download(
    client: TestClient, article: dict[str, Any]
) -> None:
    html = client.get(article["url"], params={"audience": "patient"}).text
    links = re.findall(r'<a href="(/api/articles/[^"]+/references\?[^"]+)" download', html)
    assert len(links) == len(CiteFormat)
    for link, fmt in zip(links, CiteFormat, strict=True):
        href = link.replace("&amp;", "&")
        assert f"format={fmt.value}" in href and "audience=patient" in href
        assert "version=1" in href
        response = client.get(href)
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == fmt.media_type
    assert re.search(r"Export citations:", html)


# -- the CLI ---------------------------------------------------------------------------------------


def medcite(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medcite.cli", "--db", str(db), *args],
        env={**os.environ, **UNJUDGED},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_prints_the_export_instead_of_the_answer(
    demo_store: SQLiteStore, tmp_path: Path, answers: dict[str, list[dict[str, Any]]]
) -> None:
    copy = tmp_path / "demo.sqlite"  # `ask` stores its answer: never in the shared store
    with sqlite3.connect(demo_store.path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    result = medcite("ask", LOW_BACK, "--cite-format", "bibtex", db=copy)
    assert result.returncode == 0, result.stderr
    assert_bibtex_keeps(answers[LOW_BACK], result.stdout)


def test_cli_rejects_an_unknown_format_clearly(tmp_path: Path) -> None:
    result = medcite("ask", LOW_BACK, "--cite-format", "docx", db=tmp_path / "none.sqlite")
    assert result.returncode == 2
    assert "--cite-format" in result.stderr and "csl-json" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
