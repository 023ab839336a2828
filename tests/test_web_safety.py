"""What must never reach a visitor: markup from sources or users executing as HTML, tracebacks,
or redirects to other sites."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from medcite.articles import schema
from medcite.articles.store import NewArticle
from medcite.web.app import create_app
from tests.conftest import AnyStore, web_settings

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def client(demo_store: AnyStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(web_settings(demo_store, tmp_path_factory.mktemp("safety")))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.site.close()


def _poisoned(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as a hostile source would make it: markup in every text a page shows."""
    answer = json.loads(json.dumps(answer))
    answer["bottom_line"]["text"] += SCRIPT
    for section in answer["sections"]:
        section["heading"] += SCRIPT
        for item in section["items"]:
            item["text"] += SCRIPT
    for ref in answer["references"]:
        ref["title"] += SCRIPT
        ref["journal"] = SCRIPT
        ref["url"] = "javascript:alert(1)"
        for quote in ref["quotes"]:
            quote["text"] += SCRIPT
    return answer


def test_markup_in_sources_renders_as_text(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "How is iron deficiency anemia treated?"})
    article = body.json()["article"]
    site = client.app.state.site  # type: ignore[attr-defined]
    answers = {k: _poisoned(v) for k, v in site.articles.version(article["id"], 1).answers.items()}
    created, _ = site.articles.create(
        NewArticle(f"{SCRIPT} iron treatment?", "poisoned iron", None, answers)
    )
    page = client.get(f"/q/{created.slug}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert 'href="javascript:' not in page
    assert page.count("&lt;script&gt;") >= 5


def test_user_text_is_escaped_everywhere_it_is_echoed(client: TestClient) -> None:
    home = client.get("/", params={"q": SCRIPT, "ask": SCRIPT}).text
    assert "<script>alert" not in home and "&lt;script&gt;" in home
    login = client.get("/login", params={"next": "//evil.example/"}).text
    assert "evil.example" not in login


def test_a_failure_inside_never_shows_a_traceback(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "What are the risk factors for osteoporosis?"})
    article = body.json()["article"]
    site = client.app.state.site  # type: ignore[attr-defined]
    with site.db.begin() as conn:  # a corrupted stored version
        conn.execute(
            update(schema.versions)
            .where(schema.versions.c.article_id == article["id"])
            .values(answers="{not json")
        )
    client.app.state.page_cache.clear()  # type: ignore[attr-defined]
    page = client.get(article["url"])
    assert page.status_code == 500 and "Something went wrong" in page.text
    assert "Traceback" not in page.text and "JSONDecodeError" not in page.text
    api = client.get(f"/api/articles/{article['id']}")
    assert api.status_code == 500 and api.json() == {
        "error": {"code": "internal_error", "message": "Something went wrong on our side."}
    }


def test_near_duplicate_questions_open_the_same_article(client: TestClient) -> None:
    first = client.post(
        "/api/ask", json={"question": "Can vitamin B12 deficiency cause leukopenia?"}
    )
    again = client.post(
        "/api/ask", json={"question": "Can a vitamin B12 deficiency cause leukopenia?"}
    )
    assert first.json()["article"]["id"] == again.json()["article"]["id"]
    assert again.json()["created"] is False
