"""The DailyMed reader: one Structured Product Labeling (SPL) file, an HL7 v3 ``<document
xmlns="urn:hl7-org:v3">``, plain or gzipped, is one drug label.

Sections nest as ``<component><section>``, each coded with LOINC (some older files leave out the
``codeSystem``). A section with a kept code (:mod:`medcite.ingest.loinc`) is one labelled section
of the document, wherever it sits; its subsections without a kept code of their own — "SPL
UNCLASSIFIED" (42229-5) ones such as "2.1 Hyperlipidemia", and any other — belong to it, titles
included, while a subsection with a kept code ("8.1 Pregnancy") is a section of its own, after
its parent. The Highlights (``<excerpt>``) repeat the full text and are left out.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from medcite.ingest.base import Item, ReadOptions, apply_options, open_binary
from medcite.ingest.drug_labels import LabelFacts, label_document, valid_set_id
from medcite.ingest.label_text import Block, Kind, inline_text, section_text, text_blocks
from medcite.ingest.loinc import BY_CODE, LOINC_SYSTEM, LabelSection
from medcite.records import EvidenceType, RecordProblem, Section

DAILYMED = "DailyMed"
LICENCE = (
    "FDA-distributed drug labeling (Structured Product Labeling) from DailyMed, U.S. National "
    "Library of Medicine; the label text is the labeler's"
)
V3 = "urn:hl7-org:v3"
_NS = {"v": V3}


def read_spl(path: Path, options: ReadOptions) -> Iterator[Item]:
    """The label of one SPL file; a file that cannot be read is a problem at record 1."""
    source, evidence = apply_options(options, DAILYMED, EvidenceType.DRUG_LABEL)
    # no huge_tree: libxml2 then refuses markup nested over 256 deep, which the recursive walk
    # below could not follow (an SPL file is a few megabytes at most)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        with open_binary(path) as handle:
            root = etree.parse(handle, parser).getroot()
    except etree.XMLSyntaxError as exc:
        yield RecordProblem(str(path), 1, f"malformed or truncated XML: {_line(exc)}")
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield RecordProblem(str(path), 1, f"unreadable: {_line(exc)}")
        return
    if root.tag != f"{{{V3}}}document":
        yield RecordProblem(str(path), 1, f"not an SPL document: the root is <{root.tag}>")
        return
    yield _label(path, root, source, evidence)


def _line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _label(path: Path, root: etree._Element, source: str, evidence: EvidenceType) -> Item:
    set_id = _attr(root, "v:setId", "root")
    if not valid_set_id(set_id):
        return RecordProblem(str(path), 1, f"no usable <setId> ({set_id!r})")
    assert set_id is not None
    body = root.find("v:component/v:structuredBody", _NS)
    sections: list[Section] = []
    for section in _subsections(body):
        _visit(section, sections)
    if not sections:
        return RecordProblem(str(path), 1, f"{set_id}: no section MedCite keeps")
    brand, generic = _product(root)
    kind = root.find("v:code", _NS)
    facts = LabelFacts(
        set_id=set_id,
        version=_attr(root, "v:versionNumber", "value"),
        spl_id=_attr(root, "v:id", "root"),
        effective=_attr(root, "v:effectiveTime", "value"),
        brand=brand,
        generic=generic,
        labeler=_text(root.find("v:author/v:assignedEntity/v:representedOrganization/v:name", _NS)),
        kind=(kind.get("displayName") or None) if kind is not None else None,
    )
    return label_document(facts, sections, source, evidence, LICENCE)


def _visit(section: etree._Element, out: list[Section]) -> None:
    """Add ``section`` if its code is kept (then its kept subsections), else look inside it."""
    kept = _kept(section)
    if kept is None:
        for child in _subsections(section):
            _visit(child, out)
        return
    blocks: list[Block] = []
    later: list[etree._Element] = []
    _collect(section, blocks, later)
    if len(blocks) > 1 or (blocks and blocks[0].kind is not Kind.TITLE):  # more than a title
        out.append(Section(kept.label, section_text(blocks)))
    for child in later:
        _visit(child, out)


def _collect(section: etree._Element, blocks: list[Block], later: list[etree._Element]) -> None:
    """The title and text of ``section`` and of its subsections without a kept code, in order;
    subsections with a kept code go to ``later``."""
    if title := _text(section.find("v:title", _NS)):
        blocks.append(Block(title, Kind.TITLE))
    text = section.find("v:text", _NS)
    if text is not None:
        blocks.extend(text_blocks(text))
    for child in _subsections(section):
        if _kept(child) is not None:
            later.append(child)
        else:
            _collect(child, blocks, later)


def _kept(section: etree._Element) -> LabelSection | None:
    code = section.find("v:code", _NS)
    if code is None or code.get("codeSystem", LOINC_SYSTEM) != LOINC_SYSTEM:
        return None
    return BY_CODE.get(code.get("code") or "")


def _subsections(element: etree._Element | None) -> list[etree._Element]:
    return [] if element is None else element.findall("v:component/v:section", _NS)


def _product(root: etree._Element) -> tuple[str | None, str | None]:
    """The first product's proprietary and generic names."""
    for path in ("v:manufacturedProduct", "v:manufacturedMedicine"):
        product = root.find(f".//v:manufacturedProduct/{path}", _NS)
        if product is not None:
            generic = product.find("v:asEntityWithGeneric/v:genericMedicine/v:name", _NS)
            return _text(product.find("v:name", _NS)), _text(generic)
    return None, None


def _attr(root: etree._Element, path: str, name: str) -> str | None:
    element = root.find(path, _NS)
    value = element.get(name) if element is not None else None
    return value.strip() or None if value else None


def _text(element: etree._Element | None) -> str | None:
    return (inline_text(element, []) or None) if element is not None else None
