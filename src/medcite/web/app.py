"""The FastAPI application: pages, the JSON API, sessions, security headers and one error
policy — every failure is a clear page or a JSON error object, never a traceback."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from medcite.articles.workflow import WorkflowError
from medcite.errors import InputError, MedCiteError
from medcite.settings import Settings, load_settings
from medcite.web import api, pages
from medcite.web.security import SecurityHeaders
from medcite.web.service import Site, secret_key

log = logging.getLogger("medcite.web")
HERE = Path(__file__).resolve().parent
INPUT_STATUS = {
    "rate_limited": 429,
    "unknown_answer": 404,
    "unsupported_media_type": 415,
    "no_index": 503,
}
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def create_app(settings: Settings | None = None, warm: bool = False) -> FastAPI:
    """The app for one worker process. ``warm`` loads the answer engine before serving."""
    settings = settings or load_settings()
    site = Site(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warm:  # one real answer loads the model, the vectors and textstat's dictionary
            await run_in_threadpool(site.warm_up)
        yield

    app = FastAPI(
        title="MedCite",
        summary="Evidence-cited answers to clinical questions.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.site = site
    app.state.page_cache = pages.PageCache(settings.web.page_cache)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(settings),
        session_cookie="medcite_session",
        max_age=settings.web.session_max_age_s,
        same_site="lax",
        https_only=settings.web.secure_cookies,
    )
    app.add_middleware(SecurityHeaders)
    swagger = _swagger_assets()
    if swagger is not None:  # mounted before /static, which would shadow it
        app.mount("/static/swagger", StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _error_handlers(app)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse((HERE / "templates" / "docs.html").read_text(encoding="utf-8"))

    return app


def serve_app() -> FastAPI:
    """uvicorn's factory for ``medcite serve`` (settings from the environment)."""
    return create_app(warm=True)


def _swagger_assets() -> Path | None:
    """Swagger UI's files from the fastapi-offline package: /docs works with no network."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "static"


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WorkflowError)
    async def workflow_error(request: Request, exc: WorkflowError) -> Response:
        response = _error(request, exc.status, exc.code, str(exc))
        if exc.retry_after:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return _error(request, INPUT_STATUS.get(exc.code, 400), exc.code, str(exc))

    @app.exception_handler(MedCiteError)
    async def medcite_error(request: Request, exc: MedCiteError) -> Response:
        log.error("request failed: %s", exc)
        return _error(request, 503, "unavailable", "MedCite cannot answer right now.")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
        return _error(request, 422, "invalid_request", message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return _error(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _error(request, 500, "internal_error", "Something went wrong on our side.")


TITLES = {
    400: "That question cannot be answered",
    401: "Please log in",
    403: "Not allowed",
    404: "Page not found",
    409: "The article changed",
    415: "Unsupported request",
    422: "Please check what you entered",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Not available right now",
}


def _error(request: Request, status: int, code: str, message: str) -> Response:
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return pages.render(
        request,
        "error.html",
        status=status,
        title=TITLES.get(status, "Something went wrong"),
        message=message,
    )
