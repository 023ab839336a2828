"""The review workflow through the real app on each backend (a SQLite file, a PostgreSQL
database): every transition, versions with diffs, the audit log, the public/pending rules,
authorisation for every review endpoint and no lost updates when two reviewers act at once."""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from medcite.articles.accounts import add_user
from medcite.articles.database import database_url, make_engine
from medcite.articles.model import Article, Role, State
from medcite.articles.store import ArticleStore, NewArticle
from medcite.articles.workflow import WorkflowError
from medcite.web.app import create_app
from tests.conftest import PASSWORD, AnyStore, web_settings

QUESTION = "How is iron deficiency anemia treated?"
ACCOUNTS = {"alice": Role.REVIEWER, "ed": Role.EDITOR, "rita": Role.READER, "root": Role.ADMIN}


@pytest.fixture(scope="module")
def app_and_db(
    demo_store: AnyStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, str]]:
    """The app and the URL of its article database."""
    settings = web_settings(demo_store, tmp_path_factory.mktemp("review"))
    app = create_app(settings)
    for name, role in ACCOUNTS.items():
        add_user(app.state.site.articles, name, PASSWORD, role)
    yield app, database_url(settings)
    app.state.site.close()


@pytest.fixture()
def anonymous(app_and_db: tuple[Any, str]) -> Iterator[TestClient]:
    with TestClient(app_and_db[0]) as client:
        yield client


def signed_in(app: Any, name: str) -> TestClient:
    client = TestClient(app)
    token = client.get("/api/session").json()["csrf_token"]
    done = client.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/review"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return client


def basic(name: str, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


def new_article(client: TestClient, question: str = QUESTION) -> dict[str, Any]:
    body = client.post("/api/ask", json={"question": question}).json()
    assert body["article"] is not None, body
    article: dict[str, Any] = body["article"]
    return article


def move(client: TestClient, article_id: int, to: str, **extra: Any) -> Any:
    headers = dict(extra.pop("headers", {}))
    return client.post(
        f"/api/articles/{article_id}/transitions", json={"to": to, **extra}, headers=headers
    )


def test_full_review_cycle_with_versions_diff_and_audit(
    app_and_db: tuple[Any, str], anonymous: TestClient
) -> None:
    app = app_and_db[0]
    article = new_article(anonymous)
    aid, url = article["id"], article["url"]
    assert move(anonymous, aid, "under_review", headers=basic("alice")).json()["state"] == (
        "under_review"
    )
    refused = move(anonymous, aid, "changes_requested", headers=basic("alice"))
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "comment_required"
    asked = move(
        anonymous, aid, "changes_requested", comment="cite the guideline", headers=basic("alice")
    )
    assert asked.json()["state"] == "changes_requested"

    editor = signed_in(app, "ed")
    token = editor.get("/api/session").json()["csrf_token"]
    regenerated = editor.post(
        f"/api/articles/{aid}/regenerate",
        json={"reason": "reviewer asked for the guideline"},
        headers={"X-CSRF-Token": token},
    )
    assert regenerated.status_code == 200, regenerated.text
    body = regenerated.json()
    assert body["state"] == "under_review" and body["latest_version"] == 2
    assert body["versions"] == [1, 2]

    approved = move(anonymous, aid, "approved", headers=basic("alice")).json()
    assert approved["approved_version"] == 2 and approved["approved_by"] == "alice"

    public = anonymous.get(url).text
    assert "Reviewed and approved by alice" in public and "pending human review" not in public
    assert 'aria-current="step">Approved' in public
    diff = anonymous.get(f"{url}/diff", params={"old": 1, "new": 2})
    assert diff.status_code == 200 and "version 1" in diff.text

    # A newer version goes back to review; readers keep seeing the approved one.
    editor.post(
        f"/api/articles/{aid}/regenerate",
        json={"reason": "corpus update"},
        headers={"X-CSRF-Token": token},
    )
    shown = anonymous.get(f"/api/articles/{aid}").json()
    assert shown["version"] == 2 and shown["latest_version"] == 3
    assert shown["pending_review"] is False and shown["state"] == "under_review"
    reviewer_view = signed_in(app, "alice").get(url).text
    assert "version 3" in reviewer_view and "pending human review" in reviewer_view

    log = app.state.site.articles.audit(aid)
    assert [(e.from_state, e.to_state) for e in log] == [
        (None, State.SUBMITTED),
        (State.SUBMITTED, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, State.CHANGES_REQUESTED),
        (State.CHANGES_REQUESTED, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, State.APPROVED),
        (State.APPROVED, State.UNDER_REVIEW),
    ]
    assert [e.actor for e in log] == ["system", "alice", "alice", "ed", "alice", "ed"]
    assert log[2].comment == "cite the guideline" and all(e.at for e in log)


def test_review_through_the_pages_with_csrf(app_and_db: tuple[Any, str]) -> None:
    app = app_and_db[0]
    reviewer = signed_in(app, "alice")
    article = new_article(reviewer, "What are the risk factors for osteoporosis?")
    page = reviewer.get(article["url"]).text
    assert "Start review" in page and "Audit log" in page
    token = reviewer.get("/api/session").json()["csrf_token"]
    form = {"to": "under_review", "revision": article["revision"]}
    assert reviewer.post(f"{article['url']}/transition", data=form).status_code == 403
    done = reviewer.post(
        f"{article['url']}/transition", data={**form, "csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303
    stale = reviewer.post(  # the revision the form was rendered with is gone now
        f"{article['url']}/transition",
        data={"to": "approved", "revision": article["revision"], "csrf_token": token},
    )
    assert stale.status_code == 409
    queue = reviewer.get("/review").text
    assert "Under review" in queue and article["question"] in queue


ENDPOINTS = ("api_transition", "api_regenerate", "form_transition", "form_regenerate")


def _attempt(client: TestClient, endpoint: str, article: dict[str, Any], **kw: Any) -> Any:
    token = client.get("/api/session").json()["csrf_token"]
    headers = {"X-CSRF-Token": token, **kw.get("headers", {})}
    if endpoint == "api_transition":
        return move(client, article["id"], "under_review", headers=headers)
    if endpoint == "api_regenerate":
        return client.post(
            f"/api/articles/{article['id']}/regenerate", json={"reason": "x"}, headers=headers
        )
    action = "transition" if endpoint == "form_transition" else "regenerate"
    return client.post(
        f"{article['url']}/{action}",
        data={"to": "under_review", "csrf_token": token, "reason": "x"},
        follow_redirects=False,
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", ["anonymous", "reader", "wrong_role", "bad_password"])
def test_review_endpoints_refuse_the_unauthorised(
    app_and_db: tuple[Any, str], anonymous: TestClient, endpoint: str, who: str
) -> None:
    app = app_and_db[0]
    article = new_article(anonymous, "How is type 2 diabetes diagnosed?")
    before = anonymous.get(f"/api/articles/{article['id']}").json()
    wrong = "ed" if endpoint.endswith("transition") else "alice"  # an editor cannot review…
    kw: dict[str, Any] = {}
    if who == "anonymous":
        client = anonymous
    elif who == "bad_password":
        client, kw = anonymous, {"headers": basic("alice", "not-the-password")}
    else:
        client = signed_in(app, "rita" if who == "reader" else wrong)
    response = _attempt(client, endpoint, article, **kw)
    if endpoint.startswith("form") and who in ("anonymous", "bad_password"):
        assert response.status_code == 303 and "/login" in response.headers["location"]
    else:
        assert response.status_code in (401, 403), response.text
        if endpoint.startswith("api"):
            assert response.json()["error"]["code"] in ("not_authenticated", "forbidden")
    after = anonymous.get(f"/api/articles/{article['id']}").json()
    assert (after["state"], after["revision"], after["versions"]) == (
        before["state"],
        before["revision"],
        before["versions"],
    )


@pytest.fixture()
def two_stores(app_and_db: tuple[Any, str]) -> Iterator[list[ArticleStore]]:
    """Two article stores on the app's database, each with its own connections (as two app
    servers have)."""
    stores = [ArticleStore(make_engine(app_and_db[1])) for _ in range(2)]
    yield stores
    for store in stores:
        store.engine.dispose()


ANSWERS: dict[str, dict[str, Any]] = {"clinician": {}, "student": {}, "patient": {}}


def test_no_lost_updates_when_two_reviewers_act_at_once(
    app_and_db: tuple[Any, str], two_stores: list[ArticleStore]
) -> None:
    articles = app_and_db[0].state.site.articles
    users = (articles.user("alice")[0], articles.user("root")[0])
    for round_ in range(12):
        article, _ = two_stores[0].create(
            NewArticle(f"concurrency question {round_}", f"concurrency {round_}", None, ANSWERS)
        )
        expected = article.revision if round_ % 2 else None
        outcomes = _race(
            [
                partial(store.transition, article.id, State.UNDER_REVIEW, who, None, expected)
                for store, who in zip(two_stores, users, strict=True)
            ]
        )
        assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1, outcomes
        assert set(outcomes) - {"ok"} <= {"conflict", "invalid_transition"}
        final = two_stores[1].get(article.id)
        assert final is not None and final.revision == article.revision + 1
        assert len(two_stores[0].audit(article.id)) == 2


def test_two_editors_regenerating_at_once_never_share_a_version(
    app_and_db: tuple[Any, str], two_stores: list[ArticleStore]
) -> None:
    """Without a revision both new versions are kept, one after the other; with the same
    revision exactly one wins."""
    ed = app_and_db[0].state.site.articles.user("ed")[0]
    for round_ in range(8):
        article, _ = two_stores[0].create(
            NewArticle(f"regenerate race {round_}", f"regenerate race {round_}", None, ANSWERS)
        )
        expected = article.revision if round_ % 2 else None
        outcomes = _race(
            [
                partial(store.regenerate, article.id, ANSWERS, ed, "race", expected)
                for store in two_stores
            ]
        )
        winners = 1 if expected is not None else 2
        assert outcomes.count("ok") == winners and set(outcomes) <= {"ok", "conflict"}, outcomes
        final = two_stores[1].get(article.id)
        assert final is not None and final.latest_version == 1 + winners
        assert final.revision == article.revision + winners
        assert two_stores[0].version_numbers(article.id) == list(range(1, 2 + winners))
        assert len(two_stores[0].audit(article.id)) == 1 + winners


def test_one_question_asked_at_once_on_two_servers_makes_one_article(
    two_stores: list[ArticleStore],
) -> None:
    """Both servers answered the same new question before either stored it: the first write
    creates the article, the second gets that article back instead of a twin."""
    for round_ in range(6):
        question = NewArticle(f"twin question {round_}?", f"twin question {round_}", None, ANSWERS)
        results: list[tuple[Article, bool]] = []
        outcomes = _race([partial(_create_into, results, s, question) for s in two_stores])
        assert outcomes == ["ok", "ok"], outcomes
        assert sorted(created for _, created in results) == [False, True]
        assert results[0][0].id == results[1][0].id
        assert len(two_stores[0].audit(results[0][0].id)) == 1  # one creation logged


def test_near_duplicates_keep_their_article_and_their_numbers(
    two_stores: list[ArticleStore],
) -> None:
    """A near-duplicate question opens the oldest close article, also after a closer one
    arrives; a question naming other numbers ("type 1" / "type 2") never counts as one."""
    store = two_stores[0]
    rng = np.random.default_rng(7)
    base = rng.normal(size=384).astype(np.float32)

    def near(scale: float) -> np.ndarray:
        vector = base + scale * rng.normal(size=384).astype(np.float32)
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    question = near(0.0)
    older_vector = near(0.2)
    older, _ = store.create(NewArticle("dup question alpha?", "dup alpha", older_vector, ANSWERS))
    found = store.find_duplicate("dup alpha again", question, 0.9)
    assert found is not None and found.id == older.id
    closer = near(0.05)
    assert float(closer @ question) > float(older_vector @ question)
    store.create(NewArticle("dup question beta?", "dup beta", closer, ANSWERS))
    again = store.find_duplicate("dup alpha again", question, 0.9)
    assert again is not None and again.id == older.id  # not the newer, closer one
    typed, _ = store.create(NewArticle("dup type 1 gamma?", "dup type 1 gamma", question, ANSWERS))
    same_type = store.find_duplicate("dup type 1 gamma now", question, 0.9)
    assert same_type is not None and same_type.id == typed.id
    assert store.find_duplicate("dup type 2 gamma", question, 0.9) is None


def _create_into(results: list[tuple[Article, bool]], store: ArticleStore, new: NewArticle) -> None:
    results.append(store.create(new))


def _race(actions: list[Callable[[], object]]) -> list[str]:
    """Start ``actions`` at the same moment, each in its own thread; "ok" or the error code of
    each (an unexpected exception's class name)."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def act(action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            action()
            outcomes.append("ok")
        except WorkflowError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # reported, so the test shows what broke
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=act, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_rate_limit_on_asking(demo_store: AnyStore, tmp_path: Path) -> None:
    app = create_app(web_settings(demo_store, tmp_path, ask_limit=2))
    with TestClient(app) as client:
        codes = [
            client.post("/api/ask", json={"question": "What causes anemia?"}).status_code
            for _ in range(3)
        ]
    app.state.site.close()
    assert set(codes[:2]) <= {200, 201} and codes[2] == 429


def test_accounts_hash_passwords_and_reject_wrong_ones(app_and_db: tuple[Any, str]) -> None:
    store = app_and_db[0].state.site.articles
    _, stored = store.user("alice")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    client = TestClient(app_and_db[0])
    token = client.get("/api/session").json()["csrf_token"]
    failed = client.post(
        "/login", data={"name": "alice", "password": "wrong-password!", "csrf_token": token}
    )
    assert failed.status_code == 401 and "Wrong user name or password" in failed.text
    assert client.get("/api/session").json()["user"] is None


def test_api_password_checks_and_writes_run_off_the_event_loop(
    app_and_db: tuple[Any, str], anonymous: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An Argon2id check costs ~50-250 ms of CPU: on the event loop it held up every other
    request of the worker (under `python -m medcite.bench load`, article pages p95 ~410 ms
    against ~95 ms in the thread pool). So do the writes, which may wait on a row lock."""
    site = app_and_db[0].state.site
    where: list[str] = []

    def watched(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            try:
                asyncio.get_running_loop()
                where.append(f"{name} on the event loop")
            except RuntimeError:
                where.append(f"{name} in the thread pool")
            return real(*args)

        return call

    monkeypatch.setattr(site, "log_in", watched("password", site.log_in))
    monkeypatch.setattr(site, "transition", watched("transition", site.transition))
    article = new_article(anonymous, "What causes carpal tunnel syndrome?")
    started = move(anonymous, article["id"], "under_review", headers=basic("alice"))
    assert started.status_code == 200, started.text
    again = anonymous.post(
        f"/api/articles/{article['id']}/regenerate",
        json={"reason": "new evidence", "revision": started.json()["revision"]},
        headers=basic("ed"),
    )
    assert again.status_code == 200, again.text
    assert where == [
        "password in the thread pool",
        "transition in the thread pool",
        "password in the thread pool",
    ]
