"""``python -m medcite.bench pull``: each ``medcite pull`` source against the local server of
:mod:`medcite.bench.source_server` (loopback, no rate limit), into a fresh SQLite index without
embedding: documents/s and passages/s of the whole path (requests, download, checks, parsing,
chunking, writing). The records are the real sample records of each service, copied under new
identifiers to reach a measurable size (a PMID, a set id, a topic id renumbered), so the figures
measure MedCite, not the network."""

from __future__ import annotations

import copy
import gzip
import re
import tempfile
from pathlib import Path
from typing import Any

from medcite.bench import BenchConfig, header, show
from medcite.bench.source_server import (
    BASELINE,
    SOURCES,
    Article,
    SourceServer,
    pubmed_articles,
    pull_once,
    serving,
)
from medcite.pull.base import Source
from medcite.pull.labels import DailyMedLabels, OpenFDALabels
from medcite.pull.medlineplus import MedlinePlusTopics
from medcite.pull.pubmed import PubMedSearch
from medcite.pull.pubmed_files import PubMedFiles
from medcite.settings import PullSettings, Settings
from medcite.store.sqlite import open_store

PUBMED_RECORDS = 3_000
FILES, FILE_RECORDS = 2, 1_500
LABELS = 400
SPL_COPIES = 50
TOPICS = 400
PMID = re.compile(rb"<PMID Version=\"\d+\">\d+</PMID>")


def run(config: BenchConfig) -> dict[str, Any]:
    header("Pulls from a local server speaking each source's protocol (no embedding)")
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="medcite-bench-pull-") as tmp:
        folder = Path(tmp)
        with serving(_server(folder)) as server:
            pull = server.settings_for(folder, requests_per_s=10_000, efetch_batch=500).pull
            sources: list[Source] = [
                PubMedSearch(pull, "bench"),
                PubMedFiles(pull, "pubmed-baseline"),
                OpenFDALabels(pull, 'openfda.product_type:"HUMAN"'),
                DailyMedLabels(pull, "bench"),
                MedlinePlusTopics(pull),
            ]
            for source in sources:
                figures[source.name] = _measure(source, config.settings, pull, folder)
    return figures


def _measure(source: Source, base: Settings, pull: PullSettings, folder: Path) -> dict[str, Any]:
    settings = base.with_store(folder / f"{source.name}.sqlite")
    settings = settings.model_copy(update={"pull": pull})
    with open_store(settings.store.path) as store:
        report = pull_once(source, store, settings, rate=10_000.0)
    figures = {
        "units": report.applied,
        "requests": report.requests,
        "documents": report.ingest.documents,
        "passages": report.ingest.passages,
        "problems": len(report.ingest.problems),
        "seconds": round(report.seconds, 2),
        "documents_per_s": round(report.documents_per_s, 1),
        "passages_per_s": round(report.passages_per_s, 1),
    }
    show(
        source.name,
        f"{figures['documents']:,} documents / {figures['passages']:,} passages in "
        f"{figures['seconds']} s: {figures['documents_per_s']:,.0f} documents/s, "
        f"{figures['passages_per_s']:,.0f} passages/s ({report.requests} requests)",
    )
    return figures


def _server(folder: Path) -> SourceServer:
    """The sample records of every service, renumbered to the sizes above."""
    real = pubmed_articles(BASELINE / "pubmed26n1334.xml.gz")
    records = [_renumber(real[i % len(real)], 90_000_000 + i) for i in range(PUBMED_RECORDS)]
    server = SourceServer(articles=[Article(xml) for xml in records])
    for n in range(FILES):
        chunk = [
            _renumber(real[i % len(real)], 80_000_000 + n * FILE_RECORDS + i)
            for i in range(FILE_RECORDS)
        ]
        body = (
            b'<?xml version="1.0"?>\n<PubmedArticleSet>\n'
            + b"\n".join(chunk)
            + b"\n</PubmedArticleSet>\n"
        )
        server.files[f"/pubmed/baseline/pubmed26n{n + 1:04d}.xml.gz"] = gzip.compress(body, 6)
    labels = [_first_result(p) for p in sorted((SOURCES / "openfda").glob("label_*.json"))]
    for i in range(LABELS):
        label = copy.deepcopy(labels[i % len(labels)])
        label["set_id"] = f"bench-{i:08d}-0000-0000-0000-000000000000"
        server.labels.append(label)
    spls = sorted((SOURCES / "dailymed").glob("*.xml"))
    for i in range(SPL_COPIES * len(spls)):
        setid = f"00000000-0000-0000-0000-{i:012d}"
        spl = _respl(spls[i % len(spls)], setid, folder)
        server.spls[setid] = ("1", f"BENCH label {i}", spl)
    server.files["/medlineplus/xml.html"] = b'<a href="xml/mplus_topics_2026-12-01.xml">XML</a>'
    server.files["/medlineplus/xml/mplus_topics_2026-12-01.xml"] = _topics()
    return server


def _renumber(article: bytes, pmid: int) -> bytes:
    return PMID.sub(f'<PMID Version="1">{pmid}</PMID>'.encode(), article, count=1)


def _first_result(path: Path) -> dict[str, Any]:
    import json

    result: dict[str, Any] = json.loads(path.read_bytes())["results"][0]
    return result


def _respl(path: Path, setid: str, folder: Path) -> Path:
    """A copy of an SPL under another set id (written once to a file the server reads)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(<setId\b[^>]*\broot=")[^"]+(")', rf"\g<1>{setid}\g<2>", text, count=1)
    out = folder / "spl" / f"{setid}.xml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out


def _topics() -> bytes:
    """The sample's English topic copied under new ids, in one health-topics file."""
    text = (SOURCES / "medlineplus" / "mplus_topics_2012-07-21_excerpt.xml").read_text("utf-8")
    start = text.index("<health-topic ")
    end = text.index("</health-topic>", start) + len("</health-topic>")
    topic = text[start:end]
    copies = [re.sub(r'\bid="\d+"', f'id="{700_000 + i}"', topic, count=1) for i in range(TOPICS)]
    head = text[:start]
    return (head + "\n".join(copies) + "\n</health-topics>\n").encode("utf-8")
