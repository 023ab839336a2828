"""A real HTTP server on loopback (for the tests and ``python -m medcite.bench pull``) that
speaks each ``medcite pull`` source's protocol and serves real-format files: NCBI E-utilities
(ESearch with the history server, EFetch batches of the ``PubmedArticle`` records of the real
2026 baseline sample), NLM's PubMed file listings with ``.md5`` files, openFDA's
``/drug/label.json``, DailyMed's ``services/v2`` and MedlinePlus's ``xml.html``. The records are
the fixtures' own bytes; only the envelopes (an ESearch reply, an EFetch set, a listing page, a
DailyMed ``spls.json``) are written here, in the services' formats.

Tests steer it: ``fail(prefix, statuses)`` answers the next requests under a path with those
statuses (429 with ``Retry-After``), ``hold(predicate)`` keeps matching requests waiting (to kill
a pull mid-run), ``requests`` logs what was asked.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from medcite.pull.base import PullReport, Source, run_pull
from medcite.pull.http import Fetcher
from medcite.settings import PullSettings, Settings
from medcite.store.base import EvidenceStore

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"
"""The repository's test fixtures: the real-format files this server serves (tests and
``make bench`` run from a checkout)."""
SOURCES = FIXTURES / "sources"
BASELINE = FIXTURES / "pubmed_baseline_2026"
PUBMED_HEAD = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)
PUBMED_TAIL = b"</PubmedArticleSet>\n"


def pubmed_articles(path: Path) -> list[bytes]:
    """The ``PubmedArticle`` elements of a PubMed XML file, each as its own bytes."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    return [etree.tostring(a) for a in root.iterfind("PubmedArticle")]


def pmid_of(article: bytes) -> str:
    return str(etree.fromstring(article).findtext("MedlineCitation/PMID"))


@dataclass
class Article:
    """One record the E-utilities know, with its Entrez date (``YYYY/MM/DD``)."""

    xml: bytes
    edat: str = "2026/01/15"


@dataclass
class SourceServer:
    """The state behind the handler (see the module docstring)."""

    articles: list[Article] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # path -> body (listings are made)
    md5: dict[str, str] = field(default_factory=dict)  # path -> published MD5 when not the real
    labels: list[dict[str, Any]] = field(default_factory=list)  # openFDA label records
    spls: dict[str, tuple[str, str, Path]] = field(
        default_factory=dict
    )  # setid -> version, title, file
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""
    _failures: dict[str, list[int]] = field(default_factory=dict)
    _hold: Callable[[str, dict[str, str]], bool] | None = None
    _released: threading.Event = field(default_factory=threading.Event)
    held: threading.Event = field(default_factory=threading.Event)
    _history: dict[str, list[int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, prefix: str, statuses: list[int]) -> None:
        """Answer the next ``len(statuses)`` requests under ``prefix`` with these statuses."""
        self._failures[prefix] = list(statuses)

    def hold(self, predicate: Callable[[str, dict[str, str]], bool]) -> None:
        """Keep requests matching ``predicate`` waiting until :meth:`release`."""
        self._released.clear()
        self._hold = predicate

    def release(self) -> None:
        self._hold = None
        self._released.set()

    def forget_history(self) -> None:
        """NCBI's history server forgets (a WebEnv expires after some hours)."""
        self._history.clear()

    def asked(self, path: str) -> list[dict[str, str]]:
        """The query parameters of the requests made to ``path``."""
        return [query for asked, query in self.requests if asked == path]

    def settings(self) -> dict[str, str]:
        """``pull`` settings pointing every source here."""
        return {
            "eutils_url": f"{self.url}/eutils",
            "pubmed_files_url": f"{self.url}/pubmed",
            "openfda_url": self.url,
            "dailymed_url": f"{self.url}/dailymed",
            "medlineplus_url": f"{self.url}/medlineplus",
            "email": "tests@example.org",
            "backoff_s": "0.01",
            "requests_per_s": "200",
        }

    def settings_for(self, folder: Path, **pull: object) -> Settings:
        """Settings of an index in ``folder`` whose pulls come here (downloads in ``folder``)."""
        values = {**self.settings(), "download_dir": str(folder / "downloads"), **pull}
        base = Settings().with_store(folder / "index.sqlite")
        return base.model_copy(update={"pull": PullSettings.model_validate(values)})

    def env(self) -> dict[str, str]:
        """The same as ``MEDCITE_PULL__*`` environment variables, for a subprocess."""
        return {f"MEDCITE_PULL__{k.upper()}": v for k, v in self.settings().items()}

    # -- answering --------------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        with self._lock:
            self.requests.append((path, query))
            for prefix, statuses in self._failures.items():
                if path.startswith(prefix) and statuses:
                    status = statuses.pop(0)
                    body = b'{"error":"API rate limit exceeded","count":"11"}'
                    headers = {"Retry-After": "0"} if status == 429 else {}
                    return status, "application/json", body, headers
        if self._hold is not None and self._hold(path, query):
            self.held.set()
            self._released.wait(60)
        if path == "/eutils/esearch.fcgi":
            return self._esearch(query)
        if path == "/eutils/efetch.fcgi":
            return self._efetch(query)
        if path == "/drug/label.json":
            return self._openfda(query)
        if path == "/dailymed/services/v2/spls.json":
            return self._dailymed_list(query)
        if path.startswith("/dailymed/services/v2/spls/") and path.endswith(".xml"):
            setid = path.rsplit("/", 1)[1].removesuffix(".xml")
            if setid in self.spls:
                return 200, "text/xml", self.spls[setid][2].read_bytes(), {}
        if path.endswith(".md5") and path.removesuffix(".md5") in self.files:
            name = path.rsplit("/", 1)[1].removesuffix(".md5")
            digest = (
                self.md5.get(path.removesuffix(".md5"))
                or hashlib.md5(self.files[path.removesuffix(".md5")]).hexdigest()
            )
            return 200, "text/plain", f"MD5({name})= {digest}\n".encode(), {}
        if path in self.files:
            kind = "text/html" if path.endswith(".html") else "application/octet-stream"
            return 200, kind, self.files[path], {}
        if path.endswith("/"):
            return self._listing(path)
        return 404, "text/plain", b"Not Found", {}

    def _esearch(self, query: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        if query.get("term") == "nothing-matches-this":
            body = (
                b"<?xml version='1.0'?><eSearchResult><Count>0</Count><RetMax>0</RetMax>"
                b"<RetStart>0</RetStart><IdList/><ErrorList><PhraseNotFound>nothing-matches-this"
                b"</PhraseNotFound></ErrorList><WarningList><OutputMessage>No items found."
                b"</OutputMessage></WarningList></eSearchResult>"
            )
            return 200, "text/xml", body, {}
        low, high = query.get("mindate", "0000/00/00"), query.get("maxdate", "9999/99/99")
        found = [i for i, a in enumerate(self.articles) if low <= a.edat <= high]
        webenv = "MCID_" + uuid.uuid4().hex
        self._history[webenv] = found
        ids = "".join(f"<Id>{pmid_of(self.articles[i].xml)}</Id>" for i in found[:20])
        reply = (
            f"<?xml version='1.0'?><!DOCTYPE eSearchResult PUBLIC \"-//NLM//DTD esearch 20060628"
            f'//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">'
            f"<eSearchResult><Count>{len(found)}</Count><RetMax>{min(len(found), 20)}</RetMax>"
            f"<RetStart>0</RetStart><QueryKey>1</QueryKey><WebEnv>{webenv}</WebEnv>"
            f"<IdList>{ids}</IdList><TranslationSet/><QueryTranslation>{query.get('term', '')}"
            f"</QueryTranslation></eSearchResult>"
        )
        return 200, "text/xml", reply.encode(), {}

    def _efetch(self, query: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        found = self._history.get(query.get("WebEnv", ""))
        if found is None or query.get("query_key") != "1":
            body = b"<eFetchResult>\n\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>"
            return 200, "text/xml", body, {}
        start, count = int(query.get("retstart", 0)), int(query.get("retmax", 20))
        chosen = [self.articles[i].xml for i in found[start : start + count]]
        return 200, "text/xml", PUBMED_HEAD + b"\n".join(chosen) + b"\n" + PUBMED_TAIL, {}

    def _openfda(self, query: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        search = query.get("search", "")
        words = search.split(" AND effective_time:")[0].strip("()").lower()
        term = words.partition(":")[2].strip('"') if ":" in words else words
        since = "0"
        if "effective_time:[" in search:
            since = search.split("effective_time:[", 1)[1].split(" ", 1)[0]
        found = [
            label
            for label in self.labels
            if term in json.dumps(label.get("openfda", {})).lower()
            and str(label.get("effective_time", "0")) >= since
        ]
        if not found:
            error = {"error": {"code": "NOT_FOUND", "message": "No matches found!"}}
            return 404, "application/json", json.dumps(error).encode(), {}
        skip, limit = int(query.get("skip", 0)), int(query.get("limit", 1))
        meta: dict[str, Any] = {
            "disclaimer": "Do not rely on openFDA to make decisions regarding medical care.",
            "last_updated": "2026-11-27",
            "results": {"skip": skip, "limit": limit, "total": len(found)},
        }
        page = {"meta": meta, "results": found[skip : skip + limit]}
        return 200, "application/json", json.dumps(page).encode(), {}

    def _dailymed_list(self, query: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        name = query.get("drug_name", "").lower()
        rows = [
            {"setid": setid, "spl_version": int(version), "title": title, "published_date": ""}
            for setid, (version, title, _) in sorted(self.spls.items())
            if name in title.lower()
        ]
        size, page = int(query.get("pagesize", 100)), int(query.get("page", 1))
        pages = max(1, -(-len(rows) // size))
        metadata = {"total_elements": len(rows), "total_pages": pages, "current_page": page}
        body = {"metadata": metadata, "data": rows[(page - 1) * size : page * size]}
        return 200, "application/json", json.dumps(body).encode(), {}

    def _listing(self, folder: str) -> tuple[int, str, bytes, dict[str, str]]:
        names = sorted(
            p.rsplit("/", 1)[1] for p in self.files if p.rsplit("/", 1)[0] + "/" == folder
        )
        if not names:
            return 404, "text/plain", b"Not Found", {}
        links = "".join(
            f'<a href="{n}">{n}</a>  2026-12-01 10:00  1M\n<a href="{n}.md5">{n}.md5</a>\n'
            for n in names
        )
        title = f"<head><title>Index of {folder}</title></head>"
        body = f"<html>{title}<body><pre>{links}</pre></body></html>"
        return 200, "text/html", body.encode(), {}


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        status, kind, body, headers = self.server.state.answer(split.path, query)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # unless the client was killed mid-request

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    state: SourceServer


def pull_once(
    source: Source, store: EvidenceStore, settings: Settings, rate: float = 200.0
) -> PullReport:
    """One pull of ``source`` into ``store``, without progress output or retry messages."""
    report = PullReport(source.name)
    with Fetcher(settings.pull, rate, log=lambda line: None) as fetcher:
        run_pull(source, store, settings, fetcher, report, progress=False)
    return report


@contextmanager
def serving(state: SourceServer) -> Iterator[SourceServer]:
    """Serve ``state`` on a free loopback port for the duration of the block."""
    server = _HTTPServer(("127.0.0.1", 0), _Handler)
    server.state = state
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release()
        server.shutdown()
        server.server_close()
