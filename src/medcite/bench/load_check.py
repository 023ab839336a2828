"""After the load run (:mod:`medcite.bench.load`): were any writes lost?

Every article the clients saw is read through the API of every server and must read the same on
all; its audit log is read from the database. A write the clients saw succeed must stand in the
audit log exactly once (found by the run's token in its comment), as the action it was; the
article's final state must be the one its last acknowledged write left, unless a later write
shows in the log; each log entry must start from the state the one before it ended in (two
writers acting on one state would break that chain); a write answered 409 must have left no
entry. Lost writes and inconsistencies are counted apart: the first mean data the clients were
told was saved is not there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from medcite.articles.database import make_engine
from medcite.articles.model import AuditEntry
from medcite.articles.store import ArticleStore
from medcite.bench.load_traffic import Known, Traffic, Write

Figures = dict[str, Any]
EXAMPLES = 20
COMPARED = ("state", "revision", "latest_version", "approved_version", "approved_by")


@dataclass
class Findings:
    """Counts by name, apart: lost writes and inconsistencies; a few examples of each."""

    lost: Counter[str] = field(default_factory=Counter)
    odd: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)  # neither lost nor inconsistent
    examples: list[str] = field(default_factory=list)

    def lost_write(self, what: str, detail: str) -> None:
        self._add(self.lost, what, detail)

    def inconsistent(self, what: str, detail: str) -> None:
        self._add(self.odd, what, detail)

    def note(self, what: str, detail: str) -> None:
        self._add(self.notes, what, detail)

    def _add(self, counter: Counter[str], what: str, detail: str) -> None:
        counter[what] += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(f"{what}: {detail}")


def verify(traffic: Traffic, url: str) -> Figures:
    found = Findings()
    finals = _finals(traffic, found)
    logs = _audit(url, sorted(traffic.articles))
    by_token: dict[str, list[AuditEntry]] = {}
    for entries in logs.values():
        for entry in entries:
            token = (entry.comment or "").partition(":")[0]
            if token.startswith(traffic.token_prefix):
                by_token.setdefault(token, []).append(entry)
    for write in traffic.writes:
        _check_logged(write, by_token.get(write.token, []), found)
        if write.article["revision"] != write.sent_revision + 1:
            answered = write.article["revision"]
            found.note(  # another write landed before the response read the article
                "response_shows_a_later_write",
                f"{write.token} sent revision {write.sent_revision}, answered {answered}",
            )
    acknowledged = {w.token for w in traffic.writes}
    for token in by_token:
        if token in traffic.refused:
            found.inconsistent("conflict_written", f"{token} was answered 409 but is logged")
        elif token not in acknowledged:
            found.inconsistent("unacknowledged_write", f"{token} failed but was saved")
    for known in traffic.articles.values():
        entries = logs.get(known.id, [])
        _check_chain(known, entries, found)
        final = finals.get(known.id)
        if final is None:
            continue
        _check_final(known, final, [w for w in traffic.writes if w.article_id == known.id], found)
        if known.created and final["revision"] != len(entries):
            found.inconsistent(
                "revision_not_audited",
                f"article {known.id} at revision {final['revision']}, {len(entries)} entries",
            )
        if final["versions"] != list(range(1, final["latest_version"] + 1)):
            found.inconsistent("version_gap", f"article {known.id}: {final['versions']}")
    for detail in traffic.other_article:
        found.inconsistent("repeat_ask_other_article", detail)
    return {
        "checked": {
            "articles": len(finals),
            "servers": len(traffic.bases),
            "audit_entries": sum(len(e) for e in logs.values()),
            "writes": len(traffic.writes),
            "questions": len(traffic.answered),
        },
        "writes_acknowledged": len(traffic.writes),
        "lost_writes": sum(found.lost.values()),
        "lost": dict(sorted(found.lost.items())),
        "inconsistencies": sum(found.odd.values()),
        "inconsistent": dict(sorted(found.odd.items())),
        "notes": dict(sorted(found.notes.items())),
        "examples": found.examples,
    }


def _finals(traffic: Traffic, found: Findings) -> dict[int, Figures]:
    """Each article as every server's API gives it now (the first server's when they agree)."""
    finals: dict[int, Figures] = {}
    with httpx.Client(timeout=traffic.timeout_s) as http:
        for article_id in sorted(traffic.articles):
            bodies = []
            for base in traffic.bases:
                response = http.get(f"{base}/api/articles/{article_id}")
                if response.status_code != 200:
                    found.lost_write(
                        "missing_article", f"{article_id} on {base}: {response.status_code}"
                    )
                    break
                bodies.append(response.json())
            else:
                if any(body != bodies[0] for body in bodies[1:]):
                    found.inconsistent("servers_disagree", f"article {article_id}")
                finals[article_id] = bodies[0]
    return finals


def _audit(url: str, article_ids: list[int]) -> dict[int, list[AuditEntry]]:
    engine = make_engine(url, pool_size=1)
    try:
        store = ArticleStore(engine)
        return {article_id: store.audit(article_id) for article_id in article_ids}
    finally:
        engine.dispose()


def _check_logged(write: Write, entries: list[AuditEntry], found: Findings) -> None:
    if not entries:
        found.lost_write("missing_from_audit", f"{write.token} ({write.kind} {write.article_id})")
    elif len(entries) > 1:
        found.lost_write("duplicated_in_audit", f"{write.token} logged {len(entries)} times")
    else:
        entry = entries[0]
        logged = (entry.article_id, entry.actor, entry.to_state.value)
        if logged != (write.article_id, write.actor, write.to_state):
            found.lost_write("audit_differs", f"{write.token}: logged {logged}")


def _check_chain(known: Known, entries: list[AuditEntry], found: Findings) -> None:
    """The log of an article starts at its creation and each entry leaves from where the one
    before it arrived."""
    before = None
    for entry in entries:
        if entry.from_state != before:
            found.lost_write(
                "audit_chain_break",
                f"article {known.id}: {before}, then {entry.from_state} -> {entry.to_state}",
            )
        before = entry.to_state


def _check_final(known: Known, final: Figures, writes: list[Write], found: Findings) -> None:
    """The article as its last acknowledged write left it (or later, if the log says so)."""
    if not writes:
        return
    last = max(writes, key=lambda w: w.sent_revision)
    own = last.sent_revision + 1
    now = {k: final[k] for k in COMPARED}
    if final["revision"] > own:
        found.inconsistent(
            "written_after_last_acknowledged", f"article {known.id}: {now}, last acknowledged {own}"
        )
    elif final["revision"] < own or final["state"] != last.to_state:
        found.lost_write(
            "final_state_behind", f"article {known.id}: {now}, last {last.to_state} at {own}"
        )
    elif last.article["revision"] == own:
        seen = {k: last.article[k] for k in COMPARED}
        if seen != now:
            found.lost_write("final_state_behind", f"article {known.id}: {now}, saw {seen}")
