"""What follows every write to the index (``medcite ingest`` and ``medcite pull``): vectors for
the new passages, then the stored articles the change concerns — those citing a newly retracted
paper are flagged, those whose evidence changed are marked "new evidence since review"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from medcite.ingest.pipeline import IngestReport
from medcite.settings import Settings
from medcite.store.base import EvidenceStore

if TYPE_CHECKING:
    from medcite.articles.model import Article


@dataclass
class Aftermath:
    """What the follow-up steps of one ingest did."""

    cached: int = 0  # passage vectors taken from a vector cache
    embedded: int = 0  # passage vectors computed
    flagged: list[Article] = field(default_factory=list)  # cite a newly retracted paper
    marked: list[Article] = field(default_factory=list)  # new evidence since review


def finish_ingest(
    store: EvidenceStore,
    report: IngestReport,
    settings: Settings,
    *,
    embed: bool = True,
    progress: bool = True,
) -> Aftermath:
    """Embed what is missing, then flag and mark the articles the ingest concerns (none when no
    article database exists yet: a SQLite file beside the index is not created to be checked)."""
    from medcite.articles.commands import existing_articles

    done = Aftermath()
    if embed:
        from medcite.index.build import embed_missing
        from medcite.index.embeddings import get_embedder

        done.cached, done.embedded = embed_missing(
            store, get_embedder(settings.embedding), settings.embedding, progress=progress
        )
    if not (report.retractions or report.written.changed):
        return done
    with existing_articles(settings) as articles:
        if articles is None:
            return done
        if report.retractions:
            from medcite.articles.retractions import flag_retracted_sources

            done.flagged = flag_retracted_sources(articles, store)
        if report.written.changed:
            from medcite.articles.living import check_living
            from medcite.retrieve.hybrid import Retriever

            done.marked = check_living(
                articles, store, report.written, Retriever(store, settings), settings
            )
    return done


def summary(report: IngestReport, done: Aftermath, where: str) -> list[str]:
    """The lines a command prints after an ingest."""
    lines = [
        f"{report.files} file(s): {report.added} added, {report.replaced} replaced, "
        f"{report.unchanged} unchanged, {report.deleted} deleted, {len(report.problems)} "
        f"skipped; vectors: {done.cached} from cache, {done.embedded} embedded; index {where}"
    ]
    if report.older:
        lines.append(f"{report.older} label version(s) older than the one in the index left out")
    if report.notices:
        lines.append(
            f"notices: {report.notices} new ({report.retractions} retractions); "
            f"{len(done.flagged)} article(s) flagged for re-review"
        )
    lines += [f"flagged: /q/{a.slug}: {a.notice}" for a in done.flagged]
    if done.marked:
        lines.append(f"{len(done.marked)} article(s) marked: new evidence since review")
    lines += [f"new evidence: /q/{a.slug}: {a.evidence_changed}" for a in done.marked]
    return lines
