"""``medcite serve``, ``medcite users …`` and the demo's seeding: the web product's commands.
Registered on the main CLI in :mod:`medcite.cli`."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from medcite.articles.model import Role
from medcite.settings import Settings

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the medical advisory board.")


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


@users_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, - and _).")],
    role: Annotated[Role, typer.Option(help="reader, reviewer, editor or admin.")] = Role.REVIEWER,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account; the password is asked without echo (or read from stdin)."""
    from medcite.articles.accounts import add_user as create
    from medcite.web.service import Site

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = create(Site(_settings()).articles, name, password, role)
    typer.echo(f"added {user.name} ({user.role.value})")


@users_app.command("list")
def list_users() -> None:
    """Accounts with their roles."""
    from medcite.web.service import Site

    for user in Site(_settings()).articles.users():
        typer.echo(f"{user.name}\t{user.role.value}\t{'active' if user.active else 'disabled'}")
