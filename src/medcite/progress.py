"""Progress of long commands: a live bar (tqdm) on a terminal; in a log or CI, where stderr is
not a terminal, no bar frames at all (hundreds of carriage-return frames in a log help no one)
but one line per finished step (:func:`note`)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def live() -> bool:
    """Whether stderr is a terminal that redraws a bar in place."""
    return sys.stderr.isatty()


def bar(
    iterable: Iterable[T] | None = None,
    *,
    desc: str,
    unit: str = "it",
    total: int | None = None,
    enabled: bool = True,
    leave: bool = False,
) -> tqdm[Any]:
    """A tqdm bar drawn only when ``enabled`` and stderr is a terminal."""
    return tqdm(
        iterable, total=total, desc=desc, unit=unit, disable=not (enabled and live()), leave=leave
    )


def note(line: str, enabled: bool = True) -> None:
    """One line of progress for a log (nothing on a terminal, where the bar says it)."""
    if enabled and not live():
        print(line, file=sys.stderr, flush=True)
