"""``medcite articles``: the article database from the command line (what reviewers' pages
show, for scripts), and the checks ``medcite ingest`` runs on it after an ingest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from medcite.articles.store import ArticleStore
    from medcite.settings import Settings

articles_app = typer.Typer(no_args_is_help=True, help="Stored articles and their review.")


@contextmanager
def existing_articles(settings: Settings) -> Iterator[ArticleStore | None]:
    """The article store, or None when no article database exists yet: a SQLite file beside
    the index is not created just to be checked."""
    from medcite.articles.database import database_url, make_engine, upgrade
    from medcite.articles.store import ArticleStore

    url = database_url(settings)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        yield None
        return
    engine = make_engine(url, settings.store.busy_timeout_ms, settings.store.pool_size)
    try:
        upgrade(engine)
        yield ArticleStore(engine)
    finally:
        engine.dispose()


@articles_app.command("stale")
def stale(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Articles marked "new evidence since review": a cited document replaced or gone, or a
    new document among the question's leading evidence (regenerate to clear)."""
    from medcite.cli_state import STATE

    with existing_articles(STATE.settings) as store:
        marked = [] if store is None else store.evidence_changed()
    rows = [
        {
            "slug": a.slug,
            "url": f"/q/{a.slug}",
            "question": a.question,
            "state": a.state.value,
            "changed": a.evidence_changed,
            "marked_at": a.evidence_changed_at,
        }
        for a in marked
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no article has new evidence since review")
    for row in rows:
        typer.echo(
            f"{row['url']}\t{row['state']}\t{row['marked_at']}\t{row['question']}\n"
            f"    {row['changed']}"
        )
