"""The MedlinePlus health-topics reader on a real (trimmed) NLM file, on a small file made for
these tests where the real one lacks a case (headings, a malformed topic), on broken files, in
format detection, and end to end: ``medcite ingest`` then search and ask."""

from __future__ import annotations

import gzip
import json
import os
import zipfile
from pathlib import Path

import pytest

from medcite.ingest.base import Item, Reader, ReadOptions
from medcite.ingest.medlineplus import (
    LICENCE,
    PUBLISHER,
    read_medlineplus,
    read_medlineplus_spanish,
    summary_sections,
)
from medcite.ingest.registry import detect_format, get_reader
from medcite.records import EvidenceType, RecordProblem, Section, SourceDocument
from medcite.text import split_sentences
from tests.conftest import FIXTURES, run_medcite

SAMPLE = FIXTURES / "sources" / "medlineplus" / "mplus_topics_2012-07-21_excerpt.xml"
READERS: list[Reader] = [read_medlineplus, read_medlineplus_spanish]

# MADE FOR THIS TEST, not NLM's text: the real file's format (escaped HTML summaries, h3
# headings as today's summaries have them) with the cases the real sample lacks — a topic
# without date-created, one without id, one without summary text, one nested in another.
MADE_UP = """<?xml version="1.0" encoding="UTF-8"?>
<health-topics total="6" date-generated="03/22/2025 02:30:01">
  <health-topic title="Made-up Topic One" url="https://example.org/one.html" id="9001"
                language="English">
    <also-called>First</also-called>
    <also-called>First</also-called>
    <full-summary>&lt;h3&gt;What is it?&lt;/h3&gt;&lt;p&gt;A condition made up for a test.
      &lt;!-- a comment --&gt;&lt;script&gt;tracker()&lt;/script&gt;&lt;/p&gt;
      &lt;h3&gt;When to get help&lt;/h3&gt;&lt;p&gt;Call your provider if&lt;/p&gt;
      &lt;ul&gt;&lt;li&gt;you have a fever&lt;/li&gt;&lt;li&gt;it &lt;b&gt;hurts&lt;/b&gt;
      &amp;amp; swells&lt;/li&gt;&lt;/ul&gt;</full-summary>
    <mesh-heading><descriptor id="D000001">Made-up Disease</descriptor>
      <qualifier id="Q000001">therapy</qualifier></mesh-heading>
  </health-topic>
  <health-topic title="No Id" url="https://example.org/noid.html" language="English"
                date-created="01/01/2020">
    <full-summary>&lt;p&gt;Text.&lt;/p&gt;</full-summary>
  </health-topic>
  <health-topic title="No Summary" url="https://example.org/empty.html" id="9003"
                language="English" date-created="01/01/2020">
    <full-summary>&lt;p&gt; &lt;/p&gt;</full-summary>
  </health-topic>
  <health-topic title="Tema inventado" url="https://example.org/es.html" id="9004"
                language="Spanish" date-created="01/01/2020">
    <full-summary>&lt;p&gt;Un texto.&lt;/p&gt;</full-summary>
  </health-topic>
  <health-topic title="Made-up Topic Five" url="https://example.org/five.html" id="9005"
                language="English" date-created="12/31/2019">
    <full-summary>&lt;p&gt;The last topic still goes in.&lt;/p&gt;</full-summary>
    <related-topic url="https://example.org/one.html" id="9001">Made-up Topic One
    </related-topic>
  </health-topic>
</health-topics>
"""


def read(reader: Reader, path: Path) -> list[Item]:
    return list(reader(path, ReadOptions()))


def documents(items: list[Item]) -> dict[str, SourceDocument]:
    return {i.document.id: i for i in items if isinstance(i, SourceDocument)}


def problems(items: list[Item]) -> list[RecordProblem]:
    return [i for i in items if isinstance(i, RecordProblem)]


@pytest.fixture()
def made_up(tmp_path: Path) -> Path:
    path = tmp_path / "mplus_topics_2025-03-22.xml"
    path.write_text(MADE_UP, encoding="utf-8")
    return path


# --- the real sample ----------------------------------------------------------------------------


def test_english_topic_of_the_real_file() -> None:
    items = read(read_medlineplus, SAMPLE)
    assert problems(items) == []
    (source,) = documents(items).values()  # the Spanish topic is not read by default
    doc = source.document
    assert doc.id == "medlineplus:3061"
    assert doc.title == "Abdominal Pain"
    assert doc.url == "https://www.nlm.nih.gov/medlineplus/abdominalpain.html"
    assert doc.year == 2003  # date-created="01/07/2003"
    assert doc.keywords == ("Bellyache",)  # also-called
    assert doc.mesh == ("Abdominal Pain",)
    assert doc.identifiers == {"medlineplus": "3061"}
    assert doc.evidence_type is EvidenceType.CONSUMER_HEALTH
    assert doc.source == "medlineplus"
    assert doc.journal == PUBLISHER == "MedlinePlus (National Library of Medicine)"
    assert doc.licence == LICENCE == "public domain (U.S. Government work)"
    (section,) = source.sections  # the 2012 summary has no headings
    assert section.label is None
    assert "<" not in section.text and "&" not in section.text  # the escaped HTML is read
    sentences = split_sentences(section.text)
    assert sentences[0] == "Your abdomen extends from below your chest to your groin."
    assert "Nor does mild pain mean a problem is not serious." in sentences
    # each list item stays a sentence of its own, not run into the next
    items_start = sentences.index("Get medical help immediately if")
    assert sentences[items_start + 1 :] == [
        "You have abdominal pain that is sudden and sharp",
        "You also have pain in your chest, neck or shoulder",
        "You're vomiting blood or have blood in your stool",
        "Your abdomen is stiff, hard and tender to touch",
        "You can't move your bowels, especially if you're also vomiting",
    ]


def test_spanish_topics_are_read_only_as_medlineplus_es() -> None:
    assert "medlineplus:3062" not in documents(read(read_medlineplus, SAMPLE))
    items = read(read_medlineplus_spanish, SAMPLE)
    assert problems(items) == []
    (source,) = documents(items).values()
    doc = source.document
    assert doc.id == "medlineplus:3062" and doc.title == "Dolor abdominal"
    assert doc.url == "https://www.nlm.nih.gov/medlineplus/spanish/abdominalpain.html"
    assert doc.keywords == ("Dolor de barriga", "Dolor de estómago", "Dolor de panza")
    assert doc.year == 2003
    assert split_sentences(source.sections[0].text)[-1] == (
        "No puede evacuar (mover el intestino), especialmente si además tiene vómitos"
    )
    assert get_reader("medlineplus-es") is read_medlineplus_spanish


# --- cases the sample lacks (made-up file) ------------------------------------------------------


def test_headings_label_sections_and_a_malformed_topic_is_reported_where_it_is(
    made_up: Path,
) -> None:
    items = read(read_medlineplus, made_up)
    docs = documents(items)
    assert list(docs) == ["medlineplus:9001", "medlineplus:9005"]  # the others still go in
    assert [(p.path, p.record) for p in problems(items)] == [(str(made_up), 2), (str(made_up), 3)]
    no_id, no_text = problems(items)
    assert "no id" in no_id.message and "'No Id'" in no_id.message
    assert "9003" in no_text.message and "no summary text" in no_text.message
    assert str(no_id) == f"{made_up}: record 2: health-topic 'No Id' has no id"
    one = docs["medlineplus:9001"]
    assert one.sections == (
        Section("What is it?", "A condition made up for a test."),  # no comment, no script
        Section(
            "When to get help", "Call your provider if\n\nyou have a fever\n\nit hurts & swells"
        ),
    )
    assert one.document.year == 2025  # no date-created: the file's date-generated
    assert one.document.keywords == ("First",)
    assert one.document.mesh == ("Made-up Disease",)
    assert docs["medlineplus:9005"].document.year == 2019
    spanish = read(read_medlineplus_spanish, made_up)  # English topics, malformed or not, unread
    assert list(documents(spanish)) == ["medlineplus:9004"] and problems(spanish) == []


def test_summary_sections_of_odd_markup() -> None:
    assert summary_sections("") == ()
    assert summary_sections("  \n ") == ()
    assert summary_sections("plain text, no tags") == (Section(None, "plain text, no tags"),)
    assert summary_sections("<p>one</p><p>two</p>") == (Section(None, "one\n\ntwo"),)
    assert summary_sections("<p><b>un</b>closed <i>tags") == (Section(None, "unclosed tags"),)


def test_options_override_source_and_evidence_type() -> None:
    options = ReadOptions(source="nlm", evidence_type=EvidenceType.GUIDELINE)
    (source,) = documents(list(read_medlineplus(SAMPLE, options))).values()
    assert (source.document.source, source.document.evidence_type) == (
        "nlm",
        EvidenceType.GUIDELINE,
    )
    assert source.document.id == "medlineplus:3061"


# --- compressed and broken files ----------------------------------------------------------------


def test_gzip_and_nlm_zip_read_as_the_plain_file(tmp_path: Path) -> None:
    plain = documents(read(read_medlineplus, SAMPLE))
    gz = tmp_path / "mplus_topics_2012-07-21.xml.gz"
    gz.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    packed = tmp_path / "mplus_topics_compressed_2012-07-21.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(SAMPLE, "mplus_topics_2012-07-21.xml")
    for path in (gz, packed):
        assert documents(read(read_medlineplus, path)) == plain
        assert detect_format(path) == "medlineplus"


def test_truncated_file_yields_the_topics_before_the_break(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: data.index(b'<health-topic title="Dolor') + 400])  # inside topic 2
    items = read(read_medlineplus, cut)
    assert list(documents(items)) == ["medlineplus:3061"]
    (problem,) = problems(items)
    assert items[-1] is problem and problem.record == 2
    assert problem.path == str(cut) and "truncated" in problem.message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("garbage.bin", b"\x00\xff\xfe" + os.urandom(4096)),
        ("empty.xml", b""),
        ("broken.xml.gz", b"this is not gzip data"),
        ("mplus_topics_broken.zip", b"PK\x03\x04 not really a zip"),
        ("other.xml", b'<?xml version="1.0"?><PubmedArticleSet></PubmedArticleSet>'),
    ],
)
@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_broken_or_foreign_files_are_problems_not_exceptions(
    tmp_path: Path, reader: Reader, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    items = read(reader, path)
    assert items and all(isinstance(i, RecordProblem) and i.record <= 1 for i in items)
    assert all(i.path == str(path) for i in problems(items))


def test_zip_without_one_xml_file_is_a_problem(tmp_path: Path) -> None:
    packed = tmp_path / "mplus_topics_compressed.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("readme.txt", "no topics here")
    (problem,) = read(read_medlineplus, packed)
    assert isinstance(problem, RecordProblem) and "one .xml file" in problem.message


# --- format detection ---------------------------------------------------------------------------


def test_detected_by_its_root_element_not_taken_by_the_pubmed_fallback(
    made_up: Path, tmp_path: Path
) -> None:
    assert detect_format(SAMPLE) == "medlineplus"  # XML with a DOCTYPE, as NLM writes it
    assert detect_format(made_up) == "medlineplus"
    unnamed = tmp_path / "topics"  # no extension: the XML declaration and root say it
    unnamed.write_bytes(SAMPLE.read_bytes())
    assert detect_format(unnamed) == "medlineplus"
    assert get_reader("medlineplus") is read_medlineplus
    assert detect_format(FIXTURES / "efetch" / "pubmed-29768149.xml") == "pubmed-xml"


# --- end to end: the CLI on a real index --------------------------------------------------------


def test_ingest_then_search_and_ask_find_the_topic(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    out = run_medcite(index, "ingest", "--format", "medlineplus", str(SAMPLE), "--quiet")
    assert ": 1 added, 0 replaced, 0 unchanged, " in out and " 0 skipped;" in out
    again = run_medcite(index, "ingest", str(SAMPLE), "--quiet")  # detected; unchanged
    assert ": 0 added, 0 replaced, 1 unchanged, " in again
    hits = json.loads(run_medcite(index, "search", "blood in stool", "--json"))["hits"]
    assert hits[0]["doc_id"] == "medlineplus:3061"
    assert hits[0]["source"] == "medlineplus" and hits[0]["evidence_type"] == "consumer_health"
    assert "blood in your stool" in hits[0]["text"]
    answer = json.loads(run_medcite(index, "ask", "What causes abdominal pain?", "--json"))
    (reference,) = [r for r in answer["references"] if r["doc_id"] == "medlineplus:3061"]
    assert reference["title"] == "Abdominal Pain" and reference["journal"] == PUBLISHER
    assert reference["url"] == "https://www.nlm.nih.gov/medlineplus/abdominalpain.html"
