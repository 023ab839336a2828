"""The ``medcite`` command: a thin layer over the library. Errors become a message and an exit
code (1 for a MedCite error, 2 for bad usage), never a traceback."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from medcite.answer.citations_export import CiteFormat
from medcite.articles.commands import articles_app
from medcite.backup.commands import backup, restore
from medcite.cli_state import STATE
from medcite.errors import InputError, MedCiteError
from medcite.pull.commands import pull_app
from medcite.reader.judged import HELD_SETS
from medcite.records import EvidenceType
from medcite.settings import Settings, describe, load_settings
from medcite.web.commands import serve, users_app

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
eval_app = typer.Typer(no_args_is_help=True, help="Evaluate retrieval and answers.")
vectors_app = typer.Typer(no_args_is_help=True, help="Precomputed passage vectors.")
train_app = typer.Typer(no_args_is_help=True, help="Train the shipped models.")
app.add_typer(eval_app, name="eval")
app.add_typer(vectors_app, name="vectors")
app.add_typer(train_app, name="train")
app.add_typer(users_app, name="users")
app.add_typer(articles_app, name="articles")
app.add_typer(pull_app, name="pull")
app.command()(serve)
app.command()(backup)
app.command()(restore)


@app.callback()
def _main(
    db: Annotated[
        Path | None, typer.Option(help="Index file (default: store.path setting).")
    ] = None,
    settings_file: Annotated[
        Path | None, typer.Option("--settings", help="TOML settings file.")
    ] = None,
) -> None:
    """MedCite: evidence-cited answers to clinical questions."""
    settings = load_settings(settings_file)
    STATE.settings = settings.with_store(db) if db else settings


def _store(read_only: bool = False) -> Any:
    """The evidence store: PostgreSQL when ``store.database_url`` is set, else the index file."""
    from medcite.store import connect

    return connect(STATE.settings.store, read_only=read_only)


def _where() -> str:
    """Which index the command uses: the file, or the database URL without its password."""
    from medcite.store import where

    return where(STATE.settings.store)


def _echo_report(data: dict[str, Any], as_json: bool, width: int) -> None:
    """An evaluation's figures: one JSON object, or one right-aligned ``name: value`` a line."""
    if as_json:
        typer.echo(json.dumps(data))
        return
    for name, value in data.items():
        typer.echo(f"{name:>{width}}: {value}")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to ingest.")],
    source: Annotated[str | None, typer.Option(help="Source name for every document.")] = None,
    evidence_type: Annotated[
        str | None, typer.Option(help="Evidence type for every document (e.g. guideline).")
    ] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="Skip format detection.")] = None,
    embed: Annotated[bool, typer.Option(help="Embed new passages for dense search.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Read documents into the index (idempotent: unchanged documents are skipped)."""
    from medcite.ingest.base import ReadOptions
    from medcite.ingest.finish import finish_ingest, summary
    from medcite.ingest.pipeline import ingest_paths

    for path in paths:
        if not path.exists():
            raise InputError(f"no such file or directory: {path}")
    options = ReadOptions(source, _evidence_type(evidence_type) if evidence_type else None)
    if not quiet:
        typer.echo(f"ingesting into {_where()}", err=True)
    with _store() as store:
        report = ingest_paths(store, paths, STATE.settings.chunk, options, fmt, progress=not quiet)
        for problem in report.problems:
            typer.echo(f"skipped: {problem}", err=True)
        done = finish_ingest(store, report, STATE.settings, embed=embed, progress=not quiet)
    for line in summary(report, done, _where()):
        typer.echo(line)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to search for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=200, help="Number of passages.")] = 10,
    types: Annotated[
        str | None,
        typer.Option("--type", help="Comma-separated evidence types, e.g. guideline,rct."),
    ] = None,
    since: Annotated[int | None, typer.Option(help="Only documents from this year on.")] = None,
    until: Annotated[int | None, typer.Option(help="Only documents up to this year.")] = None,
    sources: Annotated[
        str | None, typer.Option("--source", help="Comma-separated sources.")
    ] = None,
    mode: Annotated[str, typer.Option(help="hybrid, bm25 or dense.")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search the evidence index."""
    from medcite.retrieve.hybrid import Mode, Retriever
    from medcite.store.base import Filters

    text = check_query(query)
    filters = Filters(
        evidence_types=frozenset(
            EvidenceType.parse(t) for t in (types or "").split(",") if t.strip()
        ),
        since=since,
        until=until,
        sources=frozenset(s.strip() for s in (sources or "").split(",") if s.strip()),
    )
    try:
        search_mode = Mode(mode)
    except ValueError:
        raise InputError(f"unknown mode {mode!r}; choose hybrid, bm25 or dense") from None
    with _store(read_only=True) as store:
        result = Retriever(store, STATE.settings).search(
            text, k=k, filters=filters, mode=search_mode
        )
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if not result.hits:
        typer.echo(f"No passages match {text!r}.")
    for hit in result.hits:
        doc = hit.document
        typer.echo(
            f"{hit.rank:>3}. [{doc.evidence_type.label}] {doc.title} ({doc.year or 'n.d.'}) "
            f"{hit.passage.id}  score={hit.score:.4f}"
        )
        typer.echo(f"     {hit.passage.text[:300]}")


def _evidence_type(value: str) -> EvidenceType:
    try:
        return EvidenceType.parse(value)
    except ValueError as exc:
        raise InputError(str(exc), "bad_evidence_type") from None


MAX_QUERY_CHARS = 10_000


def check_query(text: str) -> str:
    """Reject unusable search text with a clear message (the answer engine has stricter limits)."""
    if any((ord(c) < 32 and c not in "\t\n\r") or "\ud800" <= c <= "\udfff" for c in text):
        # a lone surrogate is how Python passes undecodable bytes of argv (found by fuzzing)
        raise InputError("the query contains control characters or bytes that are not UTF-8")
    text = " ".join(text.split())
    if not text:
        raise InputError("the query is empty")
    return text[:MAX_QUERY_CHARS]


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The clinical question.")],
    audience: Annotated[str, typer.Option(help="clinician, student or patient.")] = "clinician",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the Answer record as JSON.")
    ] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown.")] = False,
    since: Annotated[int | None, typer.Option(help="Only evidence from this year on.")] = None,
    follow_up_of: Annotated[
        str | None, typer.Option(help="Id of the earlier answer this question follows.")
    ] = None,
    writer: Annotated[
        str, typer.Option(help="extractive, or llm: the llm.* settings' endpoint writes prose.")
    ] = "extractive",
    cite_format: Annotated[
        CiteFormat | None,
        typer.Option(
            "--cite-format",
            help="Print the answer's references as ris, bibtex or csl-json instead of the answer.",
        ),
    ] = None,
) -> None:
    """Answer a clinical question with cited evidence (the answer is stored; its id is shown)."""
    from medcite.answer.engine import Engine
    from medcite.answer.model import Audience
    from medcite.answer.render import to_markdown
    from medcite.answer.safety import check_question
    from medcite.answer.storage import AnswerStore, answers_url

    try:
        try:
            who = Audience(audience)
        except ValueError:
            raise InputError(
                "audience must be clinician, student or patient", "bad_audience"
            ) from None
        check_question(question)
        use_llm = _writer_choice(writer)
        s = STATE.settings.store
        with (
            _store(read_only=True) as store,
            AnswerStore(
                answers_url(s), busy_timeout_ms=s.busy_timeout_ms, pool_size=s.pool_size
            ) as answers,
        ):
            engine = Engine(store, STATE.settings, answers=answers)
            result = engine.answer(question, who, since, follow_up_of, save=not use_llm)
            if use_llm:
                result = _written(result, engine, answers)
    except MedCiteError as exc:
        if as_json:
            code = exc.code if isinstance(exc, InputError) else type(exc).__name__.lower()
            typer.echo(json.dumps({"error": {"code": code, "message": str(exc)}}))
            raise typer.Exit(1) from None
        raise
    if cite_format is not None:
        from medcite.answer.citations_export import export_references

        references = result.to_dict()["references"]
        if not references:
            typer.echo("note: the answer cites no sources; the export is empty", err=True)
        typer.echo(export_references(references, cite_format), nl=False)
    elif as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(to_markdown(result))  # Markdown is also the terminal view
        if writer != "extractive" and not result.writer.startswith("llm"):  # a fallback
            typer.echo(f"_Writer: {result.writer}; {len(result.dropped)} sentences dropped_")


def _writer_choice(writer: str) -> bool:
    """True for the LLM writer; its endpoint must be configured."""
    if writer not in ("extractive", "llm"):
        raise InputError("writer must be extractive or llm", "bad_writer")
    llm = STATE.settings.llm
    if writer == "llm" and not (llm.base_url and llm.model):
        raise InputError(
            "the llm writer needs llm.base_url and llm.model (MEDCITE_LLM_BASE_URL, "
            "MEDCITE_LLM_MODEL)",
            "llm_not_configured",
        )
    return writer == "llm"


def _written(extractive: Any, engine: Any, answers: Any) -> Any:
    """The LLM writer over an extractive answer, then stored in its place."""
    from medcite.index.embeddings import embed_queries
    from medcite.writer import write

    result = write(extractive, STATE.settings, engine.embedder)
    asked = result.resolved_question or result.question
    answers.save(result, embed_queries(engine.embedder, [asked])[0])
    return result


@app.command("build-demo")
def build_demo_command(
    force: Annotated[bool, typer.Option(help="Rebuild even if the index exists.")] = False,
) -> None:
    """Build the demo index from the corpus shipped in data/ (once; later runs reuse it)."""
    from medcite.corpus import build_demo, is_built

    path, where = STATE.settings.store.path, _where()
    if force and STATE.settings.store.database_url:
        raise InputError(
            "--force deletes a SQLite index file; for PostgreSQL, drop and create the database",
            "bad_option",
        )
    if force and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    with _store() as store:
        if is_built(store):
            typer.echo(f"demo index ready at {where} (reused; --force rebuilds)")
            return
        report = build_demo(store, STATE.settings)
        stats = store.stats()
    typer.echo(
        f"demo index built at {where}: {stats.documents} documents, {stats.passages} passages, "
        f"{report.vectors_cached} vectors from cache + {report.vectors_embedded} embedded, "
        f"{report.vocabulary_terms} vocabulary terms, "
        f"{len(report.ingest.problems)} records skipped; "
        + ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    )


@app.command()
def demo(
    serve_app: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the app.")] = True,
) -> None:
    """Open the example questions as articles, then serve the web app and print its address."""
    from medcite.web.commands import seed
    from medcite.web.pages import EXAMPLES

    for path in seed(list(EXAMPLES)):
        typer.echo(f"article: {path}")
    db = "" if STATE.settings.store.database_url else f"--db {STATE.settings.store.path} "
    typer.echo(
        f"Reviewers: .venv/bin/medcite {db}users add NAME --role reviewer (then log in at /login)"
    )
    if serve_app:
        serve()


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts and sizes of the index."""
    import dataclasses

    with _store(read_only=True) as store:
        data = dataclasses.asdict(store.stats())
    typer.echo(
        json.dumps(data, indent=2) if as_json else "\n".join(f"{k}: {v}" for k, v in data.items())
    )


@app.command("settings")
def show_settings() -> None:
    """Every setting with its current value and description."""
    current = STATE.settings.model_dump()
    for name, _default, description in describe(Settings):
        value: Any = current
        for part in name.split("."):
            value = value[part]
        typer.echo(f"{name} = {value!r}\n    {description}")


@vectors_app.command("build")
def vectors_build(
    out: Annotated[
        Path | None,
        typer.Option(
            help="Cache file to write (.npz; default data/vectors/demo-minilm-int8.npz for "
            "MiniLM, data/vectors/demo-<model>-int8.npz for another embedding.model)."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite a cache file of another model.")
    ] = False,
) -> None:
    """Embed every passage that lacks a vector, then write all vectors to a cache file."""
    from medcite.index.build import embed_missing
    from medcite.index.embeddings import get_embedder
    from medcite.settings import DATA_DIR
    from medcite.store.vectors import cache_file, cache_model, save_cache

    embedder = get_embedder(STATE.settings.embedding)
    out = out or cache_file(DATA_DIR / "vectors", embedder.name)
    found = cache_model(out)
    if found is not None and found != embedder.name and not force:
        raise InputError(
            f"{out} holds vectors of {found!r}, not {embedder.name!r}: choose another --out "
            "or pass --force to overwrite it"
        )
    with _store() as store:
        embed_missing(store, embedder, STATE.settings.embedding)
        keys, vectors = store.export_vectors(embedder.name)
    save_cache(out, embedder.name, keys, vectors)
    typer.echo(f"wrote {len(keys)} vectors to {out}")


@vectors_app.command("distill")
def vectors_distill(
    out: Annotated[Path, typer.Option(help="Table to write (.npz).")] = Path(
        "src/medcite/resources/minilm-static.npz"
    ),
) -> None:
    """Distil the static stance vectors from the embedding model, weighted by the token counts
    of the index's passages (the shipped table is built by exactly this command on the demo
    index; retrain the stance model after: `medcite train stance`)."""
    from medcite.index.static import STATIC_MODEL, distill, save

    with _store() as store:
        # no passage ever has static vectors stored: this is every distinct passage text
        texts = [text.split("\n", 1)[-1] for _, text in store.missing_vectors(STATIC_MODEL)]
    embedder = distill(texts, STATE.settings.embedding.model)
    save(embedder, out)
    typer.echo(f"wrote {embedder.table.shape[0]} token vectors of {embedder.dim} to {out}")


@vectors_app.command("embed")
def vectors_embed() -> None:
    """Embed every passage that lacks a vector of the configured model (embedding.model), e.g.
    after switching an index to the fast path; the index then answers with either model."""
    from medcite.index.build import embed_missing
    from medcite.index.embeddings import get_embedder

    embedder = get_embedder(STATE.settings.embedding)
    with _store() as store:
        cached, embedded = embed_missing(store, embedder, STATE.settings.embedding)
    typer.echo(f"{embedder.name}: {cached} vectors from cache, {embedded} embedded")


@vectors_app.command("train-retrieval")
def vectors_train_retrieval(
    shared_data: Annotated[
        Path | None, typer.Option(help="The lab's shared data folder (default ../shared/data).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Table to write (.npz).")] = Path(
        "src/medcite/resources/minilm-static-retrieval.npz"
    ),
    epochs: Annotated[int, typer.Option(min=1)] = 5,
) -> None:
    """Train the fast retrieval path's static vectors (minilm-static-retrieval) on question →
    passage pairs from the shared data (a few minutes on 2 threads; the model card is in
    medcite.index.static_train)."""
    import dataclasses

    from medcite.index.static import RETRIEVAL_MODEL, save
    from medcite.index.static_train import DENSE_WEIGHT, TrainConfig, train

    shared_data = shared_data or SHARED_DATA
    if not shared_data.exists():
        raise InputError(f"no training data at {shared_data}")
    config = TrainConfig(epochs=epochs)
    embedder, report = train(shared_data, config, log=lambda line: typer.echo(line, err=True))
    embedder.name = RETRIEVAL_MODEL
    embedder.meta = {
        "name": RETRIEVAL_MODEL,
        "config": dataclasses.asdict(config),
        "dense_weight": DENSE_WEIGHT,
        **report.to_dict(),
    }
    save(embedder, out)
    typer.echo(f"wrote {embedder.table.shape[0]} token vectors of {embedder.dim} to {out}")


@vectors_app.command("train-asym")
def vectors_train_asym(
    cache: Annotated[Path, typer.Option(help="MiniLM vectors of the demo passages.")] = Path(
        "data/vectors/demo-minilm-int8.npz"
    ),
    out: Annotated[Path, typer.Option(help="Table to write (.npz).")] = Path(
        "src/medcite/resources/minilm-static-asym.npz"
    ),
    epochs: Annotated[int, typer.Option(min=1)] = 10,
) -> None:
    """Train the asymmetric fast path (minilm-static-asym: static passages, MiniLM questions)
    to put passages where MiniLM does (~3 minutes on 2 threads; the model card is in
    medcite.index.static_asym)."""
    from medcite.index.embeddings import PACKAGED_MODEL
    from medcite.index.static import ASYM_MODEL, RETRIEVAL_MODEL, save, shipped
    from medcite.index.static_asym import demo_targets, train_asym

    texts, targets = demo_targets(cache)
    embedder, report = train_asym(
        texts,
        targets,
        shipped(RETRIEVAL_MODEL),
        epochs=epochs,
        log=lambda line: typer.echo(line, err=True),
    )
    embedder.name = ASYM_MODEL
    embedder.meta = {
        "name": ASYM_MODEL,
        "start": RETRIEVAL_MODEL,
        "query_model": PACKAGED_MODEL,
        "dense_weight": 0.5,
        "data": f"MiniLM vectors of the demo passages ({cache.name})",
        **report,
    }
    save(embedder, out)
    typer.echo(f"wrote {embedder.table.shape[0]} token vectors of {embedder.dim} to {out}")


@eval_app.command("citations")
def eval_citations(
    questions: Annotated[
        Path | None, typer.Option(help="One question per line (default: 50 shipped questions).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    writer: Annotated[
        str, typer.Option(help="extractive, or llm: also write each answer and verify it.")
    ] = "extractive",
) -> None:
    """Answer a question set and check that every item is found in a passage it cites."""
    from medcite.answer.engine import Engine
    from medcite.eval.citations import evaluate_citations, read_questions

    use_llm = _writer_choice(writer)
    with _store(read_only=True) as store:
        engine = Engine(store, STATE.settings)
        if use_llm:
            from medcite.writer import ChatClient, write_with_report

            with ChatClient(STATE.settings.llm) as client:
                report = evaluate_citations(
                    read_questions(questions),
                    engine,
                    progress=not as_json,
                    writer=lambda a: write_with_report(a, STATE.settings, engine.embedder, client),
                    llm=STATE.settings.llm,
                )
        else:
            report = evaluate_citations(read_questions(questions), engine, progress=not as_json)
    data = report.to_dict()
    if as_json:
        typer.echo(json.dumps(data))
    else:
        for name, value in data.items():
            if isinstance(value, dict):
                for key, figure in value.items():
                    typer.echo(f"{name + '.' + key:>30}: {figure}")
            elif name != "failures":
                typer.echo(f"{name:>30}: {value}")
        for failure in report.failures:
            typer.echo(f"  not grounded: {failure}")


@eval_app.command("readability")
def eval_readability(
    questions: Annotated[
        Path | None, typer.Option(help="One question per line (default: 50 shipped questions).")
    ] = None,
    audience: Annotated[str, typer.Option(help="clinician, student or patient.")] = "patient",
    target: Annotated[
        float, typer.Option(help="Reading grade the answers should not exceed.")
    ] = 8.0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Flesch-Kincaid grade of each answer for one audience: median and share at the target."""
    from medcite.answer.engine import Engine
    from medcite.answer.model import Audience
    from medcite.eval.citations import read_questions
    from medcite.eval.readability import evaluate_readability

    if audience not in {a.value for a in Audience}:
        raise InputError("audience must be clinician, student or patient", "bad_audience")
    with _store(read_only=True) as store:
        report = evaluate_readability(
            read_questions(questions),
            Engine(store, STATE.settings),
            Audience(audience),
            target,
            progress=not as_json,
        )
    _echo_report(report.to_dict(), as_json, width=26)


SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@eval_app.command("snapshot")
def eval_snapshot(
    shared_data: Annotated[
        Path, typer.Option(help="Shared data folder holding evidence_inference_pmc_rcts/.")
    ] = SHARED_DATA,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    sample_out: Annotated[
        Path, typer.Option(help="Where the participant counts to check by hand go.")
    ] = Path("var/snapshot-participants.jsonl"),
) -> None:
    """Study snapshots of Evidence Inference's RCT abstracts: coverage of every field, and
    intervention / comparator / outcomes against the doctors' prompts (skips without the data)."""
    from medcite.eval.snapshot import main as run

    args = ["--data", str(shared_data), "--sample-out", str(sample_out)]
    raise typer.Exit(run([*args, "--json"] if as_json else args))


@eval_app.command("pubmedqa")
def eval_pubmedqa(
    file: Annotated[
        Path,
        typer.Argument(help="PubMedQA JSON (e.g. ../shared/data/pubmedqa/pqal_trainval.json)."),
    ],
    setting: Annotated[
        str, typer.Option(help="reasoning-required or question-only.")
    ] = "reasoning-required",
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds.")] = 10,
    shared_data: Annotated[
        Path, typer.Option(help="Shared data folder with the training sets.")
    ] = SHARED_DATA,
    answerer: Annotated[str, typer.Option(help="engine (the product) or baseline.")] = "engine",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Cross-validated yes/no/maybe accuracy: each fold is answered by a stance model trained
    without that fold's records (question-only uses the --db demo index plus FILE)."""
    from medcite.eval.pubmedqa import evaluate_pubmedqa

    if setting not in ("reasoning-required", "question-only"):
        raise InputError("setting must be reasoning-required or question-only", "bad_setting")
    if not file.exists():
        raise InputError(f"no such file: {file}")
    report = evaluate_pubmedqa(
        file,
        setting,  # type: ignore[arg-type]
        STATE.settings,
        folds,
        shared_data=shared_data if shared_data.exists() else None,
        db=STATE.settings.store.path if setting == "question-only" else None,
        answerer=answerer,
        progress=not as_json,
    )
    _echo_report(report.to_dict(), as_json, width=14)


@train_app.command("stance")
def train_stance_command(
    shared_data: Annotated[
        Path, typer.Option(help="Shared data folder (PubMedQA, SciFact, Evidence Inference).")
    ] = SHARED_DATA,
    out: Annotated[Path, typer.Option(help="Where to write the stance model.")] = Path(
        "src/medcite/resources/stance.npz"
    ),
) -> None:
    """Train the stance model (the shipped artefact is built by exactly this command)."""
    from medcite.answer.train import train_stance

    if not shared_data.exists():
        raise InputError(f"no training data at {shared_data}")
    report = train_stance(shared_data, out, settings=STATE.settings)
    typer.echo(json.dumps(report, indent=2, default=str))


@train_app.command("reader")
def train_reader_command(
    shared_data: Annotated[
        Path, typer.Option(help="Shared data folder (MedQuAD, SciFact, Evidence Inference).")
    ] = SHARED_DATA,
    out: Annotated[Path, typer.Option(help="Folder to write the reader to.")] = Path(
        "src/medcite/resources/reader"
    ),
    layers: Annotated[int, typer.Option(min=1, max=6, help="MiniLM layers kept.")] = 4,
    epochs: Annotated[int, typer.Option(min=1, help="Passes over the training pairs.")] = 1,
    device: Annotated[
        str, typer.Option(help="auto (a CUDA GPU where there is one), cpu or cuda.")
    ] = "auto",
    medquad_questions: Annotated[
        int, typer.Option(min=1, help="MedQuAD questions sampled (each gives up to 4 pairs).")
    ] = 5000,
) -> None:
    """Fine-tune the reader cross-encoder and write it with its model card (the shipped model
    is built by exactly this command: ~32 minutes on 2 cores, about a minute on a GPU)."""
    from medcite.reader.data import Sizes
    from medcite.reader.train import TrainSettings, train_reader

    if not shared_data.exists():
        raise InputError(f"no training data at {shared_data}")
    if device not in {"auto", "cpu", "cuda"}:
        raise InputError("device must be auto, cpu or cuda", "bad_device")
    settings = TrainSettings(
        layers=layers,
        epochs=epochs,
        device=device,
        sizes=Sizes(medquad_questions=medquad_questions),
    )
    train_reader(shared_data, out, settings, log=lambda line: typer.echo(line, err=True))


@train_app.command("judge")
def train_judge_command(
    shared_data: Annotated[
        Path, typer.Option(help="Shared data folder (the reader's own pairs, replayed).")
    ] = SHARED_DATA,
    judged: Annotated[
        Path, typer.Option(help="Folder of judged review sheets (sheet-*.md, review-*.md).")
    ] = Path("eval/judged"),
    reader: Annotated[Path, typer.Option(help="The reader to start from.")] = Path(
        "src/medcite/resources/reader"
    ),
    out: Annotated[Path, typer.Option(help="Folder to write the judge to.")] = Path(
        "src/medcite/resources/judge"
    ),
    held_sets: Annotated[
        str, typer.Option(help="Review sets held out, comma-separated (default: the newest 8).")
    ] = ",".join(HELD_SETS),
) -> None:
    """Fine-tune the reader on reviewers' judgements of earlier answers and write the judge with
    its model card (the shipped judge is built by exactly this command: ~15 minutes on 2 cores;
    it read the reviews of sets A–CD: a retrain also reads any judged since)."""
    from medcite.reader.judge import JudgeSettings, train_judge

    for folder, what in ((shared_data, "training data"), (judged, "judged reviews")):
        if not folder.exists():
            raise InputError(f"no {what} at {folder}")
    settings = JudgeSettings(held_sets=tuple(s.strip() for s in held_sets.split(",") if s.strip()))
    train_judge(
        shared_data, judged, reader, out, settings, log=lambda line: typer.echo(line, err=True)
    )


@eval_app.command("mediqa")
def eval_mediqa(
    file: Annotated[
        Path,
        typer.Argument(
            help="MEDIQA 2019 task-3 XML (e.g. ../shared/data/mediqa2019/…-Alexa.xml.gz)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    misses: Annotated[bool, typer.Option(help="Also list the questions missed.")] = False,
) -> None:
    """Every candidate answer of FILE in one fresh index; each question asked; precision at 1 of
    the first-cited answer against NLM's judgements, share answered, CHiQA's baseline."""
    from medcite.eval.mediqa import evaluate_mediqa

    if not file.exists():
        raise InputError(f"no such file: {file}")
    report = evaluate_mediqa(file, STATE.settings, progress=not as_json)
    data = report.to_dict()
    if misses:
        data["misses"] = report.misses
    if as_json:
        typer.echo(json.dumps(data))
        return
    _echo_report({k: v for k, v in data.items() if k != "misses"}, False, width=24)
    for miss in report.misses if misses else []:
        typer.echo(f"  missed {miss['qid']}: {miss['question']} -> {miss['first_cited']}")


@eval_app.command("claims")
def eval_claims(
    file: Annotated[
        Path,
        typer.Argument(
            help="SciFact claims JSONL (e.g. ../shared/data/scifact/claims_train.jsonl)."
        ),
    ],
    every: Annotated[
        bool,
        typer.Option("--all", help="Every claim, not only those the reader never trained on."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Each claim asked as a yes/no question over the index: accuracy, committed precision, "no"
    recall, coverage, no-evidence claims committed, gold abstracts cited."""
    from medcite.answer.engine import Engine
    from medcite.eval.claims import evaluate_claims, read_claims

    claims = read_claims(file)
    with _store(read_only=True) as store:
        report = evaluate_claims(
            claims, Engine(store, STATE.settings), held_out=not every, progress=not as_json
        )
    _echo_report(report.to_dict(), as_json, width=22)


@eval_app.command("review-sheet")
def eval_review_sheet(
    questions: Annotated[Path, typer.Argument(help="One question per line (# comments).")],
    audience: Annotated[str, typer.Option(help="clinician, student or patient.")] = "clinician",
) -> None:
    """Answer a question set and print the answers laid out for a reviewer with the rubric
    (shared/eval/answer-review.md): verdict, bottom line, numbered items, references."""
    from medcite.answer.engine import Engine
    from medcite.answer.model import Audience
    from medcite.eval.citations import read_questions
    from medcite.eval.review import entry, refused

    if audience not in {a.value for a in Audience}:
        raise InputError("audience must be clinician, student or patient", "bad_audience")
    with _store(read_only=True) as store:
        engine = Engine(store, STATE.settings)
        for number, question in enumerate(read_questions(questions), 1):
            try:
                answer = engine.answer(question, Audience(audience), save=False)
            except InputError as exc:  # too long, empty: the polite refusal is the answer
                typer.echo(refused(number, question, str(exc)))
                continue
            typer.echo(entry(number, answer))


@eval_app.command("review-figures")
def eval_review_figures(
    files: Annotated[
        list[Path], typer.Argument(help="Judged review files (eval/judged/review-*.md).")
    ],
    part_size: Annotated[
        int | None,
        typer.Option(help="Also the figures of each run of this many questions (e.g. 20)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The rubric's figures from judged review files: bottom-line labels and the share correct of
    answered questions, item labels, mean usefulness, abstentions (doubtful), unsupported."""
    from medcite.eval.judged import by_part, figures, read_judgements

    judgements = read_judgements(files)
    if not judgements:
        raise InputError("no judgement lines (Qn | bottom: … | items: …) in the files", "empty")
    report: dict[str, Any] = figures(judgements).to_dict()
    if part_size:
        report["parts"] = {
            name: part.to_dict() for name, part in by_part(judgements, part_size).items()
        }
    _echo_report(report, as_json, width=14)


@eval_app.command("retrieval")
def eval_retrieval(
    corpus: Annotated[Path, typer.Option(help="SciFact-format corpus JSONL (.gz ok).")],
    queries: Annotated[Path, typer.Option(help="Queries JSONL with id and claim.")],
    qrels: Annotated[Path, typer.Option(help="TSV: query-id corpus-id score, with header.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    run: Annotated[Path | None, typer.Option(help="Write a TREC run file here.")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, bm25 or dense.")] = "hybrid",
    limit: Annotated[int | None, typer.Option(help="Only the first N queries.")] = None,
) -> None:
    """Index a corpus alone in a temporary store and score retrieval against qrels."""
    from medcite.eval.retrieval import evaluate_retrieval
    from medcite.retrieve.hybrid import Mode

    report = evaluate_retrieval(
        corpus,
        queries,
        qrels,
        STATE.settings,
        mode=Mode(mode),
        run_path=run,
        limit=limit,
        progress=not as_json,
    )
    _echo_report(report.to_dict(), as_json, width=12)


def main() -> None:
    """Entry point: run the app, mapping MedCite errors to a message and exit code 1."""
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except MedCiteError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except typer.Abort:
        sys.exit(130)
    except (typer.BadParameter, typer.Exit) as exc:
        if isinstance(exc, typer.Exit):
            sys.exit(exc.exit_code)
        typer.echo(f"error: {exc.format_message()}", err=True)  # names the option
        sys.exit(2)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if os.environ.get("MEDCITE_DEBUG"):
            raise
        typer.echo(
            f"error: unexpected failure ({exc!r}); set MEDCITE_DEBUG=1 for details", err=True
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
