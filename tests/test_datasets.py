"""Readers of the shipped datasets, on real records copied into tests/fixtures/datasets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medcite.ingest.base import ReadOptions
from medcite.ingest.datasets import (
    read_evidence_inference,
    read_medquad,
    read_ncbi_disease,
    read_ngc,
    read_pubmedqa,
    read_scifact,
    read_uspstf,
)
from medcite.ingest.pipeline import to_passages
from medcite.ingest.registry import detect_format
from medcite.records import EvidenceType, RecordProblem, SourceDocument
from medcite.settings import DATA_DIR, Settings
from medcite.text import split_sentences

from .conftest import DATASETS, FIXTURE_FILES


def _docs(items: object) -> list[SourceDocument]:
    out = list(items)  # type: ignore[call-overload]
    assert not [i for i in out if isinstance(i, RecordProblem)]
    return out


def test_pubmedqa_full_abstract_is_contexts_plus_long_answer() -> None:
    docs = _docs(read_pubmedqa(DATASETS / "pubmedqa.json", ReadOptions()))
    assert len(docs) == 25
    first = docs[0]
    assert first.document.id.startswith("pmid:") and first.document.pmid
    assert first.sections[-1].label == "CONCLUSIONS"
    assert first.document.mesh and first.document.year


def test_medquad_keeps_only_answers_with_text() -> None:
    docs = _docs(read_medquad(DATASETS / "medquad.jsonl", ReadOptions()))
    assert len(docs) == 13  # the 3 MedlinePlus records without answers are skipped
    assert {d.document.evidence_type for d in docs} == {EvidenceType.CONSUMER_HEALTH}
    assert all(d.document.url and "#" not in d.document.id for d in docs)


def test_scifact_abstract_sentences_become_text() -> None:
    docs = _docs(read_scifact(DATASETS / "scifact.jsonl", ReadOptions()))
    assert len(docs) == 10 and docs[0].document.id.startswith("scifact:")


def test_ngc_guidelines_are_guidelines_with_recommendations() -> None:
    docs = _docs(read_ngc(DATASETS / "ngc.jsonl", ReadOptions()))
    assert len(docs) == 3
    assert all(d.document.evidence_type is EvidenceType.GUIDELINE for d in docs)
    assert all(d.sections[0].label == "MAJOR RECOMMENDATIONS" for d in docs)
    assert all(d.document.year for d in docs)


def test_uspstf_recommendations_carry_their_grade() -> None:
    docs = _docs(read_uspstf(DATASETS / "uspstf.json", ReadOptions()))
    assert len(docs) == 5
    assert all("USPSTF grade" in d.sections[0].text for d in docs)
    assert "<" not in docs[0].sections[0].text


def test_uspstf_citation_numbers_leave_the_sentences() -> None:
    """The API's <sup> citation numbers would glue "women.13 The Centers …" into one sentence,
    its linked ones "years.2, 9 Further, …"; its exit-disclaimer links are no text."""
    ocular, breast = _docs(read_uspstf(DATASETS / "uspstf_cited.json", ReadOptions()))
    service = ocular.sections[-1].text
    assert "as well as pregnant women. The Centers for Disease Control" in service
    assert service.endswith("gonococcal ophthalmia neonatorum.")
    risk = next(s.text for s in breast.sections if s.label == "RISK ASSESSMENT")
    assert "in women aged 40 to 49 years. Further, the CISNET models" in risk
    assert "(available at www.cancer.gov/BCRISKTOOL), have good calibration" in risk
    assert "offsite" not in risk and not re.search(r"[a-z]\.\d", risk)
    sentences = split_sentences(risk)
    assert any(s.startswith("However, given the increased burden") for s in sentences)


def test_evidence_inference_keeps_open_licences_only() -> None:
    docs = _docs(read_evidence_inference(DATASETS / "evidence_inference.jsonl", ReadOptions()))
    assert len(docs) == 6  # the 2 CC BY-NC articles are not redistributed
    assert all(d.document.licence and d.document.licence.startswith("CC BY") for d in docs)
    assert all(d.document.evidence_type is EvidenceType.RCT for d in docs)


def test_ncbi_disease_abstracts() -> None:
    docs = _docs(read_ncbi_disease(DATASETS / "ncbi_disease.jsonl", ReadOptions()))
    assert len(docs) == 8 and docs[0].document.keywords


def test_options_override_source_and_evidence_type() -> None:
    options = ReadOptions(source="mine", evidence_type=EvidenceType.GUIDELINE)
    doc = _docs(read_scifact(DATASETS / "scifact.jsonl", options))[0]
    assert (doc.document.source, doc.document.evidence_type) == ("mine", EvidenceType.GUIDELINE)


@pytest.mark.parametrize(("name", "fmt"), FIXTURE_FILES)
def test_format_detection(name: str, fmt: str) -> None:
    assert detect_format(DATASETS / name) == fmt


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA_DIR / "corpus").glob("*.gz")))
def test_shipped_corpus_files_are_detected(name: str) -> None:
    assert detect_format(DATA_DIR / "corpus" / name) != "jsonl"


def test_passages_are_bounded_and_ids_stable() -> None:
    settings = Settings().chunk
    doc = _docs(read_ngc(DATASETS / "ngc.jsonl", ReadOptions()))[0]
    passages = to_passages(doc, settings)
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    assert all(p.id == f"{doc.document.id}#{p.ordinal}" for p in passages)
    assert max(len(p.text.split()) for p in passages) <= settings.max_words * 1.5
    assert passages == to_passages(doc, settings)


def test_bad_json_files_become_problems(tmp_path: Path) -> None:
    broken = tmp_path / "pubmedqa.json"
    broken.write_text('{"123": {"QUESTION": "x"')
    items = list(read_pubmedqa(broken, ReadOptions()))
    assert len(items) == 1 and isinstance(items[0], RecordProblem)
