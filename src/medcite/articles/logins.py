"""Failed logins and the account event log, both in the article database, so every worker and
app server shares them (OWASP ASVS 2.2.1: anti-automation on authentication).

Failures are counted twice — per account name (as typed, whether or not it exists: the answer
must not tell) and per client address. The first ``free_failures`` in a row cost nothing; each
further one makes its keys wait ``delay_s``, then twice as long, and so on; the ``lock_after``-th
locks them for ``lock_s``. Failures more than ``window_s`` apart start the count again, and a
successful login clears the account's and the address's count. While a key waits, its attempts
are refused before the password is checked (no Argon2 work for a guesser)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, insert, select, update

from medcite.articles import schema as t
from medcite.articles.model import AccountEvent, AccountLogEntry
from medcite.database import serialise
from medcite.settings import WebSettings

KEY_LENGTH = 200  # login_failures.key


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int
    delay_s: int
    lock_after: int
    lock_s: int
    window_s: int

    @classmethod
    def from_settings(cls, web: WebSettings) -> ThrottlePolicy:
        return cls(
            web.login_free_failures,
            web.login_delay_s,
            web.login_lock_after,
            web.login_lock_s,
            web.login_window_s,
        )

    def wait_after(self, failures: int) -> int:
        """Seconds a key waits after its ``failures``-th failure in a row."""
        if failures >= self.lock_after:
            return self.lock_s
        if failures <= self.free_failures:
            return 0
        return int(min(self.lock_s, self.delay_s * 2 ** (failures - self.free_failures - 1)))


@dataclass(frozen=True)
class Failure:
    """What one more failed login did: the longest count in a row and wait among its keys."""

    failures: int
    wait_s: int
    locked: bool


def login_keys(name: str, address: str) -> tuple[str, str]:
    """The counters one attempt touches: its account name (case-folded) and its address."""
    account = "account:" + name.strip().casefold()
    return account[:KEY_LENGTH], ("address:" + address)[:KEY_LENGTH]


class LoginThrottle:
    def __init__(self, engine: Engine, policy: ThrottlePolicy) -> None:
        self.engine = engine
        self._writer = engine.execution_options(write=True)
        self.policy = policy

    def wait(self, name: str, address: str, now: int) -> int:
        """Seconds until an attempt as ``name`` from ``address`` is heard (0: now)."""
        return self._wait(login_keys(name, address), now)

    def account_wait(self, name: str, now: int) -> int:
        """Seconds the account name itself must wait (``medcite users list``)."""
        return self._wait(login_keys(name, "")[:1], now)

    def _wait(self, keys: Sequence[str], now: int) -> int:
        query = select(t.login_failures.c.blocked_until).where(t.login_failures.c.key.in_(keys))
        with self.engine.connect() as conn:
            until = [int(row[0]) for row in conn.execute(query)]
        return max([0, *(u - now for u in until)])

    def refused(self, name: str, address: str, now: int, wait_s: int) -> None:
        """Log an attempt turned away while its keys wait."""
        with self._writer.begin() as conn:
            detail = f"throttled: {wait_s} s to wait"
            record(conn, _stamp(now), name, name, AccountEvent.LOGIN_REFUSED, address, detail)

    def failed(self, name: str, address: str, now: int) -> Failure:
        """Count one more failure on the account and the address, and log it (and the lock,
        when this failure starts one)."""
        counts = []
        with self._writer.begin() as conn:
            for key in sorted(login_keys(name, address)):  # a fixed order: no deadlock
                serialise(conn, f"login:{key}")  # a row that may not exist yet: no row lock
                counts.append(self._count(conn, key, now))
            failure = Failure(
                max(counts),
                max(self.policy.wait_after(n) for n in counts),
                locked=max(counts) >= self.policy.lock_after,
            )
            detail = f"failure {failure.failures} in a row; {failure.wait_s} s to wait"
            record(conn, _stamp(now), name, name, AccountEvent.LOGIN_FAILED, address, detail)
            if failure.locked:
                detail = f"locked for {failure.wait_s} s after {failure.failures} failures"
                record(conn, _stamp(now), name, name, AccountEvent.LOGIN_LOCKED, address, detail)
        return failure

    def _count(self, conn: Connection, key: str, now: int) -> int:
        table = t.login_failures
        row = conn.execute(select(table).where(table.c.key == key).with_for_update()).first()
        if row is None or now - int(row.last_at) > self.policy.window_s:
            failures = 1
        else:
            failures = int(row.failures) + 1
        wait = self.policy.wait_after(failures)
        values = {"failures": failures, "last_at": now, "blocked_until": now + wait}
        if row is None:
            conn.execute(insert(table).values(key=key, **values))
        else:
            conn.execute(update(table).where(table.c.key == key).values(**values))
        return failures

    def succeeded(self, name: str, address: str) -> None:
        """A successful login clears the account's and the address's count."""
        self._clear(login_keys(name, address))

    def unlock(self, name: str) -> None:
        """Clear the account's count and lock (``medcite users unlock``)."""
        self._clear(login_keys(name, "")[:1])

    def _clear(self, keys: Sequence[str]) -> None:
        with self._writer.begin() as conn:
            conn.execute(delete(t.login_failures).where(t.login_failures.c.key.in_(keys)))


def _stamp(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def record(
    conn: Connection,
    at: str,
    account: str,
    actor: str,
    event: AccountEvent,
    address: str | None = None,
    detail: str | None = None,
) -> None:
    """One entry of the account event log, in the caller's transaction."""
    conn.execute(
        insert(t.account_events).values(
            at=at,
            account=account[:80],
            actor=actor[:80],
            address=None if address is None else address[:64],
            event=event.value,
            detail=detail,
        )
    )


def account_log(
    engine: Engine, account: str | None = None, limit: int = 100
) -> list[AccountLogEntry]:
    """The newest ``limit`` entries of the account event log (of ``account`` only if given),
    oldest first."""
    table = t.account_events
    query = select(table).order_by(table.c.id.desc()).limit(limit)
    if account is not None:
        query = query.where(table.c.account == account)
    with engine.connect() as conn:
        rows = list(conn.execute(query))
    return [
        AccountLogEntry(
            row.at, row.account, row.actor, row.address, AccountEvent(row.event), row.detail
        )
        for row in reversed(rows)
    ]
