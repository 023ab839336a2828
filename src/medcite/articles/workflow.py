"""The review workflow as a table: which role may move an article from which state to which.

Submitted → Under review → Approved, or Under review → Changes requested (comment required).
Regenerating an article (a new version) sends it back to Under review; that is an editor's act.
"""

from __future__ import annotations

from medcite.articles.model import Role, State
from medcite.errors import MedCiteError

REVIEWERS = frozenset({Role.REVIEWER, Role.ADMIN})
EDITORS = frozenset({Role.EDITOR, Role.ADMIN})

TRANSITIONS: dict[tuple[State, State], frozenset[Role]] = {
    (State.SUBMITTED, State.UNDER_REVIEW): REVIEWERS,
    (State.UNDER_REVIEW, State.APPROVED): REVIEWERS,
    (State.UNDER_REVIEW, State.CHANGES_REQUESTED): REVIEWERS,
}
NEEDS_COMMENT = frozenset({State.CHANGES_REQUESTED})


class WorkflowError(MedCiteError):
    """A review or login action that is not allowed; ``code`` is stable for the API, ``status``
    is the HTTP status that fits."""

    def __init__(
        self, message: str, code: str, status: int, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.retry_after = retry_after  # seconds, sent as Retry-After


def check_transition(current: State, to: State, role: Role | None, comment: str | None) -> None:
    """Raise :class:`WorkflowError` unless ``role`` may move ``current`` → ``to`` now."""
    if role is None:
        raise WorkflowError("log in as a reviewer to review articles", "not_authenticated", 401)
    allowed = TRANSITIONS.get((current, to))
    if allowed is None:
        raise WorkflowError(
            f"an article cannot go from {current.label} to {to.label}", "invalid_transition", 409
        )
    if role not in allowed:
        raise WorkflowError(f"a {role.value} cannot do this", "forbidden", 403)
    if to in NEEDS_COMMENT and not (comment or "").strip():
        raise WorkflowError(
            "say what should change (a comment is required)", "comment_required", 422
        )


def check_regenerate(role: Role | None) -> None:
    if role is None:
        raise WorkflowError("log in as an editor to regenerate articles", "not_authenticated", 401)
    if role not in EDITORS:
        raise WorkflowError(f"a {role.value} cannot regenerate articles", "forbidden", 403)


def next_states(current: State, role: Role | None) -> list[State]:
    """The states this role can move an article to from ``current`` (for the review buttons)."""
    if role is None:
        return []
    return [to for (frm, to), roles in TRANSITIONS.items() if frm is current and role in roles]
