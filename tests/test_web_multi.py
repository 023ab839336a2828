"""Several app servers on one PostgreSQL: two real ``medcite serve`` processes on their own
loopback ports, configured only by ``MEDCITE_DATABASE_URL`` (evidence, answers, articles,
accounts and audit log all in that database). A question asked on one and approved on the other
reads the same on both, and when both servers change one article at the same moment exactly one
change wins."""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from medcite.articles.database import make_engine
from medcite.articles.logins import LoginThrottle, ThrottlePolicy, account_log
from medcite.articles.model import State
from medcite.articles.store import ArticleStore
from medcite.database import sqlalchemy_url
from medcite.settings import WebSettings
from medcite.store.postgres import PostgresStore, open_postgres
from medcite.web.service import Site
from tests.conftest import PASSWORD, new_database, web_settings

pytestmark = pytest.mark.parametrize("demo_store", ["postgresql"], indirect=True)

FIRST = "How is iron deficiency anemia treated?"
QUESTIONS = (
    "What are the risk factors for osteoporosis?",
    "How is type 2 diabetes diagnosed?",
    "What causes carpal tunnel syndrome?",
)
REVIEWERS = ("alice", "bob")
START_S = 300  # two servers loading the models at once on a small shared machine


@dataclass
class Cluster:
    a: str  # base URL of server A
    b: str  # base URL of server B
    url: str  # the PostgreSQL database both use
    logs: list[Path]

    def log_tails(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.logs
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _medcite(*args: str) -> list[str]:
    """The installed ``medcite`` command (``python -m medcite.cli`` would import the CLI twice)."""
    return [str(Path(sys.executable).with_name("medcite")), *args]


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server this test started (its own process group), politely, then for sure."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server {base} exited:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base}/api/session", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"server {base} did not start in {START_S} s")


@pytest.fixture(scope="module")
def cluster(
    demo_store: PostgresStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("multi")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDCITE_")}
    env |= {
        "MEDCITE_DATABASE_URL": demo_store.url,
        "MEDCITE_STORE__PATH": str(folder / "index.sqlite"),  # never written: PostgreSQL holds all
        "MEDCITE_WEB__SECRET_KEY": "one-key-shared-by-every-app-server",
        "MEDCITE_WEB__ASK_LIMIT": "1000",
        "MEDCITE_WEB__LOGIN_LOCK_AFTER": "3",  # test_failed_logins_are_counted_across_servers
        "MEDCITE_WEB__LOGIN_LOCK_S": "600",
    }
    for name in REVIEWERS:
        added = subprocess.run(
            _medcite("users", "add", name, "--role", "reviewer", "--password-stdin"),
            input=f"{PASSWORD}\n",
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert added.returncode == 0, added.stderr
    processes: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    bases: list[str] = []
    try:
        for name in ("a", "b"):
            port = _free_port()
            log = folder / f"server-{name}.log"
            with log.open("wb") as out:
                args = ("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1")
                processes.append(
                    subprocess.Popen(
                        _medcite(*args),
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # its own group: stopped with all it started
                    )
                )
            logs.append(log)
            bases.append(f"http://127.0.0.1:{port}")
        for base, process, log in zip(bases, processes, logs, strict=True):
            _wait_ready(base, process, log)
        yield Cluster(bases[0], bases[1], demo_store.url, logs)
    finally:
        for process in processes:
            _stop(process)


def basic(name: str) -> dict[str, str]:
    token = base64.b64encode(f"{name}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def ask(base: str, question: str) -> dict[str, Any]:
    response = httpx.post(f"{base}/api/ask", json={"question": question}, timeout=300)
    assert response.status_code in (200, 201), response.text
    article: dict[str, Any] = response.json()["article"]
    assert article is not None
    return article


def article_json(base: str, article_id: int) -> dict[str, Any]:
    response = httpx.get(f"{base}/api/articles/{article_id}", timeout=60)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def move(base: str, article_id: int, to: str, who: str, revision: int | None) -> httpx.Response:
    return httpx.post(
        f"{base}/api/articles/{article_id}/transitions",
        json={"to": to, "revision": revision},
        headers=basic(who),
        timeout=60,
    )


def test_asked_on_one_server_approved_on_the_other(cluster: Cluster) -> None:
    a, b = cluster.a, cluster.b
    asked = ask(a, FIRST)
    aid, revision = asked["id"], asked["revision"]
    assert asked["state"] == "submitted" and asked["version"] == 1
    seen = article_json(b, aid)  # at once: no server keeps its own copy of the data
    assert (seen["question"], seen["state"], seen["revision"]) == (FIRST, "submitted", revision)

    started = move(b, aid, "under_review", "alice", revision)
    assert started.status_code == 200, started.text
    approved = move(b, aid, "approved", "alice", revision + 1)
    assert approved.status_code == 200, approved.text

    on_a, on_b = article_json(a, aid), article_json(b, aid)
    assert on_a == on_b, cluster.log_tails()
    assert on_a["state"] == "approved" and on_a["pending_review"] is False
    assert (on_a["approved_version"], on_a["version"], on_a["latest_version"]) == (1, 1, 1)
    assert on_a["approved_by"] == "alice" and on_a["revision"] == revision + 2

    # A's cached page trusts its revision for web.revision_ttl_s (1 s) at most.
    deadline = time.monotonic() + 10
    page = httpx.get(f"{a}{asked['url']}", timeout=60).text
    while "Reviewed and approved by alice" not in page and time.monotonic() < deadline:
        time.sleep(0.3)
        page = httpx.get(f"{a}{asked['url']}", timeout=60).text
    assert "Reviewed and approved by alice" in page and "pending human review" not in page

    again = httpx.post(f"{a}/api/ask", json={"question": FIRST}, timeout=300).json()
    assert again["created"] is False and again["article"]["id"] == aid
    assert again["article"]["state"] == "approved"


def test_a_session_from_one_server_works_on_the_other(cluster: Cluster) -> None:
    """Stateless app servers: log in on A, act on B with the same cookie and CSRF token."""
    article = ask(cluster.b, QUESTIONS[0])
    with httpx.Client(timeout=60) as browser:  # one cookie jar: both servers are 127.0.0.1
        token = browser.get(f"{cluster.a}/api/session").json()["csrf_token"]
        login = browser.post(
            f"{cluster.a}/login",
            data={"name": "bob", "password": PASSWORD, "csrf_token": token, "next": "/review"},
        )
        assert login.status_code == 303, login.text
        assert browser.get(f"{cluster.b}/api/session").json()["user"] == "bob"
        token = browser.get(f"{cluster.b}/api/session").json()["csrf_token"]
        done = browser.post(
            f"{cluster.b}/api/articles/{article['id']}/transitions",
            json={"to": "under_review", "revision": article["revision"]},
            headers={"X-CSRF-Token": token},
        )
    assert done.status_code == 200, done.text
    assert article_json(cluster.a, article["id"])["state"] == "under_review"


def _together(actions: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Send the requests of ``actions`` at the same moment, one thread each."""
    barrier = threading.Barrier(len(actions))
    results: list[httpx.Response | None] = [None] * len(actions)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = actions[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r is not None for r in results), "a request raised"
    return [r for r in results if r is not None]


def _outcome(response: httpx.Response) -> str:
    if response.status_code == 200:
        return "ok"
    assert response.status_code == 409, response.text
    return str(response.json()["error"]["code"])


def test_two_servers_changing_one_article_at_once_lose_nothing(cluster: Cluster) -> None:
    a, b = cluster.a, cluster.b
    engine = make_engine(cluster.url)
    try:
        store = ArticleStore(engine)
        for round_, question in enumerate(QUESTIONS[1:]):
            article = ask(a if round_ % 2 else b, question)
            aid, revision = article["id"], article["revision"]
            # Both reviewers saw the same revision: one change wins, the other is a conflict.
            started = _together(
                [
                    partial(move, a, aid, "under_review", "alice", revision),
                    partial(move, b, aid, "under_review", "bob", revision),
                ]
            )
            assert sorted(map(_outcome, started)) == ["conflict", "ok"], cluster.log_tails()
            # Without a revision the second waits for the first, then finds nothing to do.
            approved = _together(
                [
                    partial(move, a, aid, "approved", "alice", None),
                    partial(move, b, aid, "approved", "bob", None),
                ]
            )
            outcomes = sorted(map(_outcome, approved))
            assert outcomes in (["conflict", "ok"], ["invalid_transition", "ok"]), outcomes
            log = store.audit(aid)
            assert [e.to_state for e in log] == [
                State.SUBMITTED,
                State.UNDER_REVIEW,
                State.APPROVED,
            ]
            on_a, on_b = article_json(a, aid), article_json(b, aid)
            assert on_a == on_b and on_a["state"] == "approved"
            assert on_a["revision"] == revision + 2 and on_a["approved_version"] == 1
            assert on_a["approved_by"] == log[-1].actor
    finally:
        engine.dispose()


def test_failed_logins_are_counted_across_servers(cluster: Cluster) -> None:
    """The failed-login count lives in the shared database: guesses spread over two servers
    lock the name and the address on both, and the lock is in the account event log."""
    wrong = {"Authorization": "Basic " + base64.b64encode(b"carol:wrong-password").decode()}
    servers = (cluster.a, cluster.b, cluster.a)
    engine = make_engine(cluster.url)
    try:
        failed = [
            httpx.post(f"{base}/api/articles/1/transitions", json={"to": "approved"}, headers=wrong)
            for base in servers
        ]
        assert [r.status_code for r in failed] == [401, 401, 401], cluster.log_tails()
        assert failed[2].headers["retry-after"] == "600"  # the third failure locks
        refused = move(cluster.b, 1, "approved", "alice", None)  # the address is locked too
        assert refused.status_code == 429 and refused.json()["error"]["code"] == "login_throttled"
        assert 590 <= int(refused.headers["retry-after"]) <= 600
        events = [e.event.value for e in account_log(engine, "carol")]
        assert events == ["login_failed"] * 3 + ["login_locked"]
        assert [e.event.value for e in account_log(engine, "alice")][-1] == "login_refused"
    finally:  # the other tests log in from this address
        policy = ThrottlePolicy.from_settings(WebSettings())
        LoginThrottle(engine, policy).succeeded("carol", "127.0.0.1")
        engine.dispose()


def test_evidence_searches_go_to_the_read_replica(
    demo_store: PostgresStore, postgres_server: str, tmp_path: Path
) -> None:
    """With ``store.replica_url`` the app searches the replica (here: the database holding the
    corpus) while its own writes go to the primary (here: an empty database)."""
    primary = new_database(postgres_server)
    settings = web_settings(demo_store, tmp_path)
    store = settings.store.model_copy(
        update={"database_url": primary, "replica_url": demo_store.url}
    )
    site = Site(settings.model_copy(update={"store": store}))
    try:
        assert site.evidence.url == demo_store.url
        assert site.evidence_search("vitamin B12 deficiency", limit=3)
        outcome = site.ask(FIRST, client="replica-test")
        assert outcome.article is not None
    finally:
        site.close()
    with open_postgres(primary, read_only=True) as written:
        assert written.stats().passages == 0  # nothing of the corpus lives on the primary
    engine = make_engine(sqlalchemy_url(primary))
    try:
        with engine.connect() as connection:
            saved = connection.execute(text("SELECT count(*) FROM answers")).scalar_one()
    finally:
        engine.dispose()
    assert saved >= 1  # the answer went to the primary
