"""Drug labels as documents, and the openFDA drug-label reader.

One document per label, id ``label:<set id>`` whichever source it came from: the set id names a
label across its versions, so a newer version (openFDA or DailyMed) replaces the older one. Each
kept section (:mod:`medcite.ingest.loinc`) is one labelled section whose label carries its LOINC
code. The document's journal is the labeler, its date the label's effective time, its link the
label's DailyMed page.

openFDA files are API responses or bulk-download parts, ``{"meta": …, "results": [label, …]}``,
plain or gzipped; the ``results`` array is read one label at a time, so a bulk part of a few
hundred megabytes never sits in memory as Python objects. A label that cannot be read is a
:class:`RecordProblem` at its position in ``results`` (1-based) and the others go in; openFDA's
error body (``{"error": …}``) is one problem at position 0.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from medcite.ingest.base import Item, ReadOptions, apply_options, open_text
from medcite.ingest.label_text import Block, Kind, html_table_blocks, plain_words, section_text
from medcite.ingest.loinc import SECTIONS, LabelSection
from medcite.records import Document, EvidenceType, RecordProblem, Section, SourceDocument
from medcite.text import clean

OPENFDA = "openFDA"
OPENFDA_LICENCE = (
    "openFDA drug label: public domain (CC0), https://open.fda.gov/license/; the label text is "
    "the labeler's, distributed by FDA"
)
DAILYMED_URL = "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={}"
_SET_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{7,63}$")
_NUMBERED = r"(?:\d+(?:\.\d+)*\s+)?"


@dataclass(frozen=True, slots=True)
class LabelFacts:
    """What a label says about itself, whichever format it came in."""

    set_id: str
    version: str | None = None
    spl_id: str | None = None  # this version's own document id
    effective: str | None = None  # effective time as given: YYYYMMDD
    brand: str | None = None
    generic: str | None = None
    labeler: str | None = None
    kind: str | None = None  # "HUMAN PRESCRIPTION DRUG LABEL", "HUMAN OTC DRUG LABEL"


def label_document(
    facts: LabelFacts,
    sections: list[Section],
    source: str,
    evidence: EvidenceType,
    licence: str,
) -> SourceDocument:
    date = label_date(facts.effective)
    identifiers = {"setid": facts.set_id}
    if facts.version:
        identifiers["spl_version"] = facts.version
    if facts.spl_id:
        identifiers["spl_id"] = facts.spl_id
    document = Document(
        id=f"label:{facts.set_id}",
        title=label_title(facts.brand, facts.generic, facts.set_id),
        evidence_type=evidence,
        source=source,
        journal=facts.labeler,
        year=int(date[:4]) if date else _year(facts.effective),
        url=DAILYMED_URL.format(facts.set_id),
        identifiers=identifiers,
        publication_types=(facts.kind,) if facts.kind else (),
        licence=licence,
        date=date,
    )
    return SourceDocument(document, tuple(sections))


def label_title(brand: str | None, generic: str | None, set_id: str) -> str:
    """ "Lipitor (atorvastatin calcium) — drug label"; a generic name in capitals is lowered."""
    brand = clean(brand or "")
    generic = clean(generic or "")
    if generic.isupper():
        generic = generic.lower()
    if brand and generic and brand.lower() != generic.lower():
        return f"{brand} ({generic}) — drug label"
    if brand or generic:
        return f"{brand or generic} — drug label"
    return f"Drug label {set_id}"


def label_date(effective: str | None) -> str | None:
    """``"20140113"`` → ``"2014-01-13"`` (None when it is no whole, real date)."""
    digits = (effective or "").strip()[:8]
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return None


def _year(effective: str | None) -> int | None:
    digits = (effective or "").strip()[:4]
    return int(digits) if digits.isdigit() and 1900 <= int(digits) <= 2100 else None


def valid_set_id(value: str | None) -> bool:
    return bool(value and _SET_ID.match(value))


# -- openFDA -------------------------------------------------------------------------------------


def read_openfda_labels(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One document per label of an openFDA drug-label response or bulk file."""
    source, evidence = apply_options(options, OPENFDA, EvidenceType.DRUG_LABEL)
    number = 0
    found = False
    try:
        with open_text(path) as handle:
            for key, value in _top_level(handle):
                if key == "error":
                    found = True
                    yield RecordProblem(str(path), 0, f"openFDA answered an error: {_error(value)}")
                elif key == _RESULTS_START:
                    found = True
                elif key == "results":
                    number += 1
                    yield _openfda_record(path, number, value, source, evidence)
    except _Malformed as exc:
        yield RecordProblem(str(path), number + 1 if exc.in_results else 0, str(exc))
        return
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        yield RecordProblem(str(path), number + 1, f"unreadable: {exc}")
        return
    if not found:
        yield RecordProblem(str(path), 0, 'not an openFDA drug-label file: no "results"')


def _openfda_record(
    path: Path, number: int, record: object, source: str, evidence: EvidenceType
) -> Item:
    def problem(message: str) -> RecordProblem:
        return RecordProblem(str(path), number, message)

    if not isinstance(record, dict):
        return problem("a result must be a JSON object")
    openfda = record.get("openfda") or {}
    if not isinstance(openfda, dict):
        return problem('"openfda" must be an object')
    set_id = _scalar(record.get("set_id")) or _first(openfda.get("spl_set_id"))
    if not valid_set_id(set_id):
        return problem(f"no usable set_id ({set_id!r})")
    assert set_id is not None
    sections: list[Section] = []
    for kept in SECTIONS:
        for field in kept.openfda:
            texts = _strings(record.get(field))
            tables = _strings(record.get(f"{field}_table"))
            if texts is None or tables is None:
                return problem(f'{set_id}: "{field}" is not text')
            text = _openfda_section_text(kept, texts, tables)
            if text:
                sections.append(Section(kept.label, text))
    if not sections:
        return problem(f"{set_id}: no section MedCite keeps (indications, dosage, warnings, …)")
    kind = _first(openfda.get("product_type"))
    facts = LabelFacts(
        set_id=set_id,
        version=_scalar(record.get("version")),
        spl_id=_scalar(record.get("id")),
        effective=_scalar(record.get("effective_time")),
        brand=_first(openfda.get("brand_name")),
        generic=_first(openfda.get("generic_name")),
        labeler=_first(openfda.get("manufacturer_name")),
        kind=f"{kind} LABEL" if kind else None,
    )
    return label_document(facts, sections, source, evidence, OPENFDA_LICENCE)


def _openfda_section_text(kept: LabelSection, texts: list[str], tables: list[str]) -> str:
    """openFDA runs each table's words into the section's text: where they are found there, the
    table's row sentences take their place; a table not found is added at the end."""
    blocks: list[Block] = []
    pending = list(tables)
    for raw in texts:
        text = _without_heading(kept, raw)
        for table in list(pending):
            words = plain_words(table)[:2_000]
            pattern = r"\s*".join(re.escape(word) for word in words)
            match = re.search(pattern, text) if words else None
            if match is None:
                continue
            pending.remove(table)
            before, text = text[: match.start()], text[match.end() :]
            if before.strip():
                blocks.append(Block(clean(before), Kind.PARAGRAPH))
            blocks.extend(html_table_blocks(table))
        if text.strip():
            blocks.append(Block(clean(text), Kind.PARAGRAPH))
    for table in pending:
        blocks.extend(html_table_blocks(table))
    return section_text(blocks)


def _without_heading(kept: LabelSection, text: str) -> str:
    """The text without the section's own heading ("2 DOSAGE AND ADMINISTRATION"), which the
    passage's label already names; an OTC heading that starts a sentence ("Stop use and ask a
    doctor if …") stays."""
    words = ("(?:and|&)" if word == "and" else re.escape(word) for word in kept.name.split())
    name = r"\s+".join(words)
    match = re.match(rf"\s*{_NUMBERED}(?i:{name})\s+(?=[A-Z0-9])", text)
    return text[match.end() :] if match else text


def _strings(value: object) -> list[str] | None:
    """A text field's strings ([] when absent); None when it holds anything but text."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _scalar(value: object) -> str | None:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return clean(str(value)) or None
    return _first(value)


def _first(value: object) -> str | None:
    if isinstance(value, list) and value and isinstance(value[0], str | int):
        return clean(str(value[0])) or None
    return None


def _error(value: object) -> str:
    if isinstance(value, Mapping):
        return ": ".join(str(value[k]) for k in ("code", "message") if value.get(k)) or "?"
    return str(value)


# -- streaming the top level of {"meta": …, "results": […]} --------------------------------------


class _Malformed(Exception):
    def __init__(self, message: str, in_results: bool) -> None:
        super().__init__(message)
        self.in_results = in_results


class _Reader:
    """JSON values decoded one at a time from a text stream (a buffer that grows as needed)."""

    _CHUNK = 1 << 20

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self, at_least: int = 0) -> bool:
        if self.eof:
            return False
        self.buffer = self.buffer[self.pos :]
        self.pos = 0
        chunk = self.handle.read(max(self._CHUNK, at_least))
        self.eof = not chunk
        self.buffer += chunk
        return bool(chunk)

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n\ufeff":
                self.pos += 1
            if self.pos < len(self.buffer) or not self._more():
                return self.buffer[self.pos : self.pos + 1]

    def expect(self, characters: str, in_results: bool) -> str:
        found = self.peek()
        if not found or found not in characters:
            wanted = " or ".join(repr(c) for c in characters)
            where = repr(found) if found else "the end of the file"
            raise _Malformed(f"malformed JSON: expected {wanted}, found {where}", in_results)
        self.pos += 1
        return found

    def value(self, in_results: bool) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self._more(len(self.buffer)):  # doubling: a big label is read in a few tries
                    continue
                raise _Malformed(f"malformed JSON: {exc.msg}", in_results) from None
            except RecursionError:
                raise _Malformed("malformed JSON: nested too deeply", in_results) from None
            if end == len(self.buffer) and isinstance(value, int | float) and self._more():
                continue  # a number at the end of the buffer may go on in the next chunk
            self.pos = end
            return value


_RESULTS_START = "results["


def _top_level(handle: IO[str]) -> Iterator[tuple[str, Any]]:
    """(key, value) for each top-level member; a ``results`` array yields (``_RESULTS_START``,
    None) and then ("results", label) per label."""
    reader = _Reader(handle)
    reader.expect("{", in_results=False)
    if reader.peek() == "}":
        return
    while True:
        key = reader.value(in_results=False)
        if not isinstance(key, str):
            raise _Malformed("malformed JSON: a key must be a string", in_results=False)
        reader.expect(":", in_results=False)
        if key == "results" and reader.peek() == "[":
            reader.expect("[", in_results=True)
            yield _RESULTS_START, None
            if reader.peek() == "]":
                reader.pos += 1
            else:
                while True:
                    yield key, reader.value(in_results=True)
                    if reader.expect(",]", in_results=True) == "]":
                        break
        else:
            yield key, reader.value(in_results=False)
        if reader.expect(",}", in_results=False) == "}":
            return
