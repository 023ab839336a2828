"""Passwords: hashed with Argon2id (argon2-cffi, its recommended parameters), never stored or
logged in clear; hashes are upgraded on login when the parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from medcite.articles.model import Role, User
from medcite.articles.store import ArticleStore
from medcite.errors import InputError

MIN_PASSWORD = 10
_HASHER = PasswordHasher()


def add_user(store: ArticleStore, name: str, password: str, role: Role) -> User:
    name = name.strip()
    if not name or len(name) > 80 or not name.replace("-", "").replace("_", "").isalnum():
        raise InputError("a user name is 1-80 letters, digits, '-' or '_'", "invalid_user_name")
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters", "weak_password")
    return store.add_user(name, _HASHER.hash(password), role)


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
