"""``medcite serve``, ``medcite users …`` and the demo's seeding: the web product's commands.
Registered on the main CLI in :mod:`medcite.cli`."""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Annotated

import typer

from medcite.articles.model import Role
from medcite.settings import Settings

if TYPE_CHECKING:
    from medcite.web.service import Site

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the medical advisory board.")


def _site() -> Site:
    from medcite.web.service import Site

    return Site(_settings())


def _settings() -> Settings:
    from medcite.cli_state import STATE

    return STATE.settings


def serve(
    host: Annotated[str | None, typer.Option(help="Address (default: web.host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: web.port).")] = None,
    workers: Annotated[int | None, typer.Option(help="Processes (default: web.workers).")] = None,
) -> None:
    """Serve the web app and JSON API (uvicorn; Ctrl+C stops)."""
    import uvicorn

    from medcite.web.service import Site, secret_key

    settings = _settings()
    host = host or settings.web.host
    port = settings.web.port if port is None else port
    Site(settings)  # migrate the article database once, before the workers start
    secret_key(settings)
    os.environ["MEDCITE_STORE__PATH"] = str(settings.store.path)  # the workers read settings anew
    if settings.store.database_url:
        os.environ["MEDCITE_STORE__DATABASE_URL"] = settings.store.database_url
    typer.echo(f"MedCite is starting at http://{host}:{port}/ (API docs at /docs; Ctrl+C stops)")
    uvicorn.run(
        "medcite.web.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers or settings.web.workers,
        log_level="info",
        access_log=False,  # ~8 % of a cached page's cost; put a proxy in front for access logs
        server_header=False,
    )


def seed(questions: list[str]) -> list[str]:
    """Ask ``questions`` through the site (skipping ones already asked); their page paths."""
    from medcite.web.service import Site

    site = Site(_settings())
    paths = []
    for question in questions:
        outcome = site.ask(question, client="seed")
        if outcome.article is not None:
            paths.append(f"/q/{outcome.article.slug}")
    return paths


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


_PASSWORD_STDIN = typer.Option("--password-stdin", help="Read the password from standard input.")


@users_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, - and _).")],
    role: Annotated[Role, typer.Option(help="reader, reviewer, editor or admin.")] = Role.REVIEWER,
    password_stdin: Annotated[bool, _PASSWORD_STDIN] = False,
) -> None:
    """Create an account; the password is asked without echo (or read from stdin)."""
    from medcite.articles.accounts import add_user as create

    user = create(_site().articles, name, _password(password_stdin), role)
    typer.echo(f"added {user.name} ({user.role.value})")


@users_app.command("list")
def list_users() -> None:
    """Accounts with their roles, whether they are active, and any login wait."""
    site = _site()
    now = int(time.time())
    for user in site.articles.users():
        state = "active" if user.active else "disabled"
        wait = site.logins.account_wait(user.name, now)
        locked = f"\tlogin blocked for {wait} s" if wait > 0 else ""
        typer.echo(f"{user.name}\t{user.role.value}\t{state}{locked}")


@users_app.command("disable")
def disable_user(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Disable an account: it cannot log in, and its open sessions end at once."""
    from medcite.articles.accounts import set_active

    user = set_active(_site().articles, name, False)
    typer.echo(f"disabled {user.name}; its sessions have ended")


@users_app.command("enable")
def enable_user(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Enable a disabled account again."""
    from medcite.articles.accounts import set_active

    user = set_active(_site().articles, name, True)
    typer.echo(f"enabled {user.name}")


@users_app.command("set-password")
def set_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[bool, _PASSWORD_STDIN] = False,
) -> None:
    """Give an account a new password (the password policy applies); its sessions end."""
    from medcite.articles.accounts import set_password as change

    user = change(_site().articles, name, _password(password_stdin))
    typer.echo(f"new password for {user.name}; its sessions have ended")


@users_app.command("set-role")
def set_role(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[Role, typer.Argument(help="reader, reviewer, editor or admin.")],
) -> None:
    """Change an account's role (it applies from the account's next request)."""
    from medcite.articles.accounts import set_role as change

    user = change(_site().articles, name, role)
    typer.echo(f"{user.name} is now {user.role.value}")


@users_app.command("unlock")
def unlock_user(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Clear an account name's failed-login count and lock (its addresses keep theirs)."""
    _site().logins.unlock(name)
    typer.echo(f"cleared the failed logins of {name}")


@users_app.command("log")
def account_log(
    name: Annotated[str | None, typer.Argument(help="Only this account name.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Newest entries shown.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """The account event log: failed and refused logins, locks, account changes."""
    import json
    from dataclasses import asdict

    from medcite.articles.logins import account_log as read

    for entry in read(_site().db, name, limit):
        if as_json:
            typer.echo(json.dumps(asdict(entry)))
        else:
            where = f" from {entry.address}" if entry.address else ""
            detail = f" ({entry.detail})" if entry.detail else ""
            typer.echo(
                f"{entry.at}  {entry.event.value:<14} {entry.account}{where}"
                f" by {entry.actor}{detail}"
            )
