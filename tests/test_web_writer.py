"""The web app uses the configured writer: with an OpenAI-protocol endpoint (a scripted one on
loopback) articles are written and verified, dropped sentences are shown to reviewers only, and
an endpoint that is down leaves the extractive answer, saying so."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from medcite.articles.accounts import add_user
from medcite.articles.model import Role
from medcite.settings import LLMSettings, Settings
from medcite.store.sqlite import SQLiteStore
from medcite.text import split_sentences
from medcite.web.app import create_app
from tests.conftest import PASSWORD, web_settings

pytestmark = pytest.mark.sqlite_only  # about the writer, not storage
INVENTED = "Vitamin B12 cures leukopenia in every patient within two days."


class _Model(BaseHTTPRequestHandler):
    """Under each heading, a sentence of a passage (verbatim, cited) — plus one
    invented sentence citing a passage that does not exist."""

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        user = request["messages"][-1]["content"]
        headings = json.loads(re.search(r"use these headings exactly\): (\[.*\])", user).group(1))  # type: ignore[union-attr]
        passages = {int(n): t for n, t in re.findall(r"^\[(\d+)\] (.*)$", user, re.M)}
        numbers = sorted(passages, reverse=True)
        sections = []
        for index, heading in enumerate(headings):  # a different verbatim sentence each
            n = numbers[index % len(numbers)]
            sentences = split_sentences(passages[n])
            text = sentences[(index // len(numbers)) % len(sentences)]
            sections.append({"heading": heading, "sentences": [{"text": text, "citations": [n]}]})
        sections[0]["sentences"].append({"text": INVENTED, "citations": [99]})
        content = json.dumps({"sections": sections})
        body = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body.encode())))
        self.end_headers()
        self.wfile.write(body.encode())


@pytest.fixture(scope="module")
def model_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Model)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def _with_llm(settings: Settings, url: str) -> Settings:
    llm = LLMSettings(base_url=url, model="scripted", timeout_s=10.0)
    return settings.model_copy(update={"llm": llm})


def test_articles_are_written_verified_and_dropped_sentences_are_for_reviewers(
    demo_store: SQLiteStore, tmp_path: Path, model_url: str
) -> None:
    app = create_app(_with_llm(web_settings(demo_store, tmp_path), model_url))
    add_user(app.state.site.articles, "alice", PASSWORD, Role.REVIEWER)
    with TestClient(app) as client:
        body = client.post("/api/ask", json={"question": "How is iron deficiency anemia treated?"})
        article = body.json()["article"]
        answer: dict[str, Any] = article["answer"]
        assert answer["writer"].startswith("llm"), answer["writer"]
        texts = [i["text"] for s in answer["sections"] for i in s["items"]]
        assert texts and INVENTED not in texts and answer["dropped"] == []  # public view
        quotes = {r["n"]: " ".join(q["text"] for q in r["quotes"]) for r in answer["references"]}
        for section in answer["sections"]:
            for item in section["items"]:
                assert any(item["text"] in quotes[n] for n in item["citations"])
        page = client.get(article["url"]).text
        assert "written by a language model" in page and INVENTED not in page

        stored = app.state.site.articles.version(article["id"], 1).answers["clinician"]
        assert [d["text"] for d in stored["dropped"]] == [INVENTED]
        token = client.get("/api/session").json()["csrf_token"]
        client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf_token": token})
        reviewer_page = client.get(article["url"]).text
        assert "Sentences the verifier dropped (1)" in reviewer_page and INVENTED in reviewer_page


def test_an_endpoint_that_is_down_leaves_the_extractive_answer(
    demo_store: SQLiteStore, tmp_path: Path
) -> None:
    down = "http://127.0.0.1:9/v1"  # the discard port: nothing listens
    app = create_app(_with_llm(web_settings(demo_store, tmp_path), down))
    with TestClient(app) as client:
        body = client.post(
            "/api/ask", json={"question": "What are the risk factors for osteoporosis?"}
        )
    answer = body.json()["article"]["answer"]
    assert answer["writer"].startswith("extractive (fallback") and answer["sections"]
