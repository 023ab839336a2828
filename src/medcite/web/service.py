"""The site's data functions — one per thing a page or an API call needs — shared by the HTML
views and the JSON API, so both always say the same thing."""

from __future__ import annotations

import difflib
import secrets
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medcite.answer.model import Answer, Audience
from medcite.answer.safety import check_question
from medcite.articles.accounts import log_in
from medcite.articles.database import database_url, make_engine, upgrade
from medcite.articles.logins import LoginThrottle, ThrottlePolicy
from medcite.articles.model import Article, AuditEntry, State, User, Version
from medcite.articles.store import ArticleStore, NewArticle
from medcite.articles.workflow import EDITORS, WorkflowError, check_regenerate, next_states
from medcite.errors import InputError, MedCiteError
from medcite.settings import Settings
from medcite.text import normalise_term, tokens

if TYPE_CHECKING:
    from medcite.answer.engine import Engine
    from medcite.store.postgres import PostgresStore
    from medcite.store.sqlite import SQLiteStore

AUDIENCES = tuple(Audience)
# what a reference carries from its document that references stored earlier may lack
CITATION_DETAILS = ("authors", "volume", "issue", "pages")
WARM_UP_QUESTION = "How is iron deficiency anemia treated?"


@dataclass(frozen=True)
class AskOutcome:
    """An article (new or existing), or — for questions that must not become public pages
    (declined, emergencies, no evidence) — only the answer to show this once."""

    article: Article | None
    created: bool
    answer: dict[str, Any] | None = None


@dataclass(frozen=True)
class ArticleView:
    """Everything an article page (or its JSON) shows."""

    article: Article
    version: Version
    audience: Audience
    answer: dict[str, Any]
    versions: list[int]
    pending: bool
    parent: Article | None
    next_states: list[State]
    can_regenerate: bool
    audit: list[AuditEntry]

    def to_json(self) -> dict[str, Any]:
        a = self.article
        return {
            "id": a.id,
            "slug": a.slug,
            "url": f"/q/{a.slug}",
            "question": a.question,
            "state": a.state.value,
            "revision": a.revision,
            "version": self.version.version,
            "versions": self.versions,
            "latest_version": a.latest_version,
            "approved_version": a.approved_version,
            "approved_by": a.approved_by,
            "approved_at": a.approved_at,
            "pending_review": self.pending,
            "notice": a.notice,
            "last_updated": self.version.created_at,
            "created_at": a.created_at,
            "follow_up_of": None if self.parent is None else self.parent.id,
            "audience": self.audience.value,
            "answer": self.answer,
        }


class Site:
    """Holds the article store and (lazily) the answer engine of one worker process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        store = settings.store
        self.db = make_engine(database_url(settings), store.busy_timeout_ms, store.pool_size)
        upgrade(self.db)
        self.articles = ArticleStore(self.db)
        self.logins = LoginThrottle(self.db, ThrottlePolicy.from_settings(settings.web))
        self._engine_lock = threading.Lock()
        self._answer_lock = threading.Lock()
        self._revisions: dict[str, tuple[int, int, float]] = {}

    # -- the answer engine (loaded on first use: the model and vectors take a second) -----------

    @cached_property
    def evidence(self) -> SQLiteStore | PostgresStore:
        from medcite.store import connect

        s = self.settings.store
        if not s.database_url and not s.path.exists():
            raise InputError(f"no evidence index at {s.path}; run `make index`", "no_index")
        if s.database_url and s.replica_url:  # searches only read: a replica serves them
            return connect(s.model_copy(update={"database_url": s.replica_url}), read_only=True)
        return connect(s, read_only=True)

    @property
    def engine(self) -> Engine:
        with self._engine_lock:
            return self._engine

    @cached_property
    def _engine(self) -> Engine:
        from medcite.answer.engine import Engine
        from medcite.answer.storage import AnswerStore, answers_url

        s = self.settings.store
        answers = AnswerStore(
            answers_url(s, own_file=True), busy_timeout_ms=s.busy_timeout_ms, pool_size=s.pool_size
        )
        return Engine(self.evidence, self.settings, answers=answers)

    def close(self) -> None:
        """Close the database connections this worker opened (the pools of a PostgreSQL
        backend; SQLite files)."""
        if "_engine" in self.__dict__ and self._engine.answers is not None:
            self._engine.answers.close()
        if "evidence" in self.__dict__:
            self.evidence.close()
        self.db.dispose()

    def warm_up(self) -> None:
        with self._answer_lock:
            self.engine.answer_all(WARM_UP_QUESTION, save=False)

    # -- accounts --------------------------------------------------------------------------------

    def log_in(self, name: str, password: str, address: str) -> User:
        """The account for these credentials, throttled (see :func:`log_in`); blocking."""
        return log_in(self.articles, self.logins, name, password, address, int(time.time()))

    # -- asking ----------------------------------------------------------------------------------

    def ask(self, question: str, client: str, follow_up_of: int | None = None) -> AskOutcome:
        """The article answering ``question``: an existing one for the same (or a nearly
        identical) question, else a new one in state Submitted."""
        text = check_question(question)
        web = self.settings.web
        if not self.articles.allow_ask(client, int(time.time()), web.ask_window_s, web.ask_limit):
            raise InputError(
                f"Too many questions from your address; please wait a minute "
                f"(limit {web.ask_limit} per {web.ask_window_s} s).",
                "rate_limited",
            )
        parent = self.article(follow_up_of) if follow_up_of is not None else None
        earlier = None
        if parent is not None:
            version = self.articles.version(parent.id, parent.public_version)
            earlier = None if version is None else version.answers[Audience.CLINICIAN.value]["id"]
        with self._answer_lock:  # one answer at a time per worker: the models are CPU-bound
            engine = self.engine
            resolved = engine.resolve(text, earlier)
            normalised = normalise_term(resolved)
            vector = engine.retriever.query_vector(resolved)
            duplicate = self.articles.find_duplicate(
                normalised, vector, self.settings.web.duplicate_similarity
            )
            if duplicate is not None:
                return AskOutcome(duplicate, created=False)
            answers = engine.answer_all(text, AUDIENCES, follow_up_of=earlier)
        records = {a.value: self._written(answers[a]).to_dict() for a in AUDIENCES}
        first = records[Audience.CLINICIAN.value]
        if not _publishable(first):
            return AskOutcome(None, created=False, answer=first)
        new = NewArticle(
            resolved, normalised, vector, records, parent_id=parent.id if parent else None
        )
        article, created = self.articles.create(new)  # False: asked meanwhile on another server
        return AskOutcome(article, created=created)

    def regenerate(self, article_id: int, user: User, reason: str, revision: int | None) -> Article:
        """A new version answered from today's corpus (after updates or requested changes)."""
        check_regenerate(user.role)  # before the costly answer, not only in the store
        _storable(reason)
        article = self.article(article_id)
        with self._answer_lock:
            answers = self.engine.answer_all(article.question, AUDIENCES)
        records = {a.value: self._written(answers[a]).to_dict() for a in AUDIENCES}
        changed = self.articles.regenerate(
            article_id, records, user, reason.strip() or "regenerated", revision
        )
        self._revisions.pop(changed.slug, None)
        return changed

    def transition(
        self, article_id: int, to: State, user: User, comment: str | None, revision: int | None
    ) -> Article:
        _storable(comment)
        changed = self.articles.transition(article_id, to, user, comment, revision)
        self._revisions.pop(changed.slug, None)
        return changed

    def revision(self, slug: str) -> tuple[int, int] | None:
        """(id, revision) of the article at ``slug``, trusted for ``web.revision_ttl_s``: the
        only per-request database read of a cached page, so worth skipping under load."""
        now = time.monotonic()
        known = self._revisions.get(slug)
        if known is not None and known[2] > now:
            return known[0], known[1]
        current = self.articles.revision(slug)
        if current is not None:
            if len(self._revisions) > 10_000:
                self._revisions.clear()
            ttl = self.settings.web.revision_ttl_s
            self._revisions[slug] = (current[0], current[1], now + ttl)
        return current

    # -- reading ---------------------------------------------------------------------------------

    def view(
        self,
        article: Article,
        audience: Audience,
        user: User | None,
        version: int | None = None,
    ) -> ArticleView:
        """The page of ``article``: the requested version for reviewers, else the latest
        approved version where one exists, otherwise the latest with the pending notice."""
        number = version if version is not None else _shown_version(article, user)
        found = self.articles.version(article.id, number)
        if found is None:
            raise WorkflowError(f"article {article.id} has no version {number}", "not_found", 404)
        pending = article.approved_version != number
        answer = found.answers[audience.value]
        if user is None and answer.get("dropped"):  # what the verifier refused is for reviewers
            answer = {**answer, "dropped": []}
        parent = self.articles.get(article.parent_id) if article.parent_id else None
        return ArticleView(
            article=article,
            version=found,
            audience=audience,
            answer=answer,
            versions=self.articles.version_numbers(article.id),
            pending=pending,
            parent=parent,
            next_states=next_states(article.state, None if user is None else user.role),
            can_regenerate=user is not None and user.role in EDITORS,
            audit=self.articles.audit(article.id) if user is not None else [],
        )

    def references(
        self, article: Article, audience: Audience, user: User | None, version: int | None = None
    ) -> list[dict[str, Any]]:
        """The references of the version :meth:`view` shows, for citation export. Records
        stored before references carried their authors (or volume, issue and pages) get them
        from the evidence store, by the same stable document id, where the index is at hand
        (else they go without)."""
        references: list[dict[str, Any]] = self.view(article, audience, user, version).answer[
            "references"
        ]
        missing = [r["doc_id"] for r in references if not r.keys() >= set(CITATION_DETAILS)]
        if not missing:
            return references
        try:
            with self._answer_lock:  # the engine's connection: one user at a time
                documents = self.evidence.documents(missing)
        except MedCiteError:
            documents = {}
        completed = []
        for ref in references:
            document = documents.get(ref["doc_id"])
            if document is None:
                completed.append(ref)
                continue
            found = {key: document.identifiers.get(key) for key in CITATION_DETAILS[1:]}
            completed.append({"authors": list(document.authors), **found, **ref})  # stored wins
        return completed

    def diff(self, article: Article, old: int, new: int, audience: Audience) -> list[str]:
        """A unified diff of two versions as text, line by line (the reviewer's view)."""
        before = self.articles.version(article.id, old)
        after = self.articles.version(article.id, new)
        if before is None or after is None:
            raise WorkflowError("no such version", "not_found", 404)
        return list(
            difflib.unified_diff(
                answer_lines(before.answers[audience.value]),
                answer_lines(after.answers[audience.value]),
                f"version {old}",
                f"version {new}",
                lineterm="",
            )
        )

    def search(self, query: str, limit: int = 10) -> list[Article]:
        return self.articles.search(tokens(query[:1000]), limit)

    def evidence_search(self, query: str, limit: int = 10) -> list[dict[str, Any]]:
        """Passages of the corpus for ``query``, as the search JSON (README) gives them."""
        with self._answer_lock:
            hits = self.engine.retriever.search(query, k=limit).hits
        return [hit.to_dict() for hit in hits]

    def _written(self, answer: Answer) -> Answer:
        """The configured writer's answer: the LLM writer's (every sentence verified, the
        extractive answer on any failure) when ``llm.base_url`` and ``llm.model`` are set."""
        llm = self.settings.llm
        if not (llm.base_url and llm.model):
            return answer
        from medcite.writer import write

        return write(answer, self.settings, self.engine.embedder)

    def article(self, article_id: int) -> Article:
        article = self.articles.get(article_id)
        if article is None:
            raise WorkflowError(f"no article {article_id}", "not_found", 404)
        return article


def _storable(text: str | None) -> None:
    """Refuse a NUL character in a comment or reason: PostgreSQL cannot store one in text."""
    if text and "\x00" in text:
        raise InputError(
            "The text contains a NUL character (U+0000); please remove it.", "control_characters"
        )


def _shown_version(article: Article, user: User | None) -> int:
    return article.latest_version if user is not None else article.public_version


def _publishable(answer: dict[str, Any]) -> bool:
    """Declined, emergency and no-evidence answers are shown once, never published."""
    safety = answer["safety"]
    verdict = answer["bottom_line"]["verdict"]
    return not (safety["emergency"] or safety["out_of_scope"] or verdict == "insufficient_evidence")


def answer_lines(answer: dict[str, Any]) -> list[str]:
    """An Answer record as plain lines (for diffs): bottom line, sections, references."""
    bottom = answer["bottom_line"]
    lines = [
        f"Bottom line ({bottom['verdict'] or '-'}, {bottom['strength'] or '-'}): {bottom['text']}"
    ]
    for section in answer["sections"]:
        lines.append(f"## {section['heading']}")
        lines += [f"- {item['text']} {item['citations']}" for item in section["items"]]
    lines.append("## References")
    lines += [
        f"{r['n']}. {r['title']} ({r['year']}) {r['evidence_type']}" for r in answer["references"]
    ]
    return lines


def secret_key(settings: Settings) -> str:
    """The cookie-signing key: configured, else created once beside the index (mode 600)."""
    if settings.web.secret_key:
        return settings.web.secret_key
    path: Path = settings.store.path.parent / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # only the first process writes it
            handle.write(secrets.token_urlsafe(48))
        path.chmod(0o600)
    except FileExistsError:
        pass
    for _ in range(50):  # another worker may be writing it this very moment
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.02)
    raise InputError(f"the secret key file {path} is empty", "no_secret_key")
