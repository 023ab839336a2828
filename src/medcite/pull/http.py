"""HTTP for ``medcite pull``: one client per pull, a request rate kept under the source's limit,
and retries with exponential backoff on 429, 5xx and dropped connections (``Retry-After`` wins).
Downloads stream into ``NAME.part`` and are renamed when complete, so a killed pull never leaves
a half file that looks whole."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Collection, Mapping
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import lxml.html

from medcite.errors import PullError
from medcite.settings import PullSettings

RETRIED = frozenset({429, 500, 502, 503, 504})
MAX_WAIT_S = 120.0


class Fetcher:
    """GET requests at most ``rate`` a second, retried as :class:`PullSettings` says."""

    def __init__(
        self,
        settings: PullSettings,
        rate: float,
        *,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.interval = 1.0 / rate
        self.requests = 0
        self._sleep = sleep
        self._log = log or _stderr
        self._next_at = 0.0
        self._client = httpx.Client(
            timeout=settings.timeout_s,
            follow_redirects=True,
            headers={"User-Agent": f"medcite ({settings.tool})"},
        )

    def get(
        self, url: str, params: Mapping[str, Any] | None = None, ok: Collection[int] = (200,)
    ) -> httpx.Response:
        """The response (its status one of ``ok``), after retries; else :class:`PullError`."""
        response = self._send(url, params)
        try:
            response.read()
        except httpx.HTTPError as exc:
            raise PullError(f"{url}: response cut off: {exc}") from exc
        finally:
            response.close()
        return self._checked(url, response, ok)

    def download(self, url: str, dest: Path, params: Mapping[str, Any] | None = None) -> Path:
        """Stream ``url`` to ``dest`` (via ``dest.part``); returns ``dest``."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + ".part")
        response = self._send(url, params)
        try:
            self._checked(url, response, (200,))
            with part.open("wb") as handle:
                for chunk in response.iter_bytes(1 << 20):
                    handle.write(chunk)
        except httpx.HTTPError as exc:
            part.unlink(missing_ok=True)
            raise PullError(f"{url}: download cut off: {exc}") from exc
        finally:
            response.close()
        part.replace(dest)
        return dest

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, url: str, params: Mapping[str, Any] | None) -> httpx.Response:
        """Send until a response is not worth retrying or the retries are spent. Returns an
        open (streamed) response: the caller reads it and closes it."""
        attempt = 0
        while True:
            self._wait_turn()
            self.requests += 1
            request = self._client.build_request("GET", url, params=params)
            try:
                response = self._client.send(request, stream=True)
            except httpx.TransportError as exc:
                if attempt >= self.settings.retries:
                    raise PullError(f"{url}: {exc!r} after {attempt + 1} tries") from exc
                self._retry(url, f"{type(exc).__name__}", self._backoff(attempt))
                attempt += 1
                continue
            if response.status_code not in RETRIED or attempt >= self.settings.retries:
                return response
            wait = _retry_after(response) or self._backoff(attempt)
            response.close()
            self._retry(url, f"HTTP {response.status_code}", wait)
            attempt += 1

    def _checked(self, url: str, response: httpx.Response, ok: Collection[int]) -> httpx.Response:
        if response.status_code in ok:
            return response
        response.close()
        raise PullError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")

    def _wait_turn(self) -> None:
        now = time.monotonic()
        if self._next_at > now:
            self._sleep(self._next_at - now)
        self._next_at = max(now, self._next_at) + self.interval

    def _backoff(self, attempt: int) -> float:
        return float(min(self.settings.backoff_s * 2**attempt, MAX_WAIT_S))

    def _retry(self, url: str, why: str, wait: float) -> None:
        self._log(f"{why} from {url}; retrying in {wait:.1f} s")
        self._sleep(wait)
        self._next_at = time.monotonic() + self.interval


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), capped."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_WAIT_S)


def page_links(html: str) -> list[str]:
    """The ``href`` of every link on an HTML page (a directory listing, a download page)."""
    document = lxml.html.fromstring(html or "<html/>")
    return [href for a in document.iter("a") if (href := a.get("href"))]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
