"""The format readers on real NLM files (PubMed XML, MEDLINE text, PMC JATS) and on hand-written
user material (JSON Lines, Markdown, HTML): what they extract, and that bad input becomes a
RecordProblem instead of an exception."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import pytest

from medcite.ingest.base import Item, Reader, ReadOptions
from medcite.ingest.generic import read_html, read_jsonl, read_markdown
from medcite.ingest.jats import read_jats
from medcite.ingest.medline_text import read_medline_text, split_abstract
from medcite.ingest.pubmed_xml import LICENCE, full_page_range, read_pubmed_xml
from medcite.ingest.registry import get_reader
from medcite.ingest.retraction_watch import read_retraction_watch
from medcite.records import EvidenceType, RecordProblem, Section, SourceDocument

FIXTURES = Path(__file__).parent / "fixtures"
EFETCH = FIXTURES / "efetch"
UPDATE_FILE = FIXTURES / "pubmed_baseline_2026" / "pubmed26n1335.xml.gz"
JATS_ZINC = FIXTURES / "pmc_jats" / "PMC1891438.nxml.gz"
JATS_COMPLEXITY = FIXTURES / "pmc_jats" / "pone.0000217.nxml.gz"
GENERIC = FIXTURES / "generic"
DEFAULT = ReadOptions()

ALL_READERS: list[Reader] = [
    read_pubmed_xml,
    read_medline_text,
    read_jats,
    read_jsonl,
    read_markdown,
    read_html,
    read_retraction_watch,
]


def read(reader: Reader, path: Path, options: ReadOptions = DEFAULT) -> list[Item]:
    return list(reader(path, options))


def documents(items: list[Item]) -> dict[str, SourceDocument]:
    return {i.document.id: i for i in items if isinstance(i, SourceDocument)}


def problems(items: list[Item]) -> list[RecordProblem]:
    return [i for i in items if isinstance(i, RecordProblem)]


def labels(source: SourceDocument) -> list[str | None]:
    return [s.label for s in source.sections]


# --- PubMed XML ---------------------------------------------------------------------------------


def test_pubmed_efetch_rct_keeps_structured_abstract_and_metadata() -> None:
    items = read(read_pubmed_xml, EFETCH / "pubmed-29768149.xml")
    assert problems(items) == []
    (source,) = documents(items).values()
    doc = source.document
    assert doc.id == "pmid:29768149"
    assert doc.title == "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma."
    assert labels(source) == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert source.sections[0].text.startswith("In patients with mild asthma")
    assert doc.year == 2018
    assert doc.journal == "The New England journal of medicine"
    assert doc.identifiers == {
        "pmid": "29768149",
        "doi": "10.1056/NEJMoa1715274",
        "volume": "378",
        "issue": "20",
        "pages": "1865-1876",
    }
    assert doc.url == "https://pubmed.ncbi.nlm.nih.gov/29768149/"
    assert "Randomized Controlled Trial" in doc.publication_types
    assert len(doc.publication_types) == 6
    assert len(doc.mesh) == 23 and "Asthma" in doc.mesh
    assert doc.authors[:2] == ("O'Byrne PM", "FitzGerald JM")
    assert doc.evidence_type is EvidenceType.RCT
    assert doc.source == "pubmed"
    assert doc.licence == LICENCE


def test_pubmed_title_keeps_inline_markup_text_and_reads_pmc_id() -> None:
    (source,) = documents(read(read_pubmed_xml, EFETCH / "biopython_pubmed4.xml")).values()
    doc = source.document
    assert doc.title.startswith("Leucocyte telomere length, genetic variants at the TERT gene")
    assert doc.identifiers["pmcid"] == "PMC5442267"
    assert doc.doi == "10.1136/gutjnl-2016-312510"
    assert len(doc.mesh) == 21
    assert "Observational Study" in doc.publication_types
    assert doc.evidence_type is EvidenceType.OBSERVATIONAL
    assert len(source.sections) == 4 and all(s.label for s in source.sections)
    assert doc.keywords


def test_pubmed_review_without_abstract_and_unlabelled_abstract() -> None:
    docs = documents(read(read_pubmed_xml, EFETCH / "biopython_pubmed1.xml"))
    assert list(docs) == ["pmid:12091962", "pmid:9997"]
    review = docs["pmid:12091962"]
    assert review.document.publication_types == ("Journal Article", "Review")
    assert review.document.evidence_type is EvidenceType.REVIEW
    assert review.sections == ()  # title only: still a citation, no abstract text
    assert review.document.year == 1990  # <PubDate><Year>1990</Year><Season>Spring</Season>
    assert review.document.keywords == ("Health Care and Public Health", "Legal Approach")
    assert labels(docs["pmid:9997"]) == [None]
    assert docs["pmid:9997"].document.doi == "10.1016/0005-2795(76)90109-4"


def test_pubmed_volume_issue_and_pages() -> None:
    """From ``JournalIssue`` and ``Pagination``: ``StartPage``/``EndPage`` where the record
    spells them out, else ``MedlinePgn`` with its shortened end page spelled out."""
    docs = documents(read(read_pubmed_xml, EFETCH / "biopython_pubmed1.xml"))
    review = docs["pmid:12091962"].document.identifiers  # 113 / 125 and MedlinePgn "113-25"
    assert (review["volume"], review["issue"], review["pages"]) == ("17", "1", "113-125")
    assert docs["pmid:9997"].document.identifiers["pages"] == "179-191"
    (source,) = documents(read(read_pubmed_xml, EFETCH / "biopython_pubmed4.xml")).values()
    gut = source.document.identifiers  # MedlinePgn "1116-1122" only
    assert (gut["volume"], gut["issue"], gut["pages"]) == ("66", "6", "1116-1122")
    path = FIXTURES / "retractions" / "pubmed_retraction_notice_41578200.xml"
    (notice,) = documents(read(read_pubmed_xml, path)).values()
    assert notice.document.identifiers["pages"] == "106"  # an article number, kept as given


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("113-25", "113-125"),
        ("5795-813", "5795-5813"),
        ("1865-1876", "1865-1876"),
        ("998-1002", "998-1002"),
        ("10", "10"),
        ("e0123", "e0123"),
        ("S12-5", "S12-5"),  # not plain numbers: as given
        ("120-5", "120-125"),
        ("98-5", "98-5"),  # would end before it starts: as given
        ("", ""),
    ],
)
def test_full_page_range(pages: str, expected: str) -> None:
    assert full_page_range(pages) == expected


def test_pubmed_update_file_gz_skips_delete_citation() -> None:
    items = read(read_pubmed_xml, UPDATE_FILE)
    docs = documents(items)
    assert problems(items) == []
    assert len(docs) == 30  # 30 PubmedArticle; the DeleteCitation's six PMIDs are not documents
    assert "pmid:41456105" not in docs
    obesity = docs["pmid:26228458"]
    assert labels(obesity) == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert obesity.document.journal == "International journal of obesity (2005)"
    assert obesity.document.identifiers["pmcid"] == "PMC4677453"
    assert obesity.document.evidence_type is EvidenceType.OBSERVATIONAL  # Prospective Studies
    trial = docs["pmid:41617358"]
    assert labels(trial)[-1] == "TRIAL REGISTRATION NUMBER"
    assert trial.document.evidence_type is EvidenceType.RCT
    assert docs["pmid:41056390"].document.evidence_type is EvidenceType.CASE_REPORT
    assert docs["pmid:41594546"].document.evidence_type is EvidenceType.REVIEW
    assert sum(len(s.sections) for s in docs.values() if labels(s) != [None]) >= 48


def test_pubmed_old_medline_citation_set() -> None:
    path = FIXTURES / "medline_baseline" / "medline16n0902-first4.xml"
    docs = documents(read(read_pubmed_xml, path))
    # the PMIDs of CommentsCorrections inside the records are not mistaken for records
    assert list(docs) == ["pmid:17942999", "pmid:18621939", "pmid:19602546", "pmid:19302341"]
    assert docs["pmid:18621939"].document.year == 2008  # <MedlineDate>2008 Jul-Aug</MedlineDate>
    assert labels(docs["pmid:17942999"]) == ["PURPOSE", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert docs["pmid:17942999"].document.journal == "Restorative neurology and neuroscience"
    assert docs["pmid:19302341"].document.evidence_type is EvidenceType.OBSERVATIONAL


def test_pubmed_systematic_review_record() -> None:
    path = FIXTURES / "medline_baseline" / "test_current_medline.xml.gz"
    docs = documents(read(read_pubmed_xml, path))
    assert len(docs) == 4
    review = docs["pmid:28786991"].document
    assert {"Meta-Analysis", "Systematic Review", "Review"} <= set(review.publication_types)
    assert review.evidence_type is EvidenceType.SYSTEMATIC_REVIEW


def test_pubmed_truncated_file_yields_records_then_the_break(tmp_path: Path) -> None:
    whole = gzip.decompress(UPDATE_FILE.read_bytes())
    half = tmp_path / "half.xml"
    half.write_bytes(whole[: len(whole) // 2])
    items = read(read_pubmed_xml, half)
    docs, (problem,) = documents(items), problems(items)
    assert 5 < len(docs) < 30
    assert items[-1] is problem
    assert problem.record == len(docs) + 1
    assert "truncated" in problem.message


def test_pubmed_truncated_gzip(tmp_path: Path) -> None:
    raw = UPDATE_FILE.read_bytes()
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(raw[: len(raw) // 2])
    items = read(read_pubmed_xml, cut)
    assert isinstance(items[-1], RecordProblem)
    assert items[-1].record == len(documents(items)) + 1


def test_pubmed_record_without_text_or_pmid_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "records.xml"
    path.write_text(
        "<PubmedArticleSet>"
        "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>Kept</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle>"
        "<PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle/>"
        "</Article></MedlineCitation></PubmedArticle>"
        "<PubmedArticle><MedlineCitation><Article><ArticleTitle>No PMID</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle>"
        "<PubmedBookArticle><BookDocument><PMID>4</PMID></BookDocument></PubmedBookArticle>"
        "</PubmedArticleSet>",
        encoding="utf-8",
    )
    items = read(read_pubmed_xml, path)
    assert list(documents(items)) == ["pmid:1"]
    assert [(p.record, "title" in p.message) for p in problems(items)] == [(2, True), (3, False)]


def test_pubmed_reader_refuses_other_xml_politely() -> None:
    (problem,) = read(read_pubmed_xml, JATS_COMPLEXITY)
    assert isinstance(problem, RecordProblem) and problem.record == 0
    assert "<article>" in problem.message


def test_pubmed_options_override_source_and_evidence_type() -> None:
    options = ReadOptions(source="my-trials", evidence_type=EvidenceType.GUIDELINE)
    (source,) = documents(read(read_pubmed_xml, EFETCH / "pubmed-29768149.xml", options)).values()
    assert source.document.source == "my-trials"
    assert source.document.evidence_type is EvidenceType.GUIDELINE
    assert source.document.id == "pmid:29768149"  # ids never depend on the override


# --- MEDLINE text -------------------------------------------------------------------------------


def test_medline_text_records_and_fields() -> None:
    items = read(read_medline_text, FIXTURES / "medline_text" / "biopython_pubmed_result2.txt")
    docs = documents(items)
    assert problems(items) == []
    assert list(docs) == [
        "pmid:16403221",
        "pmid:16377612",
        "pmid:14871861",
        "pmid:14630660",
    ]
    scop = docs["pmid:16403221"]
    assert scop.document.title == "A high level interface to SCOP and ASTRAL implemented in python."
    assert labels(scop) == ["BACKGROUND", "RESULTS", "CONCLUSION"]
    assert scop.sections[0].text.startswith("Benchmarking algorithms in structural bioinformatics")
    assert scop.document.identifiers == {
        "pmid": "16403221",
        "doi": "10.1186/1471-2105-7-10",
        "pmcid": "PMC1373603",
        "volume": "7",  # VI; no IP line: an online journal without issues
        "pages": "10",
    }
    diagram_ids = docs["pmid:16377612"].document.identifiers
    assert (diagram_ids["volume"], diagram_ids["issue"]) == ("22", "5")
    assert diagram_ids["pages"] == "616-617"  # PG "616-7", MEDLINE's shortened range
    assert scop.document.year == 2006
    assert scop.document.journal == "BMC bioinformatics"
    assert scop.document.authors == ("Casbon JA", "Crooks GE", "Saqi MA")
    assert scop.document.publication_types == ("Evaluation Studies", "Journal Article")
    # "Information Storage and Retrieval/*methods" and "*Software" become plain descriptors
    assert "Information Storage and Retrieval" in scop.document.mesh
    assert "Software" in scop.document.mesh
    diagram = docs["pmid:16377612"].document
    assert diagram.title.startswith("GenomeDiagram: a python package for the visualization of")
    assert diagram.title.endswith("data.")  # the continuation line is joined
    assert docs["pmid:14871861"].document.evidence_type is EvidenceType.OBSERVATIONAL


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("PURPOSE: Why. METHODS: How. RESULTS: What.", ["PURPOSE", "METHODS", "RESULTS"]),
        (
            "OBJECTIVE: x. MAIN OUTCOME MEASURE(S): y. CONCLUSION(S): z.",
            ["OBJECTIVE", "MAIN OUTCOME MEASURE(S)", "CONCLUSION(S)"],
        ),
        ("An unstructured abstract. RESULTS: are not its first word.", [None]),
        ("BACKGROUND: Risk was higher (HR: 2.1). CONCLUSION: Treat.", ["BACKGROUND", "CONCLUSION"]),
        ("", []),
    ],
)
def test_split_structured_abstract(abstract: str, expected: list[str | None]) -> None:
    assert [s.label for s in split_abstract(abstract)] == expected


def test_split_abstract_keeps_text() -> None:
    assert split_abstract("AIMS: To test. RESULTS: It works.") == (
        Section("AIMS", "To test."),
        Section("RESULTS", "It works."),
    )


def test_medline_text_bad_records(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(
        "PMID- 1\nTI  - A title\n\nTI  - A record without PMID\n\nPMID- 3\nLA  - eng\n",
        encoding="utf-8",
    )
    items = read(read_medline_text, path)
    assert list(documents(items)) == ["pmid:1"]
    assert [p.record for p in problems(items)] == [2, 3]


# --- JATS ---------------------------------------------------------------------------------------


def test_jats_full_text_article() -> None:
    items = read(read_jats, JATS_ZINC)
    assert problems(items) == []
    (source,) = documents(items).values()
    doc = source.document
    assert doc.id == "pmid:17593956"
    assert doc.identifiers == {
        "pmid": "17593956",
        "pmcid": "PMC1891438",
        "doi": "10.1371/journal.pone.0000541",
    }
    assert doc.title.endswith("South African Children: A Randomized Controlled Trial")
    assert doc.journal == "PLoS ONE" and doc.year == 2007 and doc.source == "pmc"
    assert doc.licence == "CC BY 4.0 (http://creativecommons.org/licenses/by/4.0/)"
    assert doc.evidence_type is EvidenceType.RCT
    assert doc.authors[0] == "Luabeya KKA"
    assert labels(source)[:4] == ["BACKGROUND", "OBJECTIVE", "DESIGN", "SETTING"]
    assert "TRIAL REGISTRATION" in labels(source)
    assert labels(source)[10] == "Introduction"
    assert "Methods / Study area" in labels(source)
    assert "Results / Outcomes / Diarrheal morbidity" in labels(source)
    assert doc.url == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1891438/"


def test_jats_plain_file_reads_like_gzip(tmp_path: Path) -> None:
    plain = tmp_path / "PMC1891438.nxml"
    plain.write_bytes(gzip.decompress(JATS_ZINC.read_bytes()))
    assert read(read_jats, plain) == read(read_jats, JATS_ZINC)


def test_jats_old_dtd_licence_from_copyright_statement() -> None:
    (source,) = documents(read(read_jats, JATS_COMPLEXITY)).values()
    assert source.document.id == "pmid:17299597"
    assert source.document.identifiers["pmcid"] == "PMC1790863"
    assert source.document.licence is not None
    assert "Creative Commons Attribution License" in source.document.licence
    assert labels(source)[:3] == ["BACKGROUND", "METHODOLOGY", "CONCLUSIONS/SIGNIFICANCE"]


def test_jats_pmc_articleset_wrapper(tmp_path: Path) -> None:
    articles = []
    for path in (JATS_ZINC, JATS_COMPLEXITY):
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        articles.append(text[text.index("<article") :])
    wrapped = tmp_path / "set.xml"
    wrapped.write_text(f"<pmc-articleset>{''.join(articles)}</pmc-articleset>", encoding="utf-8")
    assert list(documents(read(read_jats, wrapped))) == ["pmid:17593956", "pmid:17299597"]


def test_jats_truncated_article(tmp_path: Path) -> None:
    whole = gzip.decompress(JATS_ZINC.read_bytes())
    half = tmp_path / "half.nxml"
    half.write_bytes(whole[: len(whole) // 2])
    (problem,) = read(read_jats, half)
    assert isinstance(problem, RecordProblem) and problem.record == 1


def test_jats_reader_refuses_pubmed_xml() -> None:
    (problem,) = read(read_jats, EFETCH / "pubmed-29768149.xml")
    assert isinstance(problem, RecordProblem) and problem.record == 0


# --- generic: JSON Lines, Markdown, HTML --------------------------------------------------------


def test_jsonl_documents_and_bad_line() -> None:
    items = read(read_jsonl, GENERIC / "local-notes.jsonl")
    docs = documents(items)
    digest = hashlib.sha1(
        b"Fluids in sepsis\nGive 30 ml/kg of crystalloid within the first three hours.\n"
        b"Early fluid resuscitation restores perfusion."
    ).hexdigest()[:16]
    assert list(docs) == ["ward-protocols:ab-01", f"ward-protocols:{digest}", "pmid:29768149"]
    protocol = docs["ward-protocols:ab-01"].document
    assert protocol.evidence_type is EvidenceType.GUIDELINE
    assert protocol.authors == ("Lee A", "Patel R")
    assert protocol.journal == "Ward protocols committee" and protocol.year == 2022
    assert protocol.licence == "internal use only"
    assert labels(docs[f"ward-protocols:{digest}"]) == ["Recommendation", "Rationale"]
    trial = docs["pmid:29768149"].document
    assert trial.year == 2018 and trial.doi == "10.1056/NEJMoa1715274" and trial.source == "local"
    assert trial.evidence_type is EvidenceType.RCT  # "randomly assigned" in the text
    (problem,) = problems(items)
    assert problem.record == 4
    assert read(read_jsonl, GENERIC / "local-notes.jsonl") == items  # stable ids


def test_jsonl_incomplete_records(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text(
        '{"text": "no title"}\n'
        '{"title": "no text"}\n'
        "\n"
        '{"title": "t", "text": "x", "evidence_type": "hearsay"}\n'
        '["not", "an", "object"]\n'
        '{"title": "fine", "text": "x", "source": "ngc", "id": 7}\n',
        encoding="utf-8",
    )
    items = read(read_jsonl, path)
    assert list(documents(items)) == ["ngc:7"]
    assert documents(items)["ngc:7"].document.evidence_type is EvidenceType.GUIDELINE
    assert [p.record for p in problems(items)] == [1, 2, 3, 4]


def test_markdown_with_front_matter() -> None:
    (source,) = read(read_markdown, GENERIC / "hypertension-local.md")
    assert isinstance(source, SourceDocument)
    doc = source.document
    assert doc.id == "riverside-hospital:htn-2024"
    assert doc.title == "Managing hypertension in adults (local practice guideline)"
    assert doc.source == "riverside-hospital" and doc.year == 2024
    assert doc.evidence_type is EvidenceType.GUIDELINE
    assert doc.journal == "Riverside Hospital Cardiology Group"
    assert doc.url == "https://intranet.example.org/guidelines/hypertension"
    assert doc.licence == "internal use only"
    assert labels(source) == [
        "Managing hypertension in adults",
        "Diagnosis",
        "First-line treatment",
    ]
    assert "# this line is inside a code block" in source.sections[1].text
    assert "### Follow-up" in source.sections[2].text  # only # and ## start sections


def test_markdown_without_front_matter_and_options() -> None:
    (source,) = read(read_markdown, GENERIC / "asthma-leaflet.md")
    assert isinstance(source, SourceDocument)
    assert source.document.id == "local:asthma-leaflet"
    assert source.document.title == "Using your asthma inhaler"
    assert source.document.source == "local"
    options = ReadOptions(source="leaflets", evidence_type=EvidenceType.CONSUMER_HEALTH)
    (overridden,) = read(read_markdown, GENERIC / "asthma-leaflet.md", options)
    assert isinstance(overridden, SourceDocument)
    assert overridden.document.id == "leaflets:asthma-leaflet"
    assert overridden.document.evidence_type is EvidenceType.CONSUMER_HEALTH


def test_markdown_without_headings_takes_file_name(tmp_path: Path) -> None:
    path = tmp_path / "Fall Prevention.md"
    path.write_text("Check vision and medicines in older adults who fall.\n", encoding="utf-8")
    (source,) = read(read_markdown, path)
    assert isinstance(source, SourceDocument)
    assert source.document.title == "Fall Prevention"
    assert source.document.id == "local:fall-prevention"
    assert labels(source) == [None]


@pytest.mark.parametrize(
    "content",
    [
        "---\ntitle: [unclosed\n---\ntext\n",
        "---\ntitle: t\nevidence_type: rumour\n---\ntext\n",
        "---\ntitle: t\n",
        "---\n- a list\n---\ntext\n",
    ],
)
def test_markdown_bad_front_matter(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.md"
    path.write_text(content, encoding="utf-8")
    (problem,) = read(read_markdown, path)
    assert isinstance(problem, RecordProblem) and problem.record == 1


def test_html_page_with_medcite_meta() -> None:
    (source,) = read(read_html, GENERIC / "statins-page.html")
    assert isinstance(source, SourceDocument)
    doc = source.document
    assert doc.id == "example-health:statins-primary"
    assert doc.title == "Statins for the primary prevention of cardiovascular disease"
    assert doc.evidence_type is EvidenceType.CONSUMER_HEALTH
    assert doc.year == 2023 and doc.journal == "Example Health Service"
    assert doc.url == "https://health.example.org/statins"
    assert labels(source) == [doc.title, "Who should take a statin?", "Side effects"]
    text = "\n".join(s.text for s in source.sections)
    assert "console.log" not in text and "hidden" not in text and "font-family" not in text
    assert "Home" not in text  # navigation is not content
    assert "Check liver enzymes at baseline." in source.sections[1].text
    assert "Rare effects" in source.sections[2].text  # h4 stays inside its h3 section


def test_html_page_with_citation_meta() -> None:
    (source,) = read(read_html, GENERIC / "scholar-page.html")
    assert isinstance(source, SourceDocument)
    doc = source.document
    assert doc.id == "doi:10.1000/example.2019.42"
    assert doc.year == 2019 and doc.journal == "Journal of Example Medicine"
    assert doc.evidence_type is EvidenceType.RCT


# --- malformed input, every reader --------------------------------------------------------------


@pytest.mark.parametrize("reader", ALL_READERS, ids=lambda r: r.__name__)
def test_binary_file_is_a_problem_not_an_exception(tmp_path: Path, reader: Reader) -> None:
    path = tmp_path / "garbage.bin"
    path.write_bytes(b"\x00\xff\xfe" + os.urandom(4096))
    items = read(reader, path)
    assert items and all(isinstance(i, RecordProblem) for i in items)


@pytest.mark.parametrize("reader", ALL_READERS, ids=lambda r: r.__name__)
def test_empty_file_is_a_problem_or_nothing(tmp_path: Path, reader: Reader) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert all(isinstance(i, RecordProblem) for i in read(reader, path))


@pytest.mark.parametrize("reader", ALL_READERS, ids=lambda r: r.__name__)
def test_broken_gzip_is_a_problem(tmp_path: Path, reader: Reader) -> None:
    path = tmp_path / "broken.xml.gz"
    path.write_bytes(b"this is not gzip data")
    items = read(reader, path)
    assert items and all(isinstance(i, RecordProblem) and i.record <= 1 for i in items)


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("pubmed-xml", read_pubmed_xml),
        ("medline-text", read_medline_text),
        ("jats", read_jats),
        ("jsonl", read_jsonl),
        ("markdown", read_markdown),
        ("html", read_html),
        ("retraction-watch", read_retraction_watch),
    ],
)
def test_registry_names_these_readers(name: str, reader: Reader) -> None:
    assert get_reader(name) is reader
