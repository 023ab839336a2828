"""The MEDLINE text-format reader (PubMed's "Format: PubMed"/``.nbib`` output): tagged lines
such as ``PMID- ``, ``TI  - ``, ``AB  - ``, continuation lines indented six spaces, records
separated by blank lines. A structured abstract (``BACKGROUND: … METHODS: …``) is split into
labelled sections, as the XML reader would give them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from medcite.evidence import classify
from medcite.ingest.base import Item, ReadOptions, apply_options, open_text, parse_year
from medcite.ingest.pubmed_xml import LICENCE, citation_details
from medcite.records import Document, RecordProblem, Section, SourceDocument
from medcite.text import clean

Fields = dict[str, list[str]]

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3})\s*- ?(.*)$")
# An upper-case label and a colon at the start of the abstract or right after a sentence.
_LABEL = re.compile(
    r"(?:^|(?<=[.?!]\s)|(?<=[.?!]\s\s))([A-Z][A-Z()]{2,}(?:[ ,/&-]+[A-Z][A-Z()]*)*):\s+"
)


def read_medline_text(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One :class:`SourceDocument` per citation; a record without PMID or text is a problem."""
    count = 0
    try:
        with open_text(path) as handle:
            for count, fields in enumerate(_records(handle), start=1):
                yield _record(path, count, fields, options)
    except (OSError, EOFError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        yield RecordProblem(str(path), count + 1 if count else 0, f"not MEDLINE text: {exc}")
        return
    if count == 0:
        yield RecordProblem(str(path), 0, "no MEDLINE records (no line starts with 'PMID- ')")


def _records(lines: Iterable[str]) -> Iterator[Fields]:
    """Each record's tags and values, continuation lines joined to the value they continue."""
    fields: Fields = {}
    last: str | None = None
    for line in lines:
        line = line.lstrip("\ufeff").rstrip("\r\n")
        if "\x00" in line:
            raise ValueError("the file holds binary data")
        if not line.strip():
            last = None
            continue
        if line.startswith("      ") and last is not None:
            fields[last][-1] += " " + line.strip()
            continue
        match = _TAG.match(line)
        if match is None:
            continue  # stray text between records (a search header, a footer)
        tag, value = match.groups()
        if tag == "PMID" and fields:
            yield fields
            fields = {}
        if last is None and tag != "PMID" and "PMID" in fields:
            yield fields  # a blank line ended the record and the next one lacks its PMID
            fields = {}
        fields.setdefault(tag, []).append(value.strip())
        last = tag
    if fields:
        yield fields


def _record(path: Path, number: int, fields: Fields, options: ReadOptions) -> Item:
    pmid = _first(fields, "PMID")
    if not pmid:
        return RecordProblem(str(path), number, "record has no PMID")
    title = clean(_first(fields, "TI") or _first(fields, "TT"))
    sections = split_abstract(clean(" ".join(fields.get("AB", []))))
    if not title and not sections:
        return RecordProblem(str(path), number, f"PMID {pmid}: neither title nor abstract")
    publication_types = tuple(fields.get("PT", []))
    mesh = tuple(_descriptor(m) for m in fields.get("MH", []))
    evidence = classify(
        source="pubmed",
        publication_types=publication_types,
        mesh=mesh,
        title=title,
        abstract=" ".join(s.text for s in sections),
    )
    source, evidence = apply_options(options, "pubmed", evidence)
    document = Document(
        id=f"pmid:{pmid}",
        title=title or "[untitled]",
        evidence_type=evidence,
        source=source,
        authors=tuple(fields.get("AU", []) or fields.get("CN", [])),
        journal=_first(fields, "JT") or _first(fields, "TA") or None,
        year=parse_year(_first(fields, "DP")),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        identifiers=_identifiers(pmid, fields),
        publication_types=publication_types,
        mesh=mesh,
        keywords=tuple(clean(k) for k in fields.get("OT", [])),
        licence=LICENCE,
    )
    return SourceDocument(document, sections)


def split_abstract(abstract: str) -> tuple[Section, ...]:
    """Split ``"BACKGROUND: … METHODS: …"`` into labelled sections; else one unlabelled one."""
    if not abstract:
        return ()
    matches = list(_LABEL.finditer(abstract))
    if not matches or matches[0].start() != 0:
        return (Section(None, abstract),)
    sections = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(abstract)
        text = abstract[match.end() : end].strip()
        if text:
            sections.append(Section(match.group(1).strip(), text))
    return tuple(sections)


def _first(fields: Fields, tag: str) -> str:
    values = fields.get(tag)
    return values[0].strip() if values else ""


def _descriptor(heading: str) -> str:
    """``Information Storage and Retrieval/*methods`` → ``Information Storage and Retrieval``."""
    return heading.split("/", 1)[0].lstrip("*").strip()


def _identifiers(pmid: str, fields: Fields) -> dict[str, str]:
    identifiers = {"pmid": pmid}
    for value in [*fields.get("LID", []), *fields.get("AID", [])]:
        if value.endswith("[doi]"):
            identifiers.setdefault("doi", value.removesuffix("[doi]").strip())
    pmcid = _first(fields, "PMC")
    if pmcid:
        identifiers["pmcid"] = pmcid
    details = citation_details(_first(fields, "VI"), _first(fields, "IP"), _first(fields, "PG"))
    return identifiers | details
