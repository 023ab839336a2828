"""The PMC full-text reader: JATS ``<article>`` files (``.nxml``) and ``pmc-articleset`` files
holding several articles, plain or gzipped.

A document is the abstract (sections labelled by their upper-cased ``<title>``) followed by the
body's ``<sec>`` blocks labelled by their title path (``Methods / Study area``). Figures, tables
and supplementary material are dropped; the licence comes from ``<permissions>`` so every
passage can say how it may be reused.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from copy import deepcopy
from pathlib import Path

from lxml import etree

from medcite.evidence import classify
from medcite.ingest.base import (
    Item,
    ReadOptions,
    apply_options,
    open_binary,
    parse_year,
    release,
)
from medcite.records import Document, RecordProblem, Section, SourceDocument
from medcite.text import clean

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ALI_LICENSE_REF = "{http://www.niso.org/schemas/ali/1.0/}license_ref"
_DROPPED = ("fig", "fig-group", "table-wrap", "table-wrap-group", "supplementary-material")
_NOT_TEXT = frozenset({"sec", "title", "label", *_DROPPED})
_HEADING_SUBJECTS = "article-categories/subj-group[@subj-group-type='heading']/subject"
_DATE_PREFERENCE = ("ppub", "epub", "collection", "epub-ppub")
_CC_URL = re.compile(r"https?://(?:www\.)?creativecommons\.org/[\w./-]+", re.I)
_CC_NAME = re.compile(r"creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d(?:\.\d)?)", re.I)
# JATS article-type / heading subject → the PubMed publication type classify() understands.
_ARTICLE_TYPES = {
    "review-article": "Review",
    "review": "Review",
    "systematic-review": "Systematic Review",
    "systematic review": "Systematic Review",
    "meta-analysis": "Meta-Analysis",
    "case-report": "Case Reports",
    "case report": "Case Reports",
    "practice-guideline": "Practice Guideline",
    "guideline": "Guideline",
    "guidelines": "Guideline",
}


def read_jats(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One :class:`SourceDocument` per ``<article>``; a broken file yields a problem."""
    count = 0
    started = False  # whether an <article> began, i.e. whether a break lies inside one
    with open_binary(path) as handle:
        events = etree.iterparse(
            handle,
            events=("start", "end"),
            tag="article",
            resolve_entities=False,
            no_network=True,
            huge_tree=True,
        )
        try:
            for event, element in events:
                if event == "start":
                    started = True
                    continue
                count += 1
                yield _record(path, count, element, options)
                release(element)  # a pmc-articleset: drop the articles already read
        except etree.XMLSyntaxError as exc:
            number = count + 1 if started else 0
            yield RecordProblem(str(path), number, f"malformed or truncated XML: {_line(exc)}")
            return
        except (OSError, EOFError, zlib.error) as exc:
            yield RecordProblem(str(path), count + 1 if started else 0, f"unreadable: {_line(exc)}")
            return
    if count == 0:
        yield RecordProblem(str(path), 0, "not JATS: no <article> element")


def _line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _record(path: Path, number: int, article: etree._Element, options: ReadOptions) -> Item:
    meta = article.find("front/article-meta")
    if meta is None:
        return RecordProblem(str(path), number, "article has no <front>/<article-meta>")
    ids = _article_ids(meta)
    if "pmid" in ids:
        doc_id = f"pmid:{ids['pmid']}"
    elif "pmcid" in ids:
        doc_id = f"pmc:{ids['pmcid']}"
    else:
        return RecordProblem(str(path), number, "article has neither PMID nor PMCID")
    etree.strip_elements(article, *_DROPPED, with_tail=False)
    title = _text(meta.find("title-group/article-title"))
    abstract = _abstract(meta)
    body = article.find("body")
    sections = (*abstract, *(_sections(body, ()) if body is not None else ()))
    if not title or not sections:
        return RecordProblem(str(path), number, f"{doc_id}: article without title or text")
    publication_types = _publication_types(article, meta)
    evidence = classify(
        source="pmc",
        publication_types=publication_types,
        title=title,
        abstract=" ".join(s.text for s in abstract),
    )
    source, evidence = apply_options(options, "pmc", evidence)
    pmcid = ids.get("pmcid")
    document = Document(
        id=doc_id,
        title=title,
        evidence_type=evidence,
        source=source,
        authors=_authors(meta),
        journal=_journal(article.find("front/journal-meta")),
        year=_year(meta),
        url=f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmcid}/" if pmcid else None,
        identifiers=ids,
        publication_types=publication_types,
        keywords=tuple(t for t in (_text(k) for k in meta.iterfind("kwd-group/kwd")) if t),
        licence=_licence(meta),
    )
    return SourceDocument(document, sections)


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return clean("".join(str(t) for t in element.itertext()))


def _article_ids(meta: etree._Element) -> dict[str, str]:
    ids: dict[str, str] = {}
    for element in meta.iterfind("article-id"):
        kind, value = element.get("pub-id-type", ""), _text(element)
        if not value:
            continue
        if kind in ("pmc", "pmcid"):
            ids["pmcid"] = value if value.upper().startswith("PMC") else f"PMC{value}"
        elif kind in ("pmid", "doi"):
            ids[kind] = value
    return ids


def _abstract(meta: etree._Element) -> tuple[Section, ...]:
    sections: list[Section] = []
    for abstract in meta.iterfind("abstract"):
        heading = _text(abstract.find("title")).upper() or "ABSTRACT"
        for label, text in _blocks(abstract, ()):
            name = label[-1].upper() if label else heading
            sections.append(Section(name, text))
    return tuple(sections)


def _sections(body: etree._Element, path: tuple[str, ...]) -> tuple[Section, ...]:
    return tuple(
        Section(" / ".join(label) if label else None, text) for label, text in _blocks(body, path)
    )


def _blocks(
    element: etree._Element, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(title path, text) in source order: a ``<sec>`` interrupts its parent's running text."""
    paragraphs: list[str] = []
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        if child.tag == "sec":
            if paragraphs:
                yield path, "\n\n".join(paragraphs)
                paragraphs = []
            title = _text(child.find("title"))
            yield from _blocks(child, (*path, title) if title else path)
        elif child.tag not in _NOT_TEXT and (text := _text(child)):
            paragraphs.append(text)
    if paragraphs:
        yield path, "\n\n".join(paragraphs)


def _publication_types(article: etree._Element, meta: etree._Element) -> tuple[str, ...]:
    cues = [article.get("article-type", "")]
    cues += [
        _text(s)
        for s in meta.iterfind("article-categories/subj-group[@subj-group-type='heading']/subject")
    ]
    found = {_ARTICLE_TYPES[c.lower()] for c in cues if c.lower() in _ARTICLE_TYPES}
    return tuple(sorted(found))


def _authors(meta: etree._Element) -> tuple[str, ...]:
    names: list[str] = []
    for contrib in meta.iterfind("contrib-group/contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        name = contrib.find("name")
        if name is not None:
            given = _text(name.find("given-names"))
            initials = "".join(p[0] for p in re.split(r"[\s.-]+", given) if p)
            names.append(" ".join(p for p in (_text(name.find("surname")), initials) if p))
        elif collab := _text(contrib.find("collab")):
            names.append(collab)
    return tuple(n for n in names if n)


def _journal(journal_meta: etree._Element | None) -> str | None:
    if journal_meta is None:
        return None
    for xpath in (
        "journal-title-group/journal-title",
        "journal-title",
        "journal-id[@journal-id-type='nlm-ta']",
    ):
        if text := _text(journal_meta.find(xpath)):
            return text
    return None


def _year(meta: etree._Element) -> int | None:
    years: dict[str, int] = {}
    for date in meta.iterfind("pub-date"):
        year = parse_year(_text(date.find("year")))
        if year:
            years.setdefault(date.get("pub-type") or date.get("date-type") or "", year)
    for kind in _DATE_PREFERENCE:
        if kind in years:
            return years[kind]
    return next(iter(years.values()), None)


def _licence(meta: etree._Element) -> str | None:
    """``CC BY 4.0 (http://…)`` when a Creative Commons URL is given, else the licence text.
    Older JATS (2.x) puts the copyright statement straight into ``<article-meta>``."""
    permissions = meta.find("permissions")
    if permissions is None:
        permissions = etree.Element("permissions")
        permissions.extend(deepcopy(e) for e in meta.iterfind("copyright-statement"))
    licence = permissions.find("license")
    urls = [licence.get(_XLINK_HREF, "")] if licence is not None else []
    urls += [_text(e) for e in permissions.iter(_ALI_LICENSE_REF)]
    urls += [e.get(_XLINK_HREF, "") for e in permissions.iter("ext-link")]
    urls += _CC_URL.findall(_text(permissions))
    url = next((u for u in urls if u), "")
    name = _cc_name(url)
    if url:
        return f"{name} ({url})" if name else url
    text = _text(licence) or _text(permissions.find("copyright-statement"))
    return text[:500] or None


def _cc_name(url: str) -> str | None:
    match = _CC_NAME.search(url)
    if match is None:
        return None
    kind, code, version = match.groups()
    if kind.lower() == "publicdomain":
        return f"CC0 {version}" if code.lower() == "zero" else "public domain"
    return f"CC {code.upper()} {version}"
