"""``medcite pull`` against a real HTTP server on loopback that speaks each source's protocol
(:mod:`medcite.bench.source_server`) with real-format files: a pull end to end into both backends, a
kill mid-pull and the resume, a wrong MD5 refused, 429 then success, a malformed record
reported while the rest goes in, DeleteCitation removing a document and marking the article
that cited it, and the next pull fetching only what is new."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from medcite.articles.database import database_url, make_engine, upgrade
from medcite.articles.store import ArticleStore, NewArticle
from medcite.bench.source_server import (
    BASELINE,
    Article,
    SourceServer,
    pmid_of,
    pubmed_articles,
    pull_once,
    serving,
)
from medcite.errors import PullError
from medcite.ingest.finish import finish_ingest
from medcite.pull.base import PullReport, PullState, run_pull
from medcite.pull.http import Fetcher
from medcite.pull.pubmed import PubMedSearch
from medcite.pull.pubmed_files import PubMedFiles, parse_numbers
from medcite.settings import PullSettings
from medcite.store.postgres import PostgresStore
from medcite.store.sqlite import SQLiteStore, open_store

BASELINE_FILE = BASELINE / "pubmed26n1334.xml.gz"  # 30 articles of the real 2026 baseline
UPDATE_FILE = BASELINE / "pubmed26n1335.xml.gz"  # 30 articles and a DeleteCitation
ARTICLES = pubmed_articles(BASELINE_FILE)


@pytest.fixture()
def server() -> Iterator[SourceServer]:
    with serving(SourceServer(articles=[Article(xml) for xml in ARTICLES])) as running:
        yield running


def _ids(store: SQLiteStore | PostgresStore) -> set[str]:
    pmids = [pmid_of(a) for a in ARTICLES]
    return set(store.documents([f"pmid:{p}" for p in pmids]))


def test_pubmed_pull_end_to_end_then_only_what_is_new(
    server: SourceServer, store: SQLiteStore | PostgresStore, tmp_path: Path
) -> None:
    settings = server.settings_for(tmp_path, efetch_batch=8)
    source = PubMedSearch(settings.pull, "asthma[tiab]")
    report = pull_once(source, store, settings)
    assert (report.planned, report.applied) == (4, 4)  # 30 records in batches of 8
    assert report.ingest.added == 30 and not report.ingest.problems
    assert len(_ids(store)) == 30
    (search,) = server.asked("/eutils/esearch.fcgi")
    assert search["usehistory"] == "y" and search["term"] == "asthma[tiab]"
    assert (search["tool"], search["email"]) == ("medcite", "tests@example.org")
    fetches = server.asked("/eutils/efetch.fcgi")
    assert [(f["retstart"], f["retmax"]) for f in fetches] == [
        ("0", "8"),
        ("8", "8"),
        ("16", "8"),
        ("24", "6"),
    ]
    assert len({f["WebEnv"] for f in fetches}) == 1  # the one result set on the history server
    state = PullState.load(store, source.state_key)
    assert state.applied == [] and state.data["done_until"] == search["maxdate"]
    assert not [p for p in (tmp_path / "downloads").rglob("*") if p.is_file()]  # removed once in

    # The next pull searches from the day the last one ended: only a record added since.
    new = Article(pubmed_articles(UPDATE_FILE)[0], edat=search["maxdate"])
    server.articles.append(new)
    again = pull_once(PubMedSearch(settings.pull, "asthma[tiab]"), store, settings)
    assert server.asked("/eutils/esearch.fcgi")[-1]["mindate"] == search["maxdate"]
    assert (again.applied, again.ingest.added) == (1, 1)
    assert store.documents([f"pmid:{pmid_of(new.xml)}"])


def test_rate_limits_and_the_api_key(tmp_path: Path) -> None:
    without = PubMedSearch(PullSettings(), "x")
    with_key = PubMedSearch(PullSettings.model_validate({"ncbi_api_key": "k3y"}), "x")
    assert (without.rate, with_key.rate) == (3.0, 10.0)
    assert with_key._params()["api_key"] == "k3y" and "api_key" not in without._params()
    env = {"MEDCITE_NCBI_API_KEY": "s3cret"}
    from medcite.settings import load_settings

    assert load_settings(env=env).pull.ncbi_api_key.get_secret_value() == "s3cret"  # type: ignore[union-attr]


def test_requests_keep_to_the_rate(server: SourceServer) -> None:
    settings = PullSettings.model_validate(server.settings())
    stamps = []
    with Fetcher(settings, rate=10.0) as fetcher:
        for _ in range(4):
            fetcher.get(f"{server.url}/eutils/esearch.fcgi", {"term": "x"})
            stamps.append(time.monotonic())
    # 10 requests a second: the fourth response comes at least 3 intervals after the first
    # request went out, less the first response's own latency (a single gap between responses
    # shrinks when one response is slower than the next, as on a loaded machine)
    assert stamps[-1] - stamps[0] >= 0.25


def test_429_and_503_are_retried_then_succeed(server: SourceServer, tmp_path: Path) -> None:
    settings = server.settings_for(tmp_path, efetch_batch=10)
    server.fail("/eutils/efetch", [429, 503])
    lines: list[str] = []
    with open_store(tmp_path / "index.sqlite") as store:
        report = PullReport("pubmed")
        with Fetcher(settings.pull, 200.0, log=lines.append) as fetcher:
            run_pull(
                PubMedSearch(settings.pull, "q"), store, settings, fetcher, report, progress=False
            )
        assert report.ingest.added == 30
    assert [line.split(" from ")[0] for line in lines] == ["HTTP 429", "HTTP 503"]
    assert [f["retstart"] for f in server.asked("/eutils/efetch.fcgi")] == [
        "0",
        "0",
        "0",
        "10",
        "20",
    ]


def test_retries_give_up_with_a_clear_error(server: SourceServer, tmp_path: Path) -> None:
    settings = server.settings_for(tmp_path, retries=2)
    server.fail("/eutils/esearch", [503, 503, 503])
    with open_store(tmp_path / "index.sqlite") as store, pytest.raises(PullError, match="HTTP 503"):
        pull_once(PubMedSearch(settings.pull, "q"), store, settings)
    assert len(server.asked("/eutils/esearch.fcgi")) == 3


def test_an_expired_history_key_is_refused_and_a_rerun_searches_again(
    server: SourceServer, tmp_path: Path
) -> None:
    settings = server.settings_for(tmp_path, efetch_batch=10)
    server.hold(lambda path, query: path == "/eutils/efetch.fcgi" and query["retstart"] == "10")
    server.held.clear()
    # Let the first batch in, then make NCBI forget the WebEnv before the second is fetched.
    import threading

    def forget() -> None:
        server.held.wait(30)
        server.forget_history()
        server.release()

    threading.Thread(target=forget, daemon=True).start()
    with open_store(tmp_path / "index.sqlite") as store:
        with pytest.raises(PullError, match="Unable to obtain query"):
            pull_once(PubMedSearch(settings.pull, "q"), store, settings)
        assert len(_ids(store)) == 10
        report = pull_once(PubMedSearch(settings.pull, "q"), store, settings)
        assert (report.planned, report.ingest.added) == (2, 20)
        assert len(_ids(store)) == 30


def test_a_phrase_not_found_is_no_error(server: SourceServer, tmp_path: Path) -> None:
    settings = server.settings_for(tmp_path)
    with open_store(tmp_path / "index.sqlite") as store:
        report = pull_once(PubMedSearch(settings.pull, "nothing-matches-this"), store, settings)
    assert (report.planned, report.applied) == (0, 0)


def test_a_malformed_record_is_reported_with_its_file_and_position(
    server: SourceServer, tmp_path: Path
) -> None:
    # Made for this test: the 5th record loses its PMID (everything else is the real records).
    broken = ARTICLES[4].replace(b"<PMID", b"<NotPMID").replace(b"</PMID>", b"</NotPMID>", 1)
    server.articles[4] = Article(broken)
    settings = server.settings_for(tmp_path, efetch_batch=10)
    with open_store(tmp_path / "index.sqlite") as store:
        report = pull_once(PubMedSearch(settings.pull, "q"), store, settings)
        assert report.ingest.added == 29
    (problem,) = report.ingest.problems
    assert problem.path.endswith("efetch-000000000.xml") and problem.record == 5
    assert Path(problem.path).exists()  # a file with a bad record is kept to be looked at
    assert "no PMID" in problem.message


def test_a_killed_pull_resumes_with_nothing_lost_or_doubled(
    server: SourceServer, tmp_path: Path
) -> None:
    index = tmp_path / "index.sqlite"
    env = {**os.environ, **server.env(), "MEDCITE_PULL__EFETCH_BATCH": "8"}
    env["MEDCITE_PULL__DOWNLOAD_DIR"] = str(tmp_path / "downloads")
    command = [sys.executable, "-m", "medcite.cli", "--db", str(index), "pull", "pubmed"]
    command += ["--query", "asthma", "--no-embed", "--quiet"]
    server.hold(lambda path, query: path == "/eutils/efetch.fcgi" and query["retstart"] == "16")
    with subprocess.Popen(command, env=env, stderr=subprocess.PIPE) as first:
        assert server.held.wait(120), first.communicate()
        first.send_signal(signal.SIGKILL)  # killed while the third batch downloads
        first.wait(30)
    server.release()
    with open_store(index) as store:
        assert len(_ids(store)) == 16

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "2 of 2 new unit(s) applied" in again.stdout
    starts = [f["retstart"] for f in server.asked("/eutils/efetch.fcgi")]
    assert starts == ["0", "8", "16", "16", "24"]  # the applied batches were not fetched again
    with open_store(index) as store:
        assert len(_ids(store)) == 30
        assert store.stats().documents == 30  # nothing doubled
    assert not list((tmp_path / "downloads").rglob("*.part"))


# -- the baseline and update files -------------------------------------------------------------


def _serve_files(server: SourceServer, folder: str, *files: tuple[str, bytes]) -> None:
    for name, body in files:
        server.files[f"/pubmed/{folder}/{name}"] = body


def test_baseline_files_are_checked_applied_once_and_sliced(
    server: SourceServer, store: SQLiteStore | PostgresStore, tmp_path: Path
) -> None:
    settings = server.settings_for(tmp_path)
    _serve_files(
        server,
        "baseline",
        ("pubmed26n1333.xml.gz", UPDATE_FILE.read_bytes()),  # any real file will do as 1333
        ("pubmed26n1334.xml.gz", BASELINE_FILE.read_bytes()),
    )
    report = pull_once(PubMedFiles(settings.pull, "pubmed-baseline", "1334"), store, settings)
    assert (report.planned, report.applied, report.ingest.added) == (1, 1, 30)
    assert [p for p, _ in server.requests if "n1333" in p] == []  # not in the slice
    report = pull_once(PubMedFiles(settings.pull, "pubmed-baseline"), store, settings)
    assert report.planned == 1  # only 1333 is new
    assert [p for p, _ in server.requests if p.endswith(".md5")] == [
        "/pubmed/baseline/pubmed26n1334.xml.gz.md5",
        "/pubmed/baseline/pubmed26n1333.xml.gz.md5",
    ]
    assert pull_once(PubMedFiles(settings.pull, "pubmed-baseline"), store, settings).planned == 0
    assert PullState.load(store, "pubmed-baseline").applied == [
        "pubmed26n1333.xml.gz",
        "pubmed26n1334.xml.gz",
    ]


def test_a_wrong_md5_is_refused_and_nothing_of_the_file_applied(
    server: SourceServer, tmp_path: Path
) -> None:
    settings = server.settings_for(tmp_path)
    _serve_files(server, "baseline", ("pubmed26n1334.xml.gz", BASELINE_FILE.read_bytes()))
    server.md5["/pubmed/baseline/pubmed26n1334.xml.gz"] = "0" * 32
    with open_store(tmp_path / "index.sqlite") as store:
        with pytest.raises(PullError, match="does not match the published 0000"):
            pull_once(PubMedFiles(settings.pull, "pubmed-baseline"), store, settings)
        assert store.stats().documents == 0
        assert PullState.load(store, "pubmed-baseline").applied == []
        assert not list((tmp_path / "downloads").rglob("*.gz"))
        del server.md5["/pubmed/baseline/pubmed26n1334.xml.gz"]
        assert (
            pull_once(PubMedFiles(settings.pull, "pubmed-baseline"), store, settings).applied == 1
        )


def test_delete_citation_removes_the_document_and_marks_the_article_citing_it(
    server: SourceServer, store: SQLiteStore | PostgresStore, tmp_path: Path
) -> None:
    settings = server.settings_for(tmp_path)
    _serve_files(server, "baseline", ("pubmed26n1334.xml.gz", BASELINE_FILE.read_bytes()))
    pull_once(PubMedFiles(settings.pull, "pubmed-baseline"), store, settings)
    gone = pmid_of(ARTICLES[0])
    # Made for this test: the real update file, its DeleteCitation naming one more PMID (one
    # the baseline holds), so the deletion has something to delete here.
    update = gzip.decompress(UPDATE_FILE.read_bytes()).replace(
        b"<DeleteCitation>", f'<DeleteCitation><PMID Version="1">{gone}</PMID>'.encode()
    )
    _serve_files(server, "updatefiles", ("pubmed26n1335.xml.gz", gzip.compress(update)))
    engine = make_engine(database_url(settings))
    upgrade(engine)
    articles = ArticleStore(engine)
    cited = {"clinician": {"references": [{"n": 1, "doc_id": f"pmid:{gone}"}]}}
    article, _ = articles.create(NewArticle("What did the trial find?", "trial", None, cited))

    report = pull_once(PubMedFiles(settings.pull, "pubmed-updates"), store, settings)
    assert report.ingest.deleted == 1 and report.ingest.written.deleted == [f"pmid:{gone}"]
    assert not store.documents([f"pmid:{gone}"]) and not store.passages_of(f"pmid:{gone}")
    assert store.stats().documents == 30 + 30 - 1
    done = finish_ingest(store, report.ingest, settings, embed=False, progress=False)
    assert [a.id for a in done.marked] == [article.id]
    marked = articles.get(article.id)
    assert marked is not None
    assert marked.evidence_changed == f"cited pmid:{gone} is no longer in the index"
    engine.dispose()


def test_the_files_option_takes_numbers_and_ranges() -> None:
    assert parse_numbers("1-3,7") == {1, 2, 3, 7}
    from medcite.errors import InputError

    for bad in ("x", "3-1", "0"):
        with pytest.raises(InputError):
            parse_numbers(bad)


def test_the_cli_says_where_it_pulls_and_how_fast(server: SourceServer, tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    env = {**os.environ, **server.env(), "MEDCITE_PULL__DOWNLOAD_DIR": str(tmp_path / "dl")}
    command = [sys.executable, "-m", "medcite.cli", "--db", str(index), "pull", "pubmed"]
    result = subprocess.run(
        [*command, "--query", "q", "--max", "12", "--no-embed"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert f"pulling pubmed into {index}" in result.stderr
    assert "12 added" in result.stdout and "documents/s" in result.stdout
    assert "\r" not in result.stderr  # no bar frames in a log
    bad = subprocess.run(
        [*command, "--query", "q", "--since", "last week"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 1 and "not a date (YYYY-MM-DD)" in bad.stderr
