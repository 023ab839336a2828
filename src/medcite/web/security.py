"""Request-level protections: security headers with a Content-Security-Policy (pure ASGI
middleware, cheap enough for every response), CSRF tokens kept in the signed session, the
client address for rate limiting, and the signed-in user."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medcite.articles.model import User
from medcite.articles.workflow import WorkflowError

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
DOCS_CSP = (  # Swagger UI (served from the swagger-ui-bundle package) sets inline styles
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (DOCS_CSP if scope["path"] == "/docs" else CSP).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [*_HEADERS, (b"content-security-policy", csp)]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use)."""
    session: dict[str, Any] = request.session
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    expected = request.session.get("csrf")
    if not (isinstance(expected, str) and sent and hmac.compare_digest(expected, sent)):
        raise WorkflowError(
            "the form expired or came from another site; reload the page and try again",
            "csrf_failed",
            403,
        )


def client_address(request: Request, trust_forwarded_for: bool) -> str:
    if trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.client.host if request.client else "unknown"


def current_user(request: Request) -> User | None:
    """The signed-in, still active account of this session, else None (also when the account's
    password changed or it was disabled since this session signed in)."""
    user_id = request.session.get("uid")
    if not isinstance(user_id, int):
        return None
    user = request.app.state.site.articles.user_by_id(user_id)
    if user is None or not user.active:
        return None
    # a password change or a disable moves the epoch on: sessions signed in before it end
    return user if request.session.get("epoch", 0) == user.session_epoch else None


def start_session(request: Request, user: User) -> None:
    """A fresh session (and CSRF token) for ``user``, bound to the account's session epoch."""
    request.session.clear()
    request.session["uid"] = user.id
    request.session["epoch"] = user.session_epoch


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise WorkflowError("log in as a reviewer to do this", "not_authenticated", 401)
    return user
