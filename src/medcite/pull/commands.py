"""``medcite pull SOURCE …``: fetch a real source, verify it, ingest it, resumably; then embed
the new passages and check the stored articles, as ``medcite ingest`` does."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from medcite.pull.base import Source

pull_app = typer.Typer(
    no_args_is_help=True,
    help="Fetch a real source (PubMed, drug labels, MedlinePlus) into the index; a rerun "
    "fetches only what is new, and a killed pull resumes where it stopped.",
)

Embed = Annotated[bool, typer.Option(help="Embed new passages for dense search.")]
Keep = Annotated[bool, typer.Option("--keep-files", help="Keep the downloaded files.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q")]
Max = Annotated[int | None, typer.Option("--max", min=1, help="Fetch at most N records.")]


@pull_app.command("pubmed")
def pubmed(
    query: Annotated[str, typer.Option(help="PubMed query, as typed on pubmed.gov.")],
    max_records: Max = None,
    since: Annotated[
        str | None, typer.Option(help="Only records added to PubMed on or after YYYY-MM-DD.")
    ] = None,
    embed: Embed = True,
    keep_files: Keep = False,
    quiet: Quiet = False,
) -> None:
    """PubMed records matching a query, through NCBI E-utilities (ESearch with the history
    server, EFetch in batches). Set MEDCITE_NCBI_API_KEY for 10 requests/s instead of 3."""
    from medcite.cli_state import STATE
    from medcite.pull.pubmed import PubMedSearch

    source = PubMedSearch(
        STATE.settings.pull, query, max_records=max_records, since=_date(since, "--since")
    )
    _pull(source, embed=embed, keep_files=keep_files, quiet=quiet)


@pull_app.command("pubmed-baseline")
def pubmed_baseline(
    files: Annotated[str | None, typer.Option(help="Only these file numbers, e.g. 1-3,7.")] = None,
    embed: Embed = True,
    keep_files: Keep = False,
    quiet: Quiet = False,
) -> None:
    """NLM's annual PubMed baseline files, each checked against its published MD5."""
    _files("pubmed-baseline", files, embed=embed, keep_files=keep_files, quiet=quiet)


@pull_app.command("pubmed-updates")
def pubmed_updates(
    files: Annotated[
        str | None, typer.Option(help="Only these file numbers, e.g. 1335-1340.")
    ] = None,
    embed: Embed = True,
    keep_files: Keep = False,
    quiet: Quiet = False,
) -> None:
    """NLM's daily PubMed update files (DeleteCitation removes the documents it names)."""
    _files("pubmed-updates", files, embed=embed, keep_files=keep_files, quiet=quiet)


@pull_app.command("openfda-labels")
def openfda_labels(
    search: Annotated[
        str, typer.Option(help='openFDA search, e.g. openfda.generic_name:"atorvastatin".')
    ],
    max_labels: Max = None,
    embed: Embed = True,
    keep_files: Keep = False,
    quiet: Quiet = False,
) -> None:
    """Drug labels from openFDA's drug-label API, one document per label."""
    from medcite.cli_state import STATE
    from medcite.pull.labels import OpenFDALabels

    source = OpenFDALabels(STATE.settings.pull, search, max_labels)
    _pull(source, embed=embed, keep_files=keep_files, quiet=quiet)


@pull_app.command("dailymed")
def dailymed(
    drug: Annotated[str, typer.Option(help="Drug name as DailyMed lists it (brand or generic).")],
    max_labels: Max = None,
    embed: Embed = True,
    keep_files: Keep = False,
    quiet: Quiet = False,
) -> None:
    """Drug labels (SPL XML) from DailyMed's web services; new versions replace old ones."""
    from medcite.cli_state import STATE
    from medcite.pull.labels import DailyMedLabels

    source = DailyMedLabels(STATE.settings.pull, drug, max_labels)
    _pull(source, embed=embed, keep_files=keep_files, quiet=quiet)


@pull_app.command("medlineplus")
def medlineplus(embed: Embed = True, keep_files: Keep = False, quiet: Quiet = False) -> None:
    """MedlinePlus health topics (the newest XML file NLM publishes)."""
    from medcite.cli_state import STATE
    from medcite.pull.medlineplus import MedlinePlusTopics

    _pull(MedlinePlusTopics(STATE.settings.pull), embed=embed, keep_files=keep_files, quiet=quiet)


def _files(name: str, files: str | None, *, embed: bool, keep_files: bool, quiet: bool) -> None:
    from medcite.cli_state import STATE
    from medcite.pull.pubmed_files import PubMedFiles

    source = PubMedFiles(STATE.settings.pull, name, files)
    _pull(source, embed=embed, keep_files=keep_files, quiet=quiet)


def _pull(source: Source, *, embed: bool, keep_files: bool, quiet: bool) -> None:
    """Run the pull, then (even when a unit failed: what was applied stays) the steps after an
    ingest, and print what happened."""
    from medcite.cli_state import STATE
    from medcite.ingest.finish import finish_ingest, summary
    from medcite.pull.base import PullReport, run_pull
    from medcite.pull.http import Fetcher
    from medcite.store import connect, where

    settings = STATE.settings
    report = PullReport(source.name)
    if not quiet:
        typer.echo(f"pulling {source.name} into {where(settings.store)}", err=True)
    with connect(settings.store) as store, Fetcher(settings.pull, source.rate) as fetcher:
        try:
            run_pull(
                source, store, settings, fetcher, report, progress=not quiet, keep_files=keep_files
            )
        finally:
            for problem in report.ingest.problems:
                typer.echo(f"skipped: {problem}", err=True)
            if report.applied:
                done = finish_ingest(
                    store, report.ingest, settings, embed=embed, progress=not quiet
                )
                for line in summary(report.ingest, done, where(settings.store)):
                    typer.echo(line)
    typer.echo(
        f"{source.name}: {report.applied} of {report.planned} new unit(s) applied in "
        f"{report.seconds:.1f} s ({report.requests} requests; {report.documents_per_s:.1f} "
        f"documents/s, {report.passages_per_s:.1f} passages/s)"
    )


def _date(value: str | None, option: str) -> date | None:
    from medcite.errors import InputError

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None
