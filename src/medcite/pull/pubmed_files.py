"""``medcite pull pubmed-baseline`` / ``pubmed-updates``: NLM's PubMed files.

Each December NLM publishes the year's baseline (``baseline/pubmed26n0001.xml.gz`` …) and then
daily update files (``updatefiles/``), each with an ``.md5`` beside it (one line,
``MD5(pubmed26n0001.xml.gz)= <hex>``). A file is one unit: listed from the folder's index page,
downloaded, checked against its published MD5 (a mismatch is refused and nothing of it is
applied), read by the PubMed XML reader and ingested; an update's ``DeleteCitation`` removes the
documents it names. Files are applied in name order and recorded by name, so a rerun fetches
only files it has not applied. ``--files 1-3,7`` takes a slice by file number.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from medcite.errors import InputError, PullError
from medcite.pull.base import PullState, Unit
from medcite.pull.http import Fetcher, page_links
from medcite.settings import PullSettings

FILE_NAME = re.compile(r"^pubmed\d{2}n(\d{4})\.xml\.gz$")
MD5 = re.compile(rb"\b([0-9a-fA-F]{32})\b")
FOLDERS = {"pubmed-baseline": "baseline", "pubmed-updates": "updatefiles"}


class PubMedFiles:
    """The baseline or update files (a :class:`~medcite.pull.base.Source`)."""

    def __init__(self, settings: PullSettings, name: str, files: str | None = None) -> None:
        self.settings = settings
        self.name = name
        self.folder = FOLDERS[name]
        self.numbers = parse_numbers(files) if files else None
        self.rate = settings.requests_per_s or 3.0

    @property
    def state_key(self) -> str:
        return self.name

    @property
    def base(self) -> str:
        return f"{self.settings.pubmed_files_url.rstrip('/')}/{self.folder}/"

    def plan(self, fetcher: Fetcher, state: PullState) -> list[Unit]:
        listing = fetcher.get(self.base)
        names = listed_files(listing.text)
        if not names:
            raise PullError(f"{self.base}: the listing names no pubmedNNnNNNN.xml.gz files")
        done = set(state.applied)
        return [
            Unit(name, self.base + name, name, "pubmed-xml")
            for name in names
            if name not in done and (self.numbers is None or _number(name) in self.numbers)
        ]

    def verify(self, fetcher: Fetcher, unit: Unit, path: Path) -> None:
        published = fetcher.get(unit.url + ".md5").content
        match = MD5.search(published.rpartition(b"=")[2]) or MD5.search(published)
        if match is None:
            raise PullError(f"{unit.url}.md5: no MD5 in {published[:100]!r}")
        expected = match.group(1).decode("ascii").lower()
        digest = hashlib.md5(usedforsecurity=False)
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != expected:
            raise PullError(
                f"{unit.key}: MD5 {digest.hexdigest()} does not match the published {expected}; "
                "the file was not applied (run the pull again to download it again)"
            )

    def finished(self, state: PullState) -> None:
        state.applied.sort()


def listed_files(html: str) -> list[str]:
    """The PubMed XML files an index page links to, in name order."""
    names = {Path(urlsplit(href).path).name for href in page_links(html)}
    return sorted(name for name in names if FILE_NAME.match(name))


def parse_numbers(spec: str) -> frozenset[int]:
    """``"1-3,7"`` → {1, 2, 3, 7} (file numbers, the NNNN of pubmed26nNNNN)."""
    numbers: set[int] = set()
    for part in spec.split(","):
        first, dash, last = part.strip().partition("-")
        try:
            low = int(first)
            high = int(last) if dash else low
        except ValueError:
            raise InputError(f"--files: {part!r} is not a number or a range like 1-3") from None
        if low < 1 or high < low:
            raise InputError(f"--files: {part!r} is not a range of file numbers")
        numbers.update(range(low, high + 1))
    return frozenset(numbers)


def _number(name: str) -> int:
    match = FILE_NAME.match(name)
    return int(match.group(1)) if match else 0
