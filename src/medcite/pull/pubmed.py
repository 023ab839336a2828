"""``medcite pull pubmed --query Q``: PubMed records through NCBI's E-utilities.

ESearch with the history server (``usehistory=y``) holds the query's result set at NCBI; EFetch
then takes it in batches of XML (``pull.efetch_batch`` records), each one unit. A run covers a
fixed window of Entrez dates (``mindate``–``maxdate``, the day it started), so a resumed run
searches the same set again and goes on after the batches it applied; when a run is complete its
``maxdate`` becomes the next run's ``mindate``: the next pull fetches only what PubMed added
since (one day's overlap, which re-ingest ignores). A run cut short by ``--max`` stays open: the
next pull of the same query continues it.

Every request carries ``tool`` and ``email`` (NCBI's policy) and the API key when one is set;
the rate is 3 requests a second without a key, 10 with one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from medcite.errors import PullError
from medcite.pull.base import PullState, Unit
from medcite.pull.http import Fetcher
from medcite.settings import PullSettings

EARLIEST = "1800/01/01"


@dataclass
class Search:
    """What ESearch said about a query."""

    count: int
    webenv: str
    query_key: str


class PubMedSearch:
    """The records a PubMed query finds (a :class:`~medcite.pull.base.Source`)."""

    name = "pubmed"

    def __init__(
        self,
        settings: PullSettings,
        query: str,
        *,
        max_records: int | None = None,
        since: date | None = None,
    ) -> None:
        self.settings = settings
        self.query = query
        self.max_records = max_records
        self.since = since.strftime("%Y/%m/%d") if since else None
        key = settings.ncbi_api_key.get_secret_value() if settings.ncbi_api_key else None
        self.api_key = key or None
        self.rate = settings.requests_per_s or (10.0 if self.api_key else 3.0)
        self.complete = False

    @property
    def state_key(self) -> str:
        return "pubmed:" + hashlib.sha1(self.query.encode("utf-8")).hexdigest()[:16]

    def plan(self, fetcher: Fetcher, state: PullState) -> list[Unit]:
        run = state.data.get("run")
        if run is None or (self.since and self.since != run["mindate"]):
            mindate = self.since or state.data.get("done_until") or EARLIEST
            run = {"mindate": mindate, "maxdate": datetime.now(UTC).strftime("%Y/%m/%d")}
            state.data["run"] = run
            state.data["query"] = self.query
            state.applied = []
        found = self.search(fetcher, run["mindate"], run["maxdate"])
        total = found.count if self.max_records is None else min(found.count, self.max_records)
        self.complete = total == found.count
        batch = self.settings.efetch_batch
        units = []
        for start in range(0, total, batch):
            key = f"{run['mindate']}-{run['maxdate']}:{start}"
            if key in state.applied:
                continue
            params = self._params(
                WebEnv=found.webenv,
                query_key=found.query_key,
                retstart=start,
                retmax=min(batch, total - start),
                retmode="xml",
            )
            units.append(
                Unit(key, self._url("efetch"), f"efetch-{start:09d}.xml", "pubmed-xml", params)
            )
        return units

    def search(self, fetcher: Fetcher, mindate: str, maxdate: str) -> Search:
        """ESearch the query in a window of Entrez dates, keeping the result on the server."""
        params = self._params(
            term=self.query,
            usehistory="y",
            retmax=0,
            datetype="edat",
            mindate=mindate,
            maxdate=maxdate,
        )
        response = fetcher.get(self._url("esearch"), params)
        return parse_esearch(response.content, self.query)

    def verify(self, fetcher: Fetcher, unit: Unit, path: Path) -> None:
        """EFetch reports an expired or unknown history key as a 200 with ``<ERROR>``."""
        with path.open("rb") as handle:
            head = handle.read(4096)
        if b"<eFetchResult" in head or b"<ERROR>" in head:
            message = head.partition(b"<ERROR>")[2].partition(b"</ERROR>")[0]
            raise PullError(f"NCBI EFetch: {message.decode('utf-8', 'replace') or head[:200]!r}")
        if b"<PubmedArticleSet" not in head and b"<!DOCTYPE PubmedArticleSet" not in head:
            raise PullError(f"NCBI EFetch returned no PubmedArticleSet: {head[:200]!r}")

    def finished(self, state: PullState) -> None:
        if self.complete and "run" in state.data:
            state.data["done_until"] = state.data.pop("run")["maxdate"]
            state.applied = []

    def _url(self, tool: str) -> str:
        return f"{self.settings.eutils_url.rstrip('/')}/{tool}.fcgi"

    def _params(self, **params: Any) -> dict[str, str]:
        params = {"db": "pubmed", **params, "tool": self.settings.tool}
        if self.settings.email:
            params["email"] = self.settings.email
        if self.api_key:
            params["api_key"] = self.api_key
        return {k: str(v) for k, v in params.items()}


def parse_esearch(content: bytes, query: str) -> Search:
    """Count, WebEnv and QueryKey of an ESearch reply; its ``<ERROR>`` as a PullError. A phrase
    not found is not an error: the count is then 0."""
    try:
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise PullError(f"NCBI ESearch for {query!r}: not XML: {exc}") from exc
    error = root.findtext("ERROR")
    if error:
        raise PullError(f"NCBI ESearch for {query!r}: {error}")
    count = int(root.findtext("Count") or 0)
    webenv, key = root.findtext("WebEnv") or "", root.findtext("QueryKey") or ""
    if count and not (webenv and key):
        raise PullError(f"NCBI ESearch for {query!r}: no history key (WebEnv) in the reply")
    return Search(count, webenv, key)
