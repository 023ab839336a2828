"""Server-rendered pages (no JavaScript needed). Anonymous article pages are cached per worker
by (article, revision, version, audience): a page is rendered once per change, and the CSRF
token — the only per-visitor part — is filled in on the way out."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from medcite.answer.model import Audience
from medcite.articles.model import Article, State, User
from medcite.articles.workflow import WorkflowError
from medcite.web import present
from medcite.web.security import (
    check_csrf,
    client_address,
    csrf_token,
    current_user,
    require_user,
    start_session,
)
from medcite.web.service import ArticleView, Site

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(present.GLOBALS)
templates.env.filters.update(present.FILTERS)
CSRF_SLOT = "__csrf_slot__"
AUDIENCE_COOKIE = "audience"
EXAMPLES = (
    "Can vitamin B12 deficiency cause leukopenia?",
    "Should adults take aspirin to prevent a first heart attack?",
    "How is iron deficiency anemia treated?",
    "What are the risk factors for osteoporosis?",
    "How is type 2 diabetes diagnosed?",
)


class PageCache:
    """A small LRU of rendered pages."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[Any, ...], str] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> str | None:
        page = self._pages.get(key)
        if page is not None:
            self._pages.move_to_end(key)
        return page

    def clear(self) -> None:
        self._pages.clear()

    def put(self, key: tuple[Any, ...], page: str) -> None:
        if self.size <= 0:
            return
        self._pages[key] = page
        if len(self._pages) > self.size:
            self._pages.popitem(last=False)


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", current_user(request))
    context["csrf"] = csrf_token(request)
    return templates.TemplateResponse(request, name, context, status_code=status)


def _audience(request: Request, wanted: str | None) -> Audience:
    for value in (wanted, request.cookies.get(AUDIENCE_COOKIE)):
        if value is not None and value in Audience.__members__.values():
            return Audience(value)
    return Audience.CLINICIAN


@router.get("/", response_class=HTMLResponse)
async def home(
    request: Request,
    q: Annotated[str | None, Query(max_length=1000)] = None,
    ask: Annotated[str | None, Query(max_length=1000)] = None,
) -> HTMLResponse:
    site = _site(request)
    found = site.search(q) if q and q.strip() else None
    recent = site.articles.recent(site.settings.web.recent_articles)
    return render(
        request, "home.html", examples=EXAMPLES, recent=recent, q=q, found=found, ask=ask or ""
    )


@router.post("/ask")
async def ask_form(
    request: Request,
    question: Annotated[str, Form(max_length=100_000)] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
    follow_up_of: Annotated[int | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token_)
    site = _site(request)
    client = client_address(request, site.settings.web.trust_forwarded_for)
    outcome = await run_in_threadpool(site.ask, question, client, follow_up_of)
    if outcome.article is not None:
        return RedirectResponse(f"/q/{outcome.article.slug}", status_code=303)
    return render(request, "transient.html", answer=outcome.answer, question=question)


@router.get("/q/{slug}", response_class=HTMLResponse)
async def article_page(
    request: Request,
    slug: str,
    audience: str | None = None,
    version: Annotated[int | None, Query(ge=1)] = None,
    sort: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    site = _site(request)
    chosen = _audience(request, audience)
    shown = Shown(chosen, version, present.reference_order(sort))
    user = current_user(request)
    response = (
        _cached_page(request, site, slug, shown)
        if user is None
        else _render_article(request, site, slug, shown, user)
    )
    if audience is not None and audience == chosen.value:
        response.set_cookie(
            AUDIENCE_COOKIE,
            chosen.value,
            max_age=365 * 86400,
            httponly=True,
            samesite="lax",
            secure=site.settings.web.secure_cookies,
        )
    return response


@dataclass(frozen=True)
class Shown:
    """What of an article a page shows: the audience, the version (None: the public one) and
    the order of its reference list."""

    audience: Audience
    version: int | None
    order: str


def _cached_page(request: Request, site: Site, slug: str, shown: Shown) -> Response:
    cache: PageCache = request.app.state.page_cache
    current = site.revision(slug)
    if current is None:
        raise WorkflowError(f"no article at /q/{slug}", "not_found", 404)
    key = (current[0], current[1], shown)
    page = cache.get(key)
    if page is None:
        view = _view(site, slug, shown, None)
        page = _article_html(request, view, None, CSRF_SLOT, shown.order)
        cache.put(key, page)
    return HTMLResponse(page.replace(CSRF_SLOT, csrf_token(request)))


def _render_article(request: Request, site: Site, slug: str, shown: Shown, user: User) -> Response:
    view = _view(site, slug, shown, user)
    return HTMLResponse(_article_html(request, view, user, csrf_token(request), shown.order))


def _view(site: Site, slug: str, shown: Shown, user: User | None) -> ArticleView:
    return site.view(_by_slug(site, slug), shown.audience, user, shown.version)


def _article_html(
    request: Request, view: ArticleView, user: User | None, csrf: str, order: str
) -> str:
    template = templates.get_template("article.html")
    return template.render(
        request=request,
        view=view,
        answer=view.answer,
        user=user,
        csrf=csrf,
        audiences=list(Audience),
        ref_order=order,
    )


@router.get("/q/{slug}/diff", response_class=HTMLResponse)
async def diff_page(
    request: Request,
    slug: str,
    old: Annotated[int, Query(ge=1)],
    new: Annotated[int, Query(ge=1)],
    audience: str | None = None,
) -> HTMLResponse:
    site = _site(request)
    article = _by_slug(site, slug)
    lines = site.diff(article, old, new, _audience(request, audience))
    return render(request, "diff.html", article=article, lines=lines, old=old, new=new)


@router.post("/q/{slug}/transition")
async def transition_form(
    request: Request,
    slug: str,
    to: Annotated[State, Form()],
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
    comment: Annotated[str, Form(max_length=4000)] = "",
    revision: Annotated[int | None, Form()] = None,
) -> Response:
    site, user, article = _review_form(request, slug, csrf_token_)
    # off the event loop: the write may wait on the article's row lock
    await run_in_threadpool(site.transition, article.id, to, user, comment or None, revision)
    return RedirectResponse(f"/q/{slug}", status_code=303)


@router.post("/q/{slug}/regenerate")
async def regenerate_form(
    request: Request,
    slug: str,
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    revision: Annotated[int | None, Form()] = None,
) -> Response:
    site, user, article = _review_form(request, slug, csrf_token_)
    await run_in_threadpool(site.regenerate, article.id, user, reason, revision)
    return RedirectResponse(f"/q/{slug}", status_code=303)


@router.get("/policy", response_class=HTMLResponse)
async def policy(request: Request) -> HTMLResponse:
    return render(request, "policy.html")


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/review") -> HTMLResponse:
    return render(request, "login.html", next=_safe_next(next), failed=False)


@router.post("/login")
async def login(
    request: Request,
    name: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
    next: Annotated[str, Form()] = "/review",
) -> Response:
    check_csrf(request, csrf_token_)
    site = _site(request)
    address = client_address(request, site.settings.web.trust_forwarded_for)
    try:
        user = await run_in_threadpool(site.log_in, name, password, address)
    except WorkflowError as refused:  # wrong password (401) or throttled (429)
        page = render(
            request, "login.html", status=refused.status, next=_safe_next(next), failed=refused
        )
        if refused.retry_after:
            page.headers["Retry-After"] = str(refused.retry_after)
        return page
    start_session(request, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
async def logout(
    request: Request, csrf_token_: Annotated[str, Form(alias="csrf_token")] = ""
) -> Response:
    check_csrf(request, csrf_token_)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/review", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return RedirectResponse("/login?next=/review", status_code=303)
    queue = _site(request).articles.queue()
    return render(request, "dashboard.html", queue=queue, states=list(State), user=user)


def _review_form(request: Request, slug: str, csrf: str) -> tuple[Site, User, Article]:
    """A review form's checks: its CSRF token, a signed-in account, the article."""
    check_csrf(request, csrf)
    site = _site(request)
    return site, require_user(request), _by_slug(site, slug)


def _by_slug(site: Site, slug: str) -> Article:
    article = site.articles.by_slug(slug)
    if article is None:
        raise WorkflowError(f"no article at /q/{slug}", "not_found", 404)
    return article


def _safe_next(target: str) -> str:
    """Only local paths: never redirect a login to another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/review"
