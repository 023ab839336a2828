"""Citation export: an Answer's references as RIS, BibTeX or CSL-JSON, for Zotero, EndNote,
Mendeley or a manuscript's bibliography.

Works on the references in their JSON form (``Answer.to_dict()["references"]``), so a stored
article version exports as well as a fresh answer. Only what the reference carries is written —
identifiers (PMID, DOI, URL), authors, journal or issuing body, year, and volume/issue/pages where
a record has them; nothing is looked up or guessed. RIS is written by rispy, BibTeX by
bibtexparser (v2), CSL-JSON as plain JSON after the CSL-JSON schema.

Entry types: a reference with a PMID or DOI is a journal article whatever its evidence type (a
guideline published in a journal is cited as the article); otherwise a guideline is a report of
its issuing body and a consumer-health page a web page; anything else is a journal article. A
drug label is its labeler's package insert, as Citing Medicine cites one: a pamphlet (RIS PAMP,
BibTeX @manual, CSL pamphlet) with the label's full date and its set id in a note.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, NamedTuple

from medcite.records import EvidenceType


class CiteFormat(StrEnum):
    """The export formats, each with its media type and file extension."""

    RIS = "ris"
    BIBTEX = "bibtex"
    CSL_JSON = "csl-json"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self]

    @property
    def label(self) -> str:
        """The name people know the format by (the page's link text)."""
        return _LABELS[self]


_MEDIA_TYPES = {
    CiteFormat.RIS: "application/x-research-info-systems",
    CiteFormat.BIBTEX: "application/x-bibtex",
    CiteFormat.CSL_JSON: "application/vnd.citationstyles.csl+json",
}
_EXTENSIONS = {CiteFormat.RIS: "ris", CiteFormat.BIBTEX: "bib", CiteFormat.CSL_JSON: "json"}
_LABELS = {CiteFormat.RIS: "RIS", CiteFormat.BIBTEX: "BibTeX", CiteFormat.CSL_JSON: "CSL-JSON"}


class EntryKind(StrEnum):
    """What kind of work a reference is, and how each format names that kind."""

    ARTICLE = "article"
    REPORT = "report"
    WEBPAGE = "webpage"
    LABEL = "label"

    @property
    def ris_type(self) -> str:
        return _TYPES[self].ris

    @property
    def bibtex_type(self) -> str:
        return _TYPES[self].bibtex

    @property
    def csl_type(self) -> str:
        return _TYPES[self].csl


class _PerFormat(NamedTuple):
    ris: str
    bibtex: str
    csl: str


_TYPES = {  # RIS TY, BibTeX entry type, CSL type
    EntryKind.ARTICLE: _PerFormat("JOUR", "article", "article-journal"),
    EntryKind.REPORT: _PerFormat("RPRT", "techreport", "report"),
    EntryKind.WEBPAGE: _PerFormat("ELEC", "misc", "webpage"),
    EntryKind.LABEL: _PerFormat("PAMP", "manual", "pamphlet"),
}
# Where the reference's `journal` goes (rispy key, BibTeX field, CSL variable): for a guideline
# it names the issuing body, for a consumer-health page the site that published it. RIS T2 is
# the journal (Zotero: publication title) of a JOUR and the site of an ELEC.
_CONTAINERS = {
    EntryKind.ARTICLE: _PerFormat("secondary_title", "journal", "container-title"),
    EntryKind.REPORT: _PerFormat("publisher", "institution", "publisher"),
    EntryKind.WEBPAGE: _PerFormat("secondary_title", "howpublished", "container-title"),
    EntryKind.LABEL: _PerFormat("publisher", "organization", "publisher"),
}
# TeX's special characters, escaped as Zotero's BibTeX export does; other text stays UTF-8
# (biber, and LaTeX's default UTF-8 input since 2018, read it).
_LATEX_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
_INITIALS = re.compile(r"^(?P<family>.+?)\s+(?P<initials>[A-Z]{1,4})$")  # "Smith JA" (MEDLINE)


def entry_kind(reference: Mapping[str, Any]) -> EntryKind:
    """The kind of work ``reference`` is (see the module docstring)."""
    evidence = reference.get("evidence_type")
    if evidence == EvidenceType.DRUG_LABEL.value:
        return EntryKind.LABEL
    if reference.get("pmid") or reference.get("doi"):
        return EntryKind.ARTICLE
    if evidence == EvidenceType.GUIDELINE.value:
        return EntryKind.REPORT
    if evidence == EvidenceType.CONSUMER_HEALTH.value:
        return EntryKind.WEBPAGE
    return EntryKind.ARTICLE


def export_references(references: Iterable[Mapping[str, Any]], fmt: CiteFormat) -> str:
    """``references`` (Answer-record dicts, in order) as one file's text in ``fmt``."""
    refs = list(references)
    keys = citation_keys(refs)
    if fmt is CiteFormat.RIS:
        return _ris(refs, keys)
    if fmt is CiteFormat.BIBTEX:
        return _bibtex(refs, keys)
    items = [to_csl(ref, key) for ref, key in zip(refs, keys, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def citation_keys(references: list[Mapping[str, Any]]) -> list[str]:
    """One key per reference, from its stable document id (``pmid:123`` → ``pmid123``), so the
    same source keeps its key across answers and files can be merged; unique within the list."""
    keys: list[str] = []
    for ref in references:
        base = re.sub(r"[^A-Za-z0-9]+", "_", str(ref.get("doc_id") or "")).strip("_")
        base = re.sub(r"^(pmid|doi)_", r"\1", base) or f"ref{ref.get('n', '')}"
        key, suffix = base, 1
        while key in keys:
            suffix += 1
            key = f"{base}_{suffix}"
        keys.append(key)
    return keys


def split_name(name: str) -> dict[str, str]:
    """A CSL name: ``{"family", "given"}`` for "Smith JA" or "Smith, John A.", else
    ``{"literal"}`` (a group such as "American Diabetes Association", or a form not known)."""
    name = _line(name)
    if "," in name:
        family, _, given = name.partition(",")
        if family.strip() and given.strip():
            return {"family": family.strip(), "given": given.strip()}
    match = _INITIALS.match(name)
    if match:
        given = " ".join(f"{c}." for c in match["initials"])
        return {"family": match["family"], "given": given}
    return {"literal": name}


def to_csl(reference: Mapping[str, Any], key: str) -> dict[str, Any]:
    """One CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)."""
    kind = entry_kind(reference)
    item: dict[str, Any] = {"id": key, "type": kind.csl_type, "title": _line(reference["title"])}
    names = [split_name(a) for a in _authors(reference)]
    if names:
        item["author"] = names
    if journal := _text(reference, "journal"):
        item[_CONTAINERS[kind].csl] = journal
    if parts := _date_parts(reference):
        item["issued"] = {"date-parts": [parts]}
    elif isinstance(reference.get("year"), int):
        item["issued"] = {"date-parts": [[reference["year"]]]}
    if kind is EntryKind.LABEL:
        item["genre"] = "Drug label"
    if note := _set_id_note(reference):
        item["note"] = note
    for field, variable in (("volume", "volume"), ("issue", "issue"), ("pages", "page")):
        if value := _text(reference, field):
            item[variable] = value
    for field, variable in (("pmid", "PMID"), ("doi", "DOI"), ("url", "URL")):
        if value := _text(reference, field):
            item[variable] = value
    if label := _evidence_label(reference):
        item["keyword"] = label
    return item


def _ris(references: list[Mapping[str, Any]], keys: list[str]) -> str:
    import rispy

    class Writer(rispy.RisWriter):  # type: ignore[misc]
        """rispy's writer without its "1." line before each record, which is no RIS tag."""

        def set_header(self, count: int) -> str:
            return ""

    entries = [_ris_entry(ref, key) for ref, key in zip(references, keys, strict=True)]
    text: str = rispy.dumps(entries, implementation=Writer)
    return text


def _ris_entry(reference: Mapping[str, Any], key: str) -> dict[str, Any]:
    kind = entry_kind(reference)
    entry: dict[str, Any] = {
        "type_of_reference": kind.ris_type,
        "id": key,
        "title": _line(reference["title"]),
    }
    authors = [_ris_name(split_name(a)) for a in _authors(reference)]
    if authors:
        entry["authors"] = authors
    if journal := _text(reference, "journal"):
        entry[_CONTAINERS[kind].ris] = journal
    if isinstance(reference.get("year"), int):
        entry["year"] = str(reference["year"])
    if parts := _date_parts(reference):
        entry["date"] = "/".join(f"{part:02d}" for part in parts)  # RIS DA: 2014/01/13
    if kind is EntryKind.LABEL:
        entry["type_of_work"] = "Drug label"
    if note := _set_id_note(reference):
        entry["notes"] = [note]
    if volume := _text(reference, "volume"):
        entry["volume"] = volume
    if issue := _text(reference, "issue"):
        entry["number"] = issue
    if pages := _text(reference, "pages"):
        first, _, last = pages.partition("-")
        entry["start_page"] = first.strip()
        if last.strip():
            entry["end_page"] = last.strip()
    if pmid := _text(reference, "pmid"):  # EndNote's and PubMed's place for the PMID
        entry["accession_number"] = pmid
        entry["name_of_database"] = "PubMed"
    if doi := _text(reference, "doi"):
        entry["doi"] = doi
    if url := _text(reference, "url"):
        entry["urls"] = [url]
    if label := _evidence_label(reference):
        entry["keywords"] = [label]
    return entry


def _ris_name(name: dict[str, str]) -> str:
    return name.get("literal") or f"{name['family']}, {name['given']}"


def _bibtex(references: list[Mapping[str, Any]], keys: list[str]) -> str:
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.model import Entry, Field

    library = Library()
    for ref, key in zip(references, keys, strict=True):
        kind = entry_kind(ref)
        fields = [Field(name, value) for name, value in _bibtex_fields(ref, kind)]
        library.add(Entry(kind.bibtex_type, key, fields))
    text: str = write_string(library)
    return text


def _bibtex_fields(reference: Mapping[str, Any], kind: EntryKind) -> list[tuple[str, str]]:
    """(field, value) pairs; text escaped for TeX, the title braced so styles keep its case
    ("HIV", "B12"), identifiers verbatim (biblatex reads ``doi`` and ``url`` as such)."""
    fields = [("title", "{" + _tex(_line(reference["title"])) + "}")]
    names = [split_name(a) for a in _authors(reference)]
    if names:
        fields.append(("author", " and ".join(_bibtex_name(n) for n in names)))
    if journal := _text(reference, "journal"):
        fields.append((_CONTAINERS[kind].bibtex, _tex(journal)))
    if isinstance(reference.get("year"), int):
        fields.append(("year", str(reference["year"])))
    if parts := _date_parts(reference):
        fields.append(("date", "-".join(f"{part:02d}" for part in parts)))  # biblatex
    if note := _set_id_note(reference):
        fields.append(("note", _tex(note)))
    if volume := _text(reference, "volume"):
        fields.append(("volume", _tex(volume)))
    if issue := _text(reference, "issue"):
        fields.append(("number", _tex(issue)))
    if pages := _text(reference, "pages"):
        fields.append(("pages", _tex(re.sub(r"\s*-+\s*", "--", pages))))
    if kind is EntryKind.REPORT:
        fields.append(("type", _tex(_evidence_label(reference) or "Report")))
    for field in ("pmid", "doi", "url"):
        if value := _text(reference, field):
            fields.append((field, _verbatim(value)))
    if label := _evidence_label(reference):
        fields.append(("keywords", _tex(label)))
    return fields


def _bibtex_name(name: dict[str, str]) -> str:
    """ "Family, Given"; a group name in braces, so BibTeX never splits it into names."""
    if "literal" in name:
        return "{" + _tex(name["literal"]) + "}"
    return f"{_tex(name['family'])}, {_tex(name['given'])}"


def _tex(text: str) -> str:
    return text.translate(_LATEX_SPECIALS)


def _verbatim(value: str) -> str:
    """An identifier as it is, but never a brace that would end the field early."""
    return value.replace("{", "%7B").replace("}", "%7D")


def _authors(reference: Mapping[str, Any]) -> list[str]:
    return [a for a in (reference.get("authors") or []) if isinstance(a, str) and a.strip()]


def _text(reference: Mapping[str, Any], field: str) -> str | None:
    value = reference.get(field)
    if value is None or isinstance(value, bool):
        return None
    text = _line(str(value))
    return text or None


def _line(text: str) -> str:
    """One line: RIS is line-based and a newline inside a value would start a forged tag."""
    return " ".join(str(text).split())


def _date_parts(reference: Mapping[str, Any]) -> list[int] | None:
    """[year, month, day] of a reference's full date ("2014-01-13"), when it has a valid one."""
    text = _text(reference, "date") or ""
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return [day.year, day.month, day.day]


def _set_id_note(reference: Mapping[str, Any]) -> str | None:
    """ "DailyMed set ID …": where a drug label is found across its versions."""
    set_id = _text(reference, "set_id")
    return f"DailyMed set ID {set_id}" if set_id else None


def _evidence_label(reference: Mapping[str, Any]) -> str | None:
    try:
        return EvidenceType(str(reference.get("evidence_type"))).label
    except ValueError:
        return None


__all__ = [
    "CiteFormat",
    "EntryKind",
    "citation_keys",
    "entry_kind",
    "export_references",
    "split_name",
    "to_csl",
]
