"""Readers for a user's own material (local guidelines, protocols, patient leaflets): JSON Lines,
Markdown with YAML front matter, and HTML pages.

All three map their header (JSON keys, front matter, ``<meta>`` tags) onto the same fields and
build the document in one place, so an id, a year or an evidence type means the same thing
whichever format it came from. Ids are stable: ``pmid:``/``doi:`` when given, else
``<source>:<id>``, else a digest of the content (JSON Lines) or the file name (Markdown, HTML).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from lxml import etree
from lxml import html as lxml_html

from medcite.evidence import classify
from medcite.ingest.base import (
    Item,
    ReadOptions,
    apply_options,
    iter_json_lines,
    open_binary,
    parse_year,
)
from medcite.records import Document, EvidenceType, RecordProblem, Section, SourceDocument
from medcite.text import clean

DEFAULT_SOURCE = "local"
_HEADING = re.compile(r"^(#{1,2})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HTML_HEADINGS = frozenset({"h1", "h2", "h3"})
_HTML_DROPPED = ("script", "style", "noscript", "template", "nav")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # [text](url) and ![alt](src) → the text
_HTML_BLOCKS = frozenset(
    {
        *("p", "div", "section", "article", "main", "aside", "header", "footer"),
        *("ul", "ol", "li", "dl", "dt", "dd", "pre", "blockquote", "address", "form"),
        *("table", "tr", "td", "th", "caption", "figure", "figcaption", "details", "summary"),
        *("h4", "h5", "h6", "br", "hr"),
    }
)
# <meta name> → field; medcite:* names win over the citation_* (Highwire/Google Scholar) ones.
_HTML_META = {
    "citation_title": "title",
    "citation_publication_date": "year",
    "citation_date": "year",
    "citation_doi": "doi",
    "citation_pmid": "pmid",
    "citation_journal_title": "journal",
    "citation_publisher": "publisher",
}
_FIELDS = frozenset(
    {"title", "source", "year", "url", "evidence_type", "publisher", "journal", "id", "licence"}
    | {"doi", "pmid", "authors"}
)


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One document per line: ``title`` plus ``text`` or ``sections`` ([{label, text}])."""
    for number, value in iter_json_lines(path):
        if isinstance(value, RecordProblem):
            yield value
            continue
        try:
            sections = _json_sections(value)
            key = _digest(str(value.get("title", "")), *(s.text for s in sections))
            yield build_document(value, sections, options, key)
        except (ValueError, TypeError, AttributeError) as exc:
            yield RecordProblem(str(path), number, str(exc))


def read_markdown(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One document per file; sections split at ``#`` and ``##`` headings."""
    try:
        with open_binary(path) as handle:
            raw = handle.read()
        if b"\x00" in raw:
            raise ValueError("it holds binary data")
        text = raw.decode("utf-8-sig")
    except (OSError, EOFError, ValueError) as exc:
        yield RecordProblem(str(path), 0, f"not a readable Markdown file: {exc}")
        return
    try:
        header, body = _front_matter(text)
        sections, first_heading = _markdown_sections(body)
        header.setdefault("title", first_heading or path.stem)
        yield build_document(header, sections, options, _slug(path))
    except (ValueError, TypeError, yaml.YAMLError, RecursionError) as exc:
        yield RecordProblem(str(path), 1, str(exc).splitlines()[0] if str(exc) else repr(exc))


def read_html(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One document per page; ``<meta>`` tags give the header, ``h1``–``h3`` start sections."""
    try:
        with open_binary(path) as handle:
            raw = handle.read()
        if b"\x00" in raw[:65_536]:
            raise ValueError("it holds binary data")
        page = lxml_html.document_fromstring(raw)
    except (OSError, EOFError, ValueError, etree.ParserError) as exc:
        yield RecordProblem(str(path), 0, f"not a readable HTML file: {exc}")
        return
    try:
        etree.strip_elements(page, *_HTML_DROPPED, with_tail=False)
        etree.strip_tags(page, etree.Comment, etree.ProcessingInstruction)  # keeps their tails
        header = _html_header(page)
        body = page.find("body")
        sections = html_sections(body if body is not None else page)
        heading = page.find(".//h1")
        header.setdefault("title", _html_text(heading) if heading is not None else path.stem)
        yield build_document(header, sections, options, _slug(path))
    except (ValueError, TypeError) as exc:
        yield RecordProblem(str(path), 1, str(exc))


# --- one document builder for all three formats ------------------------------------------------


def build_document(
    meta: Mapping[str, Any], sections: tuple[Section, ...], options: ReadOptions, key: str
) -> SourceDocument:
    """The document a header describes; ``key`` names it when the header gives no id.

    Raises ValueError for a missing title or text or an unknown evidence type."""
    title = clean(str(meta.get("title") or ""))
    if not title:
        raise ValueError("record has no title")
    if not sections:
        raise ValueError(f"{title!r} has no text")
    source = options.source or _scalar(meta.get("source")) or DEFAULT_SOURCE
    stated = _scalar(meta.get("evidence_type"))
    evidence = (
        EvidenceType.parse(stated)
        if stated
        else classify(source=source, title=title, abstract=" ".join(s.text for s in sections))
    )
    source, evidence = apply_options(options, source, evidence)
    identifiers = {k: _scalar(meta[k]) for k in ("pmid", "doi") if meta.get(k)}
    if meta.get("id"):
        identifiers[source] = _scalar(meta["id"])
    year = meta.get("year")
    document = Document(
        id=_document_id(identifiers, source, meta.get("id"), key),
        title=title,
        evidence_type=evidence,
        source=source,
        authors=_list(meta.get("authors"), ";"),
        journal=_scalar(meta.get("journal") or meta.get("publisher")) or None,
        year=parse_year(year if isinstance(year, int) else _scalar(year)),
        url=_scalar(meta.get("url")) or None,
        identifiers=identifiers,
        keywords=_list(meta.get("keywords"), ","),
        licence=_scalar(meta.get("licence") or meta.get("license")) or None,
    )
    return SourceDocument(document, sections)


def _document_id(identifiers: dict[str, str], source: str, given: object, key: str) -> str:
    if "pmid" in identifiers:
        return f"pmid:{identifiers['pmid']}"
    if "doi" in identifiers:
        return f"doi:{identifiers['doi']}"
    return f"{source}:{_scalar(given) if given else key}"


def _scalar(value: object) -> str:
    return "" if value is None else str(value).strip()


def _list(value: object, separator: str) -> tuple[str, ...]:
    """A list given as a YAML/JSON list or as one string (``"Smith J; Jones K"``)."""
    if isinstance(value, str):
        value = value.split(separator)
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in (clean(str(v)) for v in value if v) if item)


def _slug(path: Path) -> str:
    """A file's id key: ``Hypertension Guide.md`` → ``hypertension-guide``."""
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"


def _digest(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]


# --- JSON Lines ---------------------------------------------------------------------------------


def _json_sections(value: dict[str, Any]) -> tuple[Section, ...]:
    if value.get("sections") is not None:
        parts = value["sections"]
        if not isinstance(parts, list):
            raise ValueError("'sections' must be a list of {label, text} objects")
        return tuple(
            Section(clean(str(p["label"])) if p.get("label") else None, str(p["text"]).strip())
            for p in parts
            if isinstance(p, dict) and str(p.get("text") or "").strip()
        )
    text = str(value.get("text") or "").strip()
    return (Section(None, text),) if text else ()


# --- Markdown -----------------------------------------------------------------------------------


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML header between ``---`` lines (if any) and the body after it."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            header = yaml.safe_load("\n".join(lines[1:end])) or {}
            if not isinstance(header, dict):
                raise ValueError("the front matter must be a YAML mapping")
            return {str(k): v for k, v in header.items()}, "\n".join(lines[end + 1 :])
    raise ValueError("the front matter has no closing '---' line")


def _markdown_sections(body: str) -> tuple[tuple[Section, ...], str | None]:
    """The sections and the first ``#`` heading (the title when the header gives none)."""
    sections: list[Section] = []
    label: str | None = None
    first_heading: str | None = None
    lines: list[str] = []
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            lines.append(line)
            continue
        sections.extend(_section(label, _md_text(lines)))
        label, lines = clean(match.group(2)), []
        if first_heading is None and match.group(1) == "#":
            first_heading = label
    sections.extend(_section(label, _md_text(lines)))
    return tuple(sections), first_heading


def _md_text(lines: list[str]) -> str:
    """Markdown source as plain text: links become their text, bold markers go."""
    return _MD_LINK.sub(r"\1", "\n".join(lines)).replace("**", "").replace("__", "")


def _section(label: str | None, text: str) -> tuple[Section, ...]:
    text = text.strip()
    return (Section(label, text),) if text else ()


# --- HTML ---------------------------------------------------------------------------------------


def _html_header(page: lxml_html.HtmlElement) -> dict[str, Any]:
    header: dict[str, Any] = {}
    cited: dict[str, Any] = {}
    for meta in page.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        if name.startswith("medcite:") and name[8:] in _FIELDS:
            header.setdefault(name[8:], content)
        elif name in _HTML_META:
            cited.setdefault(_HTML_META[name], content)
    title = page.find(".//title")
    if title is not None and _html_text(title):
        cited.setdefault("title", _html_text(title))
    return {**cited, **header}


def _html_text(element: etree._Element) -> str:
    return clean(lxml_html.tostring(element, method="text", encoding="unicode", with_tail=False))


def html_sections(root: etree._Element) -> tuple[Section, ...]:
    """Walk the page in document order; an ``h1``–``h3`` closes a section and labels the next.
    Each paragraph and list item is its own blank-line-separated block, so a bullet never runs
    into the next one as a sentence (the MedlinePlus reader relies on it too)."""
    sections: list[Section] = []
    label: str | None = None
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = str(element.tag)
        if event == "start":
            if tag in _HTML_HEADINGS:
                sections.extend(_section(label, _paragraphs(parts)))
                label, parts = _html_text(element) or None, []
                walker.skip_subtree()
                continue
            if tag in _HTML_BLOCKS:
                parts.append("\n\n")
            parts.append(element.text or "")
        else:
            if tag in _HTML_BLOCKS:
                parts.append("\n\n")
            if element is not root:
                parts.append(element.tail or "")
    sections.extend(_section(label, _paragraphs(parts)))
    return tuple(sections)


def _paragraphs(parts: list[str]) -> str:
    """Running text split at block boundaries, each paragraph whitespace-collapsed."""
    return "\n\n".join(p for p in (clean(b) for b in "".join(parts).split("\n\n")) if p)
