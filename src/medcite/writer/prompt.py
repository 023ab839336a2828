"""What the model is told and how its reply is read.

The model gets the question, the audience, the section plan (the extractive answer's headings)
and the numbered evidence passages, and must reply with JSON of this shape::

    {"sections": [{"heading": "<a heading of the plan>",
                   "sentences": [{"text": "<one sentence>", "citations": [1, 2]}]}]}

Reading is lenient about form (code fences, citation markers written inside the text), never
about content: markers found in the text join the sentence's citations and are checked like
them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from medcite.answer.model import Answer
from medcite.text import clean, split_sentences
from medcite.writer.client import WriterError

_AUDIENCE = {
    "clinician": "a clinician: precise, clinical terms, concise",
    "student": "a medical student: clear, explain the reasoning",
    "patient": "a patient: plain words, short sentences, no jargon",
}

SYSTEM = (
    "You write short, accurate answers to clinical questions using ONLY the numbered evidence "
    "passages given. Rules: every sentence must be supported by the passages it cites; cite "
    "passages by their numbers only; never cite a number that was not given; copy every number, "
    "dose, threshold and unit exactly as the passage states it; add no fact, no advice and no "
    "source that the passages do not contain; if the passages say little, write little. "
    'Reply with JSON only: {"sections": [{"heading": "...", "sentences": '
    '[{"text": "...", "citations": [1]}]}]}.'
)

_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")


@dataclass(frozen=True)
class Proposed:
    """One sentence as the model wrote it (markers moved out of the text into ``citations``)."""

    heading: str
    text: str
    citations: tuple[int, ...]


def evidence_passages(answer: Answer, max_words: int) -> dict[int, str]:
    """Reference number → the text of its quotes, cut to ``max_words`` words (what is sent)."""
    evidence: dict[int, str] = {}
    for ref in answer.references:
        words = " ".join(q.text for q in ref.quotes).split()
        evidence[ref.n] = " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")
    return evidence


def messages(answer: Answer, evidence: Mapping[int, str]) -> list[dict[str, str]]:
    headings = [section.heading for section in answer.sections]
    numbered = "\n\n".join(f"[{n}] {text}" for n, text in evidence.items())
    user = (
        f"Question: {answer.resolved_question or answer.question}\n"
        f"Write for {_AUDIENCE.get(answer.audience.value, answer.audience.value)}.\n"
        f"Sections, in this order (use these headings exactly): {json.dumps(headings)}\n"
        f"Allowed citation numbers: {json.dumps(sorted(evidence))}\n\n"
        f"Evidence passages:\n\n{numbered}\n\n"
        "Under each heading, restate the evidence that answers the question in 1 to 3 short "
        "sentences, each with its citation numbers. JSON only."
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


MAX_SENTENCE_CHARS = 300
"""Longest sentence the schema allows (with at most 3 per section, a reply fits max_tokens)."""


def reply_schema(answer: Answer) -> dict[str, Any]:
    """The JSON schema of a reply: headings from the plan, short sentences; citations any
    integers (so a model can still invent one, and verification still has to catch it)."""
    sentence = {
        "type": "object",
        "properties": {
            "text": {"type": "string", "minLength": 20, "maxLength": MAX_SENTENCE_CHARS},
            "citations": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
        },
        "required": ["text", "citations"],
        "additionalProperties": False,
    }
    headings = [section.heading for section in answer.sections]
    section = {
        "type": "object",
        "properties": {
            "heading": {"type": "string", "enum": headings},
            "sentences": {"type": "array", "items": sentence, "minItems": 1, "maxItems": 3},
        },
        "required": ["heading", "sentences"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "sections": {
                "type": "array",
                "items": section,
                "minItems": 1,
                "maxItems": len(headings),
            }
        },
        "required": ["sections"],
        "additionalProperties": False,
    }


class _Sentence(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str
    citations: list[int] = []


class _Section(BaseModel):
    model_config = ConfigDict(extra="ignore")
    heading: str = ""
    sentences: list[_Sentence]


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sections: list[_Section]


def parse_reply(content: str) -> list[Proposed]:
    """The model's sentences in order; :class:`WriterError` ("malformed reply") if unreadable."""
    text = content.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise WriterError("malformed reply", "no JSON object")
    try:
        reply = _Reply.model_validate(json.loads(text[start : end + 1]))
    except (ValueError, ValidationError) as exc:
        raise WriterError("malformed reply", type(exc).__name__) from None
    proposed: list[Proposed] = []
    for section in reply.sections:
        for item in section.sentences:
            # an item may hold several sentences: each is verified on its own, with the
            # item's citations and any markers it carries itself
            pieces: list[tuple[str, list[int]]] = []
            for sentence in split_sentences(item.text):
                body, inline = split_markers(sentence)
                if body:
                    pieces.append((body, [*item.citations, *inline]))
                elif pieces:  # "... outcomes. [7]": markers after the full stop
                    pieces[-1][1].extend(inline)
            heading = clean(section.heading)
            proposed += [Proposed(heading, b, tuple(dict.fromkeys(n))) for b, n in pieces]
    return proposed


def split_markers(text: str) -> tuple[str, tuple[int, ...]]:
    """("Text [1, 2].", ...) → ("Text.", (1, 2)): markers out of the text, into numbers."""
    numbers: list[int] = []
    for match in _MARKER.finditer(text):
        numbers += [int(n) for n in re.findall(r"\d+", match.group(1))]
    body = clean(_MARKER.sub("", text))
    body = re.sub(r"\s+([.,;:])", r"\1", body)
    return body, tuple(numbers)
