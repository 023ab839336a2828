"""Hybrid retrieval over a real SQLite store built from fixture records of every dataset."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from medcite.ingest.pipeline import IngestReport, ingest_items
from medcite.records import Document, EvidenceType, Section, SourceDocument
from medcite.retrieve.hybrid import Mode, Retriever
from medcite.retrieve.query import parse_query
from medcite.retrieve.vocabulary import (
    concepts_for_phrases,
    medquad_rows,
    names_a_drug,
    vocabulary_aliases,
)
from medcite.settings import Settings
from medcite.store.base import Filters
from medcite.store.sqlite import SQLiteStore, open_store
from medcite.text import american, noun_forms

from .conftest import HIT_FIELDS


@pytest.fixture(scope="module")
def retriever(evidence_store: SQLiteStore, embedder: object) -> Retriever:
    return Retriever(evidence_store, Settings(), embedder)  # type: ignore[arg-type]


def test_synonyms_lay_phrase_finds_technical_term(evidence_store: SQLiteStore) -> None:
    query = parse_query("low white blood cell count", Settings().retrieval, evidence_store)
    expanded = {s for synonyms in query.expansions.values() for s in synonyms}
    assert "leukopenia" in expanded


def test_synonyms_technical_term_finds_lay_phrase(evidence_store: SQLiteStore) -> None:
    query = parse_query("causes of leukopenia", Settings().retrieval, evidence_store)
    expanded = {s for synonyms in query.expansions.values() for s in synonyms}
    assert "low white blood cell count" in expanded


def test_a_name_s_aliases_are_its_mesh_concept_s_other_names(tmp_path: Path) -> None:
    # set AX: the page on low blood pressure's symptoms is titled "Hypotension"
    with _tiny_store(tmp_path / "s.sqlite", []) as store:
        store.put_vocabulary(
            [
                ("low blood pressure", "mesh:D007022", "low blood pressure", "mesh"),
                ("hypotension", "mesh:D007022", "Hypotension", "mesh"),
                ("vascular hypotension", "mesh:D007022", "Vascular Hypotension", "mesh"),
                ("lbp", "mesh:D007022", "LBP", "mesh"),
                ("low blood pressure", "lay:x", "low blood pressure", "lay"),
                ("preeclampsia", "lay:x", "preeclampsia", "lay"),
            ]
        )
        aliases = vocabulary_aliases(store, "low blood pressure")
    assert aliases == ("hypotension", "vascular hypotension")  # no initialism, no lay pairing


def test_a_lay_phrase_s_aliases_include_the_term_it_glosses_when_confirmed(tmp_path: Path) -> None:
    # set BO: "Why are his platelets so low?" never reached "What causes Thrombocytopenia ?";
    # MedQuAD also glosses "high blood pressure (preeclampsia)", which no other vocabulary says
    with _tiny_store(tmp_path / "s.sqlite", []) as store:
        store.put_vocabulary(
            [
                ("low platelet count", "lay:thrombocytopenia", "low platelet count", "lay"),
                ("thrombocytopenia", "lay:thrombocytopenia", "thrombocytopenia", "lay"),
                ("low platelet count", "nci:thrombocytopenia", "low platelet count", "nci"),
                ("thrombocytopenia", "nci:thrombocytopenia", "thrombocytopenia", "nci"),
                ("high blood pressure", "lay:preeclampsia", "high blood pressure", "lay"),
                ("preeclampsia", "lay:preeclampsia", "preeclampsia", "lay"),
                ("high blood pressure", "nci:hypertension", "high blood pressure", "nci"),
                ("hypertension", "nci:hypertension", "hypertension", "nci"),
            ]
        )
        platelets = vocabulary_aliases(store, "low platelet count")
        pressure = vocabulary_aliases(store, "high blood pressure")
    assert platelets == ("thrombocytopenia",)
    assert "preeclampsia" not in pressure


def test_a_name_s_aliases_include_the_consumer_page_it_is_another_name_on(tmp_path: Path) -> None:
    # set BK: "Aase syndrome" is on GHR's Diamond-Blackfan anemia pages; the page's other
    # names are not taken (its "also called" list names related conditions too)
    with _tiny_store(tmp_path / "s.sqlite", []) as store:
        store.put_vocabulary(
            [
                ("aase syndrome", "medquad:diamond-blackfan anemia", "Aase syndrome", "medquad"),
                ("dba", "medquad:diamond-blackfan anemia", "DBA", "medquad"),
                (
                    "congenital hypoplastic anemia",
                    "medquad:diamond-blackfan anemia",
                    "congenital hypoplastic anemia",
                    "medquad",
                ),
            ]
        )
        aliases = vocabulary_aliases(store, "aase syndrome")
        own = vocabulary_aliases(store, "congenital hypoplastic anemia")
    assert aliases == ("diamond-blackfan anemia",)
    assert own == ("diamond-blackfan anemia",)


def test_an_adjective_known_only_as_a_drug_class_finds_the_condition_first(
    tmp_path: Path,
) -> None:
    # set AX: "a newborn found to be hypoglycemic" searched Hypoglycemic Agents and abstained
    with _tiny_store(tmp_path / "s.sqlite", []) as store:
        store.put_vocabulary(
            [
                ("hypoglycemic", "mesh-drug:D007004", "Hypoglycemic", "mesh"),
                ("hypoglycemia", "mesh:D007003", "Hypoglycemia", "mesh"),
                ("anticonvulsant", "mesh-drug:D000927", "Anticonvulsant", "mesh"),
            ]
        )
        found = concepts_for_phrases(store, ["hypoglycemic", "anticonvulsant"])
    assert found["hypoglycemic"] == ["mesh:D007003", "mesh-drug:D007004"]
    assert found["anticonvulsant"] == ["mesh-drug:D000927"]  # no condition of that name


@pytest.mark.parametrize(
    ("british", "us"),
    [
        ("diarrhoea", "diarrhea"),
        ("iron deficiency anaemia", "iron deficiency anemia"),
        ("oesophageal cancer", "esophageal cancer"),
        ("brain tumour", "brain tumor"),
        ("immunisation", "immunization"),
        ("dietary fibre", "dietary fiber"),
        ("four hours", "four hours"),  # short words are left alone
        ("does", "does"),
    ],
)
def test_american_spelling(british: str, us: str) -> None:
    assert american(british) == us


def test_british_spelling_reaches_the_american_vocabulary_term(
    evidence_store: SQLiteStore,
) -> None:
    british = parse_query("causes of leukopaenia", Settings().retrieval, evidence_store)
    american = parse_query("causes of leukopenia", Settings().retrieval, evidence_store)
    assert "leukopaenia" in british.expansions
    expanded = set(british.expansions["leukopaenia"])
    assert "low white blood cell count" in expanded
    assert expanded - {"leukopenia"} == set(american.expansions["leukopenia"])


def test_synonyms_the_corpus_never_says_are_not_searched(tmp_path: Path) -> None:
    # review set T: "Synthroid" was searched as "Dexnon", "Eferox", "Eutirox", "Levo-T" (the
    # shortest of 40 names) and never as thyroxine, which the hypothyroidism page says
    settings = Settings()
    with open_store(tmp_path / "s.sqlite") as store:
        document = Document("d", "Hypothyroidism", EvidenceType.CONSUMER_HEALTH, "test")
        text = "Providers treat hypothyroidism with synthetic thyroxine."
        ingest_items(
            store,
            [SourceDocument(document, (Section(None, text),))],
            settings.chunk,
            IngestReport(),
        )
        names = ("synthroid", "thyroxine", "eferox", "dexnon")
        store.put_vocabulary((name, "mesh:D013974", name, "mesh") for name in names)
        query = parse_query("synthroid dose", settings.retrieval, store)
    assert query.expansions == {"synthroid": ("thyroxine",)}


def test_another_kind_an_entry_term_names_is_not_searched(tmp_path: Path) -> None:
    # set BI: MeSH's Blood Group Incompatibility holds "ABO Incompatibility" and "Rh
    # Incompatibility"; a question on the one was answered from the other's pages
    settings = Settings()
    with open_store(tmp_path / "s.sqlite") as store:
        document = Document("d", "Transfusion", EvidenceType.CONSUMER_HEALTH, "test")
        text = (
            "Rh incompatibility and blood group incompatibility are rare. Hepatitis B (HBV) is"
            " spread by blood."
        )
        ingest_items(
            store,
            [SourceDocument(document, (Section(None, text),))],
            settings.chunk,
            IngestReport(),
        )
        names = ("ABO Incompatibility", "Rh Incompatibility", "Blood Group Incompatibility")
        store.put_vocabulary(
            [(name.lower(), "mesh:D001787", name, "mesh") for name in names]
            + [(name.lower(), "mesh:D006509", name, "mesh") for name in ("Hepatitis B", "HBV")]
        )
        abo = parse_query("abo incompatibility", settings.retrieval, store)
        hepatitis = parse_query("hepatitis b", settings.retrieval, store)
    assert abo.expansions == {"abo incompatibility": ("blood group incompatibility",)}
    assert hepatitis.expansions == {"hepatitis b": ("hbv",)}


def _tiny_store(path: Path, names: list[tuple[str, str]]) -> SQLiteStore:
    settings = Settings()
    store = open_store(path)
    document = Document("d", "Fractures", EvidenceType.CONSUMER_HEALTH, "test")
    text = "A chip fracture; clonal hematopoiesis of indeterminate potential; people with asthma."
    ingest_items(
        store, [SourceDocument(document, (Section(None, text),))], settings.chunk, IngestReport()
    )
    store.put_vocabulary((term, concept, term, "nci") for term, concept in names)
    return store


def test_a_word_in_lower_case_is_not_the_initialism_it_spells(tmp_path: Path) -> None:
    # review set V: "a chip fracture off the triquetrum" was searched as clonal hematopoiesis
    concept = "nci:clonal hematopoiesis of indeterminate potential"
    names = [("chip", concept), ("clonal hematopoiesis of indeterminate potential", concept)]
    retrieval = Settings().retrieval
    with _tiny_store(tmp_path / "s.sqlite", names) as store:
        typed_low = parse_query("Her x-ray showed a chip fracture", retrieval, store)
        typed_up = parse_query("What is CHIP in older adults?", retrieval, store)
        all_lower = parse_query("what is chip in older adults", retrieval, store)
    assert "chip" not in typed_low.expansions
    assert typed_up.expansions["chip"] == ("clonal hematopoiesis of indeterminate potential",)
    assert "chip" in all_lower.expansions  # no capitals anywhere: case tells nothing


def test_a_word_in_lower_case_is_not_a_mixed_case_acronym(tmp_path: Path) -> None:
    # set AC: "If a child receives …" was searched as children's interstitial lung disease
    concept = "medquad:children's interstitial lung disease"
    with _tiny_store(tmp_path / "s.sqlite", []) as store:
        store.put_vocabulary(
            [
                ("child", concept, "ChILD", "medquad"),
                ("chILD disease", concept, "chILD disease", "medquad"),
                ("aids", "nci:aids", "AIDS", "nci"),
            ]
        )
        found = concepts_for_phrases(store, ["child", "aids"], frozenset({"mmr"}))
        typed_up = concepts_for_phrases(store, ["child"], frozenset({"child"}))
    assert "child" not in found
    assert found["aids"] == ["nci:aids"]  # an all-capital acronym is left to its spelling
    assert typed_up["child"] == [concept]  # written as the acronym: meant as it


def test_a_word_for_a_patient_finds_the_condition(tmp_path: Path) -> None:
    names = [("asthma", "mesh:D001249"), ("asthma bronchiale", "mesh:D001249")]
    with _tiny_store(tmp_path / "s.sqlite", names) as store:
        query = parse_query("asthmatic children", Settings().retrieval, store)
    assert query.expansions == {"asthmatic": ("asthma",)}


@pytest.mark.parametrize(
    ("adjective", "condition"),
    [
        ("asthmatic", "asthma"),
        ("diabetics", "diabetes"),
        ("anemic", "anemia"),
        ("hypertensive", "hypertension"),
        ("epileptic", "epilepsy"),
        ("cirrhotic", "cirrhosis"),
        ("hypothyroid", "hypothyroidism"),  # set BZ: "why did she get hypothyroid?"
    ],
)
def test_noun_forms_guess_the_condition_first(adjective: str, condition: str) -> None:
    assert noun_forms(adjective)[0] == condition


@pytest.mark.parametrize("word", ["liver", "panic", "asthmatic attack"])
def test_noun_forms_of_short_words_and_phrases_are_none(word: str) -> None:
    assert noun_forms(word) == []


@pytest.mark.parametrize(
    ("phrase", "drug"),
    [
        ("synthroid", True),
        ("Levothyroxine", True),
        ("metformin", True),
        ("hypothyroidism", False),
        ("vitamin b12 deficiency", False),
        ("", False),
    ],
)
def test_the_vocabulary_tells_a_drug(evidence_store: SQLiteStore, phrase: str, drug: bool) -> None:
    # set T: "What causes synthroid?" was offered as a follow-up
    assert names_a_drug(evidence_store, phrase) is drug


def test_lay_query_retrieves_passage_that_says_leukopenia(retriever: Retriever) -> None:
    hits = retriever.search("low white blood cell count", k=10, mode=Mode.BM25).hits
    assert any("leukopenia" in hit.passage.text.lower() for hit in hits)


def test_hybrid_ranks_relevant_consumer_page_first(retriever: Retriever) -> None:
    hits = retriever.search("What are the symptoms of anaplasmosis?", k=5).hits
    assert hits and "anaplasmosis" in hits[0].document.title.lower()


def test_ranking_is_deterministic(retriever: Retriever) -> None:
    first = [(h.passage.id, h.score) for h in retriever.search("blood cell disorders", k=20).hits]
    second = [(h.passage.id, h.score) for h in retriever.search("blood cell disorders", k=20).hits]
    assert first == second
    scores = [score for _, score in first]
    assert scores == sorted(scores, reverse=True)
    for (id_a, score_a), (id_b, score_b) in itertools.pairwise(first):
        if score_a == score_b:
            assert id_a < id_b


def test_lists_run_side_by_side_only_on_a_pooled_store(
    evidence_store: SQLiteStore, embedder: object
) -> None:
    """PostgreSQL runs a search's BM25, synonym and dense lists on threads (one pooled
    connection each); SQLite one after another. Either way the hits are the same."""
    question = "low white blood cell count"  # expands to synonyms: three lists
    side_by_side = Retriever(evidence_store, Settings(), embedder)  # type: ignore[arg-type]
    result = side_by_side.search(question, k=10)
    assert {"bm25", "synonyms", "dense"} <= set(result.timings_ms)
    parallel = getattr(evidence_store, "parallel_reads", False)
    assert (side_by_side._pool is not None) == parallel
    in_turn = Retriever(evidence_store, Settings(), embedder)  # type: ignore[arg-type]
    if parallel:
        in_turn.store = _Sequential(evidence_store)  # type: ignore[assignment]
    expected = in_turn.search(question, k=10)
    assert in_turn._pool is None
    assert [(h.passage.id, h.score) for h in result.hits] == [
        (h.passage.id, h.score) for h in expected.hits
    ]


class _Sequential:
    """The same store, but saying its reads must not run at once."""

    parallel_reads = False

    def __init__(self, store: object) -> None:
        self._store = store

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


@pytest.mark.parametrize("mode", list(Mode))
def test_every_mode_returns_ranked_hits(retriever: Retriever, mode: Mode) -> None:
    result = retriever.search("carpal tunnel syndrome treatment", k=5, mode=mode)
    assert [h.rank for h in result.hits] == list(range(1, len(result.hits) + 1))
    assert result.hits


def test_evidence_type_filter(retriever: Retriever) -> None:
    filters = Filters(evidence_types=frozenset({EvidenceType.GUIDELINE}))
    hits = retriever.search("carpal tunnel syndrome", k=10, filters=filters).hits
    assert hits
    assert {h.document.evidence_type for h in hits} == {EvidenceType.GUIDELINE}


def test_year_filter(retriever: Retriever) -> None:
    hits = retriever.search("randomized trial outcome", k=20, filters=Filters(since=2012)).hits
    assert hits
    assert all(h.document.year is not None and h.document.year >= 2012 for h in hits)


def test_source_filter(retriever: Retriever) -> None:
    hits = retriever.search("disease", k=10, filters=Filters(sources=frozenset({"medquad"}))).hits
    assert hits and {h.document.source for h in hits} == {"medquad"}


def test_per_document_cap(retriever: Retriever) -> None:
    hits = retriever.search("carpal tunnel syndrome", k=30).hits
    per_doc: dict[str, int] = {}
    for hit in hits:
        per_doc[hit.document.id] = per_doc.get(hit.document.id, 0) + 1
    assert max(per_doc.values()) <= Settings().retrieval.per_document


def test_hit_json_has_the_documented_fields(retriever: Retriever) -> None:
    hit = retriever.search("cervical cancer screening", k=1).hits[0]
    assert set(hit.to_dict()) == HIT_FIELDS
    assert hit.to_dict()["evidence_type"] in {t.value for t in EvidenceType}


def test_a_consumer_page_topic_is_a_term_even_without_synonyms(tmp_path: Path) -> None:
    # set AE: GARD's "Cerebellar degeneration" lists no synonyms and was no vocabulary term, so
    # "… my mom's walking is really unsteady …" was what the question was about
    path = tmp_path / "medquad.jsonl.gz"
    records = [
        {"focus": "Cerebellar degeneration", "synonyms": [], "answer": ""},
        {"focus": "Am I at Risk for Type 2 Diabetes? Taking Steps", "synonyms": [], "answer": ""},
        {"focus": "Zika virus infection", "synonyms": ["Zika fever"], "answer": ""},
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records)
    terms = {row[0] for row in medquad_rows(path)}
    assert terms == {"cerebellar degeneration", "zika virus infection", "zika fever"}


def test_a_plural_whose_singular_is_a_thing_is_not_the_acronym_it_spells(tmp_path: Path) -> None:
    # set BQ: "large, itchy blisters on her arms and legs" was searched as ARMS, alveolar
    # rhabdomyosarcoma; "aids" stays AIDS, for its singular is the initialism AID
    with _tiny_store(tmp_path / "s.sqlite", []) as store:
        store.put_vocabulary(
            [
                ("arms", "nci:alveolar rhabdomyosarcoma", "ARMS", "nci"),
                ("alveolar rhabdomyosarcoma", "nci:alveolar rhabdomyosarcoma", "x", "nci"),
                ("arm", "mesh:D001132", "Arm", "mesh"),
                ("aids", "nci:aids", "AIDS", "nci"),
                ("aid", "mesh:D007316", "AID", "mesh"),
            ]
        )
        found = concepts_for_phrases(store, ["arms", "aids"], frozenset({"mmr"}))
        typed_up = concepts_for_phrases(store, ["arms"], frozenset({"arms"}))
    assert "arms" not in found
    assert found["aids"] == ["nci:aids"]
    assert typed_up["arms"] == ["nci:alveolar rhabdomyosarcoma"]  # written as the acronym
