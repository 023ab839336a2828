"""The settings the CLI's callback chose (``--db``, ``--settings``), read by every command: those
of :mod:`medcite.cli` and those of the modules it registers (:mod:`medcite.web.commands`), which
so never import the CLI itself."""

from __future__ import annotations

from medcite.settings import Settings


class State:
    settings: Settings


STATE = State()
