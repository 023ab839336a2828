"""Malformed files (Hypothesis strategies) for every reader of ``medcite ingest``, for the fuzz
tests and ``make bench``'s fuzz section.

They start from real files (the fixtures under ``tests/fixtures``: PubMed XML, JATS, MEDLINE
text, the datasets, a user's JSONL, Markdown and HTML) and break them the ways files arrive
broken: cut short, bytes garbled, inserted or dropped, text in the wrong encoding, the gzip
stream truncated, JSON values of the wrong type, markup nested thousands deep; plus generated
pages of odd HTML, and any of them under any file name. Every strategy shrinks towards the real
file, so a failure reads as "this file with this edit".
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from medcite.bench.fuzz_inputs import MEDICAL_WORDS, any_text, json_values

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"
"""The repository's test fixtures: the real files malformed files are made from."""

SEED_RECORDS = 3
"""Records kept of each JSON dataset seed: enough for a record-level problem to sit between good
records, few enough that one example ingests in milliseconds."""

# reader format → fixture files its malformed inputs start from
SEED_FILES: dict[str, tuple[str, ...]] = {
    "pubmed-xml": (
        "efetch/biopython_pubmed1.xml",
        "efetch/pubmed-29768149.xml",
        "medline_baseline/test_current_medline.xml.gz",
        "retractions/pubmed_29768149_retracted.xml",
    ),
    "medline-text": ("medline_text/biopython_pubmed_result2.txt",),
    "jats": ("pmc_jats/pone.0000217.nxml.gz",),
    "pubmedqa": ("datasets/pubmedqa.json",),
    "medquad": ("datasets/medquad.jsonl",),
    "scifact": ("datasets/scifact.jsonl",),
    "ngc": ("datasets/ngc.jsonl",),
    "uspstf": ("datasets/uspstf.json",),
    "evidence-inference": ("datasets/evidence_inference.jsonl",),
    "ncbi-disease": ("datasets/ncbi_disease.jsonl",),
    "jsonl": ("generic/local-notes.jsonl",),
    "markdown": ("generic/hypertension-local.md", "generic/asthma-leaflet.md"),
    "html": ("generic/statins-page.html", "generic/scholar-page.html"),
    "retraction-watch": ("retractions/retraction_watch.csv",),
    "openfda-label": ("sources/openfda/label_2015_sudafed.json",),
    "dailymed-spl": ("sources/dailymed/otc_cough_spl.xml",),
    "medlineplus": ("sources/medlineplus/mplus_topics_2012-07-21_excerpt.xml",),
}
FORMATS = tuple(SEED_FILES)
JSON_FORMATS = tuple(
    fmt for fmt, files in SEED_FILES.items() if files[0].endswith((".json", ".jsonl"))
)

# Fragments that mean something to one parser or another, spliced into files and text.
MARKUP_JUNK = (
    b"<",
    b">",
    b"&",
    b"&amp",
    b"&#0;",
    b"&#xD800;",
    b"&#x110000;",
    b"&undefined;",
    b"]]>",
    b"<![CDATA[",
    b"<!--",
    b"-->",
    b"<?xml version='1.0' encoding='x-unknown'?>",
    b'<!DOCTYPE a [<!ENTITY e "eeeeeeeeee"><!ENTITY f "&e;&e;&e;&e;">]>',
    b"&e;&f;",
    b'<!ENTITY x SYSTEM "file:///etc/passwd">',
    b"</PubmedArticle>",
    b"<PubmedArticle>",
    b"<article>",
    b"</article>",
    b"<sec><title>",
    b"<AbstractText Label='",
    b"<script>",
    b"<style>",
    b"<meta charset='x-unknown'>",
    b"<meta name='medcite:year' content='99999999999999999999'>",
    b"<meta name='medcite:evidence_type' content='nonsense'>",
    b"<h1>",
    b"</body>",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",
    b"\r",
    b"\n\n",
)
JSON_JUNK = (
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"\\",
    b"\\u",
    b'"\\ud800"',
    b'"\\u0000"',
    b"NaN",
    b"-Infinity",
    b"1e999",
    b"null",
    b",",
    b":",
    b"\n",
    b"\n{}\n",
    b"\n[]\n",
    b'\n"text"\n',
)
TEXT_JUNK = (
    b"---\n",
    b"...\n",
    b"# ",
    b"## ",
    b"```\n",
    b"title: [",
    b"title: !!python/object/apply:os.system ['true']\n",
    b"year: &a [*a]\n",
    b"evidence_type: nonsense\n",
    b"PMID- ",
    b"\nPMID- 1\n",
    b"AB  - ",
    b"      ",
    b"\t",
    b"BACKGROUND: ",
    b"\x00",
    b"\xed\xa0\x80",
)
ENCODINGS = ("utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "utf-8-sig", "shift_jis")


@dataclass(frozen=True)
class Seed:
    """A real file a malformed one is made from: its name and (uncompressed) bytes."""

    name: str
    data: bytes

    @property
    def gzipped(self) -> bool:
        return self.name.endswith(".gz")


def load_seeds(fixtures: Path = FIXTURES) -> dict[str, tuple[Seed, ...]]:
    """The seed files of every reader format (JSON datasets cut to their first records)."""
    seeds: dict[str, tuple[Seed, ...]] = {}
    for fmt, names in SEED_FILES.items():
        found = []
        for name in names:
            path = fixtures / name
            if not path.exists():
                continue
            data = path.read_bytes()
            if name.endswith(".gz"):
                data = gzip.decompress(data)
            found.append(Seed(path.name, _first_records(name, data)))
        seeds[fmt] = tuple(found)
    return seeds


def _first_records(name: str, data: bytes) -> bytes:
    if name.endswith(".jsonl"):
        return b"".join(data.splitlines(keepends=True)[:SEED_RECORDS])
    if name.endswith(".json"):
        value = json.loads(data)
        if isinstance(value, dict) and isinstance(value.get("specificRecommendations"), list):
            value["specificRecommendations"] = value["specificRecommendations"][:SEED_RECORDS]
        elif isinstance(value, dict):
            value = dict(list(value.items())[:SEED_RECORDS])
        return json.dumps(value).encode("utf-8")
    return data


@st.composite
def _edited(draw: st.DrawFn, data: bytes, junk: Sequence[bytes]) -> bytes:
    """``data`` after one to four edits: cut, garble, insert, delete, repeat, nest."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(out)))
        kind = draw(
            st.sampled_from(("cut", "garble", "insert", "junk", "delete", "repeat", "nest"))
        )
        if kind == "cut":
            del out[at:]
        elif kind == "garble":
            noise = draw(st.binary(min_size=1, max_size=16))
            out[at : at + len(noise)] = noise
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "junk":
            out[at:at] = draw(st.sampled_from(junk)) * draw(st.integers(1, 3))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 512))]
        elif kind == "repeat":
            piece = bytes(out[at : at + draw(st.integers(1, 256))])
            out[at:at] = piece * draw(st.integers(1, 8))
        else:  # deep nesting: parsers that recurse overflow the stack
            opener = draw(st.sampled_from((b"[", b'{"a":', b"<a>", b"- ", b"  - [")))
            out[at:at] = opener * draw(st.integers(100, 50_000))
    return bytes(out)


@st.composite
def _reencoded(draw: st.DrawFn, data: bytes) -> bytes:
    encoding = draw(st.sampled_from(ENCODINGS))
    return data.decode("utf-8", "replace").encode(encoding, "replace")


def _junk_for(fmt: str) -> tuple[bytes, ...]:
    if fmt in JSON_FORMATS:
        return JSON_JUNK
    if fmt in ("markdown", "medline-text"):
        return TEXT_JUNK
    return MARKUP_JUNK


@st.composite
def malformed_files(draw: st.DrawFn, fmt: str, seeds: Sequence[Seed]) -> tuple[str, bytes]:
    """(file name, bytes) of a broken file of format ``fmt``, made from one of ``seeds``."""
    seed = draw(st.sampled_from(seeds))
    junk = _junk_for(fmt)
    how = draw(st.sampled_from(("edited", "reencoded", "both", "random")))
    if how == "random":
        data = draw(st.binary(max_size=2_048))
    elif how == "reencoded":
        data = draw(_reencoded(seed.data))
    elif how == "both":
        data = draw(_edited(draw(_reencoded(seed.data)), junk))
    else:
        data = draw(_edited(seed.data, junk))
    name = seed.name
    if seed.gzipped:
        data = gzip.compress(data, mtime=0)
        if draw(st.booleans()):  # a download cut short
            data = data[: draw(st.integers(0, len(data)))]
    return name, data


@st.composite
def mistyped_json(draw: st.DrawFn, seed: Seed) -> tuple[str, bytes]:
    """A JSON dataset whose records hold values of the wrong type where readers expect others
    (a number for a title, a list for a text, an object for a year, a key missing)."""
    lines = seed.name.endswith(".jsonl")
    value: Any = (
        [json.loads(line) for line in seed.data.splitlines() if line.strip()]
        if lines
        else json.loads(seed.data)
    )
    for _ in range(draw(st.integers(1, 3))):
        paths = _json_paths(value)
        path = draw(st.sampled_from(paths))
        value = _json_edit(
            value, path, draw(st.sampled_from(("replace", "delete"))), json_values, draw
        )
    ascii_only = draw(st.booleans())
    if lines and isinstance(value, list):
        text = "\n".join(json.dumps(v, ensure_ascii=ascii_only) for v in value) + "\n"
    else:
        text = json.dumps(value, ensure_ascii=ascii_only)
    return seed.name, text.encode("utf-8", "surrogatepass")


def _json_paths(value: Any, path: tuple[Any, ...] = (), depth: int = 0) -> list[tuple[Any, ...]]:
    """Every place in ``value`` (to depth 4), the whole value first."""
    found = [path]
    if depth >= 4:
        return found
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _json_paths(inner, (*path, key), depth + 1)
    elif isinstance(value, list):
        for index, inner in enumerate(value[:8]):
            found += _json_paths(inner, (*path, index), depth + 1)
    return found


def _json_edit(
    value: Any,
    path: tuple[Any, ...],
    how: str,
    values: st.SearchStrategy[Any],
    draw: st.DrawFn,
) -> Any:
    if not path:
        return draw(values)
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    if how == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(values)
    return value


_TAGS = (
    *("html", "head", "body", "title", "meta", "h1", "h2", "h3", "h4", "p", "div", "span"),
    *("script", "style", "noscript", "template", "nav", "table", "tr", "td", "ul", "li", "br"),
    *("pre", "svg", "math", "a", "img", "iframe", "textarea", "b", "frameset", "plaintext"),
)
_META_NAMES = (
    *("medcite:title", "medcite:source", "medcite:year", "medcite:evidence_type", "medcite:id"),
    *("citation_title", "citation_doi", "citation_pmid", "citation_date", "charset", "bogus"),
)


@st.composite
def _element(draw: st.DrawFn, inner: st.SearchStrategy[str]) -> str:
    tag = draw(st.sampled_from(_TAGS))
    attributes = draw(
        st.lists(
            st.builds(
                lambda n, v: f' {n}="{v}"',
                st.sampled_from(("name", "content", "property", "class", "charset", "lang")),
                any_text,
            ),
            max_size=2,
        )
    )
    closing = draw(st.sampled_from((f"</{tag}>", "", f"</{tag}", "</p>")))
    children = "".join(draw(st.lists(inner, max_size=3)))
    return f"<{tag}{''.join(attributes)}>{children}{closing}"


_html_leaf = st.one_of(
    any_text,
    st.sampled_from(MEDICAL_WORDS),
    st.sampled_from([j.decode("latin-1") for j in MARKUP_JUNK]),
    st.builds(
        lambda n, c: f'<meta name="{n}" content="{c}">',
        st.sampled_from(_META_NAMES),
        any_text | st.sampled_from(("2023", "guideline", "x" * 500)),
    ),
)


@st.composite
def html_pages(draw: st.DrawFn) -> tuple[str, bytes]:
    """A page of odd markup: unclosed and misnested tags, odd meta tags, comments, entities,
    in a random encoding (the name says ``.html``; the bytes may say otherwise)."""
    body = draw(st.recursive(_html_leaf, lambda inner: _element(inner), max_leaves=12))
    text = draw(st.sampled_from(("", "<!DOCTYPE html>", "<?xml version='1.0'?>"))) + body
    encoding = draw(st.sampled_from(("utf-8", *ENCODINGS)))
    return "page.html", text.encode(encoding, "surrogatepass" if encoding == "utf-8" else "replace")


FILE_NAMES = (
    *("a.xml", "a.nxml", "a.xml.gz", "a.json", "a.jsonl", "a.jsonl.gz", "a.txt", "a.md"),
    *("a.markdown", "a.html", "a.htm", "a.gz", "noextension", ".hidden.jsonl", "a.pdf"),
)


@st.composite
def unnamed_files(draw: st.DrawFn, seeds: dict[str, tuple[Seed, ...]]) -> tuple[str, bytes]:
    """Any seed's malformed bytes under any file name: format detection's input."""
    fmt = draw(st.sampled_from([f for f in FORMATS if seeds.get(f)]))
    _, data = draw(malformed_files(fmt, seeds[fmt]))
    return draw(st.sampled_from(FILE_NAMES)), data
