"""The JSON API under /api. Errors are JSON objects with stable codes (see app.py)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from medcite.answer.citations_export import CiteFormat, EntryKind, export_references
from medcite.answer.model import Audience
from medcite.articles.model import Article, User
from medcite.errors import InputError
from medcite.web.schemas import (
    ArticleBrief,
    ArticleOut,
    AskRequest,
    AskResponse,
    ErrorOut,
    RegenerateRequest,
    SearchResponse,
    SessionOut,
    TransitionRequest,
)
from medcite.web.security import (
    check_csrf,
    client_address,
    csrf_token,
    current_user,
    require_user,
)
from medcite.web.service import Site

router = APIRouter(prefix="/api", tags=["api"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 415, 422, 429)
}


_CSL_ITEM = {
    "type": "object",
    "required": ["id", "type", "title"],
    "properties": {
        "id": {"type": "string"},
        "type": {"type": "string", "enum": [k.csl_type for k in EntryKind]},
        "title": {"type": "string"},
        "author": {"type": "array", "items": {"type": "object"}},
        "container-title": {"type": "string"},
        "publisher": {"type": "string"},
        "issued": {"type": "object"},
        "PMID": {"type": "string"},
        "DOI": {"type": "string"},
        "URL": {"type": "string"},
    },
}
_REFERENCE_FILES: dict[str, Any] = {
    "description": "The citation file, as an attachment named medcite-<slug>.<ris|bib|json>.",
    "content": {
        CiteFormat.RIS.media_type: {"schema": {"type": "string"}},
        CiteFormat.BIBTEX.media_type: {"schema": {"type": "string"}},
        CiteFormat.CSL_JSON.media_type: {"schema": {"type": "array", "items": _CSL_ITEM}},
    },
}


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _require_json(request: Request) -> None:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise InputError("send the body as application/json", "unsupported_media_type")


@router.post(
    "/ask",
    response_model=AskResponse,
    responses={**ERRORS, 201: {"model": AskResponse, "description": "A new article"}},
    status_code=200,
)
async def ask(body: AskRequest, request: Request, response: Response) -> dict[str, Any]:
    """Ask a question: returns its article (an existing one for the same question, else a new
    one in state submitted), or the answer alone when it is never published."""
    _require_json(request)
    site = _site(request)
    client = client_address(request, site.settings.web.trust_forwarded_for)
    outcome = await run_in_threadpool(site.ask, body.question, client, body.follow_up_of)
    article = None
    if outcome.article is not None:
        article = site.view(outcome.article, body.audience, current_user(request)).to_json()
    if outcome.created:
        response.status_code = 201
    return {"created": outcome.created, "article": article, "answer": outcome.answer}


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=ERRORS)
async def article(
    article_id: int,
    request: Request,
    version: Annotated[int | None, Query(ge=1)] = None,
    audience: Audience = Audience.CLINICIAN,
) -> dict[str, Any]:
    """One article (the approved version by default, else the latest) for one audience."""
    site = _site(request)
    found = site.article(article_id)
    return site.view(found, audience, current_user(request), version).to_json()


@router.get(
    "/articles/{article_id}/references",
    summary="Export an article's references (RIS, BibTeX, CSL-JSON)",
    response_class=Response,
    responses={**ERRORS, 200: _REFERENCE_FILES},
)
async def references(
    article_id: int,
    request: Request,
    fmt: Annotated[CiteFormat, Query(alias="format", description="ris, bibtex or csl-json.")],
    version: Annotated[int | None, Query(ge=1)] = None,
    audience: Audience = Audience.CLINICIAN,
) -> Response:
    """The references of an article (the version and audience as ``GET /api/articles/{id}``
    chooses them) as a citation file to download: RIS, BibTeX or CSL-JSON."""
    site = _site(request)
    user = current_user(request)
    found = await run_in_threadpool(site.article, article_id)
    refs = await run_in_threadpool(site.references, found, audience, user, version)
    charset = "" if fmt is CiteFormat.CSL_JSON else "; charset=utf-8"  # JSON is UTF-8 (RFC 8259)
    return Response(
        export_references(refs, fmt),
        media_type=fmt.media_type + charset,
        headers={
            "Content-Disposition": f'attachment; filename="medcite-{found.slug}.{fmt.extension}"'
        },
    )


@router.get("/search", response_model=SearchResponse, responses=ERRORS)
async def search(
    request: Request, q: Annotated[str, Query(min_length=1, max_length=1000)]
) -> dict[str, Any]:
    """Existing articles whose question shares words with ``q``, and the corpus passages for it."""
    site = _site(request)
    if not q.strip():
        raise InputError("Please type a search; the text was empty.", "empty_query")
    articles = [_brief(a) for a in site.search(q)]
    passages = await run_in_threadpool(site.evidence_search, q)
    return {"query": q, "articles": articles, "passages": passages}


@router.post("/articles/{article_id}/transitions", response_model=ArticleOut, responses=ERRORS)
async def transition(article_id: int, body: TransitionRequest, request: Request) -> dict[str, Any]:
    """Move an article through the review workflow (reviewer or admin)."""
    _require_json(request)
    site = _site(request)
    user = await run_in_threadpool(_api_user, request)
    changed = await run_in_threadpool(
        site.transition, article_id, body.to, user, body.comment, body.revision
    )
    return site.view(changed, Audience.CLINICIAN, user).to_json()


@router.post("/articles/{article_id}/regenerate", response_model=ArticleOut, responses=ERRORS)
async def regenerate(article_id: int, body: RegenerateRequest, request: Request) -> dict[str, Any]:
    """Answer the article's question again as a new version, back to under review (editor)."""
    _require_json(request)
    site = _site(request)
    user = await run_in_threadpool(_api_user, request)
    changed = await run_in_threadpool(site.regenerate, article_id, user, body.reason, body.revision)
    return site.view(changed, Audience.CLINICIAN, user).to_json()


@router.get("/session", response_model=SessionOut)
async def session(request: Request) -> dict[str, Any]:
    """Who is signed in, and the CSRF token for cookie-authenticated API writes."""
    user = current_user(request)
    return {
        "user": user and user.name,
        "role": user and user.role.value,
        "csrf_token": csrf_token(request),
    }


def _api_user(request: Request) -> User:
    """HTTP Basic credentials, or the session cookie plus its X-CSRF-Token header. Called in
    the thread pool: checking a password costs Argon2id's ~50-250 ms of CPU (and 64 MiB), which
    on the event loop would hold up every other request of the worker."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            name, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            name, password = "", ""
        site = _site(request)
        return site.log_in(
            name, password, client_address(request, site.settings.web.trust_forwarded_for)
        )
    user = require_user(request)
    check_csrf(request, request.headers.get("x-csrf-token"))
    return user


def _brief(a: Article) -> dict[str, Any]:
    return ArticleBrief(
        id=a.id,
        slug=a.slug,
        url=f"/q/{a.slug}",
        question=a.question,
        state=a.state,
        updated_at=a.updated_at,
    ).model_dump()
