"""The clients of the load run (:mod:`medcite.bench.load`): closed-loop asyncio tasks over httpx,
one connection pool each, sharing what they have seen of the articles (one event loop, so no
locks) and recording every request: latency and status by kind, errors, conflicts, and each
acknowledged write for :mod:`medcite.bench.load_check`.
"""

from __future__ import annotations

import asyncio
import base64
import random
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from http.cookiejar import CookieJar, DefaultCookiePolicy
from itertools import count
from typing import Any

import httpx
import numpy as np

from medcite.bench import latency, per_second

Figures = dict[str, Any]
READS = ("page", "article", "search")
ASKS = ("ask_new", "ask_repeat")
WRITES = ("start_review", "approve", "request_changes", "regenerate")
KINDS = (*READS, *ASKS, *WRITES)
TO_KIND = {
    "under_review": "start_review",
    "approved": "approve",
    "changes_requested": "request_changes",
}
MIX = {
    "page": 40,
    "article": 22,
    "search": 12,
    "ask_new": 5,
    "ask_repeat": 6,
    "review": 13,
    "regenerate": 2,
}
"""Relative weights of a client's next action: reads three in four; "review" is the next step of
an article in review (start, approve or request changes; regenerate after requested changes)."""
PROGRESS_S = 30.0
EXAMPLES = 20  # error examples kept


@dataclass(frozen=True)
class Account:
    """One client's identities: a reviewer (transitions) and an editor (regenerate)."""

    reviewer: str
    editor: str
    password: str

    def basic(self, name: str) -> dict[str, str]:
        token = base64.b64encode(f"{name}:{self.password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}


@dataclass
class Known:
    """What the clients last saw of one article."""

    id: int
    slug: str
    home: int  # the server whose ask returned it first: review actions go elsewhere
    state: str
    revision: int
    created: bool  # made by an ask of this run

    def saw(self, body: dict[str, Any]) -> None:
        if body["revision"] > self.revision:
            self.state, self.revision = body["state"], body["revision"]


@dataclass(frozen=True)
class Write:
    """A review action as sent; ``article`` is what its response showed, once a client saw it
    succeed (2xx)."""

    token: str
    kind: str
    article_id: int
    actor: str
    to_state: str
    sent_revision: int
    article: dict[str, Any] = field(default_factory=dict)  # empty until answered


@dataclass
class Traffic:
    """The run's shared state: configuration, what the clients know, what they measured."""

    bases: list[str]
    accounts: list[Account]
    questions: list[str]
    run_id: str
    seconds: float
    seed: int = 0
    timeout_s: float = 120.0
    mix: dict[str, float] = field(default_factory=lambda: dict(MIX))
    articles: dict[int, Known] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)  # question → its first article
    other_article: list[str] = field(default_factory=list)  # repeats that opened another
    writes: list[Write] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # tokens answered 409
    failed: set[str] = field(default_factory=set)  # tokens answered with an error
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    errors: Counter[str] = field(default_factory=Counter)
    conflicts: Counter[str] = field(default_factory=Counter)
    error_examples: list[str] = field(default_factory=list)
    outcomes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    started: float = 0.0
    ended: float = 0.0
    _turn: Iterator[int] = field(default_factory=count)
    _tokens: Iterator[int] = field(default_factory=lambda: count(1))
    _next_question: int = 0

    @property
    def token_prefix(self) -> str:
        return f"load {self.run_id} #"

    def token(self) -> str:
        return f"{self.token_prefix}{next(self._tokens)}"

    def server(self) -> int:
        """Round-robin over the servers."""
        return next(self._turn) % len(self.bases)

    def other_server(self, home: int, rng: random.Random) -> int:
        others = [n for n in range(len(self.bases)) if n != home]
        return rng.choice(others) if others else home

    def new_question(self) -> str | None:
        if self._next_question >= len(self.questions):
            return None
        self._next_question += 1
        return self.questions[self._next_question - 1]

    # -- requests --------------------------------------------------------------------------------

    async def send(
        self,
        http: httpx.AsyncClient,
        kind: str,
        method: str,
        url: str,
        ok: tuple[int, ...] = (200,),
        *,
        write: bool = False,
        **options: Any,
    ) -> httpx.Response | None:
        """The response when its status is expected (``ok``, or 409 for a write), else None
        with the error recorded."""
        sent = time.perf_counter()
        try:
            response = await http.request(method, url, **options)
        except httpx.HTTPError as exc:
            self.statuses[kind][type(exc).__name__] += 1
            self._error(kind, type(exc).__name__, f"{method} {url}: {exc!r}")
            return None
        self.samples[kind].append((time.perf_counter() - sent) * 1000)
        self.statuses[kind][str(response.status_code)] += 1
        if response.status_code in ok:
            return response
        if write and response.status_code == 409:
            self.conflicts[kind] += 1
            return response
        self._error(kind, str(response.status_code), f"{method} {url}: {response.text[:300]}")
        return None

    def _error(self, kind: str, what: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.error_examples) < EXAMPLES:
            self.error_examples.append(f"{kind} {what} {detail}")

    def known(self, body: dict[str, Any], server: int, created: bool) -> Known:
        found = self.articles.get(body["id"])
        if found is None:
            found = Known(body["id"], body["slug"], server, body["state"], body["revision"], False)
            self.articles[found.id] = found
        if created:
            found.created, found.home = True, server
        found.saw(body)
        return found

    # -- figures ---------------------------------------------------------------------------------

    def figures(self) -> Figures:
        seconds = self.ended - self.started
        by_kind: Figures = {}
        for kind in KINDS:
            samples = self.samples.get(kind, [])
            values = np.asarray(samples, dtype=np.float64)
            p99 = round(float(np.percentile(values, 99)), 3) if len(values) else 0.0
            done = sum(self.statuses[kind].values())  # answered, or failed without an answer
            by_kind[kind] = {
                "requests": done,
                "requests_per_s": per_second(done, seconds),
                **latency(samples),
                "p99_ms": p99,
                "errors": self.errors[kind],
                "conflicts": self.conflicts[kind],
                "statuses": dict(sorted(self.statuses[kind].items())),
            }
        total = sum(k["requests"] for k in by_kind.values())
        states = Counter(a.state for a in self.articles.values())
        return {
            "duration_s": round(seconds, 2),
            "requests": total,
            "requests_per_s": per_second(total, seconds),
            "by_kind": by_kind,
            "errors": sum(self.errors.values()),
            "error_examples": self.error_examples,
            "conflicts": sum(self.conflicts.values()),
            "asks": {kind: dict(sorted(self.outcomes[kind].items())) for kind in ASKS},
            "articles": {
                "seen": len(self.articles),
                "created": sum(a.created for a in self.articles.values()),
                "questions_asked_new": self._next_question,
                "last_seen_states": dict(sorted(states.items())),
            },
            "writes": {
                "acknowledged": len(self.writes),
                "conflicts": len(self.refused),
                "failed": len(self.failed),
            },
        }


Action = Callable[[Traffic, httpx.AsyncClient, random.Random, Account], Awaitable[None]]


async def drive(traffic: Traffic) -> None:
    """Run every client until ``traffic.seconds`` have passed (requests in flight then finish),
    printing progress every ``PROGRESS_S`` seconds."""
    traffic.started = time.perf_counter()
    deadline = traffic.started + traffic.seconds
    clients = [
        asyncio.create_task(_client(traffic, n, deadline)) for n in range(len(traffic.accounts))
    ]
    reporter = asyncio.create_task(_progress(traffic))
    try:
        await asyncio.gather(*clients)
    finally:
        reporter.cancel()
        for task in clients:
            task.cancel()
    traffic.ended = time.perf_counter()


async def _progress(traffic: Traffic) -> None:
    while True:
        await asyncio.sleep(PROGRESS_S)
        seconds = time.perf_counter() - traffic.started
        done = sum(len(s) for s in traffic.samples.values())
        print(
            f"  {seconds:6.0f} s  {done:,} requests ({per_second(done, seconds):,.1f}/s)  "
            f"errors {sum(traffic.errors.values())}  conflicts {sum(traffic.conflicts.values())}"
            f"  articles {len(traffic.articles)}",
            flush=True,
        )


async def _client(traffic: Traffic, n: int, deadline: float) -> None:
    rng = random.Random(f"{traffic.seed}:{n}")
    account = traffic.accounts[n]
    actions = list(traffic.mix)
    weights = [traffic.mix[a] for a in actions]
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))  # anonymous reads
    async with httpx.AsyncClient(timeout=traffic.timeout_s, cookies=no_cookies) as http:
        while time.perf_counter() < deadline:
            action = rng.choices(actions, weights)[0]
            await ACTIONS[action](traffic, http, rng, account)


# -- actions ------------------------------------------------------------------------------------


async def _page(t: Traffic, http: httpx.AsyncClient, rng: random.Random, who: Account) -> None:
    if not t.articles:
        return await _ask_new(t, http, rng, who)
    known = t.articles[rng.choice(list(t.articles))]
    await t.send(http, "page", "GET", f"{t.bases[t.server()]}/q/{known.slug}")


async def _article(t: Traffic, http: httpx.AsyncClient, rng: random.Random, who: Account) -> None:
    if not t.articles:
        return await _ask_new(t, http, rng, who)
    await _read_article(t, http, t.articles[rng.choice(list(t.articles))], t.server())


async def _read_article(t: Traffic, http: httpx.AsyncClient, known: Known, server: int) -> None:
    url = f"{t.bases[server]}/api/articles/{known.id}"
    response = await t.send(http, "article", "GET", url)
    if response is not None:
        known.saw(response.json())


async def _search(t: Traffic, http: httpx.AsyncClient, rng: random.Random, who: Account) -> None:
    query = rng.choice(t.questions)
    url = f"{t.bases[t.server()]}/api/search"
    await t.send(http, "search", "GET", url, params={"q": query})


async def _ask_new(t: Traffic, http: httpx.AsyncClient, rng: random.Random, who: Account) -> None:
    question = t.new_question()
    if question is None:  # every question asked: ask again
        return await _ask_repeat(t, http, rng, who)
    await _ask(t, http, "ask_new", question)


async def _ask_repeat(
    t: Traffic, http: httpx.AsyncClient, rng: random.Random, who: Account
) -> None:
    if not t.answered:
        return await _ask_new(t, http, rng, who)
    await _ask(t, http, "ask_repeat", rng.choice(list(t.answered)))


async def _ask(t: Traffic, http: httpx.AsyncClient, kind: str, question: str) -> None:
    server = t.server()
    url = f"{t.bases[server]}/api/ask"
    response = await t.send(http, kind, "POST", url, (200, 201), json={"question": question})
    if response is None:
        return
    body = response.json()
    article = body["article"]
    if article is None:  # declined, emergency or no evidence: answered, never published
        t.outcomes[kind]["not_saved"] += 1
        return
    t.outcomes[kind]["created" if body["created"] else "existing"] += 1
    t.known(article, server, bool(body["created"]))
    first = t.answered.setdefault(question, article["id"])
    if first != article["id"]:
        t.other_article.append(f"{question!r}: article {first}, then {article['id']}")


async def _review(t: Traffic, http: httpx.AsyncClient, rng: random.Random, who: Account) -> None:
    """The next step of an article still in review: start, approve or request changes (as a
    reviewer), or regenerate one whose changes were requested (as an editor)."""
    pending = [a for a in t.articles.values() if a.state != "approved"]
    if not pending:
        return await _article(t, http, rng, who)
    known = rng.choice(pending)
    if known.state == "changes_requested":
        return await _regenerate_one(t, http, rng, who, known)
    to = "under_review"
    if known.state == "under_review":
        to = rng.choice(("approved", "approved", "changes_requested"))
    token = t.token()
    comment = token if to != "changes_requested" else f"{token}: please cite the guideline"
    planned = Write(token, TO_KIND[to], known.id, who.reviewer, to, known.revision)
    body = {"to": to, "comment": comment, "revision": known.revision}
    await _write(t, http, rng, planned, f"/api/articles/{known.id}/transitions", body, who)


async def _regenerate(
    t: Traffic, http: httpx.AsyncClient, rng: random.Random, who: Account
) -> None:
    if not t.articles:
        return await _ask_new(t, http, rng, who)
    await _regenerate_one(t, http, rng, who, t.articles[rng.choice(list(t.articles))])


async def _regenerate_one(
    t: Traffic, http: httpx.AsyncClient, rng: random.Random, who: Account, known: Known
) -> None:
    token = t.token()
    planned = Write(token, "regenerate", known.id, who.editor, "under_review", known.revision)
    body = {"reason": f"{token}: answered again", "revision": known.revision}
    await _write(t, http, rng, planned, f"/api/articles/{known.id}/regenerate", body, who)


async def _write(
    t: Traffic,
    http: httpx.AsyncClient,
    rng: random.Random,
    planned: Write,
    path: str,
    body: dict[str, Any],
    who: Account,
) -> None:
    """POST a review action to a server other than the article's home; on a conflict, read
    the article again (as a reviewer reloads the page)."""
    known = t.articles[planned.article_id]
    server = t.other_server(known.home, rng)
    url = f"{t.bases[server]}{path}"
    auth = who.basic(planned.actor)
    response = await t.send(http, planned.kind, "POST", url, json=body, headers=auth, write=True)
    if response is None:
        t.failed.add(planned.token)
        return
    if response.status_code == 409:
        t.refused.add(planned.token)
        await _read_article(t, http, known, server)
        return
    article = response.json()
    t.writes.append(replace(planned, article=article))
    known.saw(article)


ACTIONS: dict[str, Action] = {
    "page": _page,
    "article": _article,
    "search": _search,
    "ask_new": _ask_new,
    "ask_repeat": _ask_repeat,
    "review": _review,
    "regenerate": _regenerate,
}
