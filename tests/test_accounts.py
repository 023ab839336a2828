"""Accounts a publisher can trust: failed logins throttled per account name and per address in
the database (on both backends), a password policy, account care from the CLI, and sessions that
end at once when an account is disabled or its password changes."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from medcite.articles.accounts import (
    add_user,
    check_password,
    common_passwords,
    log_in,
    set_active,
    set_password,
    set_role,
)
from medcite.articles.database import make_engine, upgrade
from medcite.articles.logins import LoginThrottle, ThrottlePolicy, account_log
from medcite.articles.model import AccountEvent, Role
from medcite.articles.store import ArticleStore
from medcite.articles.workflow import WorkflowError
from medcite.cli import app as cli
from medcite.errors import InputError
from medcite.settings import Settings
from medcite.web.app import create_app
from tests.conftest import BACKENDS, PASSWORD, new_database

POLICY = ThrottlePolicy(free_failures=2, delay_s=2, lock_after=5, lock_s=60, window_s=3600)
T0 = 1_800_000_000  # epoch seconds of the first attempt in these tests
HERE = "10.0.0.1"


@pytest.fixture(params=BACKENDS)
def site_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty article database on each backend."""
    if request.param == "postgresql":
        url = new_database(request.getfixturevalue("postgres_server"))
    else:
        url = f"sqlite:///{tmp_path / 'site.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _events(engine: Engine, name: str) -> list[AccountEvent]:
    return [entry.event for entry in account_log(engine, name)]


def test_the_wait_grows_then_locks(site_db: Engine) -> None:
    throttle = LoginThrottle(site_db, POLICY)
    waits = [throttle.failed("alice", HERE, T0).wait_s for _ in range(5)]
    assert waits == [0, 0, 2, 4, 60]
    assert throttle.wait("alice", HERE, T0) == 60
    assert throttle.wait("alice", HERE, T0 + 59) == 1
    assert throttle.wait("alice", HERE, T0 + 60) == 0  # the lock expires
    again = throttle.failed("alice", HERE, T0 + 61)  # within the window: locked again at once
    assert (again.failures, again.locked, again.wait_s) == (6, True, 60)
    failed, locked = AccountEvent.LOGIN_FAILED, AccountEvent.LOGIN_LOCKED
    assert _events(site_db, "alice") == [failed] * 5 + [locked, failed, locked]


def test_counts_are_per_name_and_per_address(site_db: Engine) -> None:
    throttle = LoginThrottle(site_db, POLICY)
    for name in ("alice", "bob", "carol"):  # one address guessing three names
        throttle.failed(name, HERE, T0)
    assert throttle.wait("dave", HERE, T0) == 2  # the address's third failure
    assert throttle.wait("dave", "10.0.0.2", T0) == 0  # another address, another name: free
    assert throttle.wait("ALICE ", "10.0.0.2", T0) == 0  # alice failed once only
    throttle.failed("alice", "10.0.0.2", T0)
    throttle.failed("Alice", "10.0.0.3", T0)  # names fold case: alice's third failure
    assert throttle.wait("alice", "10.0.0.4", T0) == 2


def test_failures_far_apart_start_again_and_success_clears(site_db: Engine) -> None:
    throttle = LoginThrottle(site_db, POLICY)
    for _ in range(4):
        throttle.failed("alice", HERE, T0)
    assert throttle.failed("alice", HERE, T0 + 3601).failures == 1  # past the window
    for _ in range(3):
        throttle.failed("alice", HERE, T0 + 3601)
    throttle.succeeded("alice", HERE)
    assert throttle.wait("alice", HERE, T0 + 3601) == 0
    assert throttle.failed("alice", HERE, T0 + 3601).failures == 1


def test_log_in_turns_a_throttled_attempt_away_without_checking(site_db: Engine) -> None:
    store, throttle = ArticleStore(site_db), LoginThrottle(site_db, POLICY)
    add_user(store, "alice", PASSWORD, Role.REVIEWER)
    for at, wait in ((T0, None), (T0, None), (T0, 2), (T0 + 2, 4), (T0 + 6, 60)):
        with pytest.raises(WorkflowError) as wrong:  # each attempt when it is heard again
            log_in(store, throttle, "alice", "not-the-password", HERE, at)
        assert wrong.value.status == 401 and wrong.value.code == "not_authenticated"
        assert wrong.value.retry_after == wait
    with pytest.raises(WorkflowError) as refused:  # even the right password must wait
        log_in(store, throttle, "alice", PASSWORD, HERE, T0 + 36)
    assert (refused.value.status, refused.value.code) == (429, "login_throttled")
    assert refused.value.retry_after == 30 and "try again in 30 s" in str(refused.value)
    user = log_in(store, throttle, "alice", PASSWORD, HERE, T0 + 66)  # the lock is over
    assert user.name == "alice" and throttle.wait("alice", HERE, T0 + 66) == 0
    log = account_log(site_db, "alice")
    assert [e.event for e in log].count(AccountEvent.LOGIN_REFUSED) == 1
    assert {e.address for e in log if e.event is not AccountEvent.ADDED} == {HERE}


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-one", "at least 10"),
        ("x" * 1001, "at most 1000"),
        ("my-alice-password", "user name"),
        ("Basketball", "too common"),
        ("1q2w3e4r5t", "too common"),
        ("aaaaaaaaaaaaaa", "too common"),
    ],
)
def test_password_policy_refuses(password: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as refused:
        check_password("alice", password)
    assert refused.value.code == "weak_password"


def test_password_policy_accepts_and_ships_its_list() -> None:
    check_password("alice", PASSWORD)
    assert len(common_passwords()) > 19_000 and "password" in common_passwords()


def test_account_care_is_logged_and_ends_sessions(site_db: Engine) -> None:
    store = ArticleStore(site_db)
    first = add_user(store, "alice", PASSWORD, Role.REVIEWER, actor="root")
    assert first.session_epoch == 0
    changed = set_password(store, "alice", "a-new-long-passphrase", actor="root")
    assert changed.session_epoch == 1
    assert set_role(store, "alice", Role.EDITOR).role is Role.EDITOR
    assert set_role(store, "alice", Role.EDITOR).session_epoch == 1  # a role change does not
    disabled = set_active(store, "alice", False)
    assert not disabled.active and disabled.session_epoch == 2
    assert set_active(store, "alice", True).active
    with pytest.raises(WorkflowError) as missing:
        set_active(store, "nobody", False)
    assert missing.value.code == "unknown_user"
    log = account_log(site_db, "alice")
    assert [e.event for e in log] == [
        AccountEvent.ADDED,
        AccountEvent.PASSWORD_SET,
        AccountEvent.ROLE_SET,
        AccountEvent.ROLE_SET,
        AccountEvent.DISABLED,
        AccountEvent.ENABLED,
    ]
    assert log[0].actor == "root" and log[2].detail == "editor"
    assert all("passphrase" not in (e.detail or "") for e in log)


# -- through the web app (SQLite; the PostgreSQL sharing is in test_web_multi.py) ---------------


def _settings(folder: Path, **web: object) -> Settings:
    base = Settings().with_store(folder / "index.sqlite")  # no evidence: logins need none
    values = {
        "database_url": f"sqlite:///{folder / 'site.sqlite'}",
        "secret_key": "test-secret-key-not-for-production",
        **web,
    }
    return base.model_copy(update={"web": base.web.model_copy(update=values)})


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[Any]:
    made = create_app(
        _settings(tmp_path, login_free_failures=1, login_lock_after=3, login_lock_s=600)
    )
    add_user(made.state.site.articles, "alice", PASSWORD, Role.REVIEWER)
    yield made
    made.state.site.close()


def _basic(name: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


def _form_login(client: TestClient, password: str) -> Any:
    token = client.get("/api/session").json()["csrf_token"]
    return client.post(
        "/login",
        data={"name": "alice", "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_login_form_and_basic_share_the_count_and_say_when_to_retry(app: Any) -> None:
    client = TestClient(app)
    first = _form_login(client, "wrong-password-1")
    assert first.status_code == 401 and "Wrong user name or password" in first.text
    assert "retry-after" not in first.headers
    second = client.post(
        "/api/articles/1/transitions",
        json={"to": "under_review"},
        headers=_basic("alice", "wrong-password-2"),
    )
    assert second.status_code == 401 and second.headers["retry-after"] == "2"
    assert second.json()["error"]["code"] == "not_authenticated"
    refused = _form_login(client, PASSWORD)  # within the 2 s: refused, unchecked
    assert refused.status_code == 429 and refused.headers["retry-after"] in ("1", "2")
    assert "Too many failed logins" in refused.text
    api = client.post(
        "/api/articles/1/transitions",
        json={"to": "under_review"},
        headers=_basic("alice", PASSWORD),
    )
    assert api.status_code == 429 and api.json()["error"]["code"] == "login_throttled"
    assert int(api.headers["retry-after"]) >= 1


def test_a_disabled_account_or_a_new_password_ends_open_sessions(app: Any) -> None:
    store = app.state.site.articles
    client = TestClient(app)
    assert _form_login(client, PASSWORD).status_code == 303
    assert client.get("/api/session").json()["user"] == "alice"
    set_password(store, "alice", "another-long-passphrase")
    assert client.get("/api/session").json()["user"] is None
    review = client.get("/review", follow_redirects=False)
    assert review.status_code == 303 and review.headers["location"].startswith("/login")

    again = TestClient(app)
    token = again.get("/api/session").json()["csrf_token"]
    signed = again.post(
        "/login",
        data={"name": "alice", "password": "another-long-passphrase", "csrf_token": token},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and again.get("/api/session").json()["user"] == "alice"
    set_active(store, "alice", False)
    assert again.get("/api/session").json()["user"] is None
    set_active(store, "alice", True)  # enabling does not bring the ended session back
    assert again.get("/api/session").json()["user"] is None


# -- the CLI ------------------------------------------------------------------------------------


def test_users_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(tmp_path / "index.sqlite")]

    def run(*args: str, stdin: str | None = None) -> Any:
        return runner.invoke(cli, [*db, "users", *args], input=stdin)

    weak = run("add", "bob", "--password-stdin", stdin="password123\n")
    assert weak.exit_code != 0 and "too common" in str(weak.output) + str(weak.exception)
    assert run("add", "bob", "--password-stdin", stdin=f"{PASSWORD}\n").exit_code == 0
    assert run("set-role", "bob", "editor").exit_code == 0
    assert run("disable", "bob").exit_code == 0
    listed = run("list")
    assert listed.exit_code == 0 and "bob\teditor\tdisabled" in listed.output
    assert run("enable", "bob").exit_code == 0
    changed = run("set-password", "bob", "--password-stdin", stdin="a-brand-new-passphrase\n")
    assert changed.exit_code == 0 and "sessions have ended" in changed.output
    assert run("unlock", "bob").exit_code == 0
    log = run("log", "bob")
    assert log.exit_code == 0
    events = [line.split()[1] for line in log.output.splitlines()]
    assert events == ["added", "role_set", "disabled", "enabled", "password_set"]


def test_the_schema_module_mirrors_the_migrations(site_db: Engine) -> None:
    """``articles/schema.py`` (what the code queries) and the migrations (what databases have)
    describe the same tables, columns and indexes."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from medcite.articles.schema import metadata

    with site_db.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [
        d for d in differences if d[0] != "remove_table" or d[1].name != "alembic_version"
    ] == []
