"""``medcite pull medlineplus``: MedlinePlus health topics.

MedlinePlus publishes all its health topics as one XML file, renewed most days and linked from
``xml.html`` (``xml/mplus_topics_YYYY-MM-DD.xml``). The newest file is the one unit; it is
recorded by name, so a rerun fetches nothing until MedlinePlus publishes a newer file. Topics
are read by the ``medlineplus`` reader (consumer health, dated).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from medcite.errors import PullError
from medcite.pull.base import PullState, Unit
from medcite.pull.http import Fetcher, page_links
from medcite.settings import PullSettings

TOPICS_FILE = re.compile(r"^mplus_topics_(\d{4}-\d{2}-\d{2})\.xml$")


class MedlinePlusTopics:
    """The newest MedlinePlus health-topic file (a :class:`~medcite.pull.base.Source`)."""

    name = "medlineplus"
    state_key = "medlineplus"

    def __init__(self, settings: PullSettings) -> None:
        self.settings = settings
        self.rate = settings.requests_per_s or 4.0

    def plan(self, fetcher: Fetcher, state: PullState) -> list[Unit]:
        page = f"{self.settings.medlineplus_url.rstrip('/')}/xml.html"
        response = fetcher.get(page)
        files = {}
        for href in page_links(response.text):
            name = Path(urlsplit(href).path).name
            if match := TOPICS_FILE.match(name):
                files[match.group(1)] = urljoin(page, href)
        if not files:
            raise PullError(f"{page}: no mplus_topics_YYYY-MM-DD.xml file is linked")
        newest = max(files)
        name = f"mplus_topics_{newest}.xml"
        if name in state.applied:
            return []
        return [Unit(name, files[newest], name, "medlineplus")]

    def verify(self, fetcher: Fetcher, unit: Unit, path: Path) -> None:
        with path.open("rb") as handle:
            head = handle.read(4096)
        if b"<health-topics" not in head:
            raise PullError(f"MedlinePlus {unit.key}: not a health-topics file: {head[:200]!r}")

    def finished(self, state: PullState) -> None:
        state.applied = state.applied[-1:]  # only the newest file matters next time
