"""Accounts: passwords hashed with Argon2id (argon2-cffi, its recommended parameters), never
stored or logged in clear, upgraded on login when the parameters change; a password policy;
logins throttled per account name and client address (:mod:`medcite.articles.logins`); and the
operator's account care (disable, enable, new password, new role), each logged."""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from medcite.articles.logins import LoginThrottle
from medcite.articles.model import AccountEvent, Role, User
from medcite.articles.store import ArticleStore
from medcite.articles.workflow import WorkflowError
from medcite.errors import InputError

MIN_PASSWORD = 10
MAX_PASSWORD = 1000  # the login form's limit
_HASHER = PasswordHasher()


@cache
def common_passwords() -> frozenset[str]:
    """The 20,000 common passwords shipped with the package (lowercased; see
    ``resources/common-passwords.LICENSE``)."""
    packed = resources.files("medcite.resources").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(packed).decode().split())


def check_password(name: str, password: str) -> None:
    """Raise :class:`InputError` (``weak_password``) unless ``password`` may be used by ``name``:
    long enough, not the user name (or holding it), not a common password."""
    folded = password.casefold()
    if len(password) < MIN_PASSWORD:
        problem = f"needs at least {MIN_PASSWORD} characters"
    elif len(password) > MAX_PASSWORD:
        problem = f"may have at most {MAX_PASSWORD} characters"
    elif len(name) >= 3 and name.strip().casefold() in folded:
        problem = "must not contain the user name"
    elif folded in common_passwords() or len(set(folded)) <= 2:
        problem = "is too common; choose a longer phrase of unrelated words"
    else:
        return
    raise InputError(f"the password {problem}", "weak_password")


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 80 or not name.replace("-", "").replace("_", "").isalnum():
        raise InputError("a user name is 1-80 letters, digits, '-' or '_'", "invalid_user_name")
    return name


def add_user(store: ArticleStore, name: str, password: str, role: Role, actor: str = "cli") -> User:
    name = check_name(name)
    check_password(name, password)
    return store.add_user(name, _HASHER.hash(password), role, actor)


def authenticate(store: ArticleStore, name: str, password: str) -> User | None:
    """The active account with this name and password, else None (same cost either way)."""
    found = store.user(name.strip())
    if found is None:
        _HASHER.hash(password)  # spend the same time as a real check: no user enumeration
        return None
    user, stored = found
    try:
        _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _HASHER.check_needs_rehash(stored):
        store.set_password_hash(user.id, _HASHER.hash(password))
    return user if user.active else None


def log_in(
    store: ArticleStore, throttle: LoginThrottle, name: str, password: str, address: str, now: int
) -> User:
    """The account, for a login form or HTTP Basic; else :class:`WorkflowError` — 429
    ``login_throttled`` while the account name or the address must wait (the password is not
    checked), 401 ``not_authenticated`` for a wrong name or password (with ``retry_after`` when
    this failure starts a wait). Blocking (Argon2id, the database): call it off the event loop."""
    wait = throttle.wait(name, address, now)
    if wait > 0:
        throttle.refused(name, address, now, wait)
        raise WorkflowError(
            f"Too many failed logins for this account or from your address; "
            f"try again in {_duration(wait)}",
            "login_throttled",
            429,
            retry_after=wait,
        )
    user = authenticate(store, name, password)
    if user is None:
        failure = throttle.failed(name, address, now)
        message = "wrong user name or password"
        if failure.wait_s:
            message += f"; too many failed logins: try again in {_duration(failure.wait_s)}"
        raise WorkflowError(message, "not_authenticated", 401, retry_after=failure.wait_s or None)
    throttle.succeeded(name, address)
    return user


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    return f"{-(-seconds // 60)} minutes"


def set_password(store: ArticleStore, name: str, password: str, actor: str = "cli") -> User:
    """A new password; every open session of the account ends."""
    check_password(name, password)
    return store.change_user(
        name, actor, AccountEvent.PASSWORD_SET, None, password_hash=_HASHER.hash(password)
    )


def set_active(store: ArticleStore, name: str, active: bool, actor: str = "cli") -> User:
    """Enable or disable an account; disabling ends its open sessions at once."""
    event = AccountEvent.ENABLED if active else AccountEvent.DISABLED
    return store.change_user(name, actor, event, None, active=active)


def set_role(store: ArticleStore, name: str, role: Role, actor: str = "cli") -> User:
    return store.change_user(name, actor, AccountEvent.ROLE_SET, role.value, role=role.value)
