"""The load run end to end for a few seconds — two real ``medcite serve`` processes on the test
PostgreSQL (the demo corpus), mixed traffic from this process, then the lost-write check — and
the checks themselves on made-up audit logs, so a check that can never fail would show here. No
timing is asserted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from medcite.articles.model import AuditEntry, State
from medcite.bench.__main__ import SECTIONS
from medcite.bench.load import main
from medcite.bench.load_check import Findings, _check_chain, _check_final, _check_logged
from medcite.bench.load_traffic import KINDS, Known, Write
from medcite.store.postgres import PostgresStore

PER_KIND = {
    "requests",
    "requests_per_s",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "mean_ms",
    "errors",
    "conflicts",
    "statuses",
}


@pytest.mark.parametrize("demo_store", ["postgresql"], indirect=True)
def test_a_short_load_run_on_two_servers_loses_nothing(
    demo_store: PostgresStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "load.json"
    argv = ["--minutes", "0.1", "--servers", "2", "--clients", "4"]
    argv += ["--database-url", demo_store.url, "--folder", str(tmp_path / "load")]
    argv += ["--json", str(out), "--out", str(tmp_path / "bench")]
    assert main(argv) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures == json.loads((tmp_path / "bench" / "load.json").read_text(encoding="utf-8"))
    assert set(figures) >= {
        "config",
        "duration_s",
        "requests",
        "requests_per_s",
        "by_kind",
        "errors",
        "conflicts",
        "asks",
        "articles",
        "writes",
        "verification",
        "lost_writes",
    }
    assert figures["errors"] == 0, figures["error_examples"]
    check = figures["verification"]
    assert figures["lost_writes"] == check["lost_writes"] == 0, check["examples"]
    assert check["inconsistencies"] == 0, check["examples"]

    assert list(figures["by_kind"]) == list(KINDS)
    for kind, found in figures["by_kind"].items():
        assert set(found) == PER_KIND, kind
    assert figures["requests"] == sum(k["requests"] for k in figures["by_kind"].values()) > 0
    assert figures["duration_s"] >= 6 and figures["requests_per_s"] > 0
    assert figures["conflicts"] == sum(k["conflicts"] for k in figures["by_kind"].values())
    assert figures["writes"]["acknowledged"] == check["writes_acknowledged"]
    assert check["checked"]["articles"] == figures["articles"]["seen"] >= 1
    assert check["checked"]["servers"] == 2

    config = figures["config"]
    assert (config["servers"], config["clients"], config["minutes"]) == (2, 4, 0.1)
    assert len(config["server_urls"]) == 2
    for base in config["server_urls"]:  # stopped at the end
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{base}/api/session", timeout=2)
    printed = capsys.readouterr().out
    assert "lost writes (goal 0)" in printed and "p99 ms" in printed
    logs = sorted((tmp_path / "load").glob("server-*.log"))
    assert len(logs) == 2
    for log in logs:
        assert "Traceback" not in log.read_text(errors="replace"), log.name


def test_load_is_a_section_run_only_by_name() -> None:
    from medcite.bench.__main__ import DEFAULT_SECTIONS

    assert "load" in SECTIONS and "load" not in DEFAULT_SECTIONS


# -- the checks, on made-up logs ----------------------------------------------------------------

PREFIX = "load abc #"


def entry(frm: State | None, to: State, actor: str, comment: str | None = None) -> AuditEntry:
    return AuditEntry(7, 1, actor, "2026-01-01T00:00:00+00:00", frm, to, comment)


def write(token: str, to: str, sent: int, **article: Any) -> Write:
    shown = {"state": to, "revision": sent + 1, "latest_version": 1, "approved_version": None}
    shown |= {"approved_by": None, **article}
    return Write(token, "approve", 7, "alice", to, sent, shown)


KNOWN = Known(7, "q", 0, "submitted", 1, True)


def test_an_acknowledged_write_must_be_logged_exactly_once() -> None:
    done = write(f"{PREFIX}1", "under_review", 1)
    logged = entry(State.SUBMITTED, State.UNDER_REVIEW, "alice", f"{PREFIX}1")
    cases = [
        ([logged], {}),
        ([], {"missing_from_audit": 1}),
        ([logged, logged], {"duplicated_in_audit": 1}),
        ([entry(State.SUBMITTED, State.UNDER_REVIEW, "bob", f"{PREFIX}1")], {"audit_differs": 1}),
    ]
    for entries, lost in cases:
        found = Findings()
        _check_logged(done, entries, found)
        assert dict(found.lost) == lost


def test_two_writes_from_one_state_break_the_audit_chain() -> None:
    created = entry(None, State.SUBMITTED, "system")
    started = entry(State.SUBMITTED, State.UNDER_REVIEW, "alice")
    found = Findings()
    _check_chain(KNOWN, [created, started, entry(State.UNDER_REVIEW, State.APPROVED, "bob")], found)
    assert not found.lost
    _check_chain(KNOWN, [created, started, started], found)  # both left Submitted: one lost
    assert dict(found.lost) == {"audit_chain_break": 1}


def test_the_final_article_is_what_the_last_acknowledged_write_left() -> None:
    writes = [write("a", "under_review", 1), write("b", "approved", 2, approved_version=1)]
    final = {**writes[1].article}
    cases = [
        (final, {}, {}),
        ({**final, "revision": 2, "state": "under_review"}, {"final_state_behind": 1}, {}),
        ({**final, "approved_version": None}, {"final_state_behind": 1}, {}),
        ({**final, "revision": 4}, {}, {"written_after_last_acknowledged": 1}),
    ]
    for shown, lost, odd in cases:
        found = Findings()
        _check_final(KNOWN, shown, writes, found)
        assert (dict(found.lost), dict(found.odd)) == (lost, odd)
