"""Which reader reads a file: by explicit format name, else by file name and a peek at content."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

from medcite.errors import IngestError
from medcite.ingest.base import Reader, open_binary

# format name → "module:function" (imported lazily so one broken reader never blocks the others)
READERS: dict[str, str] = {
    "pubmed-xml": "medcite.ingest.pubmed_xml:read_pubmed_xml",
    "medline-text": "medcite.ingest.medline_text:read_medline_text",
    "jats": "medcite.ingest.jats:read_jats",
    "pubmedqa": "medcite.ingest.datasets:read_pubmedqa",
    "medquad": "medcite.ingest.datasets:read_medquad",
    "scifact": "medcite.ingest.datasets:read_scifact",
    "ngc": "medcite.ingest.datasets:read_ngc",
    "uspstf": "medcite.ingest.datasets:read_uspstf",
    "evidence-inference": "medcite.ingest.datasets:read_evidence_inference",
    "ncbi-disease": "medcite.ingest.datasets:read_ncbi_disease",
    "jsonl": "medcite.ingest.generic:read_jsonl",
    "markdown": "medcite.ingest.generic:read_markdown",
    "html": "medcite.ingest.generic:read_html",
    "retraction-watch": "medcite.ingest.retraction_watch:read_retraction_watch",
    "openfda-label": "medcite.ingest.drug_labels:read_openfda_labels",
    "dailymed-spl": "medcite.ingest.spl:read_spl",
    "medlineplus": "medcite.ingest.medlineplus:read_medlineplus",
    "medlineplus-es": "medcite.ingest.medlineplus:read_medlineplus_spanish",
}

_JSONL_KEYS: list[tuple[frozenset[str], str]] = [
    (frozenset({"ngc_id"}), "ngc"),
    (frozenset({"subset", "question", "answer"}), "medquad"),
    (frozenset({"pmcid", "abstract_sections"}), "evidence-inference"),
    (frozenset({"pmid", "mentions"}), "ncbi-disease"),
    (frozenset({"doc_id", "abstract"}), "scifact"),
]


def get_reader(name: str) -> Reader:
    try:
        module_name, _, function = READERS[name].partition(":")
    except KeyError:
        raise IngestError(f"unknown format {name!r}; choose one of: {', '.join(READERS)}") from None
    reader: Reader = getattr(importlib.import_module(module_name), function)
    return reader


def detect_format(path: Path) -> str:
    """Guess the format of ``path`` from its name and first bytes."""
    name = path.name.lower().removesuffix(".gz")
    head = _peek(path)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if (
        name.endswith((".xml", ".nxml"))
        or stripped.startswith(b"<?xml")
        or stripped.startswith(b"<!DOCTYPE")
    ):
        if _SPL_ROOT.search(head):  # before the PubMed fallback below, which takes any XML
            return "dailymed-spl"
        if (
            b"<PubmedArticleSet" in head
            or b"<MedlineCitationSet" in head
            or b"<PubmedArticle" in head
        ):
            return "pubmed-xml"
        if b"<health-topics" in head:  # its summaries' HTML is escaped: no "<article" inside
            return "medlineplus"
        if b"<article" in head or b"<pmc-articleset" in head:
            return "jats"
        if name.endswith((".html", ".htm")):
            return "html"
        return "pubmed-xml"
    if name.endswith(".zip") and name.startswith("mplus_topics"):  # NLM's zipped topics file
        return "medlineplus"
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith(".jsonl"):
        return _detect_jsonl(stripped)
    if name.endswith(".json") and (
        (_OPENFDA_RESULTS.search(head) and _OPENFDA_LABEL.search(head))
        or _OPENFDA_ERROR.match(stripped)
    ):
        return "openfda-label"
    if name.endswith(".json"):
        if b'"specificRecommendations"' in head:
            return "uspstf"
        if b'"QUESTION"' in head and b'"CONTEXTS"' in head:
            return "pubmedqa"
        return "jsonl"
    if name.endswith(".csv") and stripped.startswith(b"Record ID,Title,Subject,"):
        return "retraction-watch"
    if name.endswith(".txt") and (stripped.startswith(b"PMID-") or b"\nPMID-" in head):
        return "medline-text"
    if name.endswith(".txt"):
        return "markdown"
    raise IngestError(f"{path}: cannot tell its format; pass --format ({', '.join(READERS)})")


# An SPL file's root: an HL7 v3 <document> (a CDA's root is <ClinicalDocument>).
_SPL_ROOT = re.compile(rb"<(?:\w+:)?document\b[^>]*urn:hl7-org:v3")
# An openFDA drug-label response or bulk part: a "results" array of label records.
_OPENFDA_RESULTS = re.compile(rb'"results"\s*:\s*\[')
_OPENFDA_LABEL = re.compile(rb'"(?:set_id|openfda|spl_product_data_elements|effective_time)"\s*:')
# openFDA's answer to a search without hits: {"error": {"code": "NOT_FOUND", …}}
_OPENFDA_ERROR = re.compile(rb'\{\s*"error"\s*:\s*\{\s*"code"\s*:')


def _detect_jsonl(head: bytes) -> str:
    first = head.split(b"\n", 1)[0]
    try:
        keys = set(json.loads(first.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError, RecursionError):
        return "jsonl"  # the generic reader reports the bad line with its number
    for required, fmt in _JSONL_KEYS:
        if required <= keys:
            return fmt
    return "jsonl"


def _peek(path: Path, size: int = 65_536) -> bytes:
    try:
        with open_binary(path) as handle:
            return handle.read(size)
    except (OSError, EOFError) as exc:
        if path.suffix == ".gz":
            return b""
        raise IngestError(f"cannot read {path}: {exc}") from exc


def detect_reader(path: Path, fmt: str | None = None) -> tuple[str, Reader]:
    name = fmt or detect_format(path)
    return name, get_reader(name)
