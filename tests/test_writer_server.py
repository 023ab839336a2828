"""The LLM writer against a real OpenAI-protocol server on loopback that replays scripted
completions over real extractive answers: a good reply is kept with its citations remapped;
an invented citation, a changed dose and an unsupported claim are dropped; malformed JSON, an
HTTP 500, a stall past the timeout and a refused connection fall back to the extractive answer;
a streamed reply is read like a plain one."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from medcite.answer.engine import Engine
from medcite.answer.model import Answer
from medcite.index.embeddings import Embedder
from medcite.settings import LLMSettings, Settings
from medcite.store.sqlite import SQLiteStore
from medcite.text import split_sentences
from medcite.writer import write, write_with_report
from medcite.writer.verify import numbers_in
from medcite.writer.writer import NO_EVIDENCE

# A demo question whose evidence holds a dose ("roflumilast 500 mcg") and several references.
pytestmark = pytest.mark.sqlite_only  # about the writer, not storage
QUESTION = "What are the psychiatric adverse events of roflumilast in COPD?"

Script = Callable[[dict[str, Any]], "Reply"]


@dataclass
class Reply:
    """What the scripted server does with one request."""

    content: str = ""
    status: int = 200
    stall_s: float = 0.0
    stream: bool = False
    raw: str | None = None  # a body sent as is, instead of a chat completion


@dataclass
class Scripted:
    url: str
    script: Script = field(default=lambda request: Reply(status=503))
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


def _handler(state: Scripted) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet tests
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append(body)
            state.headers.append(dict(self.headers))
            reply = state.script(body)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(reply)  # a client that gave up (a stall) is no error

        def _send(self, reply: Reply) -> None:
            if reply.stall_s:
                state.release.wait(reply.stall_s)
            if reply.status != 200:
                self.send_response(reply.status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if reply.stream:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for index in range(0, len(reply.content), 7):  # small SSE chunks
                    delta = {"choices": [{"delta": {"content": reply.content[index : index + 7]}}]}
                    self.wfile.write(f"data: {json.dumps(delta)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                return
            if reply.raw is not None:
                data = reply.raw.encode()
            else:
                message = {"role": "assistant", "content": reply.content}
                data = json.dumps({"choices": [{"index": 0, "message": message}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[Scripted]:
    state = Scripted(url="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    httpd.shutdown()
    httpd.server_close()


def evidence_of(request: dict[str, Any]) -> tuple[list[str], dict[int, str]]:
    """The section headings and numbered passages the writer sent."""
    user = request["messages"][-1]["content"]
    headings = json.loads(re.search(r"use these headings exactly\): (\[.*\])", user).group(1))  # type: ignore[union-attr]
    passages = {int(n): text for n, text in re.findall(r"^\[(\d+)\] (.*)$", user, re.M)}
    return headings, passages


def echo(
    extra: Callable[[list[str], dict[int, str]], list[dict[str, Any]]] | None = None,
) -> Script:
    """A faithful "model": under each heading, one whole sentence of a passage, citing it (the
    last passages first, so references get renumbered), the citation written in the text for
    the first; ``extra`` adds sentences to the first section."""

    def script(request: dict[str, Any]) -> Reply:
        headings, passages = evidence_of(request)
        numbers = sorted(passages, reverse=True)
        sections = []
        for index, heading in enumerate(headings):
            n = numbers[index % len(numbers)]
            sentences = split_sentences(passages[n])  # a new one each time round
            sentence = sentences[(index // len(numbers)) % len(sentences)]
            item = (
                {"text": f"{sentence} [{n}]", "citations": []}
                if index == 0
                else {"text": sentence, "citations": [n]}
            )
            sections.append({"heading": heading, "sentences": [item]})
        if extra is not None:
            sections[0]["sentences"] += extra(headings, passages)
        return Reply(json.dumps({"sections": sections}), stream=bool(request.get("stream")))

    return script


def settings_for(server: Scripted, **llm: Any) -> Settings:
    values = {"base_url": server.url, "model": "scripted", "timeout_s": 5.0, **llm}
    return Settings().model_copy(update={"llm": LLMSettings(**values)})


@pytest.fixture(scope="module")
def engine(demo_store: SQLiteStore, embedder: Embedder) -> Engine:
    # What is tested is the writer's verification, which needs an extractive answer with
    # several references and a dose as its input: the engine without the reader gives one
    # (the reader keeps this question's answer to its one guideline).
    return Engine(demo_store, Settings().with_answer(reader=False), embedder=embedder)


@pytest.fixture(scope="module")
def extractive(engine: Engine) -> Answer:
    answer = engine.answer(QUESTION, save=False)
    assert len(answer.references) >= 3 and len(answer.sections) >= 2
    return answer


def texts(answer: Answer) -> list[str]:
    return [item.text for section in answer.sections for item in section.items]


def assert_consistent(answer: Answer) -> None:
    """Every citation has a reference, every reference is cited, numbered 1..n."""
    cited = set(answer.bottom_line.citations)
    for section in answer.sections:
        for item in section.items:
            assert item.citations
            cited.update(item.citations)
    assert [ref.n for ref in answer.references] == list(range(1, len(answer.references) + 1))
    assert cited == {ref.n for ref in answer.references}


def test_a_faithful_reply_is_kept_with_citations_remapped(
    server: Scripted, extractive: Answer, embedder: Embedder
) -> None:
    server.script = echo()
    settings = settings_for(server, api_key="sk-test")
    written = write(extractive, settings, embedder)
    assert written.writer == "llm (scripted)" and written.dropped == ()
    assert_consistent(written)
    # what was sent: the model, JSON mode, the key, every reference as numbered evidence
    request, headers = server.requests[-1], server.headers[-1]
    assert request["model"] == "scripted" and request["temperature"] == 0
    assert request["response_format"] == {"type": "json_object"}
    assert headers["Authorization"] == "Bearer sk-test"
    _, passages = evidence_of(request)
    assert sorted(passages) == [ref.n for ref in extractive.references]
    # each written sentence cites the new number of the reference it came from
    by_doc = {ref.doc_id: ref for ref in extractive.references}
    for section in written.sections:
        for item in section.items:
            (n,) = item.citations
            ref = written.references[n - 1]
            assert any(item.text in quote.text for quote in by_doc[ref.doc_id].quotes)
    assert len(written.references) < len(extractive.references)  # uncited ones removed
    assert {s.heading for s in written.sections} <= {s.heading for s in extractive.sections}
    # the bottom line is the engine's, pointing at the same documents
    old = {ref.n: ref.doc_id for ref in extractive.references}
    new = {ref.n: ref.doc_id for ref in written.references}
    assert written.bottom_line.text == extractive.bottom_line.text
    assert written.bottom_line.verdict == extractive.bottom_line.verdict
    assert written.evidence_meter == extractive.evidence_meter
    assert [new[n] for n in written.bottom_line.citations] == [
        old[n] for n in extractive.bottom_line.citations
    ]
    assert written.to_dict()["writer"] == "llm (scripted)"


def test_a_streamed_reply_is_read_like_a_plain_one(
    server: Scripted, extractive: Answer, embedder: Embedder
) -> None:
    server.script = echo()
    plain = write(extractive, settings_for(server), embedder)
    streamed = write(extractive, settings_for(server, stream=True), embedder)
    assert server.requests[-1]["stream"] is True
    assert streamed.writer == "llm (scripted)"
    assert texts(streamed) == texts(plain) and streamed.references == plain.references


def _dose_sentence(passages: dict[int, str]) -> tuple[int, str, str]:
    """(passage, sentence with a dose, the same sentence with the dose multiplied by ten)."""
    for n, text in passages.items():
        for sentence in split_sentences(text):
            for number in numbers_in(sentence):
                if number.unit in ("mcg", "mg"):
                    old = f"{number.value:f} {number.unit}"
                    new = f"{number.value * Decimal(10):f} {number.unit}"
                    if old in sentence:
                        return n, sentence, sentence.replace(old, new)
    raise AssertionError("the evidence should hold a dose")


CASES = {
    "invented citation": (
        lambda h, p: [{"text": split_sentences(p[min(p)])[0], "citations": [min(p), 9]}],
        "cites [9], which was not given",
    ),
    "changed dose": (
        lambda h, p: [{"text": _dose_sentence(p)[2], "citations": [_dose_sentence(p)[0]]}],
        "number ",
    ),
    "unsupported claim": (
        lambda h, p: [
            {
                "text": "Roflumilast should be stopped before dental surgery because it "
                "causes severe gum bleeding.",
                "citations": [min(p)],
            }
        ],
        ("similarity ", "word overlap ", "no cited passage supports it"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_unverified_sentence_is_dropped_and_kept_for_reviewers(
    case: str, server: Scripted, extractive: Answer, embedder: Embedder
) -> None:
    extra, reason = CASES[case]  # reason: the start of the drop reason (or of either)
    server.script = echo(extra)
    result = write_with_report(extractive, settings_for(server), embedder)
    written = result.answer
    assert written.writer == "llm (scripted)"
    (dropped,) = written.dropped
    assert dropped.reason.startswith(reason), dropped
    assert dropped.text not in texts(written)
    assert result.kept == len(texts(written)) == result.proposed - 1
    assert_consistent(written)
    record = written.to_dict()
    assert record["dropped"] == [
        {"text": dropped.text, "citations": list(dropped.citations), "reason": dropped.reason}
    ]


def test_the_original_dose_is_kept_and_the_changed_one_dropped(
    server: Scripted, extractive: Answer, embedder: Embedder
) -> None:
    def both(headings: list[str], passages: dict[int, str]) -> list[dict[str, Any]]:
        n, sentence, changed = _dose_sentence(passages)
        return [{"text": sentence, "citations": [n]}, {"text": changed, "citations": [n]}]

    server.script = echo(both)
    written = write(extractive, settings_for(server), embedder)
    _, passages = evidence_of(server.requests[-1])
    _, sentence, changed = _dose_sentence(passages)
    assert sentence in texts(written) and changed not in texts(written)
    (dropped,) = written.dropped
    assert dropped.text == changed
    assert re.fullmatch(r"number \d+ (mcg|mg) is not in a cited passage", dropped.reason)


@pytest.mark.parametrize(
    ("reply", "llm", "reason"),
    [
        (
            Reply('{"sections": [{"heading": "Key evidence", "sentences": [{"text": '),
            {},
            "malformed reply",
        ),
        (Reply("Roflumilast is safe [1]. [2]"), {}, "malformed reply"),
        (Reply(raw="<html>Bad gateway</html>"), {}, "malformed reply"),
        (Reply(status=500), {}, "HTTP 500"),
        (Reply(status=401), {}, "HTTP 401"),
        (Reply(stall_s=30, content="{}"), {"timeout_s": 1.0}, "timeout"),
        (Reply(json.dumps({"sections": []})), {}, "no sentences"),
    ],
    ids=["truncated-json", "prose", "not-a-completion", "http-500", "http-401", "stall", "empty"],
)
def test_endpoint_failures_fall_back_to_the_extractive_answer(
    reply: Reply,
    llm: dict[str, Any],
    reason: str,
    server: Scripted,
    extractive: Answer,
    embedder: Embedder,
) -> None:
    server.script = lambda request: reply
    started = time.monotonic()
    result = write(extractive, settings_for(server, **llm), embedder)
    assert time.monotonic() - started < 10
    assert result.writer == f"extractive (fallback: {reason})"
    assert result.sections == extractive.sections and result.references == extractive.references
    assert result.bottom_line == extractive.bottom_line


def test_too_little_verified_falls_back_and_says_what_was_dropped(
    server: Scripted, extractive: Answer, embedder: Embedder
) -> None:
    def invented(request: dict[str, Any]) -> Reply:
        headings, _ = evidence_of(request)
        sentences = [{"text": "Roflumilast doubles suicide risk.", "citations": [9]}] * 2
        good = echo()(request).content
        first = json.loads(good)["sections"][0]["sentences"]
        sections = [{"heading": headings[0], "sentences": first + sentences}]
        return Reply(json.dumps({"sections": sections}))

    server.script = invented
    result = write_with_report(extractive, settings_for(server, min_kept_share=0.5), embedder)
    assert result.answer.writer == "extractive (fallback: 1 of 3 sentences verified)"
    assert result.answer.sections == extractive.sections
    assert [d.reason for d in result.answer.dropped] == ["cites [9], which was not given"] * 2
    assert result.fallback == "1 of 3 sentences verified"


def test_no_server_falls_back(extractive: Answer, embedder: Embedder) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    llm = LLMSettings(base_url=f"http://127.0.0.1:{port}/v1", model="m", timeout_s=2)
    result = write(extractive, Settings().model_copy(update={"llm": llm}), embedder)
    assert result.writer == "extractive (fallback: connection error)"
    unset = write(extractive, Settings(), embedder)
    assert unset.writer == "extractive (fallback: llm.base_url not set)"


def test_an_abstention_is_not_sent_to_the_model(
    server: Scripted, engine: Engine, embedder: Embedder
) -> None:
    before = len(server.requests)
    answer = engine.answer("What is the airspeed velocity of an unladen swallow?", save=False)
    assert not answer.references
    result = write(answer, settings_for(server), embedder)
    assert result.writer == NO_EVIDENCE and len(server.requests) == before


# ---- the command line, in real processes, over a copy of the small evidence store


def medcite(db: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medcite.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.fixture(scope="module")
def small_db(evidence_store: SQLiteStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    evidence_store.checkpoint()
    path = tmp_path_factory.mktemp("writer-cli") / "index.sqlite"
    shutil.copy(evidence_store.path, path)
    return path


def _env(server: Scripted) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDCITE_")}
    return {**env, "MEDCITE_LLM_BASE_URL": server.url, "MEDCITE_LLM_MODEL": "scripted"}


def test_cli_ask_with_the_llm_writer(server: Scripted, small_db: Path) -> None:
    server.script = echo()
    result = medcite(
        small_db,
        "ask",
        "How is anaplasmosis treated?",
        "--writer",
        "llm",
        "--json",
        env=_env(server),
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["writer"] == "llm (scripted)" and record["dropped"] == []
    assert all(item["citations"] for s in record["sections"] for item in s["items"])
    bare = {k: v for k, v in _env(server).items() if not k.startswith("MEDCITE_LLM")}
    refused = medcite(
        small_db, "ask", "How is anaplasmosis treated?", "--writer", "llm", "--json", env=bare
    )
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["error"]["code"] == "llm_not_configured"


def test_cli_eval_citations_reports_the_writer(
    server: Scripted, small_db: Path, tmp_path: Path
) -> None:
    questions = tmp_path / "questions.txt"
    questions.write_text("How is anaplasmosis treated?\nWhat causes carpal tunnel syndrome?\n")
    server.script = echo(CASES["invented citation"][0])
    result = medcite(
        small_db,
        "eval",
        "citations",
        "--writer",
        "llm",
        "--questions",
        str(questions),
        "--json",
        env=_env(server),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    writer = report["writer"]
    assert writer["written"] + writer["fallbacks"] + writer["no_evidence"] == 2
    assert writer["written"] >= 1 and writer["citation_precision"] == 1.0
    assert writer["drop_reasons"] == {"invented citation": writer["written"]}
    assert 0 < writer["dropped_share"] < 1
    assert report["items_grounded_share"] == 1.0 and report["dangling_citations"] == 0


@pytest.mark.parametrize("kind", ["json_schema", "json_object_schema", "none"])
def test_the_reply_shape_is_asked_for_as_configured(
    kind: str, server: Scripted, extractive: Answer, embedder: Embedder
) -> None:
    server.script = echo()
    written = write(extractive, settings_for(server, response_format=kind), embedder)
    assert written.writer == "llm (scripted)"
    sent = server.requests[-1].get("response_format")
    if kind == "none":
        assert sent is None
        return
    schema = sent["json_schema"]["schema"] if kind == "json_schema" else sent["schema"]
    section = schema["properties"]["sections"]["items"]
    headings = section["properties"]["heading"]["enum"]
    assert headings == [s.heading for s in extractive.sections]
