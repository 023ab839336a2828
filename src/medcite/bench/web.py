"""Web load: the real server (``medcite serve``, 2 workers) on a free loopback port, loaded from
a second process — cached article pages (``wrk`` when installed, else an httpx load generator)
and uncached asks (distinct real questions through ``POST /api/ask``, a fresh connection each,
as from distinct visitors).

The demo's own files stay untouched: the server gets a fresh article database and a random
session key in a temporary folder, and reaches the evidence index through a symlink placed there,
so the answers it saves land in that folder too (SQLite follows the link: the index's WAL files
stay beside the real file). With 4 or more cores the server is pinned to 2 and the load to the
rest; on smaller machines they share. The server's CPU time per request (from ``/proc``) is
reported beside the rates, since it does not depend on what else the machine runs.

Figures only; the goals (on 2 cores: >= 1,000 article pages/s, >= 20 uncached answers/s, no
errors) are printed next to the measured values.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from itertools import count, zip_longest
from pathlib import Path
from typing import Any

import httpx

from medcite.bench import (
    BenchConfig,
    build_slice,
    cores,
    header,
    latency,
    ratio,
    show,
    show_latency,
)
from medcite.corpus import BUILT_KEY
from medcite.errors import MedCiteError
from medcite.eval.citations import default_questions
from medcite.index.embeddings import get_embedder
from medcite.store.sqlite import open_store

DEMO_INDEX = Path("var/medcite.sqlite")
SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared/data"
"""PubMedQA and MedQuAD questions come from here when it exists (the lab's shared data);
otherwise the question-shaped titles of the corpus follow the shipped questions."""

WORKERS = 2
PAGE_SECONDS = 10.0
PAGE_CONCURRENCY = 64
ASK_SECONDS = 15.0
ASK_CONCURRENCY = 6
ASK_BODIES = 2000  # more distinct questions than 15 s can use at several times the goal
SEED_ARTICLES = 4
WARM_ROUNDS = 12  # rounds of WORKERS asks until every worker has answered once
STARTUP_TIMEOUT_S = 240.0
PAGE_GOAL_RPS = 1000.0
ASK_GOAL_RPS = 20.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

Figures = dict[str, Any]


@dataclass(frozen=True)
class LoadSpec:
    """One load run: GET ``paths`` round-robin, or — with ``bodies`` — POST each body once, in
    order, as JSON to ``paths[0]``. No request starts after ``seconds``; no cookies are kept
    (every request is a first visit, as with wrk); ``fresh`` opens a connection per request."""

    base_url: str
    paths: tuple[str, ...]
    seconds: float
    concurrency: int
    bodies: tuple[bytes, ...] = ()
    fresh: bool = False
    timeout_s: float = 60.0


@dataclass
class LoadResult:
    tool: str
    requests: int = 0  # answered with 2xx/3xx
    errors: int = 0  # connection errors, timeouts and statuses outside 2xx/3xx
    seconds: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)  # asks: created / existing / not_saved
    server_cpu_s: float = 0.0  # every process of the server, during the run
    worker_cpu_s: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return round(self.requests / self.seconds, 2) if self.seconds > 0 else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        done = self.requests + self.errors
        return round(1000 * self.server_cpu_s / done, 3) if done else 0.0

    def to_dict(self) -> Figures:
        figures: Figures = {
            "tool": self.tool,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "requests_per_s": self.per_second,
            "latency_ms": self.latency_ms,
            "errors": self.errors,
            "statuses": self.statuses,
            "server_cpu_ms_per_request": self.cpu_ms_per_request,
            "worker_cpu_s": [round(s, 2) for s in self.worker_cpu_s],
        }
        if self.outcomes:
            figures["outcomes"] = self.outcomes
        return figures


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    load_cpus: frozenset[int] | None  # where the load runs when the server is pinned

    def cpu_seconds(self) -> dict[int, float]:
        """CPU seconds so far of each process of the server's group (Linux; else empty)."""
        found: dict[int, float] = {}
        for entry in Path("/proc").glob("[0-9]*"):
            with suppress(OSError, ValueError, IndexError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.process.pid:  # process group = the server's pid
                    found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        return found

    def measure(self, load: Callable[[], LoadResult]) -> LoadResult:
        """Run ``load`` and add the server's CPU time spent meanwhile."""
        before = self.cpu_seconds()
        result = load()
        after = self.cpu_seconds()
        spent = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
        result.server_cpu_s = sum(spent.values())
        workers = sorted((s for pid, s in spent.items() if pid != self.process.pid), reverse=True)
        result.worker_cpu_s = workers[:WORKERS]
        return result


def run(config: BenchConfig, *, use_wrk: bool = True) -> Figures:
    """Start the server, seed articles, load pages then asks, stop the server (also on
    failure). ``use_wrk=False`` forces the Python generator for pages."""
    header(f"Web load (medcite serve, {WORKERS} workers, loopback)")
    show("cores", cores())
    load_average = [round(v, 2) for v in os.getloadavg()]
    show("load average before", " ".join(map(str, load_average)))
    with tempfile.TemporaryDirectory(prefix="medcite-bench-web-") as name:
        tmp = Path(name)
        index, where = _index(config, tmp)
        show("index", where)
        with _server(index, tmp) as server:
            base_url = server.base_url
            slugs, asked = _seed(base_url)
            paths = tuple(f"/q/{slug}" for slug in slugs)
            show("seeded articles", len(slugs))
            _warm_pages(base_url, paths)
            wrk = shutil.which("wrk") if use_wrk else None
            page_spec = LoadSpec(base_url, paths, PAGE_SECONDS, PAGE_CONCURRENCY, timeout_s=10.0)
            pages = server.measure(
                lambda: (
                    _wrk(wrk, page_spec, tmp, server.load_cpus)
                    if wrk
                    else _generate_in_process(page_spec, server.load_cpus)
                )
            )
            _show_load("article pages (cached, GET /q/…)", pages)
            questions = _questions(index, asked)
            warmed, every = _warm_asks(server, questions[: WARM_ROUNDS * WORKERS])
            show("ask warm-up", f"{warmed} asks; every worker answered: {every}")
            bodies = _bodies(questions[warmed:])
            ask_spec = LoadSpec(base_url, ("/api/ask",), ASK_SECONDS, ASK_CONCURRENCY, bodies, True)
            asks = server.measure(lambda: _generate_in_process(ask_spec, server.load_cpus))
            _show_load("asks (uncached, POST /api/ask)", asks)
            show("  outcomes", asks.outcomes)
    figures = _goals(pages, asks)
    return {"config": config.to_dict(), "index": where, "load_average": load_average, **figures}


def _goals(pages: LoadResult, asks: LoadResult) -> Figures:
    answered = asks.outcomes.get("created", 0) + asks.outcomes.get("not_saved", 0)
    answers_per_s = round(answered / asks.seconds, 2) if asks.seconds > 0 else 0.0
    errors = pages.errors + asks.errors
    header(f"Goals ({WORKERS} cores)")
    show("article pages >= 1,000 /s", _against(pages.per_second, PAGE_GOAL_RPS))
    show("uncached answers >= 20 /s", _against(answers_per_s, ASK_GOAL_RPS))
    show("errors = 0", errors)
    return {
        "workers": WORKERS,
        "pages": pages.to_dict(),
        "asks": asks.to_dict(),
        "goals": {
            "pages_per_s": pages.per_second,
            "pages_ratio": ratio(pages.per_second, PAGE_GOAL_RPS),
            "answers_per_s": answers_per_s,
            "answers_ratio": ratio(answers_per_s, ASK_GOAL_RPS),
            "errors": errors,
        },
    }


def _against(value: float, goal: float) -> str:
    return f"{value:,.1f} /s  (ratio {ratio(value, goal)})"


def _show_load(label: str, result: LoadResult) -> None:
    show(label, f"{result.requests:,} answered in {result.seconds:.1f} s ({result.tool})")
    show("  requests/s", result.per_second)
    show_latency("  latency", result.latency_ms)
    show("  errors", result.errors)
    show("  statuses", result.statuses)
    if result.server_cpu_s:
        per = result.cpu_ms_per_request
        show("  server CPU per request", per, "ms")
        show(f"  = at most, on {WORKERS} busy cores", round(WORKERS * 1000 / per, 1), "/s")
        show("  worker CPU (s)", " / ".join(f"{s:.1f}" for s in result.worker_cpu_s))


# -- the index and the server -------------------------------------------------------------------


def _index(config: BenchConfig, tmp: Path) -> tuple[Path, str]:
    """The demo index (linked into ``tmp``) when ``make index`` built it, else a build of the
    benchmark's corpus in ``tmp``."""
    path = tmp / "index.sqlite"
    if config.demo and DEMO_INDEX.exists():
        with open_store(DEMO_INDEX, read_only=True) as store:
            built = store.get_meta(BUILT_KEY)
        if built:
            path.symlink_to(DEMO_INDEX.resolve())
            return path, str(DEMO_INDEX)
    with open_store(path) as store:
        build_slice(store, get_embedder(config.settings.embedding), config)
    return path, "temporary build of the benchmark corpus"


def _split_cpus() -> tuple[frozenset[int] | None, frozenset[int] | None]:
    """(server's cores, load's cores) when there are enough to keep them apart."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    available = sorted(os.sched_getaffinity(0))
    if len(available) < WORKERS + 2:
        return None, None
    return frozenset(available[:WORKERS]), frozenset(available[WORKERS:])


def _pin(cpus: frozenset[int] | None) -> Callable[[], None] | None:
    return None if cpus is None else lambda: os.sched_setaffinity(0, cpus)


@contextmanager
def _server(index: Path, tmp: Path) -> Iterator[Server]:
    """``medcite serve`` on a free loopback port, answering; stopped on the way out."""
    port = _free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "MEDCITE_WEB__DATABASE_URL": f"sqlite:///{tmp / 'site.sqlite'}",
        "MEDCITE_WEB__ASK_LIMIT": "1000000",
        "MEDCITE_WEB__SECRET_KEY": secrets.token_urlsafe(32),
    }
    command = [_medcite(), "--db", str(index), "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(WORKERS)]
    server_cpus, load_cpus = _split_cpus()
    show("server cores / load cores", f"{_cpus(server_cpus)} / {_cpus(load_cpus)}")
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=_pin(server_cpus),
        )
    try:
        started = time.perf_counter()
        server = Server(process, f"http://127.0.0.1:{port}", load_cpus)
        _wait_ready(server, log)
        show("server ready", round(time.perf_counter() - started, 1), "s")
        yield server
    finally:
        _stop(process)


def _cpus(cpus: frozenset[int] | None) -> str:
    return "shared" if cpus is None else ",".join(map(str, sorted(cpus)))


def _medcite() -> str:
    here = shutil.which("medcite", path=str(Path(sys.executable).parent))
    found = here or shutil.which("medcite")
    if found is None:
        raise MedCiteError("the `medcite` command is not installed; run `make install`")
    return found


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(server: Server, log: Path, workers: int = WORKERS) -> None:
    """Until every worker has started (loaded its engine) and the server answers a page."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise MedCiteError(f"the server exited ({server.process.returncode}):\n{_tail(log)}")
        if _tail(log, 1 << 20).count("Application startup complete") >= workers:
            with suppress(httpx.HTTPError):
                if httpx.get(server.base_url + "/policy", timeout=5.0).status_code == 200:
                    return
        time.sleep(0.25)
    raise MedCiteError(f"the server did not answer in {STARTUP_TIMEOUT_S:.0f} s:\n{_tail(log)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl+C (uvicorn stops its workers), then kill what is left of its process group."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # the group holds only the server and workers
    process.wait()


def _tail(log: Path, size: int = 4000) -> str:
    data = log.read_bytes() if log.exists() else b""
    return data[-size:].decode("utf-8", "replace")


# -- seeding, warming and questions -------------------------------------------------------------


def _seed(base_url: str) -> tuple[list[str], list[str]]:
    """Ask shipped questions until ``SEED_ARTICLES`` articles exist: their slugs, and every
    question asked (kept out of the uncached asks)."""
    slugs: list[str] = []
    asked: list[str] = []
    for question in default_questions():
        if len(slugs) >= SEED_ARTICLES:
            break
        asked.append(question)
        response = httpx.post(base_url + "/api/ask", json={"question": question}, timeout=120.0)
        if response.status_code >= 400:
            raise MedCiteError(f"seeding failed ({response.status_code}): {response.text}")
        article = response.json().get("article")
        if article is not None:
            slugs.append(article["slug"])
    if not slugs:
        raise MedCiteError("no shipped question produced an article to load")
    return slugs, asked


def _warm_pages(base_url: str, paths: tuple[str, ...]) -> None:
    """Each page a few times over fresh connections, so the workers have it cached."""
    for path in paths:
        for _ in range(4 * WORKERS):
            httpx.get(base_url + path, timeout=30.0)


def _warm_asks(server: Server, questions: list[str]) -> tuple[int, bool | None]:
    """Ask ``WORKERS`` questions at a time on fresh connections until every worker has answered
    one: a worker's first answer loads its models (seconds), which is not what is measured.
    Returns how many were asked, and whether every worker answered (None: cannot tell)."""
    start = server.cpu_seconds()
    asked = 0
    while asked + WORKERS <= len(questions):
        batch = questions[asked : asked + WORKERS]
        spec = LoadSpec(server.base_url, ("/api/ask",), 300.0, WORKERS, _bodies(batch), True)
        generate(spec)
        asked += len(batch)
        now = server.cpu_seconds()
        busy = sorted(now[p] - start.get(p, 0.0) for p in now if p != server.process.pid)
        if len(busy) < WORKERS:
            return asked, None  # no /proc
        if busy[-WORKERS] > 1.0:  # the least busy worker loaded its models
            return asked, True
    return asked, False


def _bodies(questions: list[str]) -> tuple[bytes, ...]:
    return tuple(json.dumps({"question": q}).encode() for q in questions)


def _questions(index: Path, exclude: list[str]) -> list[str]:
    """Distinct real questions: the shipped ones, then PubMedQA and MedQuAD alternating (shared
    data), else the corpus's question-shaped titles."""
    found = default_questions()
    pubmedqa = SHARED_DATA / "pubmedqa" / "pqal_trainval.json"
    medquad = SHARED_DATA / "medquad" / "medquad.jsonl.gz"
    if pubmedqa.exists() and medquad.exists():
        records = json.loads(pubmedqa.read_text(encoding="utf-8"))
        research = [str(records[key]["QUESTION"]) for key in sorted(records)]
        mixed = zip_longest(research, _medquad_questions(medquad))
        found += [q for pair in mixed for q in pair if q]
    else:
        from medcite.bench.answer import questions

        with open_store(index, read_only=True) as store:
            found += questions(store, ASK_BODIES + len(found))
    seen = {q.casefold() for q in exclude}
    distinct = []
    for question in found:
        if question.casefold() not in seen:
            seen.add(question.casefold())
            distinct.append(question)
    return distinct[:ASK_BODIES]


def _medquad_questions(path: Path) -> list[str]:
    """One question per MedQuAD topic (its first), tidied: "What is (are) X ?" → "What is X?"."""
    topics: set[str] = set()
    found = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            focus = str(record.get("focus") or "")
            if not focus or focus in topics:
                continue
            topics.add(focus)
            text = str(record["question"]).replace(" (are) ", " ")
            found.append(re.sub(r"\s+\?$", "?", text.strip()))
            if len(found) >= ASK_BODIES:
                break
    return found


# -- load generators ----------------------------------------------------------------------------


def _generate_in_process(spec: LoadSpec, cpus: frozenset[int] | None) -> LoadResult:
    """Run :func:`generate` in a second process (a fresh interpreter, on ``cpus``)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_pin(cpus)) as pool:
        return pool.submit(generate, spec).result()


def generate(spec: LoadSpec) -> LoadResult:
    """The Python load generator: ``spec.concurrency`` requests in flight (httpx, asyncio)."""
    return asyncio.run(_generate(spec))


async def _generate(spec: LoadSpec) -> LoadResult:
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    keep = 0 if spec.fresh else spec.concurrency
    limits = httpx.Limits(max_connections=spec.concurrency, max_keepalive_connections=keep)
    samples: list[float] = []
    statuses: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    order = count()
    async with httpx.AsyncClient(
        base_url=spec.base_url, limits=limits, timeout=spec.timeout_s, cookies=no_cookies
    ) as client:
        start = time.perf_counter()
        deadline = start + spec.seconds

        async def user() -> None:
            while time.perf_counter() < deadline:
                n = next(order)
                if spec.bodies and n >= len(spec.bodies):
                    return
                sent = time.perf_counter()
                try:
                    if spec.bodies:
                        kind = {"content-type": "application/json"}
                        response = await client.post(
                            spec.paths[0], content=spec.bodies[n], headers=kind
                        )
                    else:
                        response = await client.get(spec.paths[n % len(spec.paths)])
                except httpx.HTTPError as exc:
                    statuses[type(exc).__name__] += 1
                    continue
                samples.append((time.perf_counter() - sent) * 1000)
                statuses[str(response.status_code)] += 1
                if spec.bodies and response.is_success:
                    outcomes[_outcome(response.json())] += 1

        await asyncio.gather(*(user() for _ in range(spec.concurrency)))
        seconds = time.perf_counter() - start
    ok = sum(n for code, n in statuses.items() if code.isdigit() and 200 <= int(code) < 400)
    return LoadResult(
        tool=f"python httpx, {spec.concurrency} concurrent",
        requests=ok,
        errors=sum(statuses.values()) - ok,
        seconds=seconds,
        latency_ms=latency(samples),
        statuses=dict(sorted(statuses.items())),
        outcomes=dict(sorted(outcomes.items())),
    )


def _outcome(body: dict[str, Any]) -> str:
    if body.get("article") is None:
        return "not_saved"  # declined, emergency or no evidence: answered, never published
    return "created" if body.get("created") else "existing"


WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'MEDCITE {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, '
    .. '"status": %%d, "timeout": %%d, "p50_us": %%d, "p95_us": %%d, "mean_us": %%.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency.mean))
end
"""


def _wrk(wrk: str, spec: LoadSpec, tmp: Path, cpus: frozenset[int] | None) -> LoadResult:
    """``wrk`` over ``spec.paths`` round-robin; figures from its Lua ``done`` hook."""
    script = tmp / "pages.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in spec.paths), "utf-8")
    threads = max(1, min(2, len(cpus) if cpus else cores()))
    command = [wrk, f"-t{threads}", f"-c{spec.concurrency}", f"-d{spec.seconds:.0f}s"]
    command += ["--timeout", f"{spec.timeout_s:.0f}s", "-s", str(script), spec.base_url]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=spec.seconds + 60, preexec_fn=_pin(cpus)
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("MEDCITE ")), None)
    if done.returncode != 0 or line is None:
        raise MedCiteError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    figures = json.loads(line.removeprefix("MEDCITE "))
    errors = {k: int(figures[k]) for k in ("connect", "read", "write", "status", "timeout")}
    return LoadResult(
        tool=f"wrk, {threads} threads, {spec.concurrency} connections",
        requests=int(figures["requests"]) - errors["status"],
        errors=sum(errors.values()),
        seconds=int(figures["duration_us"]) / 1e6,
        latency_ms={
            "p50_ms": round(figures["p50_us"] / 1000, 3),
            "p95_ms": round(figures["p95_us"] / 1000, 3),
            "mean_ms": round(figures["mean_us"] / 1000, 3),
        },
        statuses={"non_2xx_3xx": errors["status"], **{k: v for k, v in errors.items() if v}},
    )
