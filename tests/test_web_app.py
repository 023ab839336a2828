"""The web app through its real ASGI stack (FastAPI test client) on each backend: asking,
article JSON and pages, audiences, follow-ups, duplicates, escaping, errors and headers."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from medcite.records import EvidenceType
from medcite.web import present
from medcite.web.app import create_app
from tests.conftest import HIT_FIELDS, AnyStore, web_settings

B12 = "Can vitamin B12 deficiency cause leukopenia?"


@pytest.fixture(scope="module")
def client(demo_store: AnyStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = web_settings(demo_store, tmp_path_factory.mktemp("site"))
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.site.close()


def ask(client: TestClient, question: str, **extra: object) -> dict:
    response = client.post("/api/ask", json={"question": question, **extra})
    assert response.status_code in (200, 201), response.text
    return response.json()


def csrf(client: TestClient) -> str:
    return client.get("/api/session").json()["csrf_token"]


def test_ask_creates_a_submitted_article_with_the_answer_record(client: TestClient) -> None:
    body = ask(client, B12)
    article = body["article"]
    assert article["state"] == "submitted" and article["pending_review"] is True
    assert article["url"] == "/q/can-vitamin-b12-deficiency-cause-leukopenia"
    answer = article["answer"]
    assert answer["question"] == B12 and answer["audience"] == "clinician"
    cited = {n for s in answer["sections"] for i in s["items"] for n in i["citations"]}
    cited |= set(answer["bottom_line"]["citations"])
    assert cited == {r["n"] for r in answer["references"]} and cited
    again = ask(client, "can vitamin b12 deficiency cause LEUKOPENIA")
    assert again["created"] is False and again["article"]["id"] == article["id"]


def test_article_json_per_audience_and_version(client: TestClient) -> None:
    article = ask(client, B12)["article"]
    url = f"/api/articles/{article['id']}"
    patient = client.get(url, params={"audience": "patient"}).json()
    assert patient["audience"] == "patient" and patient["answer"]["audience"] == "patient"
    clinician = client.get(url).json()
    assert {r["doc_id"] for r in patient["answer"]["references"]} <= {
        r["doc_id"] for r in clinician["answer"]["references"]
    } | {r["doc_id"] for r in patient["answer"]["references"]}
    assert client.get(url, params={"version": 9}).json()["error"]["code"] == "not_found"
    assert client.get("/api/articles/999999").status_code == 404


def test_page_shows_bottom_line_citations_references_and_pending_notice(
    client: TestClient,
) -> None:
    article = ask(client, B12)["article"]
    page = client.get(article["url"])
    assert page.status_code == 200
    html = page.text
    assert "Bottom line" in html and "pending human review" in html
    assert 'aria-current="step">Submitted' in html
    refs = re.findall(r'id="ref-(\d+)"', html)
    links = set(re.findall(r'href="#ref-(\d+)"', html))
    assert refs and links == set(refs)
    assert "Which best describes you?" in html and "/policy" in html


def test_references_show_their_stance_badge_on_yes_no_questions(client: TestClient) -> None:
    article = ask(client, "Is zinc supplementation effective for diarrhoea in children?")["article"]
    stances = [r["stance"] for r in article["answer"]["references"]]
    assert stances and set(stances) <= {"supports", "contradicts", "neutral"}
    html = client.get(article["url"]).text
    badges = re.findall(r'class="badge stance stance-(\w+)"', html)
    assert sorted(badges) == sorted(stances)


def test_audience_choice_is_remembered_in_a_cookie(client: TestClient) -> None:
    article = ask(client, B12)["article"]
    chosen = client.get(article["url"], params={"audience": "patient"})
    assert 'aria-current="true">Patient' in chosen.text
    assert client.cookies.get("audience") == "patient"
    assert 'aria-current="true">Patient' in client.get(article["url"]).text
    client.cookies.delete("audience")


def test_follow_up_resolves_against_the_article(client: TestClient) -> None:
    first = ask(client, B12)["article"]
    follow = ask(client, "What are the symptoms?", follow_up_of=first["id"])
    article = follow["article"]
    assert article is not None and article["follow_up_of"] == first["id"]
    assert "b12" in article["question"].lower()
    page = client.get(article["url"]).text
    assert f'href="{first["url"]}"' in page


def test_form_ask_redirects_to_the_article_and_needs_csrf(client: TestClient) -> None:
    refused = client.post("/ask", data={"question": B12}, follow_redirects=False)
    assert refused.status_code == 403
    done = client.post(
        "/ask", data={"question": B12, "csrf_token": csrf(client)}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/q/")


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("", "empty_question"),
        ("x" * 1001, "question_too_long"),
        ("bad\x07text", "control_characters"),
    ],
)
def test_bad_questions_are_json_errors(client: TestClient, question: str, code: str) -> None:
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_non_medical_and_emergency_questions_are_not_published(client: TestClient) -> None:
    declined = ask(client, "Who won the football world cup in 1998?")
    assert declined["article"] is None and declined["answer"]["safety"]["out_of_scope"]
    urgent = ask(client, "I have crushing chest pain right now, what should I do?")
    assert urgent["article"] is None and urgent["answer"]["safety"]["emergency"]
    page = client.post(
        "/ask",
        data={"question": "I have crushing chest pain right now", "csrf_token": csrf(client)},
    )
    assert page.status_code == 200 and "emergency" in page.text.lower()


def test_api_errors_are_json_with_stable_codes(client: TestClient) -> None:
    assert client.post("/api/ask", content=b"question=x").json()["error"]["code"] in (
        "invalid_request",
        "unsupported_media_type",
    )
    assert client.post("/api/ask", json={"nope": 1}).json()["error"]["code"] == "invalid_request"
    assert client.get("/api/nowhere").json()["error"]["code"] == "not_found"
    missing = client.get("/q/no-such-article")
    assert missing.status_code == 404 and "Page not found" in missing.text


def test_search_api_finds_articles_and_passages(client: TestClient) -> None:
    ask(client, B12)
    body = client.get("/api/search", params={"q": "vitamin B12 leukopenia"}).json()
    assert any("B12" in a["question"] for a in body["articles"])
    assert body["passages"] and body["passages"][0]["rank"] == 1
    assert set(body["passages"][0]) == HIT_FIELDS  # the documented search JSON
    home = client.get("/", params={"q": "b12"})
    assert "Can vitamin B12 deficiency cause leukopenia?" in home.text


def test_security_headers_and_cookie_flags(client: TestClient) -> None:
    response = TestClient(client.app).get("/")  # a new visitor: no cookie yet
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/articles/{article_id}", "/api/search"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_policy_login_and_dashboard_pages(client: TestClient) -> None:
    assert "How review works" in client.get("/policy").text
    assert client.get("/login").status_code == 200
    assert client.get("/review", follow_redirects=False).headers["location"].startswith("/login")


def _reference_numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li id="ref-(\d+)"', page)]


def test_the_reference_list_sorts_by_level_year_and_stance(client: TestClient) -> None:
    article = ask(client, "Does aspirin prevent colorectal cancer?")["article"]
    answer = client.get(f"/api/articles/{article['id']}").json()["answer"]
    refs = {r["n"]: r for r in answer["references"]}
    assert len(refs) >= 3, "the test needs a list to sort"
    page = client.get(article["url"]).text
    assert _reference_numbers(page) == sorted(refs)  # as numbered by default
    assert '<strong aria-current="true">as numbered</strong>' in page and "sort=level" in page
    lines = [present.snapshot_line(r["snapshot"]) for r in refs.values()]
    assert any(lines) and all(line in html.unescape(page) for line in lines if line)

    def levels(numbers: list[int]) -> list[int]:
        return [EvidenceType(refs[n]["evidence_type"]).rank for n in numbers]

    by_level = _reference_numbers(client.get(f"{article['url']}?sort=level").text)
    assert sorted(by_level) == sorted(refs) and levels(by_level) == sorted(levels(by_level))[::-1]
    by_year = _reference_numbers(client.get(f"{article['url']}?sort=year").text)
    years = [refs[n]["year"] or 0 for n in by_year]
    assert years == sorted(years, reverse=True)
    by_stance = _reference_numbers(client.get(f"{article['url']}?sort=stance").text)
    order = {"supports": 0, "contradicts": 1, "neutral": 2, None: 3}
    stances = [order[refs[n]["stance"]] for n in by_stance]
    assert stances == sorted(stances)
    odd = client.get(f"{article['url']}?sort=%3Cscript%3E").text  # unknown: as numbered
    assert _reference_numbers(odd) == sorted(refs) and "<script>" not in odd


def test_the_policy_page_explains_the_evidence_levels_and_stances(client: TestClient) -> None:
    page = client.get("/policy").text
    for kind in EvidenceType:
        assert f"{kind.label}</span> level {kind.rank}" in page
    assert all(word in page for word in ("Supports", "Contradicts", "Neutral"))
