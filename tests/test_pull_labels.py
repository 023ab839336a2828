"""``medcite pull openfda-labels``, ``dailymed`` and ``medlineplus`` against the local server
(:mod:`medcite.bench.source_server`) serving the real sample files of each service: labels and
topics end to end, the next pull fetching only what is new, and a dose question answered from a
pulled label with the label's own numbers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from medcite.answer.engine import Engine
from medcite.bench.source_server import SOURCES, SourceServer, pull_once, serving
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder
from medcite.pull.base import PullState
from medcite.pull.labels import DailyMedLabels, OpenFDALabels
from medcite.pull.medlineplus import MedlinePlusTopics
from medcite.settings import Settings
from medcite.store.postgres import PostgresStore
from medcite.store.sqlite import SQLiteStore

OPENFDA = sorted((SOURCES / "openfda").glob("label_*.json"))
LIPITOR = ("c6e131fe-e7df-4876-83f7-9156fc4e8228", "11", "LIPITOR (atorvastatin calcium) tablet")
SPLS = {
    LIPITOR[0]: (LIPITOR[1], LIPITOR[2], SOURCES / "dailymed" / "lipitor_atorvastatin_spl.xml"),
    "0b0be196-0c62-461c-94f4-9a35339b4501": (
        "20",
        "VIAGRA (sildenafil citrate) tablet",
        SOURCES / "dailymed" / "viagra_sildenafil_spl.xml",
    ),
    "00f66f25-3469-4c16-9baf-fba21e9628bd": (
        "1",
        "TRIAMINIC (diphenhydramine HCl, phenylephrine HCl) solution",
        SOURCES / "dailymed" / "otc_cough_spl.xml",
    ),
}
TOPICS = SOURCES / "medlineplus" / "mplus_topics_2012-07-21_excerpt.xml"


@pytest.fixture()
def server() -> Iterator[SourceServer]:
    labels = [json.loads(path.read_bytes())["results"][0] for path in OPENFDA]
    with serving(SourceServer(labels=labels, spls=dict(SPLS))) as running:
        yield running


def test_openfda_labels_end_to_end_then_only_newer_labels(
    server: SourceServer, store: SQLiteStore | PostgresStore, tmp_path: Path
) -> None:
    settings = server.settings_for(tmp_path, openfda_batch=1)
    search = 'openfda.product_type:"HUMAN"'
    report = pull_once(OpenFDALabels(settings.pull, search), store, settings)
    assert (report.planned, report.applied, report.ingest.added) == (4, 4, 4)
    assert not report.ingest.problems
    ids = {f"label:{json.loads(p.read_bytes())['results'][0]['set_id']}" for p in OPENFDA}
    found = store.documents(ids)
    assert set(found) == ids
    assert {d.evidence_type.value for d in found.values()} == {"drug_label"}
    pages = server.asked("/drug/label.json")
    assert [(q["limit"], q.get("skip")) for q in pages] == [("1", None)] + [
        ("1", str(n)) for n in range(4)
    ]
    state = PullState.load(store, OpenFDALabels(settings.pull, search).state_key)
    assert state.applied == [] and state.data["done_until"]

    again = pull_once(OpenFDALabels(settings.pull, search), store, settings)
    assert "AND effective_time:[" in server.asked("/drug/label.json")[-1]["search"]
    assert again.planned == 0  # every label is older than the last pull


def test_an_openfda_search_without_hits_is_no_error(
    server: SourceServer, tmp_path: Path, store: SQLiteStore | PostgresStore
) -> None:
    settings = server.settings_for(tmp_path)
    report = pull_once(
        OpenFDALabels(settings.pull, 'openfda.generic_name:"nonesuch"'), store, settings
    )
    assert (report.planned, report.applied) == (0, 0)


def test_dailymed_labels_end_to_end_then_only_new_versions(
    server: SourceServer, store: SQLiteStore | PostgresStore, tmp_path: Path
) -> None:
    settings = server.settings_for(tmp_path)
    report = pull_once(DailyMedLabels(settings.pull, "tablet"), store, settings)
    assert (report.planned, report.ingest.added) == (2, 2)  # Lipitor and Viagra
    (document,) = store.documents([f"label:{LIPITOR[0]}"]).values()
    assert document.evidence_type.value == "drug_label" and document.source == "DailyMed"
    assert pull_once(DailyMedLabels(settings.pull, "tablet"), store, settings).planned == 0

    server.spls[LIPITOR[0]] = ("12", LIPITOR[2], SPLS[LIPITOR[0]][2])  # DailyMed lists v12
    report = pull_once(DailyMedLabels(settings.pull, "lipitor"), store, settings)
    assert report.planned == 1 and f"{LIPITOR[0]}:12" in PullState.load(store, "dailymed").applied


def test_medlineplus_takes_the_newest_file_once(
    server: SourceServer, store: SQLiteStore | PostgresStore, tmp_path: Path
) -> None:
    settings = server.settings_for(tmp_path)
    server.files["/medlineplus/xml.html"] = (
        b'<html><body><a href="https://example.org/elsewhere.html">about</a>'
        b'<a href="xml/mplus_topics_2012-07-14.xml">older</a>'
        b'<a href="xml/mplus_topics_2012-07-21.xml">Health topics XML</a>'
        b'<a href="xml/mplus_topics_compressed_2012-07-21.zip">zip</a></body></html>'
    )
    server.files["/medlineplus/xml/mplus_topics_2012-07-21.xml"] = TOPICS.read_bytes()
    report = pull_once(MedlinePlusTopics(settings.pull), store, settings)
    assert report.applied == 1 and report.ingest.added >= 1 and not report.ingest.problems
    assert [p for p, _ in server.requests if "2012-07-14" in p] == []
    (document,) = store.documents(["medlineplus:3061"]).values()
    assert document.title == "Abdominal Pain" and document.evidence_type.value == "consumer_health"
    assert pull_once(MedlinePlusTopics(settings.pull), store, settings).planned == 0


def test_a_pulled_label_answers_a_dose_question_with_its_numbers(
    server: SourceServer, tmp_path: Path, embedder: Embedder
) -> None:
    from medcite.store.sqlite import open_store

    settings = server.settings_for(tmp_path)
    with open_store(settings.store.path) as store:
        pull_once(DailyMedLabels(settings.pull, "tablet"), store, settings)
        embed_missing(store, embedder, settings.embedding, progress=False)
        engine = Engine(store, settings, embedder=embedder)
        answer = engine.answer("What is the recommended starting dose of atorvastatin?", save=False)
    data = answer.to_dict()
    label = f"label:{LIPITOR[0]}"
    cited = [ref for ref in data["references"] if ref["doc_id"] == label]
    assert cited, data
    sentences = [
        item["text"]
        for section in data["sections"]
        for item in section["items"]
        if any(n == cited[0]["n"] for n in item["citations"])
    ] + [data["bottom_line"]["text"]]
    assert any("10 or 20 mg once daily" in text for text in sentences), sentences


def test_an_older_label_version_never_replaces_a_newer_one(
    store: SQLiteStore | PostgresStore, tmp_path: Path
) -> None:
    from medcite.ingest.pipeline import ingest_paths

    spl = SPLS[LIPITOR[0]][2]
    older = tmp_path / "lipitor-v10.xml"  # made for this test: the real SPL, its version 10
    older.write_bytes(
        spl.read_bytes().replace(b'<versionNumber value="11"/>', b'<versionNumber value="10"/>')
    )
    settings = Settings()
    first = ingest_paths(store, [spl], settings.chunk, progress=False)
    late = ingest_paths(store, [older], settings.chunk, progress=False)
    assert (first.added, late.replaced, late.unchanged, late.older) == (1, 0, 1, 1)
    (kept,) = store.documents([f"label:{LIPITOR[0]}"]).values()
    assert kept.identifiers["spl_version"] == "11"
    newer = ingest_paths(store, [spl], settings.chunk, progress=False)
    assert newer.older == 0 and newer.unchanged == 1
