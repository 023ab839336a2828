"""``python -m medcite.bench [SECTION ...]``: run benchmark sections (every one when none is
named), print their figures and write each section's figures to ``<out>/<section>.json``.

A section is a function ``(BenchConfig) -> dict`` registered in :data:`SECTIONS`; its module is
imported only when it runs, so a later section (answer latency, web load) may need heavy extras
without slowing the others.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from medcite.bench import BenchConfig
from medcite.errors import MedCiteError
from medcite.settings import load_settings

Section = Callable[[BenchConfig], dict[str, Any]]


def _retrieval(config: BenchConfig) -> dict[str, Any]:
    from medcite.bench import retrieval

    return retrieval.run(config)


def _embedding_paths(config: BenchConfig) -> dict[str, Any]:
    from medcite.bench import embedding_paths

    return embedding_paths.run(config)


def _answer(config: BenchConfig) -> dict[str, Any]:
    from medcite.bench import answer

    return answer.run(config)


def _web(config: BenchConfig) -> dict[str, Any]:
    from medcite.bench import web

    return web.run(config)


def _scale(config: BenchConfig) -> dict[str, Any]:
    from medcite.bench import scale

    return scale.run(config)


def _fuzz(config: BenchConfig) -> dict[str, Any]:
    from medcite.bench import fuzz

    return fuzz.run(config)


def _stale(config: BenchConfig) -> dict[str, Any]:
    from medcite.bench import stale

    return stale.run(config)


def _pull(config: BenchConfig) -> dict[str, Any]:
    from medcite.bench import pull

    return pull.run(config)


def _load(config: BenchConfig) -> dict[str, Any]:
    from medcite.bench import load

    return load.run(config)


SECTIONS: dict[str, Section] = {
    "retrieval": _retrieval,
    "embedding-paths": _embedding_paths,
    "answer": _answer,
    "web": _web,
    "fuzz": _fuzz,
    "stale": _stale,
    "pull": _pull,
    "scale": _scale,
    "load": _load,
}
"""Section name → function, in the order they run."""
DEFAULT_SECTIONS = ("retrieval", "embedding-paths", "answer", "web", "fuzz", "stale", "pull")
"""What runs when no section is named: ``scale`` builds corpora up to 1M passages (an hour or
more) and ``load`` runs app servers under traffic for 10 minutes, so they run only by name, with
their own options (``python -m medcite.bench scale --help``, ``… load --help``)."""


def run_section(name: str, config: BenchConfig) -> dict[str, Any]:
    """Run one section and write its figures to ``<config.out_dir>/<name>.json``."""
    figures = SECTIONS[name](config)
    path = config.out_dir / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures written to {path}", flush=True)
    return figures


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m medcite.bench",
        description="MedCite benchmarks: figures and ratios, never pass/fail.",
    )
    parser.add_argument(
        "sections",
        nargs="*",
        metavar="SECTION",
        help=f"{', '.join(SECTIONS)} (default: {', '.join(DEFAULT_SECTIONS)}; "
        "scale and load have their own options: scale --help, load --help)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a slice of the demo corpus (NGC, USPSTF, PubMedQA; 15 documents each), 50 queries, "
        "128 passages embedded: minutes instead of the full run",
    )
    parser.add_argument("--queries", type=int, help="search queries (default 200; quick 50)")
    parser.add_argument("--max-docs", type=int, help="at most this many documents per file")
    parser.add_argument("--embed-sample", type=int, help="passages embedded (default 512)")
    parser.add_argument("--out", type=Path, default=Path("var/bench"), help="JSON folder")
    parser.add_argument("--settings", type=Path, help="TOML settings file")
    parser.add_argument("--progress", action="store_true", help="show progress bars")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["scale"]:
        from medcite.bench import scale

        return scale.main(argv[1:])
    if argv[:1] == ["load"]:
        from medcite.bench import load

        return load.main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    try:
        settings = load_settings(args.settings)
        config = BenchConfig.quick(settings) if args.quick else BenchConfig(settings)
        config = replace(config, out_dir=args.out, progress=args.progress)
        if args.queries is not None:
            config = replace(config, queries=args.queries)
        if args.max_docs is not None:
            config = replace(config, max_docs=args.max_docs)
        if args.embed_sample is not None:
            config = replace(config, embed_sample=args.embed_sample)
        for name in args.sections or DEFAULT_SECTIONS:
            run_section(name, config)
    except MedCiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
