"""API schemas (separate from the storage records): what /api accepts and returns. The Answer
record inside an article is the answer engine's JSON contract, documented in README."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from medcite.answer.model import Audience
from medcite.articles.model import State


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AskRequest(_Schema):
    question: str = Field(description="The question, 1-1,000 characters of text.")
    audience: Audience = Field(Audience.CLINICIAN, description="Who the answer is told for.")
    follow_up_of: int | None = Field(
        None, description="Id of the article this question follows up (resolves 'what dose?')."
    )


class ArticleOut(BaseModel):
    id: int
    slug: str
    url: str
    question: str
    state: State
    revision: int = Field(description="Changes with every change; send it back to avoid conflicts.")
    version: int = Field(description="The version shown.")
    versions: list[int]
    latest_version: int
    approved_version: int | None
    approved_by: str | None
    approved_at: str | None
    pending_review: bool = Field(description="True unless the version shown is approved.")
    notice: str | None = Field(
        None,
        description="Set when a source a version cites was retracted: which, and the notice "
        "(the article is being re-reviewed); cleared when it is regenerated.",
    )
    last_updated: str
    created_at: str
    follow_up_of: int | None
    audience: Audience
    answer: dict[str, Any] = Field(description="The Answer record (see README).")


class AskResponse(BaseModel):
    created: bool = Field(description="True when this question made a new article.")
    article: ArticleOut | None = Field(
        description="The article; null for answers that are never published (declined "
        "questions, emergencies, no evidence)."
    )
    answer: dict[str, Any] | None = Field(description="The unpublished answer, when no article.")


class TransitionRequest(_Schema):
    to: State = Field(description="The state to move to.")
    comment: str | None = Field(
        None, max_length=4000, description="Required for changes_requested."
    )
    revision: int | None = Field(
        None, description="The revision you saw; a different current one gives 409 conflict."
    )


class RegenerateRequest(_Schema):
    reason: str = Field("regenerated", max_length=4000, description="Why (kept in the audit log).")
    revision: int | None = None


class ArticleBrief(BaseModel):
    id: int
    slug: str
    url: str
    question: str
    state: State
    updated_at: str


class PassageHit(BaseModel):
    """One search hit, as `medcite search --json` gives it (README, "Search JSON")."""

    rank: int
    score: float
    passage_id: str
    doc_id: str
    title: str
    evidence_type: str
    year: int | None
    source: str
    section: str | None
    text: str


class SearchResponse(BaseModel):
    query: str
    articles: list[ArticleBrief]
    passages: list[PassageHit]


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable name, e.g. empty_question.")
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class SessionOut(BaseModel):
    user: str | None
    role: str | None
    csrf_token: str = Field(description="Send as X-CSRF-Token with cookie-authenticated writes.")
