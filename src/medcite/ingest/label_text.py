"""SPL narrative markup as readable text: the paragraphs, list items, headings and tables of a
drug label's section, for both DailyMed SPL files and the ``*_table`` fields of openFDA (which
hold the same markup as HTML strings).

Each block becomes its own paragraph (blank-line separated, so the chunker never runs two
together), ending in a full stop when the label gave it none — a heading ("2.1 Hyperlipidemia")
would otherwise run into the sentence after it — or in a colon when a list follows ("Do not use:
in a child under 4 years of age."). A table keeps every number: its caption is a heading and each
row one sentence pairing each cell with its column header ("Age: children 6 to under 12 years of
age; Dose: 2 teaspoonfuls (10 mL)."). Footnotes follow the block they annotate; images are
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import zip_longest

from lxml import etree, html

from medcite.text import clean


class Kind(StrEnum):
    TITLE = "title"  # a section's title: "2.1 Hyperlipidemia", "Do not use"
    HEADING = "heading"  # a table's caption or a row across it
    PARAGRAPH = "paragraph"
    ITEM = "item"
    ROW = "row"


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    kind: Kind


_NESTED = frozenset({"paragraph", "list", "item", "table", "text"})
_DROPPED = frozenset({"footnoteref", "rendermultimedia", "observationmedia", "excerpt", "caption"})
_SPACED = _NESTED | {"suffix"}  # inline elements that are words of their own ("TRIAMINIC
# <suffix>Childrens…"); others join ("C<sub>max</sub>")
_MAX_SPAN = 64  # a colspan/rowspan beyond this is a typo, not a table that wide
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s")  # PLR numbering: "2.1 Hyperlipidemia"
_ENDED = (".", "!", "?", ":")


def name_of(element: etree._Element) -> str:
    """The element's local name, lower-cased (lxml.html lower-cases openFDA's ``linkHtml``)."""
    tag = element.tag  # not QName(): lxml.html makes elements of tags no QName accepts
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def text_blocks(element: etree._Element) -> list[Block]:
    """The blocks of an SPL ``<text>`` (or any element holding narrative markup), footnotes
    last."""
    notes: list[str] = []
    blocks = _walk(element, Kind.PARAGRAPH, notes)
    return blocks + [Block(note, Kind.PARAGRAPH) for note in notes]


def table_blocks(table: etree._Element) -> list[Block]:
    """A table as its caption and one sentence per row (see the module docstring)."""
    notes: list[str] = []
    blocks: list[Block] = []
    head: list[etree._Element] = []
    body: list[etree._Element] = []
    foot: list[etree._Element] = []
    for child in table:
        name = name_of(child)
        if name == "caption" and (caption := inline_text(child, notes)):
            blocks.append(Block(caption, Kind.HEADING))
        elif name in ("thead", "tbody", "tfoot"):
            trs = [tr for tr in child if name_of(tr) == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[name].extend(trs)
        elif name == "tr":
            body.append(child)
    header_rows, rows = _split_header(_grid(head, notes), _grid(body, notes), body)
    headers = _column_headers(header_rows)
    for cells in rows:
        blocks.extend(_row_block(headers, cells))
    for cells in _grid(foot, notes):
        blocks.extend(Block(cell, Kind.PARAGRAPH) for cell in dict.fromkeys(cells) if cell)
    return blocks + [Block(note, Kind.PARAGRAPH) for note in notes]


def html_table_blocks(markup: str) -> list[Block]:
    """:func:`table_blocks` of an HTML string (an openFDA ``*_table`` value); none when it is
    no table."""
    try:
        element = html.fragment_fromstring(markup.strip(), create_parent=False)
    except (etree.ParserError, ValueError):
        return []
    return table_blocks(element) if name_of(element) == "table" else []


def plain_words(markup: str) -> list[str]:
    """Every word of an HTML fragment, as openFDA runs a table's text into a section's text."""
    try:
        element = html.fragment_fromstring(markup.strip(), create_parent=False)
    except (etree.ParserError, ValueError):
        return []
    return " ".join(element.itertext()).split()


def section_text(blocks: Sequence[Block]) -> str:
    """The blocks as one section's text: paragraphs separated by blank lines, each ending in a
    full stop, or in a colon where it leads into what follows: an unnumbered title ("Do not
    use", "Directions") or a line before a list."""
    texts: list[str] = []
    for i, block in enumerate(blocks):
        text = block.text
        if not text.endswith(_ENDED):
            after = blocks[i + 1].kind if i + 1 < len(blocks) else None
            if block.kind is Kind.TITLE:
                leads = after not in (None, Kind.TITLE) and not _NUMBER.match(text)
            else:
                leads = after is Kind.ITEM and block.kind is not Kind.ITEM
            text += ":" if leads else "."
        texts.append(text)
    return "\n\n".join(texts)


def inline_text(element: etree._Element, notes: list[str]) -> str:
    """The text of ``element`` and its descendants on one line; footnotes go to ``notes``,
    footnote marks and images are left out."""
    parts: list[str] = []
    _inline(element, parts, notes)
    return clean("".join(parts))


def _inline(element: etree._Element, parts: list[str], notes: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        name = name_of(child)
        if name == "footnote":
            if note := inline_text(child, notes):
                notes.append(note)
        elif name == "br":
            parts.append(" ")
        elif name and name not in _DROPPED:
            gap = " " if name in _SPACED else ""
            parts.append(gap)
            _inline(child, parts, notes)
            parts.append(gap)
        if child.tail:
            parts.append(child.tail)


def _walk(element: etree._Element, kind: Kind, notes: list[str]) -> list[Block]:
    """Blocks in document order: the element's own running text is one block (of ``kind``),
    cut wherever a paragraph, list, item or table starts inside it."""
    blocks: list[Block] = []
    running: list[str] = [element.text or ""]

    def flush() -> None:
        text = clean("".join(running))
        running.clear()
        if text:
            blocks.append(Block(text, kind))

    for child in element:
        name = name_of(child)
        if name == "table":
            flush()
            blocks.extend(table_blocks(child))
        elif name in _NESTED:
            flush()
            blocks.extend(_walk(child, Kind.ITEM if name == "item" else Kind.PARAGRAPH, notes))
        elif name == "footnote":
            if note := inline_text(child, notes):
                notes.append(note)
        elif name == "br":
            running.append(" ")
        elif name and name not in _DROPPED:
            _inline(child, running, notes)  # raw: its edge spaces part it from the words around
        running.append(child.tail or "")
    flush()
    return blocks


def _grid(rows: Iterable[etree._Element], notes: list[str]) -> list[list[str]]:
    """Cell texts row by row, a spanned cell repeated in every column and row it spans."""
    grid: list[list[str]] = []
    carried: dict[int, tuple[str, int]] = {}  # column → (text, rows still spanned)
    for tr in rows:
        row: list[str] = []
        for cell in tr:
            if name_of(cell) not in ("td", "th"):
                continue
            _take_carried(row, carried)
            text = _cell_text(cell, notes)
            down = _span(cell.get("rowspan"))
            for _ in range(_span(cell.get("colspan"))):
                if down > 1:
                    carried[len(row)] = (text, down - 1)
                row.append(text)
        _take_carried(row, carried)
        grid.append(row)
    return grid


def _take_carried(row: list[str], carried: dict[int, tuple[str, int]]) -> None:
    """Fill the next columns of ``row`` that a cell above still spans."""
    while len(row) in carried:
        text, left = carried.pop(len(row))
        if left > 1:
            carried[len(row)] = (text, left - 1)
        row.append(text)


def _cell_text(cell: etree._Element, notes: list[str]) -> str:
    return "; ".join(block.text for block in _walk(cell, Kind.PARAGRAPH, notes))


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _split_header(
    head: list[list[str]], body: list[list[str]], body_rows: list[etree._Element]
) -> tuple[list[list[str]], list[list[str]]]:
    """(header rows, data rows): ``<thead>``; else the leading rows of ``<th>`` cells; else a
    first row of two or more words-only cells above at least two rows ("Age | Dose")."""
    if any(any(row) for row in head):
        return head, body
    leading = 0
    for element, row in zip(body_rows, body, strict=False):
        cells = [c for c in element if name_of(c) in ("td", "th")]
        if not cells or any(name_of(c) != "th" for c in cells) or not any(row):
            break
        leading += 1
    if leading:
        return body[:leading], body[leading:]
    if len(body) >= 3:
        first = [cell for cell in body[0] if cell]
        if len(set(first)) >= 2 and not any(_DIGIT.search(cell) for cell in first):
            return body[:1], body[1:]
    return [], body


def _column_headers(rows: list[list[str]]) -> list[str]:
    width = max((len(row) for row in rows), default=0)
    headers: list[str] = []
    for column in range(width):
        parts = [row[column] for row in rows if column < len(row) and row[column]]
        headers.append(" ".join(dict.fromkeys(parts)))
    return headers


def _row_block(headers: list[str], row: list[str]) -> list[Block]:
    values = [cell for cell in row if cell]
    if not values:
        return []
    if len(set(values)) == 1 and len(row) > 1:  # one cell across the table: a group heading
        return [Block(values[0], Kind.HEADING)]
    parts: list[str] = []
    for header, value in zip_longest(headers, row, fillvalue=""):
        if not value:
            continue
        part = f"{header}: {value}" if header and header != value else value
        if not parts or parts[-1] != part:
            parts.append(part)
    return [Block("; ".join(parts), Kind.ROW)]
