"""Chat completions over HTTP (the OpenAI protocol that vLLM, Ollama, llama.cpp's server and
OpenAI all speak), plain or streamed as server-sent events, within one overall deadline.

Every way the endpoint can fail becomes a :class:`WriterError` whose ``reason`` is short enough
to show in ``Answer.writer`` ("timeout", "HTTP 500", "malformed reply", ...)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from medcite.errors import MedCiteError
from medcite.settings import LLMSettings


class WriterError(MedCiteError):
    """The endpoint could not give a usable reply; ``reason`` says why in a few words."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class ChatClient:
    """One endpoint and model. ``transport`` lets a caller swap httpx's transport."""

    def __init__(self, settings: LLMSettings, transport: httpx.BaseTransport | None = None) -> None:
        if not settings.base_url:
            raise WriterError("llm.base_url not set")
        if not settings.model:
            raise WriterError("llm.model not set")
        self.settings = settings
        self.model = settings.model
        self.url = settings.base_url.rstrip("/") + "/chat/completions"
        headers = {"Accept": "application/json"}
        if settings.api_key is not None:
            headers["Authorization"] = f"Bearer {settings.api_key.get_secret_value()}"
        self._http = httpx.Client(
            timeout=httpx.Timeout(settings.timeout_s), headers=headers, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any] | None = None) -> str:
        """The assistant message's text; ``schema`` is the JSON schema asked for, if the
        ``response_format`` setting sends one."""
        s = self.settings
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": s.temperature,
            "max_tokens": s.max_tokens,
            "stream": s.stream,
        }
        if s.response_format != "none":
            body["response_format"] = _response_format(s.response_format, schema)
        deadline = time.monotonic() + s.timeout_s
        try:
            with self._http.stream("POST", self.url, json=body) as response:
                if response.status_code >= 400:
                    raise WriterError(f"HTTP {response.status_code}")
                chunks: list[bytes] = []
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise WriterError("timeout")
        except httpx.TimeoutException:
            raise WriterError("timeout") from None
        except httpx.HTTPError as exc:
            raise WriterError("connection error", type(exc).__name__) from None
        raw = b"".join(chunks).decode("utf-8", errors="replace")
        content_type = response.headers.get("content-type", "")
        if s.stream or "text/event-stream" in content_type:
            return _from_events(raw)
        return _from_body(raw)


def _response_format(kind: str, schema: dict[str, Any] | None) -> dict[str, Any]:
    if schema is None or kind == "json_object":
        return {"type": "json_object"}
    if kind == "json_schema":
        # not strict: OpenAI's strict mode rejects the schema's length limits
        named = {"name": "medcite_answer", "schema": schema, "strict": False}
        return {"type": "json_schema", "json_schema": named}
    return {"type": "json_object", "schema": schema}


def _from_body(raw: str) -> str:
    try:
        data = json.loads(raw)
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise WriterError("malformed reply", "not a chat completion") from None
    if not isinstance(content, str):
        raise WriterError("malformed reply", "no message content")
    return content


def _from_events(raw: str) -> str:
    """Join the ``delta.content`` of every ``data:`` event up to ``[DONE]``."""
    parts: list[str] = []
    for line in raw.splitlines():
        if not line.startswith("data:"):
            continue
        payload = line[5:].strip()
        if payload == "[DONE]":
            break
        try:
            choices = json.loads(payload)["choices"]
        except (ValueError, KeyError, TypeError):
            raise WriterError("malformed reply", "bad stream event") from None
        for choice in choices or []:
            delta = choice.get("delta") or {}
            if isinstance(delta.get("content"), str):
                parts.append(delta["content"])
    if not parts:
        raise WriterError("malformed reply", "empty stream")
    return "".join(parts)
