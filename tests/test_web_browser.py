"""The web product in a real browser: Debian's Chromium, driven by Playwright, against a real
uvicorn server on loopback over the shipped demo corpus. Ask → cited article, audience switch,
follow-up, review and approval, and what an anonymous visitor cannot do. Every page must load
without console errors and without a request leaving 127.0.0.1; a full-page screenshot of each
step is written under ``test-artifacts/browser/``."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import bibtexparser
import pytest
import rispy

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM} (`make browser` installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the dev extra (playwright)")
uvicorn = pytest.importorskip("uvicorn")

from playwright.sync_api import Browser, BrowserContext, Page, Route, expect  # noqa: E402

from medcite.articles.accounts import add_user  # noqa: E402
from medcite.articles.model import Role, State  # noqa: E402
from medcite.records import EvidenceType  # noqa: E402
from medcite.store.sqlite import SQLiteStore  # noqa: E402
from medcite.web.app import create_app  # noqa: E402
from tests.conftest import PASSWORD, web_settings  # noqa: E402

pytestmark = pytest.mark.sqlite_only  # about the pages in a browser, not storage
B12 = "Can vitamin B12 deficiency cause leukopenia?"
FOLLOW_UP = "How is it treated?"
REVIEWER = "dr-browser"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
BADGE_LABELS = {t.label for t in EvidenceType}
TIMEOUT_MS = 60_000  # the first answer loads the models


@dataclass
class Server:
    url: str
    host: str
    app: Any


@dataclass
class Visit:
    """One visitor (a browser context with its own cookies) and what its pages did wrong."""

    context: BrowserContext
    page: Page
    host: str
    console_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    def check_clean(self) -> None:
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.outside == [], f"requests leaving {self.host}: {self.outside}"


@pytest.fixture(scope="module")
def server(demo_store: SQLiteStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real uvicorn on a socket bound to a free loopback port, serving from a thread."""
    settings = web_settings(demo_store, tmp_path_factory.mktemp("browser-site"))
    app = create_app(settings, warm=True)
    add_user(app.state.site.articles, REVIEWER, PASSWORD, Role.REVIEWER)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not uv.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start within 120 s"
        time.sleep(0.05)
    try:
        yield Server(f"http://{host}:{port}", host, app)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def visitor(browser: Browser, server: Server) -> Iterator[Visit]:
    """A fresh visitor; the test fails if its pages log errors or reach beyond loopback."""
    context = browser.new_context(base_url=server.url, viewport={"width": 1100, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    visit = Visit(context, context.new_page(), server.host)

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).hostname == server.host:
            route.continue_()
        else:
            visit.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    visit.page.on(
        "console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None
    )
    visit.page.on("pageerror", lambda e: visit.console_errors.append(str(e)))
    try:
        yield visit
    finally:
        context.close()
    visit.check_clean()


def ask_on_home(visit: Visit, question: str) -> str:
    """Ask ``question`` in the home page's form; the article's path."""
    page = visit.page
    page.goto("/")
    page.get_by_label("Your question").fill(question)
    page.locator("form.ask").get_by_role("button", name="Ask").click()
    page.wait_for_url(re.compile(r"/q/[a-z0-9-]+$"))
    return urlsplit(page.url).path


def article_id(page: Page) -> int:
    return int(page.locator("input[name=follow_up_of]").first.input_value())


def current_step(page: Page) -> str:
    return page.locator(".review-status [aria-current=step]").inner_text()


def audience_json(visit: Visit, article: int, audience: str) -> dict[str, Any]:
    response = visit.context.request.get(f"/api/articles/{article}?audience={audience}")
    assert response.ok, response.text()
    body: dict[str, Any] = response.json()
    return body


def rendered_answer(page: Page) -> dict[str, list[str]]:
    """What the page shows of its answer, to compare with the Answer record."""
    return {
        "sections": page.locator(".answer-section > h2").all_inner_texts(),
        "references": page.locator(".references .ref-title").all_inner_texts(),
        "glossary": page.locator(".glossary dt").all_inner_texts(),
    }


def recorded_answer(answer: dict[str, Any]) -> dict[str, list[str]]:
    return {
        "sections": [s["heading"] for s in answer["sections"]],
        "references": [r["title"] for r in answer["references"]],
        "glossary": [g["term"] for g in answer["glossary"] or []],
    }


def test_ask_shows_bottom_line_citations_and_references(visitor: Visit) -> None:
    page = visitor.page
    page.goto("/")
    visitor.shot("01-home")
    path = ask_on_home(visitor, B12)
    expect(page.get_by_role("heading", level=1)).to_have_text(B12)
    visitor.shot("02-article-clinician")

    bottom = page.locator("section.bottom-line")
    expect(bottom.get_by_role("heading", name="Bottom line")).to_be_visible()
    expect(bottom.locator(".verdict-label")).not_to_be_empty()
    assert current_step(page) == State.SUBMITTED.label
    expect(page.locator(".pending")).to_contain_text("pending human review")

    cited = {link.get_attribute("href") for link in page.locator("a.cite-link").all()} - {None}
    assert cited, "the article cites nothing"
    references = page.locator(".references li")
    ref_ids = {f"#{i}" for i in references.evaluate_all("els => els.map(e => e.id)")}
    assert cited == ref_ids, "every citation links to a reference and every reference is cited"
    badges = references.locator(".badge:not(.stance)").all_inner_texts()
    assert len(badges) == references.count() and set(badges) <= BADGE_LABELS
    stances = references.locator(".badge.stance").all_inner_texts()  # a yes/no question
    assert len(stances) == references.count()
    assert set(stances) <= {"Supports", "Contradicts", "Neutral"}
    colour = references.locator(".badge").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("", "rgba(0, 0, 0, 0)"), "the stylesheet did not style the badges"

    first = page.locator("a.cite-link").first
    target = first.get_attribute("href")
    assert target is not None
    first.click()
    assert urlsplit(page.url).fragment == target[1:] and urlsplit(page.url).path == path
    expect(page.locator(target)).to_be_in_viewport()
    quote = page.locator(target).locator("details")
    if quote.count():
        quote.locator("summary").click()
        expect(quote.locator("blockquote").first).to_be_visible()
    visitor.shot("03-article-reference")

    record = audience_json(visitor, article_id(page), "clinician")["answer"]
    assert rendered_answer(page) == recorded_answer(record)


def identifiers_in(label: str, text: str) -> list[tuple[str | None, str | None]]:
    """(PMID, DOI) of each entry of a downloaded citation file, read by its format's library."""
    if label == "RIS":
        return [(e.get("accession_number"), e.get("doi")) for e in rispy.loads(text)]
    if label == "BibTeX":
        fields = [e.fields_dict for e in bibtexparser.parse_string(text).entries]
        return [tuple(f[k].value if k in f else None for k in ("pmid", "doi")) for f in fields]
    return [(item.get("PMID"), item.get("DOI")) for item in json.loads(text)]


def test_export_citations_links_download_each_format(visitor: Visit, tmp_path: Path) -> None:
    page = visitor.page
    path = ask_on_home(visitor, B12)
    references = audience_json(visitor, article_id(page), "clinician")["answer"]["references"]
    export = page.locator(".references .cite-export")
    expect(export).to_contain_text("Export citations")
    visitor.shot("13-export-citations")
    for label, extension in (("RIS", "ris"), ("BibTeX", "bib"), ("CSL-JSON", "json")):
        with page.expect_download() as started:
            export.get_by_role("link", name=label, exact=True).click()
        download = started.value
        assert download.failure() is None
        assert download.suggested_filename == f"medcite-{path.removeprefix('/q/')}.{extension}"
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        found = identifiers_in(label, saved.read_text(encoding="utf-8"))
        assert found == [(r["pmid"], r["doi"]) for r in references], label
    assert urlsplit(page.url).path == path, "a download leaves the article open"


def test_patient_audience_rerenders_and_is_remembered(
    visitor: Visit, browser: Browser, server: Server
) -> None:
    page = visitor.page
    path = ask_on_home(visitor, B12)
    chips = page.locator("nav.audience")
    expect(chips.locator("[aria-current=true]")).to_have_text("Clinician")
    number = article_id(page)
    clinician = recorded_answer(audience_json(visitor, number, "clinician")["answer"])
    patient = recorded_answer(audience_json(visitor, number, "patient")["answer"])
    assert patient != clinician, "the demo should give patients a different page"

    chips.get_by_role("link", name="Patient").click()
    page.wait_for_url(re.compile(r"audience=patient"))
    expect(chips.locator("[aria-current=true]")).to_have_text("Patient")
    expect(chips.get_by_role("link", name="Clinician")).not_to_have_attribute(
        "aria-current", "true"
    )
    assert rendered_answer(page) == patient
    visitor.shot("04-article-patient")

    page.goto(path)  # no query: the cookie remembers the choice
    expect(chips.locator("[aria-current=true]")).to_have_text("Patient")
    assert rendered_answer(page) == patient
    cookies = {c["name"]: c for c in visitor.context.cookies()}
    assert cookies["audience"]["value"] == "patient" and cookies["audience"]["httpOnly"]

    other = browser.new_context(base_url=server.url)  # another visitor: the default audience
    try:
        fresh = other.new_page()
        fresh.goto(path)
        expect(fresh.locator("nav.audience [aria-current=true]")).to_have_text("Clinician")
    finally:
        other.close()


def test_follow_up_opens_a_new_article_that_links_back(visitor: Visit) -> None:
    page = visitor.page
    first = ask_on_home(visitor, B12)
    number = article_id(page)
    box = page.locator("section.follow-up")
    expect(box.get_by_role("heading", name="Have a follow-up question?")).to_be_visible()
    box.get_by_label("Your follow-up question").fill(FOLLOW_UP)
    box.locator("form").first.get_by_role("button", name="Ask").click()
    page.wait_for_url(lambda url: urlsplit(url).path not in (first, "/ask"))
    second = urlsplit(page.url).path
    assert second.startswith("/q/")
    visitor.shot("05-follow-up")

    back = page.get_by_text("Follow-up to").get_by_role("link")
    expect(back).to_have_text(B12)
    expect(back).to_have_attribute("href", first)
    expect(page.locator("section.bottom-line")).to_be_visible()
    assert article_id(page) != number
    record = audience_json(visitor, article_id(page), "clinician")
    assert record["follow_up_of"] == number and record["url"] == second
    back.click()
    page.wait_for_url(re.compile(re.escape(first) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(B12)


def test_reviewer_approves_and_the_badge_changes(visitor: Visit, browser: Browser) -> None:
    page = visitor.page
    path = ask_on_home(visitor, B12)
    assert current_step(page) == State.SUBMITTED.label
    page.get_by_role("link", name="Reviewer login").click()
    page.get_by_label("User name").fill(REVIEWER)
    page.get_by_label("Password").fill(PASSWORD)
    visitor.shot("06-login")
    page.locator("section.login").get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))  # back where the login started
    page.get_by_role("link", name="Review queue").click()
    page.wait_for_url(re.compile(r"/review$"))
    queue = page.locator("section.queue-submitted")
    expect(queue.get_by_role("link", name=B12)).to_be_visible()
    visitor.shot("07-review-queue")

    queue.get_by_role("link", name=B12).click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    panel = page.locator("section.review-panel")
    expect(panel).to_contain_text(f"signed in as {REVIEWER}")
    panel.get_by_role("button", name="Start review").click()
    expect(page.locator(".review-status [aria-current=step]")).to_have_text(
        State.UNDER_REVIEW.label
    )
    visitor.shot("08-under-review")
    panel.get_by_role("button", name="Approve version 1").click()
    expect(page.locator(".review-status [aria-current=step]")).to_have_text(State.APPROVED.label)
    expect(page.locator(".pending")).to_have_count(0)
    expect(page.locator(".approved")).to_contain_text(f"Reviewed and approved by {REVIEWER}")
    by_reviewer = panel.locator("table.audit tbody tr").filter(has_text=REVIEWER)
    expect(by_reviewer).to_have_count(2)  # started the review, approved
    expect(by_reviewer.last.locator("td").nth(4)).to_have_text(State.APPROVED.label)
    visitor.shot("09-approved")

    page.get_by_role("button", name=f"Log out {REVIEWER}").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Reviewer login")).to_be_visible()
    expect(page.locator("section.recent").get_by_role("link", name=B12)).to_be_visible()
    visitor.shot("10-logged-out-home")
    page.goto(path)  # the public page now shows the approved version
    assert current_step(page) == State.APPROVED.label
    expect(page.locator(".approved")).to_contain_text(f"Reviewed and approved by {REVIEWER}")
    expect(page.locator("section.review-panel")).to_have_count(0)


def test_anonymous_visitor_cannot_reach_review_actions(visitor: Visit) -> None:
    page = visitor.page
    page.goto("/")
    example = page.locator(".examples button").nth(1)
    question = example.inner_text()
    example.click()
    page.wait_for_url(re.compile(r"/q/[a-z0-9-]+$"))
    path = urlsplit(page.url).path
    expect(page.get_by_role("heading", level=1)).to_have_text(question)
    before = current_step(page)
    assert before == State.SUBMITTED.label
    expect(page.locator("section.review-panel")).to_have_count(0)
    for name in ("Start review", "Approve", "Request changes", "Regenerate"):
        expect(page.get_by_role("button", name=re.compile(name))).to_have_count(0)
    visitor.shot("11-anonymous-article")

    page.goto("/review")
    assert urlsplit(page.url).path == "/login"
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviewer login")
    visitor.shot("12-review-redirects-to-login")

    page.goto(path)
    token = page.locator("input[name=csrf_token]").first.input_value()
    for to in (State.UNDER_REVIEW, State.APPROVED):
        response = visitor.context.request.post(
            f"{path}/transition",
            form={"csrf_token": token, "to": to.value},
            max_redirects=0,
        )
        assert response.status == 303
        assert urlsplit(response.headers["location"]).path == "/login"
    page.reload()
    assert current_step(page) == before
    expect(page.locator(".pending")).to_be_visible()
