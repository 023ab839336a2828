"""Where MedCite keeps its data, as the settings name it: the databases a backup copies and a
restore writes back.

Three kinds of data (:class:`Role`) live in one to three databases. On SQLite: the evidence
index file (which also holds the answers ``medcite ask`` stores), ``<index>-answers.sqlite`` (the
answers the web app's workers store) and the site file ``<index>-site.sqlite`` (articles,
versions, audit log, accounts, ask counts), or whatever ``web.database_url`` names. On
PostgreSQL all three share the database of ``store.database_url`` unless ``web.database_url``
sends the site elsewhere. A database that holds several roles is copied once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import make_url

from medcite.answer.storage import answers_url
from medcite.articles.database import MIGRATIONS as SITE_MIGRATIONS
from medcite.articles.database import database_url
from medcite.database import libpq_url
from medcite.errors import ConfigError
from medcite.settings import Settings
from medcite.store import is_postgres
from medcite.store.migrate import MIGRATIONS as EVIDENCE_MIGRATIONS
from medcite.store.migrate import VERSION_TABLE

# The Alembic version tables of MedCite's two schema histories, and their migration scripts.
MIGRATIONS = {VERSION_TABLE: EVIDENCE_MIGRATIONS, "alembic_version": SITE_MIGRATIONS}


class Role(StrEnum):
    """What a database holds for MedCite."""

    EVIDENCE = "evidence"  # documents, passages, vectors, vocabulary (store.path / database_url)
    ANSWERS = "answers"  # stored answers (follow-ups and related questions read them)
    SITE = "site"  # articles, versions, audit log, accounts, ask counts


class Backend(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


@dataclass(frozen=True)
class Database:
    """One database MedCite writes. ``location`` is a SQLite file's path or a libpq URL (which
    may carry a password: show :attr:`shown`, never ``location``)."""

    roles: tuple[Role, ...]
    backend: Backend
    location: str

    @property
    def name(self) -> str:
        """The database's name in a backup (its first role): ``evidence``, ``answers``, ``site``."""
        return self.roles[0].value

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def shown(self) -> str:
        """Where it is, for messages: the file, or the URL without its password."""
        if self.backend is Backend.SQLITE:
            return self.location
        return make_url(self.location).render_as_string(hide_password=True)


def databases(settings: Settings) -> list[Database]:
    """The databases ``settings`` name, evidence first; each listed once with all its roles."""
    store = settings.store
    found: dict[str, tuple[Backend, str, list[Role]]] = {}
    for role, url in (
        (Role.EVIDENCE, store.database_url or f"sqlite:///{store.path}"),
        (Role.ANSWERS, answers_url(store)),
        (Role.ANSWERS, answers_url(store, own_file=True)),
        (Role.SITE, database_url(settings)),
    ):
        backend, location = _parse(url)
        key = str(Path(location).resolve()) if backend is Backend.SQLITE else _key(location)
        roles = found.setdefault(key, (backend, location, []))[2]
        if role not in roles:
            roles.append(role)
    return [Database(tuple(roles), backend, where) for backend, where, roles in found.values()]


def _parse(url: str) -> tuple[Backend, str]:
    if is_postgres(url):
        return Backend.POSTGRESQL, libpq_url(url)
    if not url.startswith("sqlite"):
        raise ConfigError(f"cannot back up a database at {url.split(':', 1)[0]}: URLs")
    path = make_url(url).database
    if not path or path == ":memory:":
        raise ConfigError("an in-memory SQLite database cannot be backed up")
    return Backend.SQLITE, path


def _key(url: str) -> str:
    """The same PostgreSQL database, however its URL is spelled (password and order aside)."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    params.pop("password", None)
    return " ".join(f"{k}={params[k]}" for k in sorted(params))
