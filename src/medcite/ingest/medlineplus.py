"""The MedlinePlus health-topics reader: NLM's ``mplus_topics_YYYY-MM-DD.xml`` (every health
topic in one ~30 MB file, https://medlineplus.gov/xml.html), plain, gzipped or as the zip NLM
publishes.

One :class:`SourceDocument` per ``<health-topic>``, streamed with ``iterparse`` and cleared once
read. The ``full-summary`` is HTML escaped inside the XML: ``<h3>`` headings label the sections,
and each paragraph and list item is a block of its own, so a bullet stays a sentence. Topics are
counted from 1 in file order (English and Spanish alike), and a malformed one is a
:class:`RecordProblem` at that position while the rest go in.

The file holds each topic in English and in Spanish. Format ``medlineplus`` reads the English
topics only: the answer engine's sentence rules, stop words and spelling are English, and a
Spanish page would only crowd English questions. ``medlineplus-es`` reads the Spanish ones
(for an index of their own).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO

from lxml import etree
from lxml import html as lxml_html

from medcite.ingest.base import (
    Item,
    ReadOptions,
    apply_options,
    open_binary,
    parse_year,
    problem,
    release,
)
from medcite.ingest.generic import html_sections
from medcite.records import Document, EvidenceType, Section, SourceDocument
from medcite.text import clean

SOURCE = "medlineplus"
PUBLISHER = "MedlinePlus (National Library of Medicine)"
LICENCE = "public domain (U.S. Government work)"
ENGLISH = "English"
SPANISH = "Spanish"
_ROOT = "health-topics"
_TOPIC = "health-topic"
_DROPPED = ("script", "style", "noscript", "template")


def read_medlineplus(path: Path, options: ReadOptions) -> Iterator[Item]:
    """The English health topics of a MedlinePlus XML file (Spanish ones are skipped)."""
    return _read(path, options, ENGLISH)


def read_medlineplus_spanish(path: Path, options: ReadOptions) -> Iterator[Item]:
    """The Spanish health topics of a MedlinePlus XML file (English ones are skipped)."""
    return _read(path, options, SPANISH)


def _read(path: Path, options: ReadOptions, language: str) -> Iterator[Item]:
    count = 0
    started = False  # whether a topic began, i.e. whether a break lies at a topic
    generated: date | None = None
    root: etree._Element | None = None
    try:
        with _open(path) as handle:
            events = etree.iterparse(
                handle,
                events=("start", "end"),
                tag=(_ROOT, _TOPIC),
                resolve_entities=False,
                no_network=True,
                huge_tree=True,
            )
            for event, element in events:
                parent = element.getparent()
                if element.tag == _ROOT or parent is None or parent.getparent() is not None:
                    if event == "start" and parent is None:
                        generated = _date(element.get("date-generated"))
                    continue  # the root, or a topic nested where none belongs
                if event == "start":
                    started = True
                    continue
                count += 1
                if (element.get("language") or ENGLISH).strip() == language:
                    yield _topic(path, count, element, options, generated)
                release(element)
            root = events.root
    except etree.XMLSyntaxError as exc:
        yield problem(path, count + 1 if started else 0, f"malformed or truncated XML: {exc}")
        return
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        yield problem(path, count + 1 if started else 0, f"unreadable file: {exc}")
        return
    if count == 0 and root is not None and root.tag != _ROOT:
        yield problem(path, 0, f"not MedlinePlus health-topics XML: the root is <{root.tag}>")


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    """The XML stream: the file itself (un-gzipped), or the one ``.xml`` inside NLM's zip."""
    if path.suffix.lower() != ".zip":
        with open_binary(path) as handle:
            yield handle
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.LargeZipFile, NotImplementedError, ValueError) as exc:
        raise zipfile.BadZipFile(str(exc)) from exc
    with archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".xml")]
        if len(names) != 1:
            raise zipfile.BadZipFile(f"expected one .xml file in the zip, found {len(names)}")
        try:
            handle = archive.open(names[0])
        except (NotImplementedError, RuntimeError, ValueError) as exc:  # compression, password
            raise zipfile.BadZipFile(str(exc)) from exc
        with handle:
            yield handle


def _topic(
    path: Path, number: int, element: etree._Element, options: ReadOptions, generated: date | None
) -> Item:
    topic_id = (element.get("id") or "").strip()
    title = clean(element.get("title") or "")
    if not topic_id:
        return problem(path, number, f"health-topic {title!r} has no id")
    if not title:
        return problem(path, number, f"health-topic {topic_id} has no title")
    summary = element.find("full-summary")
    sections = summary_sections(
        "".join(map(str, summary.itertext())) if summary is not None else ""
    )
    if not sections:
        return problem(path, number, f"health-topic {topic_id} ({title}) has no summary text")
    source, evidence = apply_options(options, SOURCE, EvidenceType.CONSUMER_HEALTH)
    document = Document(
        id=f"medlineplus:{topic_id}",
        title=title,
        evidence_type=evidence,
        source=source,
        journal=PUBLISHER,
        year=_year(element.get("date-created"), generated),
        url=(element.get("url") or "").strip() or None,
        identifiers={"medlineplus": topic_id},
        mesh=_texts(element, "mesh-heading/descriptor"),
        keywords=_texts(element, "also-called"),
        licence=LICENCE,
    )
    return SourceDocument(document, sections)


def summary_sections(markup: str) -> tuple[Section, ...]:
    """A ``full-summary``'s HTML as sections: ``<h3>`` (``h1``–``h3``) headings label them;
    paragraphs and list items are blank-line-separated blocks of their text."""
    if not markup.strip():
        return ()
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.LxmlError, ValueError):  # "Document is empty", text lxml cannot hold
        return ()
    etree.strip_elements(root, *_DROPPED, with_tail=False)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)  # keeps their text's tail
    return html_sections(root)


def _texts(element: etree._Element, path: str) -> tuple[str, ...]:
    """Each element's text, whitespace-collapsed, once, in file order."""
    found = (clean("".join(map(str, e.itertext()))) for e in element.iterfind(path))
    return tuple(dict.fromkeys(t for t in found if t))


def _year(created: str | None, generated: date | None) -> int | None:
    """The year the topic was first published; when it gives none, the year of the file (the
    summary was current then). The file's date is kept nowhere else: every topic's content
    hash would change with each new file, and unchanged topics be reported as replaced."""
    when = _date(created)
    if when is not None:
        return when.year
    return parse_year(created) or (generated.year if generated else None)


def _date(value: str | None) -> date | None:
    """``"01/07/2003"`` or ``"07/21/2012 02:32:56"`` (MedlinePlus's MM/DD/YYYY) as a date."""
    if not value:
        return None
    try:
        return datetime.strptime(value.strip().split(" ", 1)[0], "%m/%d/%Y").date()
    except ValueError:
        return None
