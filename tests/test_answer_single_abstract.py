"""The answer engine when the whole corpus is one abstract (PubMedQA reasoning-required): it
must answer from that abstract — read whole, its result passage included — instead of
abstaining because the abstract does not repeat the question's words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medcite.answer.engine import Engine
from medcite.answer.model import Verdict
from medcite.answer.training_data import read_pubmedqa
from medcite.eval.citations import CitationReport, check_answer
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder
from medcite.ingest.base import ReadOptions
from medcite.ingest.datasets import pubmedqa_record
from medcite.ingest.pipeline import IngestReport, ingest_items
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore, open_store
from tests.conftest import FIXTURES

RECORDS = FIXTURES / "stance" / "pubmedqa_20.json"


def abstracts_alone(
    tmp_path: Path, embedder: Embedder
) -> Iterator[tuple[str, dict[str, Any], SQLiteStore, Settings]]:
    """Each fixture record with a store of its own that holds its abstract without the
    conclusion, open while the caller reads it."""
    for pmid, record in sorted(read_pubmedqa(RECORDS).items()):
        path = tmp_path / f"{pmid}.sqlite"
        settings = Settings().with_store(path)
        with open_store(path) as store:
            source = pubmedqa_record(pmid, record, ReadOptions(), include_conclusion=False)
            ingest_items(store, [source], settings.chunk, IngestReport())
            embed_missing(store, embedder, settings.embedding, progress=False)
            yield pmid, record, store, settings


def test_engine_answers_from_a_single_abstract(tmp_path: Path, embedder: Embedder) -> None:
    verdicts: list[Verdict | None] = []
    read: list[bool] = []
    for pmid, record, store, settings in abstracts_alone(tmp_path, embedder):
        answer = Engine(store, settings, embedder=embedder).answer(
            str(record["QUESTION"]), save=False
        )
        verdicts.append(answer.bottom_line.verdict)
        # the abstract was found and read, whether its sentences answer or "none of them
        # states an answer" (not enough evidence, saying what the corpus has)
        read.append(
            answer.bottom_line.verdict in (Verdict.YES, Verdict.NO, Verdict.UNCERTAIN)
            or "in the corpus discuss" in answer.bottom_line.text
        )
        report = CitationReport()
        check_answer(answer, report)
        assert report.failures == [] and report.uncited_references == 0
        assert {ref.doc_id for ref in answer.references} <= {f"pmid:{pmid}"}
        if answer.bottom_line.verdict in (Verdict.YES, Verdict.NO):
            assert answer.bottom_line.citations, "a yes or a no cites the abstract"
    # Every record is a yes/no question about its own abstract. Before the engine read the best
    # documents whole and counted a close abstract as covering the question, about a third
    # abstained (insufficient_evidence) or was not seen as a yes/no question.
    assert sum(read) >= 18, verdicts
    assert sum(v in (Verdict.YES, Verdict.NO) for v in verdicts) >= 10, verdicts


def test_a_study_without_its_conclusions_answers_from_its_results(
    tmp_path: Path, embedder: Embedder
) -> None:
    """A study titled with the question whose conclusions are not in the corpus: its result
    sentences count in the verdict at ``reader_verdict_own_results``, below the floor other
    sentences need (at the same floor, most of these questions were "Uncertain")."""
    labels = {Verdict.YES: "yes", Verdict.NO: "no"}
    committed = {0.5: 0, 0.2: 0}
    right = {0.5: 0, 0.2: 0}
    for _, record, store, settings in abstracts_alone(tmp_path, embedder):
        for floor in committed:
            answer_settings = settings.answer.model_copy(
                update={"reader_verdict_own_results": floor}
            )
            engine = Engine(
                store, settings.model_copy(update={"answer": answer_settings}), embedder=embedder
            )
            answer = engine.answer(str(record["QUESTION"]), save=False)
            said = labels.get(answer.bottom_line.verdict)
            committed[floor] += said is not None
            right[floor] += said == record["final_decision"]
    assert committed[0.2] > committed[0.5], committed
    assert right[0.2] > right[0.5], right
