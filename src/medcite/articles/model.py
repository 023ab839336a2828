"""Typed records of the article store: what the web layer reads and the workflow acts on."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class State(StrEnum):
    """Review states of an article (of its latest version)."""

    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    State.SUBMITTED: "Submitted",
    State.UNDER_REVIEW: "Under review",
    State.APPROVED: "Approved",
    State.CHANGES_REQUESTED: "Changes requested",
}


class Role(StrEnum):
    """Account roles. Readers may sign in and see the queue; reviewers review; editors
    regenerate articles; admins do both."""

    READER = "reader"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    active: bool
    session_epoch: int = 0  # bumped by a password change or a disable: open sessions end


class AccountEvent(StrEnum):
    """What the account event log records."""

    LOGIN_FAILED = "login_failed"
    LOGIN_LOCKED = "login_locked"  # the failure that started a lock (or a longer delay)
    LOGIN_REFUSED = "login_refused"  # an attempt while throttled: its password not even checked
    ADDED = "added"
    DISABLED = "disabled"
    ENABLED = "enabled"
    PASSWORD_SET = "password_set"
    ROLE_SET = "role_set"


@dataclass(frozen=True)
class AccountLogEntry:
    at: str
    account: str
    actor: str
    address: str | None
    event: AccountEvent
    detail: str | None


@dataclass(frozen=True)
class Article:
    id: int
    slug: str
    question: str
    state: State
    latest_version: int
    approved_version: int | None
    approved_by: str | None
    approved_at: str | None
    parent_id: int | None
    created_at: str
    updated_at: str
    revision: int
    notice: str | None = None  # set when a cited source was retracted: re-review needed
    evidence_changed: str | None = None  # new evidence since review: what changed
    evidence_changed_at: str | None = None

    @property
    def public_version(self) -> int:
        """What anonymous readers see: the latest approved version, else the latest."""
        return self.approved_version or self.latest_version


@dataclass(frozen=True)
class Version:
    article_id: int
    version: int
    created_at: str
    reason: str
    answers: dict[str, dict[str, Any]]  # audience → Answer record (JSON contract)


@dataclass(frozen=True)
class AuditEntry:
    article_id: int
    version: int
    actor: str
    at: str
    from_state: State | None
    to_state: State
    comment: str | None
