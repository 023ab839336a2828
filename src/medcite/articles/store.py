"""The article store: articles, their versions, review transitions, the audit log, accounts and
the ask rate limit — all through SQLAlchemy Core, so SQLite and PostgreSQL share one code path.

Every change to an article bumps its ``revision`` inside one write transaction and is written
with ``WHERE revision = <what was read>``: two reviewers acting at once never overwrite each
other — the second gets a conflict and sees the new state. The article row is read ``FOR UPDATE``
(PostgreSQL; on SQLite ``BEGIN IMMEDIATE`` already makes writers take turns), so the second waits
for the first and then decides on what the first wrote — also when it sent no revision, and also
for a new version, whose number the first has just taken. Writes that no row lock can guard (a
new article's slug, the ask count of a client) take turns through :func:`serialise`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from slugify import slugify
from sqlalchemy import (
    Connection,
    Engine,
    Row,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from medcite.articles import schema as t
from medcite.articles.logins import record
from medcite.articles.model import (
    AccountEvent,
    Article,
    AuditEntry,
    Role,
    State,
    User,
    Version,
)
from medcite.articles.workflow import WorkflowError, check_regenerate, check_transition
from medcite.database import serialise
from medcite.store.vectors import blob_scores

SLUG_WORDS = 80  # characters of the question kept in its slug
SYSTEM = "system"
_INT_RANGE = range(-(2**31), 2**31)  # INTEGER columns (PostgreSQL refuses to compare others)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class NewArticle:
    """What asking a new question stores: the question, its key and vector, the first answers."""

    question: str
    normalised: str
    vector: npt.NDArray[np.float32] | None
    answers: dict[str, dict[str, Any]]
    parent_id: int | None = None


class ArticleStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(write=True)

    # -- reading ---------------------------------------------------------------------------------

    def get(self, article_id: int) -> Article | None:
        if article_id not in _INT_RANGE:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles).where(t.articles.c.id == article_id)).first()
        return None if row is None else _article(row)

    def by_slug(self, slug: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles).where(t.articles.c.slug == slug)).first()
        return None if row is None else _article(row)

    def revision(self, slug: str) -> tuple[int, int] | None:
        """(id, revision) of the article at ``slug``: the cheap check behind the page cache."""
        query = select(t.articles.c.id, t.articles.c.revision).where(t.articles.c.slug == slug)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def version(self, article_id: int, number: int) -> Version | None:
        if article_id not in _INT_RANGE or number not in _INT_RANGE:
            return None
        query = select(t.versions).where(
            and_(t.versions.c.article_id == article_id, t.versions.c.version == number)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return Version(
            row.article_id, row.version, row.created_at, row.reason, json.loads(row.answers)
        )

    def version_numbers(self, article_id: int) -> list[int]:
        if article_id not in _INT_RANGE:
            return []
        query = (
            select(t.versions.c.version)
            .where(t.versions.c.article_id == article_id)
            .order_by(t.versions.c.version)
        )
        with self.engine.connect() as conn:
            return [int(v) for v in conn.execute(query).scalars()]

    def audit(self, article_id: int) -> list[AuditEntry]:
        if article_id not in _INT_RANGE:
            return []
        query = (
            select(t.audit_log)
            .where(t.audit_log.c.article_id == article_id)
            .order_by(t.audit_log.c.id)
        )
        with self.engine.connect() as conn:
            return [
                AuditEntry(
                    r.article_id,
                    r.version,
                    r.actor,
                    r.at,
                    State(r.from_state) if r.from_state else None,
                    State(r.to_state),
                    r.comment,
                )
                for r in conn.execute(query)
            ]

    def queue(self) -> dict[State, list[Article]]:
        """Articles by review state, oldest change first (the reviewer dashboard)."""
        query = select(t.articles).order_by(t.articles.c.updated_at, t.articles.c.id)
        out: dict[State, list[Article]] = {state: [] for state in State}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                article = _article(row)
                out[article.state].append(article)
        return out

    def recent(self, limit: int, approved_only: bool = True) -> list[Article]:
        query = select(t.articles)
        if approved_only:
            query = query.where(t.articles.c.approved_version.is_not(None))
        query = query.order_by(t.articles.c.updated_at.desc(), t.articles.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [_article(row) for row in conn.execute(query)]

    def search(self, words: list[str], limit: int) -> list[Article]:
        """Articles whose question shares the most of ``words`` (then newest, then id)."""
        wanted = set(words)
        if not wanted:
            return []
        with self.engine.connect() as conn:
            articles = [(_article(row), row.normalised) for row in conn.execute(select(t.articles))]
        scored = [(len(wanted & set(key.split())), a) for a, key in articles]
        scored = [(shared, a) for shared, a in scored if shared]
        scored.sort(key=lambda pair: pair[1].id)  # stable sorts: id, then newest, then most shared
        scored.sort(key=lambda pair: pair[1].updated_at, reverse=True)
        scored.sort(key=lambda pair: pair[0], reverse=True)
        return [a for _, a in scored[:limit]]

    def find_duplicate(
        self, normalised: str, vector: npt.NDArray[np.float32] | None, threshold: float
    ) -> Article | None:
        """The article asking the same question: the same normalised text, else the oldest
        question at cosine >= ``threshold`` that names the same numbers and codes. Numbers
        are what near-identical wordings differ in when they ask different things ("type 1"
        and "type 2 diabetes", "Charcot-Marie-Tooth type 2B1" and "2B2": cosine ~0.98), and the
        oldest, not the closest, so a question keeps opening the same article as new ones
        arrive (found by the load bench: a repeated question moved to a newer article)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.articles)
                .where(t.articles.c.normalised == normalised)
                .order_by(t.articles.c.id)
            ).first()
            if row is not None or vector is None:
                return None if row is None else _article(row)
            rows = conn.execute(
                select(t.articles.c.id, t.articles.c.normalised, t.articles.c.question_vec)
                .where(t.articles.c.question_vec.is_not(None))
                .order_by(t.articles.c.id)
            ).all()
        codes = _codes(normalised)
        rows = [r for r in rows if _codes(r[1]) == codes]
        close = np.flatnonzero(blob_scores([r[2] for r in rows], vector) >= threshold)
        return self.get(int(rows[close[0]][0])) if len(close) else None

    # -- writing ---------------------------------------------------------------------------------

    def create(self, new: NewArticle) -> tuple[Article, bool]:
        """A new article in state Submitted, and True; or, when an article with the same
        normalised question exists by the time this one would be written (the same question
        asked at once on two app servers), that article and False."""
        stamp = now()
        with self._writer.begin() as conn:
            serialise(conn, "articles.create")  # rare: one at a time, so no slug is taken twice
            article_id = conn.execute(
                select(t.articles.c.id)
                .where(t.articles.c.normalised == new.normalised)
                .order_by(t.articles.c.id)
                .limit(1)
            ).scalar()
            created = article_id is None
            if article_id is None:
                article_id = self._insert(conn, new, stamp)
        article = self.get(article_id)
        assert article is not None
        return article, created

    def _insert(self, conn: Connection, new: NewArticle, stamp: str) -> int:
        slug = _free_slug(conn, new.question)
        article_id = int(
            conn.execute(
                insert(t.articles).values(
                    slug=slug,
                    question=new.question,
                    normalised=new.normalised,
                    question_vec=None if new.vector is None else new.vector.tobytes(),
                    state=State.SUBMITTED.value,
                    latest_version=1,
                    parent_id=new.parent_id,
                    created_at=stamp,
                    updated_at=stamp,
                    revision=1,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
        _add_version(conn, article_id, 1, "first answer", new.answers, stamp)
        _log(conn, article_id, 1, SYSTEM, None, State.SUBMITTED, None, stamp)
        return article_id

    def transition(
        self,
        article_id: int,
        to: State,
        actor: User,
        comment: str | None = None,
        expected_revision: int | None = None,
    ) -> Article:
        stamp = now()
        with self._writer.begin() as conn:
            article = _locked(conn, article_id, expected_revision)
            check_transition(article.state, to, actor.role, comment)
            values: dict[str, Any] = {"state": to.value}
            if to is State.APPROVED:
                values |= {
                    "approved_version": article.latest_version,
                    "approved_by": actor.name,
                    "approved_at": stamp,
                }
            _bump(conn, article, values, stamp)
            _log(
                conn,
                article_id,
                article.latest_version,
                actor.name,
                article.state,
                to,
                comment,
                stamp,
            )
        changed = self.get(article_id)
        assert changed is not None
        return changed

    def regenerate(
        self,
        article_id: int,
        answers: dict[str, dict[str, Any]],
        actor: User,
        reason: str,
        expected_revision: int | None = None,
    ) -> Article:
        """A new version from a fresh answer; the article goes (back) to Under review."""
        check_regenerate(actor.role)
        stamp = now()
        with self._writer.begin() as conn:
            article = _locked(conn, article_id, expected_revision)
            number = article.latest_version + 1
            _add_version(conn, article_id, number, reason, answers, stamp)
            values = {
                "state": State.UNDER_REVIEW.value,
                "latest_version": number,
                "notice": None,
                "evidence_changed": None,
                "evidence_changed_at": None,
            }
            _bump(conn, article, values, stamp)
            _log(
                conn,
                article_id,
                number,
                actor.name,
                article.state,
                State.UNDER_REVIEW,
                reason,
                stamp,
            )
        changed = self.get(article_id)
        assert changed is not None
        return changed

    def flag_sources(
        self, retracted: Callable[[Collection[str]], dict[str, tuple[str, str]]]
    ) -> list[Article]:
        """Flag the articles whose latest or approved version cites a document ``retracted``
        names (doc id -> (which source, why: "PMID 123", "Retraction (PubMed, PMID 456)")):
        their notice says which, and the audit log gets a ``system`` entry. The review state is
        kept (an approved page stays up, with the notice, until it is regenerated). An article
        already flagged for the same sources is left alone. Returns the articles flagged."""
        cited: dict[int, set[str]] = {}
        query = select(t.versions.c.article_id, t.versions.c.answers).join(
            t.articles,
            and_(
                t.articles.c.id == t.versions.c.article_id,
                or_(
                    t.versions.c.version == t.articles.c.latest_version,
                    t.versions.c.version == t.articles.c.approved_version,
                ),
            ),
        )
        with self.engine.connect() as conn:
            for article_id, answers in conn.execute(query):
                cited.setdefault(int(article_id), set()).update(_cited(json.loads(answers)))
        found = retracted({doc_id for ids in cited.values() for doc_id in ids})
        flagged: list[Article] = []
        for article_id, ids in sorted(cited.items()):
            sources = sorted({found[doc_id] for doc_id in ids if doc_id in found})
            if sources and self._flag(article_id, sources):
                article = self.get(article_id)
                assert article is not None
                flagged.append(article)
        return flagged

    def _flag(self, article_id: int, sources: list[tuple[str, str]]) -> bool:
        notice = "; ".join(f"{what}: {why}" for what, why in sources)
        stamp = now()
        with self._writer.begin() as conn:
            article = _locked(conn, article_id, None)
            if article.notice == notice:
                return False
            _bump(conn, article, {"notice": notice}, stamp)
            for what, why in sources:
                comment = f"Source {what} was retracted ({why}); re-review needed"
                _log(
                    conn,
                    article_id,
                    article.latest_version,
                    SYSTEM,
                    article.state,
                    article.state,
                    comment,
                    stamp,
                )
        return True

    # -- new evidence since review (see medcite.articles.living) ------------------------------

    def cited_latest(self) -> dict[int, set[str]]:
        """Article id -> the document ids its latest version cites."""
        query = select(t.versions.c.article_id, t.versions.c.answers).join(
            t.articles,
            and_(
                t.articles.c.id == t.versions.c.article_id,
                t.versions.c.version == t.articles.c.latest_version,
            ),
        )
        with self.engine.connect() as conn:
            return {int(a): _cited(json.loads(answers)) for a, answers in conn.execute(query)}

    def questions(self) -> list[tuple[int, str, bytes | None]]:
        """(id, question, stored question vector) of every article, by id."""
        query = select(t.articles.c.id, t.articles.c.question, t.articles.c.question_vec)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(t.articles.c.id)).all()
        return [(int(r[0]), str(r[1]), None if r[2] is None else bytes(r[2])) for r in rows]

    def mark_evidence_changed(self, article_id: int, changes: list[str]) -> bool:
        """Mark the article "new evidence since review" with ``changes`` (added to what an
        earlier check found, until it is regenerated) and log a ``system`` entry; the review
        state is kept. False when it was already marked with all of them."""
        stamp = now()
        with self._writer.begin() as conn:
            article = _locked(conn, article_id, None)
            known = article.evidence_changed.split("; ") if article.evidence_changed else []
            fresh = [c for c in changes if c not in known]
            if not fresh:
                return False
            text = "; ".join(known + fresh)
            _bump(conn, article, {"evidence_changed": text, "evidence_changed_at": stamp}, stamp)
            comment = f"New evidence since review: {'; '.join(fresh)}"
            state = article.state
            _log(conn, article_id, article.latest_version, SYSTEM, state, state, comment, stamp)
        return True

    def evidence_changed(self) -> list[Article]:
        """The articles marked "new evidence since review", most recently marked first."""
        query = (
            select(t.articles)
            .where(t.articles.c.evidence_changed.is_not(None))
            .order_by(t.articles.c.evidence_changed_at.desc(), t.articles.c.id)
        )
        with self.engine.connect() as conn:
            return [_article(row) for row in conn.execute(query)]

    # -- accounts --------------------------------------------------------------------------------

    def add_user(self, name: str, password_hash: str, role: Role, actor: str = SYSTEM) -> User:
        taken = WorkflowError(f"a user named {name!r} exists", "user_exists", 409)
        stamp = now()
        try:
            with self._writer.begin() as conn:
                if conn.execute(select(t.users.c.id).where(t.users.c.name == name)).first():
                    raise taken
                conn.execute(
                    insert(t.users).values(
                        name=name,
                        password_hash=password_hash,
                        role=role.value,
                        active=True,
                        created_at=stamp,
                    )
                )
                record(conn, stamp, name, actor, AccountEvent.ADDED, detail=role.value)
        except IntegrityError:  # the same name added by another process a moment ago
            raise taken from None
        user = self.user(name)
        assert user is not None
        return user[0]

    def change_user(
        self, name: str, actor: str, event: AccountEvent, detail: str | None, **values: Any
    ) -> User:
        """Set ``values`` on the account ``name`` and log ``event``; a new password or a
        disable also ends every open session of the account (its session epoch moves on)."""
        stamp = now()
        with self._writer.begin() as conn:
            query = select(t.users).where(t.users.c.name == name.strip()).with_for_update()
            row = conn.execute(query).first()
            if row is None:
                raise WorkflowError(f"no user named {name!r}", "unknown_user", 404)
            if "password_hash" in values or values.get("active") is False:
                values["session_epoch"] = int(row.session_epoch) + 1
            conn.execute(update(t.users).where(t.users.c.id == row.id).values(**values))
            record(conn, stamp, row.name, actor, event, detail=detail)
        found = self.user(row.name)
        assert found is not None
        return found[0]

    def user(self, name: str) -> tuple[User, str] | None:
        """The account and its password hash."""
        if "\x00" in name:  # no account has one (PostgreSQL would refuse to compare it)
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(t.users).where(t.users.c.name == name)).first()
        return None if row is None else (_user(row), str(row.password_hash))

    def user_by_id(self, user_id: int) -> User | None:
        if user_id not in _INT_RANGE:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(t.users).where(t.users.c.id == user_id)).first()
        return None if row is None else _user(row)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(
                update(t.users).where(t.users.c.id == user_id).values(password_hash=password_hash)
            )

    def users(self) -> list[User]:
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(select(t.users).order_by(t.users.c.name))]

    # -- rate limit ------------------------------------------------------------------------------

    def allow_ask(self, client: str, at: int, window_s: int, limit: int) -> bool:
        """Record an ask by ``client`` at ``at`` (epoch seconds) unless it already asked
        ``limit`` times in the last ``window_s`` seconds. Shared by every worker process."""
        with self._writer.begin() as conn:
            serialise(conn, f"ask_events:{client}")  # count and insert as one step
            conn.execute(delete(t.ask_events).where(t.ask_events.c.at <= at - window_s))
            used = conn.execute(
                select(func.count()).where(
                    and_(t.ask_events.c.client == client, t.ask_events.c.at > at - window_s)
                )
            ).scalar_one()
            if used >= limit:
                return False
            conn.execute(insert(t.ask_events).values(client=client, at=at))
        return True


def _locked(conn: Connection, article_id: int, expected_revision: int | None) -> Article:
    """The article, its row locked until the transaction ends (other writers wait)."""
    row = None
    if article_id in _INT_RANGE:
        query = select(t.articles).where(t.articles.c.id == article_id).with_for_update()
        row = conn.execute(query).first()
    if row is None:
        raise WorkflowError(f"no article {article_id}", "not_found", 404)
    article = _article(row)
    if expected_revision is not None and expected_revision != article.revision:
        raise WorkflowError(
            "the article changed since you loaded it; reload and try again", "conflict", 409
        )
    return article


def _bump(conn: Connection, article: Article, values: dict[str, Any], stamp: str) -> None:
    done = conn.execute(
        update(t.articles)
        .where(and_(t.articles.c.id == article.id, t.articles.c.revision == article.revision))
        .values(**values, revision=article.revision + 1, updated_at=stamp)
    )
    if done.rowcount != 1:
        raise WorkflowError("the article changed meanwhile; reload and try again", "conflict", 409)


def _add_version(
    conn: Connection,
    article_id: int,
    number: int,
    reason: str,
    answers: dict[str, dict[str, Any]],
    stamp: str,
) -> None:
    conn.execute(
        insert(t.versions).values(
            article_id=article_id,
            version=number,
            created_at=stamp,
            reason=reason,
            answers=json.dumps(answers, ensure_ascii=False, sort_keys=True),
        )
    )


def _log(
    conn: Connection,
    article_id: int,
    version: int,
    actor: str,
    from_state: State | None,
    to_state: State,
    comment: str | None,
    stamp: str,
) -> None:
    conn.execute(
        insert(t.audit_log).values(
            article_id=article_id,
            version=version,
            actor=actor,
            at=stamp,
            from_state=None if from_state is None else from_state.value,
            to_state=to_state.value,
            comment=comment,
        )
    )


def _free_slug(conn: Connection, question: str) -> str:
    base = slugify(question, max_length=SLUG_WORDS, word_boundary=True) or "question"
    taken = set(
        conn.execute(select(t.articles.c.slug).where(t.articles.c.slug.like(f"{base}%"))).scalars()
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _article(row: Row[Any]) -> Article:
    return Article(
        id=row.id,
        slug=row.slug,
        question=row.question,
        state=State(row.state),
        latest_version=row.latest_version,
        approved_version=row.approved_version,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        parent_id=row.parent_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        revision=row.revision,
        notice=row.notice,
        evidence_changed=row.evidence_changed,
        evidence_changed_at=row.evidence_changed_at,
    )


def _user(row: Row[Any]) -> User:
    return User(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        active=bool(row.active),
        session_epoch=int(row.session_epoch),
    )


def _cited(answers: dict[str, Any]) -> set[str]:
    """The document ids the references of a version's answers (one per audience) name."""
    return {
        str(ref["doc_id"])
        for answer in answers.values()
        if isinstance(answer, dict)
        for ref in answer.get("references") or ()
        if isinstance(ref, dict) and ref.get("doc_id")
    }


_CODE = re.compile(r"\w*\d\w*")


def _codes(normalised: str) -> list[str]:
    """The words of a question that hold a digit ("2", "2b1", "h5n1", "covid19"), sorted."""
    return sorted(_CODE.findall(normalised))
