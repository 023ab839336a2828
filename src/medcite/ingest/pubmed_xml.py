"""The PubMed/MEDLINE XML reader: efetch output, annual baseline and update files
(``PubmedArticleSet``) and the older ``MedlineCitationSet``, plain or gzipped.

Files are streamed with ``iterparse`` and each record is cleared once read, so a 30,000-record
baseline file never sits in memory. A truncated or corrupt file yields the records before the
break and one :class:`RecordProblem` for the break itself.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from medcite.evidence import classify
from medcite.ingest.base import (
    Item,
    ReadOptions,
    apply_options,
    open_binary,
    parse_year,
    problem,
    release,
)
from medcite.records import (
    Deletion,
    Document,
    Notice,
    NoticeKind,
    RecordProblem,
    Section,
    SourceDocument,
)
from medcite.text import clean

LICENCE = "NLM citation data (abstract © its publisher where stated)"
_ARTICLE_TAGS = ("PubmedArticle", "MedlineCitation")
# Record-level elements we recognise but do not turn into documents.
_SKIPPED_TAGS = ("DeleteCitation", "PubmedBookArticle", "DeleteDocument")
_SET_TAGS = ("PubmedArticleSet", "MedlineCitationSet")
_NO_LABEL = frozenset({"", "UNLABELLED", "UNASSIGNED"})  # NLM's markers for "no label"
RETRACTED = "Retracted Publication"  # PublicationType D016441
# CommentsCorrections RefType -> (kind, whether the notice is about this record, not the PMID
# it names): "RetractionIn" on a retracted paper names its notice, "RetractionOf" on the notice
# names the paper.
_NOTICE_LINKS = {
    "RetractionIn": (NoticeKind.RETRACTION, True),
    "ExpressionOfConcernIn": (NoticeKind.EXPRESSION_OF_CONCERN, True),
    "ErratumIn": (NoticeKind.ERRATUM, True),
    "RetractionOf": (NoticeKind.RETRACTION, False),
    "ExpressionOfConcernFor": (NoticeKind.EXPRESSION_OF_CONCERN, False),
    "ErratumFor": (NoticeKind.ERRATUM, False),
}


def read_pubmed_xml(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One :class:`SourceDocument` per ``PubmedArticle``/``MedlineCitation``, one
    :class:`Deletion` per PMID of a ``DeleteCitation`` (update files end with one); book records
    are skipped silently; anything malformed becomes a :class:`RecordProblem`."""
    count = 0
    started = False  # whether any record began, i.e. whether a break lies inside a record
    with open_binary(path) as handle:
        events = etree.iterparse(
            handle,
            events=("start", "end"),
            tag=(*_ARTICLE_TAGS, *_SKIPPED_TAGS),
            resolve_entities=False,
            no_network=True,
            huge_tree=True,
        )
        try:
            for event, element in events:
                parent = element.getparent()
                if parent is not None and parent.getparent() is not None:
                    continue  # the MedlineCitation inside a PubmedArticle, read with its parent
                if event == "start":
                    started = True
                    continue
                count += 1
                if element.tag in _ARTICLE_TAGS:
                    yield _record(path, count, element, options)
                elif element.tag == "DeleteCitation":
                    yield from _deletions(element)
                release(element)
        except etree.XMLSyntaxError as exc:
            yield problem(path, count + 1 if started else 0, f"malformed or truncated XML: {exc}")
            return
        except (OSError, EOFError, zlib.error) as exc:
            yield problem(path, count + 1 if started else 0, f"unreadable file: {exc}")
            return
    root = events.root
    if count == 0 and root is not None and root.tag not in _SET_TAGS:
        yield RecordProblem(str(path), 0, f"not PubMed XML: the root element is <{root.tag}>")


def _deletions(element: etree._Element) -> Iterator[Deletion]:
    """``<DeleteCitation><PMID Version="1">123</PMID>…``: the PMIDs PubMed withdrew."""
    for pmid in element.iterfind("PMID"):
        if value := _text(pmid):
            yield Deletion(f"pmid:{value}")


def _record(path: Path, number: int, element: etree._Element, options: ReadOptions) -> Item:
    citation = element if element.tag == "MedlineCitation" else element.find("MedlineCitation")
    if citation is None:
        return RecordProblem(str(path), number, "PubmedArticle without MedlineCitation")
    pmid = _text(citation.find("PMID"))
    if not pmid:
        return RecordProblem(str(path), number, "record has no PMID")
    article = citation.find("Article")
    if article is None:
        return RecordProblem(str(path), number, f"PMID {pmid}: record has no Article")
    title = _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle"))
    sections = _abstract(article) or _other_abstract(citation)
    if not title and not sections:
        return RecordProblem(str(path), number, f"PMID {pmid}: neither title nor abstract")
    document = _document(pmid, title, sections, (element, citation, article), options)
    return SourceDocument(document, sections, _notices(document, citation))


def _notices(document: Document, citation: etree._Element) -> tuple[Notice, ...]:
    """The retractions, expressions of concern and errata the record links, both ways: on this
    record (``RetractionIn``, or the "Retracted Publication" type when no link names the
    notice) and, on a notice's own record, on the paper it names (``RetractionOf``)."""
    pmid, doi = document.pmid, (document.doi or "").lower() or None
    notices: list[Notice] = []
    for link in citation.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        kind, on_this = _NOTICE_LINKS.get(link.get("RefType") or "", (None, False))
        if kind is None:
            continue
        other = _text(link.find("PMID")) or None
        source = _text(link.find("RefSource")) or None
        if on_this:
            notices.append(Notice(kind, "pubmed", pmid, doi, other, None, source))
        elif other:
            notices.append(Notice(kind, "pubmed", other, None, pmid, doi))
    retracted = any(n.kind is NoticeKind.RETRACTION and n.target_pmid == pmid for n in notices)
    if RETRACTED in document.publication_types and not retracted:
        notices.append(Notice(NoticeKind.RETRACTION, "pubmed", pmid, doi))
    return tuple(notices)


def _document(
    pmid: str,
    title: str,
    sections: tuple[Section, ...],
    elements: tuple[etree._Element, etree._Element, etree._Element],
    options: ReadOptions,
) -> Document:
    """The document for a record: ``elements`` are the record, its citation and its article."""
    element, citation, article = elements
    publication_types = _texts(article, "PublicationTypeList/PublicationType")
    mesh = _texts(citation, "MeshHeadingList/MeshHeading/DescriptorName")
    evidence = classify(
        source="pubmed",
        publication_types=publication_types,
        mesh=mesh,
        title=title,
        abstract=" ".join(s.text for s in sections),
    )
    source, evidence = apply_options(options, "pubmed", evidence)
    return Document(
        id=f"pmid:{pmid}",
        title=title or "[untitled]",
        evidence_type=evidence,
        source=source,
        authors=_authors(article),
        journal=_journal(citation, article),
        year=_year(article),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        identifiers=_identifiers(pmid, element, article),
        publication_types=publication_types,
        mesh=mesh,
        keywords=_texts(citation, "KeywordList/Keyword"),
        licence=LICENCE,
    )


def _text(element: etree._Element | None) -> str:
    """All text of an element, inline markup (``<i>``, ``<sub>``) included, whitespace-collapsed."""
    if element is None:
        return ""
    return clean("".join(str(t) for t in element.itertext()))


def _texts(element: etree._Element, xpath: str) -> tuple[str, ...]:
    return tuple(t for t in (_text(e) for e in element.iterfind(xpath)) if t)


def _abstract(article: etree._Element) -> tuple[Section, ...]:
    return _abstract_sections(article.find("Abstract"))


def _other_abstract(citation: etree._Element) -> tuple[Section, ...]:
    """An English ``OtherAbstract`` (e.g. a plain-language summary) when there is no Abstract."""
    for other in citation.iterfind("OtherAbstract"):
        if other.get("Language", "eng") == "eng":
            return _abstract_sections(other)
    return ()


def _abstract_sections(abstract: etree._Element | None) -> tuple[Section, ...]:
    if abstract is None:
        return ()
    sections = []
    for part in abstract.iterfind("AbstractText"):
        text = _text(part)
        if text:
            label = (part.get("Label") or part.get("NlmCategory") or "").strip().upper()
            sections.append(Section(None if label in _NO_LABEL else label, text))
    return tuple(sections)


def _authors(article: etree._Element) -> tuple[str, ...]:
    names: list[str] = []
    for author in article.iterfind("AuthorList/Author"):
        if author.get("ValidYN") == "N":
            continue
        collective = _text(author.find("CollectiveName"))
        last = _text(author.find("LastName"))
        initials = _text(author.find("Initials"))
        name = collective or " ".join(p for p in (last, initials) if p)
        if name:
            names.append(name)
    return tuple(names)


def _journal(citation: etree._Element, article: etree._Element) -> str | None:
    for element in (
        article.find("Journal/Title"),
        article.find("Journal/ISOAbbreviation"),
        citation.find("MedlineJournalInfo/MedlineTA"),
    ):
        if text := _text(element):
            return text
    return None


def _year(article: etree._Element) -> int | None:
    pub_date = article.find("Journal/JournalIssue/PubDate")
    if pub_date is not None:
        year = parse_year(_text(pub_date.find("Year"))) or parse_year(
            _text(pub_date.find("MedlineDate"))
        )
        if year:
            return year
    return parse_year(_text(article.find("ArticleDate/Year")))


def _identifiers(pmid: str, element: etree._Element, article: etree._Element) -> dict[str, str]:
    identifiers = {"pmid": pmid}
    article_ids = {
        (e.get("IdType") or "").lower(): _text(e)
        for e in element.iterfind("PubmedData/ArticleIdList/ArticleId")
    }
    doi = next(
        (
            _text(e)
            for e in article.iterfind("ELocationID")
            if e.get("EIdType") == "doi" and e.get("ValidYN") != "N" and _text(e)
        ),
        article_ids.get("doi"),
    )
    if doi:
        identifiers["doi"] = doi
    if pmcid := article_ids.get("pmc"):
        identifiers["pmcid"] = pmcid if pmcid.upper().startswith("PMC") else f"PMC{pmcid}"
    issue = article.find("Journal/JournalIssue")
    details = citation_details(
        _text(None if issue is None else issue.find("Volume")),
        _text(None if issue is None else issue.find("Issue")),
        _pages(article.find("Pagination")),
    )
    return identifiers | details


def _pages(pagination: etree._Element | None) -> str:
    """``StartPage``–``EndPage`` where given (newer records spell both out), else
    ``MedlinePgn``."""
    if pagination is None:
        return ""
    start, end = _text(pagination.find("StartPage")), _text(pagination.find("EndPage"))
    if start:
        return f"{start}-{end}" if end and end != start else start
    return _text(pagination.find("MedlinePgn"))


def citation_details(volume: str, issue: str, pages: str) -> dict[str, str]:
    """A journal article's ``volume``, ``issue`` and ``pages``, as ``Document.identifiers``
    carries them for the citation export (only those the record gives). They are no
    identifiers, but the document keeps one schema for every source: a new field would change
    every stored document's content hash, this changes only those of journal articles."""
    details = {"volume": clean(volume), "issue": clean(issue), "pages": full_page_range(pages)}
    return {key: value for key, value in details.items() if value}


_PAGE_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")


def full_page_range(pages: str) -> str:
    """``"113-25"`` → ``"113-125"``: MEDLINE drops the leading digits an end page shares with
    its start page; a citation file wants both pages whole. Anything else stays as given."""
    pages = clean(pages)
    match = _PAGE_RANGE.fullmatch(pages)
    if match is None:
        return pages
    first, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{first}-{last}" if int(last) >= int(first) else pages
