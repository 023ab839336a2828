"""``medcite pull openfda-labels`` and ``medcite pull dailymed``: drug labels.

openFDA's ``/drug/label.json`` answers a search in pages of up to 1,000 labels (``limit``,
``skip``; openFDA stops at ``skip`` 25,000); each page is one unit, read by the ``openfda-label``
reader. A completed pull remembers its date, and the next pull of the same search asks only for
labels whose ``effective_time`` is at most 30 days older than that (labels reach openFDA some
days after their effective date; re-ingesting an unchanged label changes nothing).

DailyMed's web services list the SPLs of a drug name (``services/v2/spls.json``, paged); each
SPL version is one unit (``services/v2/spls/SETID.xml``, read by the ``dailymed-spl`` reader),
recorded as ``SETID:VERSION``, so the next pull fetches only labels that are new or have a new
version (which replaces the older one in the index: both have the id ``label:SETID``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from medcite.errors import PullError
from medcite.pull.base import PullState, Unit
from medcite.pull.http import Fetcher
from medcite.settings import PullSettings

OPENFDA_MAX_SKIP = 25_000
OVERLAP_DAYS = 30
DAILYMED_PAGE = 100


class OpenFDALabels:
    """The labels an openFDA search finds (a :class:`~medcite.pull.base.Source`)."""

    name = "openfda-labels"

    def __init__(self, settings: PullSettings, search: str, max_labels: int | None = None) -> None:
        self.settings = settings
        self.search = search
        self.max_labels = max_labels
        self.rate = settings.requests_per_s or 4.0  # openFDA: 240 requests a minute without a key
        self.complete = False

    @property
    def state_key(self) -> str:
        return "openfda-labels:" + hashlib.sha1(self.search.encode("utf-8")).hexdigest()[:16]

    @property
    def url(self) -> str:
        return f"{self.settings.openfda_url.rstrip('/')}/drug/label.json"

    def plan(self, fetcher: Fetcher, state: PullState) -> list[Unit]:
        run = state.data.get("run")
        if run is None:
            run = {"search": self._search(state.data.get("done_until")), "started": _today()}
            state.data["run"] = run
            state.applied = []
        total = self._total(fetcher, run["search"])
        wanted = total if self.max_labels is None else min(total, self.max_labels)
        wanted = min(wanted, OPENFDA_MAX_SKIP + self.settings.openfda_batch)
        self.complete = wanted == total
        units = []
        for skip in range(0, wanted, self.settings.openfda_batch):
            key = f"{run['started']}:{skip}"
            if key not in state.applied:
                limit = min(self.settings.openfda_batch, wanted - skip)
                params = {"search": run["search"], "limit": str(limit), "skip": str(skip)}
                units.append(
                    Unit(key, self.url, f"labels-{skip:06d}.json", "openfda-label", params)
                )
        return units

    def verify(self, fetcher: Fetcher, unit: Unit, path: Path) -> None:
        try:
            body = json.loads(path.read_bytes())
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PullError(f"openFDA {unit.key}: not JSON: {exc}") from exc
        if not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise PullError(f"openFDA {unit.key}: no results in {str(body)[:200]}")

    def finished(self, state: PullState) -> None:
        if self.complete and "run" in state.data:
            state.data["done_until"] = state.data.pop("run")["started"]
            state.applied = []

    def _search(self, done_until: str | None) -> str:
        if not done_until:
            return self.search
        since = datetime.strptime(done_until, "%Y%m%d") - timedelta(days=OVERLAP_DAYS)
        return f"({self.search}) AND effective_time:[{since:%Y%m%d} TO 99991231]"

    def _total(self, fetcher: Fetcher, search: str) -> int:
        response = fetcher.get(self.url, {"search": search, "limit": "1"}, ok=(200, 404))
        body = _json(response.content, "openFDA")
        if response.status_code == 404:  # openFDA's answer to a search without hits
            if body.get("error", {}).get("code") == "NOT_FOUND":
                return 0
            raise PullError(f"openFDA: HTTP 404 {body}")
        try:
            return int(body["meta"]["results"]["total"])
        except (KeyError, TypeError, ValueError) as exc:
            raise PullError(f"openFDA: no meta.results.total in the reply: {exc!r}") from exc


class DailyMedLabels:
    """The SPLs DailyMed lists for a drug name (a :class:`~medcite.pull.base.Source`)."""

    name = "dailymed"

    def __init__(self, settings: PullSettings, drug: str, max_labels: int | None = None) -> None:
        self.settings = settings
        self.drug = drug
        self.max_labels = max_labels
        self.rate = settings.requests_per_s or 4.0

    @property
    def state_key(self) -> str:
        return "dailymed"  # labels are recorded by set id and version, whatever name found them

    @property
    def base(self) -> str:
        return f"{self.settings.dailymed_url.rstrip('/')}/services/v2"

    def plan(self, fetcher: Fetcher, state: PullState) -> list[Unit]:
        done = set(state.applied)
        units: list[Unit] = []
        for setid, version in self._listed(fetcher):
            key = f"{setid}:{version}"
            if key not in done:
                url = f"{self.base}/spls/{setid}.xml"
                units.append(Unit(key, url, f"{setid}.xml", "dailymed-spl"))
        return units

    def verify(self, fetcher: Fetcher, unit: Unit, path: Path) -> None:
        with path.open("rb") as handle:
            head = handle.read(4096)
        if b"urn:hl7-org:v3" not in head:
            raise PullError(f"DailyMed {unit.key}: not an SPL document: {head[:200]!r}")

    def finished(self, state: PullState) -> None:
        state.applied.sort()

    def _listed(self, fetcher: Fetcher) -> list[tuple[str, str]]:
        """(set id, version) of each listed SPL, page by page, up to ``max_labels``."""
        found: list[tuple[str, str]] = []
        page, pages = 1, 1
        while page <= pages:
            params = {"drug_name": self.drug, "pagesize": str(DAILYMED_PAGE), "page": str(page)}
            body = _json(fetcher.get(f"{self.base}/spls.json", params).content, "DailyMed")
            try:
                pages = int(body.get("metadata", {}).get("total_pages") or 1)
                rows = body["data"]
                found += [(str(row["setid"]), str(row.get("spl_version", ""))) for row in rows]
            except (KeyError, TypeError, ValueError) as exc:
                raise PullError(
                    f"DailyMed spls.json page {page}: unexpected reply: {exc!r}"
                ) from exc
            if self.max_labels is not None and len(found) >= self.max_labels:
                return found[: self.max_labels]
            page += 1
        return found


def _json(content: bytes, service: str) -> dict[str, Any]:
    try:
        body = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PullError(f"{service}: the reply is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise PullError(f"{service}: the reply is not a JSON object")
    return body


def _today() -> str:
    return datetime.now(UTC).strftime("%Y%m%d")
