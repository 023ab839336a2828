"""Drug labels as a source: the openFDA and DailyMed SPL readers on real labels (documents,
sections with their LOINC codes, dates, set ids, tables, malformed records), format detection,
the ``drug_label`` evidence type and its weight, and a dose question answered from a label's
Dosage and administration section — in JSON, on the page and in the citation export."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import medcite.retrieve.hybrid as hybrid
from medcite.answer.citations_export import CiteFormat, EntryKind, entry_kind, export_references
from medcite.answer.engine import Engine
from medcite.answer.render import to_markdown
from medcite.eval.citations import CitationReport, check_answer
from medcite.evidence import asks_about_drug_use, evidence_level
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder
from medcite.ingest.base import Reader, ReadOptions
from medcite.ingest.drug_labels import label_date, label_title, read_openfda_labels
from medcite.ingest.loinc import BY_CODE, BY_FIELD, SECTIONS, loinc_code, section_of
from medcite.ingest.pipeline import ingest_paths
from medcite.ingest.registry import READERS, detect_format, get_reader
from medcite.ingest.spl import read_spl
from medcite.records import Document, EvidenceType, RecordProblem, SourceDocument
from medcite.retrieve.vocabulary import load_vocabularies
from medcite.settings import DATA_DIR, Settings
from medcite.store.sqlite import SQLiteStore, open_store
from medcite.web import present
from medcite.web.app import create_app
from tests.conftest import DATASETS, FIXTURES, web_settings

SOURCES = FIXTURES / "sources"
OPENFDA = SOURCES / "openfda"
DAILYMED = SOURCES / "dailymed"
LIPITOR = DAILYMED / "lipitor_atorvastatin_spl.xml"
VIAGRA = DAILYMED / "viagra_sildenafil_spl.xml"
COUGH = DAILYMED / "otc_cough_spl.xml"
LIPITOR_SET = "c6e131fe-e7df-4876-83f7-9156fc4e8228"
DOSE_QUESTION = "What is the recommended starting dose of atorvastatin?"
STARTING_DOSE = "The recommended starting dose of LIPITOR is 10 or 20 mg once daily."
E = EvidenceType


def read(path: Path) -> list[SourceDocument | RecordProblem]:
    reader = read_spl if ".xml" in path.name else read_openfda_labels
    items = list(reader(path, ReadOptions()))
    assert all(isinstance(i, SourceDocument | RecordProblem) for i in items)
    return [i for i in items if isinstance(i, SourceDocument | RecordProblem)]


def one_label(path: Path) -> SourceDocument:
    items = read(path)
    assert len(items) == 1 and isinstance(items[0], SourceDocument), items
    return items[0]


def sections(label: SourceDocument) -> dict[str, str]:
    """LOINC code → text (the first section of each code)."""
    found: dict[str, str] = {}
    for section in label.sections:
        code = loinc_code(section.label)
        assert code is not None and section.label == BY_CODE[code].label
        found.setdefault(code, section.text)
    return found


# -- the LOINC table -----------------------------------------------------------------------------


def test_the_loinc_table_names_each_kept_section_once() -> None:
    assert len(BY_CODE) == len(SECTIONS) and all(s.name[0].isupper() for s in SECTIONS)
    assert all(s.name[1:] == s.name[1:].lower() for s in SECTIONS)  # sentence case
    assert BY_CODE["34068-7"].label == "Dosage and administration (LOINC 34068-7)"
    assert BY_FIELD["warnings_and_cautions"].code == "43685-7"  # PLR "warnings and precautions"
    assert BY_FIELD["use_in_specific_populations"].code == "43684-0"
    assert loinc_code("Dosage and administration (LOINC 34068-7)") == "34068-7"
    assert loinc_code("RESULTS") is None and loinc_code(None) is None
    assert section_of("Boxed warning (LOINC 34066-1)") is BY_CODE["34066-1"]
    assert "42229-5" not in BY_CODE  # unclassified subsections belong to their parent


# -- DailyMed SPL --------------------------------------------------------------------------------


def test_spl_reads_the_lipitor_label() -> None:
    label = one_label(LIPITOR)
    doc = label.document
    assert doc.id == f"label:{LIPITOR_SET}"
    assert doc.title == "Lipitor (atorvastatin calcium) — drug label"
    assert doc.evidence_type is E.DRUG_LABEL and doc.source == "DailyMed"
    assert doc.journal == "Parke-Davis Div of Pfizer Inc"
    assert (doc.year, doc.date) == (2014, "2014-01-13")
    assert doc.url == f"https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={LIPITOR_SET}"
    assert doc.identifiers["setid"] == LIPITOR_SET and doc.identifiers["spl_version"] == "11"
    assert doc.publication_types == ("HUMAN PRESCRIPTION DRUG LABEL",)
    assert doc.licence and "DailyMed" in doc.licence
    codes = [loinc_code(s.label) for s in label.sections]
    assert codes == [
        *("34067-9", "34068-7", "43678-2", "34070-3", "42228-7", "34080-2", "43685-7"),
        *("34084-4", "34073-7", "43684-0", "42228-7", "34080-2", "34081-0", "34082-8"),
        "34088-5",
    ]
    text = sections(label)
    dosage = text["34068-7"]
    assert STARTING_DOSE in dosage.split("\n\n")[2]  # after the title and the 2.1 heading
    # subsections coded 42229-5 belong to their parent, headings as sentences of their own
    assert "\n\n2.5 Dosage in Patients With Renal Impairment.\n\n" in dosage
    assert "Dose range: 10 to 80 mg once daily" not in dosage  # Highlights are left out
    # a kept code nested in another section is a section of its own, after its parent
    assert "4.3 Pregnancy" not in text["34070-3"] and text["42228-7"].startswith("4.3 Pregnancy.")
    # tables keep their numbers, one readable sentence per row
    assert (
        "Adverse Reaction: Nasopharyngitis; Any dose N=8755: 8.3; 10 mg N=3908: 12.9; "
        "20 mg N=188: 5.3; 40 mg N=604: 7.0; 80 mg N=4055: 4.2; Placebo N=7311: 8.2."
    ) in text["34084-4"]
    assert "Adverse Reaction ≥ 2% in any dose greater than placebo." in text["34084-4"]  # note
    assert "34092-7" not in text and "51945-4" not in text  # clinical studies, package label


def test_spl_reads_viagra_and_the_otc_drug_facts() -> None:
    viagra = one_label(VIAGRA).document
    assert viagra.title == "Viagra (sildenafil citrate) — drug label"
    assert (viagra.date, viagra.identifiers["spl_version"]) == ("2017-11-07", "20")
    assert viagra.identifiers["setid"] == "0b0be196-0c62-461c-94f4-9a35339b4501"
    assert (
        "For most patients, the recommended dose is 50 mg" in sections(one_label(VIAGRA))["34068-7"]
    )

    cough = one_label(COUGH)
    doc = cough.document
    assert doc.publication_types == ("HUMAN OTC DRUG LABEL",)
    assert doc.title.startswith("TRIAMINIC Childrens Night Time Cold and Cough (")
    assert (doc.date, doc.journal) == ("2011-04-26", "Novartis Consumer Health, Inc.")
    text = sections(cough)
    otc = {"55106-9", "55105-1", "50570-1", "50569-3", "50568-5", "50567-7", "50566-9"}
    assert otc | {"34067-9", "34068-7", "50565-1"} <= set(text)
    assert "34071-1" not in text  # "Warnings" holds only its title and coded subsections
    assert text["50570-1"].startswith("Do not use:\n\nin a child under 4 years of age.")
    assert (
        text["55106-9"]
        == "Active ingredient:\n\nDiphenhydramine HCl 6.25 mg.\n\nPhenylephrine HCl 2.5."
    )
    # the dose chart: its header row names each column of the rows below it
    assert (
        "Age: children 6 to under 12 years of age; Dose: 2 teaspoonfuls (10 mL)." in text["34068-7"]
    )


def test_spl_keeps_sections_whose_code_has_no_code_system(tmp_path: Path) -> None:
    """Older SPL files leave out ``codeSystem``; another code system's code is no LOINC."""
    raw = COUGH.read_bytes()
    bare = raw.replace(b'codeSystem="2.16.840.1.113883.6.1" code="34068-7"', b'code="34068-7"')
    other = bare.replace(
        b'codeSystem="2.16.840.1.113883.6.1" code="55105-1"', b'codeSystem="1.2.3" code="55105-1"'
    )
    assert bare != raw and other != bare
    path = tmp_path / "cough_spl.xml"
    path.write_bytes(other)
    text = sections(one_label(path))
    assert "34068-7" in text and "55105-1" not in text


def test_a_broken_spl_file_is_a_problem_at_its_record(tmp_path: Path) -> None:
    truncated = tmp_path / "lipitor_spl.xml"
    truncated.write_bytes(LIPITOR.read_bytes()[:50_000])
    (problem,) = read(truncated)
    assert isinstance(problem, RecordProblem) and problem.record == 1
    assert "malformed or truncated XML" in problem.message
    other = tmp_path / "not_spl.xml"
    other.write_bytes(b'<?xml version="1.0"?><document><title>x</title></document>')
    (problem,) = read(other)
    assert isinstance(problem, RecordProblem) and "not an SPL document" in problem.message


def test_a_gzipped_spl_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "viagra_spl.xml.gz"
    path.write_bytes(gzip.compress(VIAGRA.read_bytes()))
    assert one_label(path) == one_label(VIAGRA)
    assert detect_format(path) == "dailymed-spl"


# -- openFDA -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "set_id", "title", "date", "version", "labeler"),
    [
        (
            "label_2015_vyvanse.json",
            "704e4378-ca83-445c-8b45-3cfa51c1ecad",
            "Vyvanse (lisdexamfetamine dimesylate) — drug label",
            "2015-04-01",
            "54",
            "Shire LLC",
        ),
        (
            "label_2015_ambien.json",
            "02b5e3bb-c976-40a3-9077-64ffe637429f",
            "AMBIEN (zolpidem tartrate) — drug label",
            "2012-09-18",
            "3",
            "STAT Rx USA LLC",
        ),
        (
            "label_2015_aspirin.json",
            "0025eb89-590c-4451-8a06-b129686cf75a",
            "Aspirin Adult low strength (aspirin) — drug label",
            "2012-11-14",
            "2",
            "Valu Merchandisers Company (Best Choice)",
        ),
        (
            "label_2015_sudafed.json",
            "4dfd46e4-b9f9-464d-aa47-e8fa9e526a5d",
            "Childrens Sudafed PE NASAL DECONGESTANT (phenylephrine hydrochloride) — drug label",
            "2011-10-05",
            "1",
            "McNeil Consumer Healthcare Div. McNeil-PPC, Inc",
        ),
    ],
)
def test_openfda_reads_each_label(
    name: str, set_id: str, title: str, date: str, version: str, labeler: str
) -> None:
    label = one_label(OPENFDA / name)
    doc = label.document
    assert doc.id == f"label:{set_id}" and doc.title == title
    assert (doc.date, doc.year) == (date, int(date[:4]))
    assert doc.identifiers["setid"] == set_id and doc.identifiers["spl_version"] == version
    assert doc.journal == labeler and doc.source == "openFDA"
    assert doc.evidence_type is E.DRUG_LABEL and doc.licence and "open.fda.gov" in doc.licence
    assert doc.url and doc.url.endswith(f"setid={set_id}")
    text = sections(label)
    assert "34068-7" in text and "34067-9" in text
    # the section's own heading is left to the label ("2 DOSAGE AND ADMINISTRATION …")
    assert not any(t.startswith(("2 DOSAGE", "1 INDICATIONS")) for t in text.values())


def test_openfda_tables_replace_their_run_on_text() -> None:
    text = sections(one_label(OPENFDA / "label_2015_vyvanse.json"))
    dosage = text["34068-7"]
    assert dosage.startswith(
        "Indication: ADHD (2.2); Initial Dose: 30mg every morning; Titration Schedule: 10 mg or "
        "20 mg weekly; Recommended Dose: 30 mg to 70 mg per day; Maximum Dose: 70 mg per day."
    )
    assert "Indication Initial Dose Titration Schedule" not in dosage  # the run-on copy is gone
    assert "Table 1 Adverse Reactions Reported by 2% or More of Children" in text["34084-4"]
    assert "Decreased Appetite; VYVANSE (n=218): 39%" in text["34084-4"]
    assert "42228-7" in text and "34066-1" in text  # pregnancy and the boxed warning


def test_openfda_otc_sections_keep_their_sentence_openings() -> None:
    aspirin = sections(one_label(OPENFDA / "label_2015_aspirin.json"))
    assert aspirin["50570-1"].startswith("Do not use if you have ever had an allergic reaction")
    assert aspirin["55105-1"] == "Pain reliever."  # "Purpose" is the label's name for it
    assert aspirin["34071-1"].startswith("Reye’s syndrome:")
    assert "53414-9" in aspirin  # pregnancy or breast feeding
    sudafed = sections(one_label(OPENFDA / "label_2015_sudafed.json"))
    assert "Age (yr): 6 to 11 years; Dose (mL or tsp): 10 mL (2 tsp)." in sudafed["34068-7"]


def test_openfdas_error_body_is_one_problem() -> None:
    (problem,) = read(OPENFDA / "error_404_not_found.json")
    assert isinstance(problem, RecordProblem) and problem.record == 0
    assert "NOT_FOUND: No matches found!" in problem.message


def _results(*records: object, meta: object = None) -> str:
    meta = meta or {"last_updated": "2015-05-31", "results": {"skip": 0, "limit": 3, "total": 3}}
    return json.dumps({"meta": meta, "results": list(records)}, ensure_ascii=False)


def _label_record(name: str) -> dict[str, object]:
    record: dict[str, object] = json.loads((OPENFDA / name).read_text())["results"][0]
    return record


def test_a_malformed_openfda_record_is_reported_at_its_position(tmp_path: Path) -> None:
    aspirin, sudafed = (
        _label_record("label_2015_aspirin.json"),
        _label_record("label_2015_sudafed.json"),
    )
    bad_text = {**_label_record("label_2015_ambien.json"), "dosage_and_administration": 42}
    no_set_id = {k: v for k, v in aspirin.items() if k not in ("set_id", "openfda")}
    path = tmp_path / "drug-label-0001-of-0001.json"
    path.write_text(_results(aspirin, bad_text, "not a label", no_set_id, sudafed))
    items = read(path)
    problems = [i for i in items if isinstance(i, RecordProblem)]
    assert [(p.record, p.path) for p in problems] == [
        (2, str(path)),
        (3, str(path)),
        (4, str(path)),
    ]
    assert '"dosage_and_administration" is not text' in problems[0].message
    assert "no usable set_id" in problems[2].message
    labels = [i.document.id for i in items if isinstance(i, SourceDocument)]
    assert labels == [
        "label:0025eb89-590c-4451-8a06-b129686cf75a",
        "label:4dfd46e4-b9f9-464d-aa47-e8fa9e526a5d",
    ]

    # a file cut off inside its third label: the first two go in, the break is record 3
    cut = _results(aspirin, sudafed, aspirin)
    truncated = tmp_path / "cut.json"
    truncated.write_text(cut[: len(cut) - 2_000])
    items = read(truncated)
    assert [type(i).__name__ for i in items] == [
        "SourceDocument",
        "SourceDocument",
        "RecordProblem",
    ]
    assert isinstance(items[-1], RecordProblem) and items[-1].record == 3


@pytest.mark.parametrize("reader", [read_openfda_labels, read_spl], ids=lambda r: r.__name__)
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("garbage.bin", b"\x00\xff\xfe" + bytes(range(256)) * 16),
        ("empty.json", b""),
        ("broken.json.gz", b"this is not gzip data"),
        ("list.json", b"[1, 2]"),
    ],
)
def test_unreadable_files_are_problems_not_exceptions(
    tmp_path: Path, reader: Reader, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    items = list(reader(path, ReadOptions()))
    assert items and all(isinstance(i, RecordProblem) and i.record <= 1 for i in items)


def test_an_empty_results_array_is_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    path.write_text(_results())
    assert read(path) == []


def test_ingest_stores_the_good_labels_and_reports_the_bad(tmp_path: Path) -> None:
    path = tmp_path / "labels.json.gz"
    bad = {**_label_record("label_2015_aspirin.json"), "openfda": ["not", "an", "object"]}
    record = _label_record("label_2015_sudafed.json")
    path.write_bytes(gzip.compress(_results(bad, record).encode("utf-8")))
    assert detect_format(path) == "openfda-label"
    with open_store(tmp_path / "index.sqlite") as store:
        report = ingest_paths(store, [path], Settings().chunk, progress=False)
        assert (report.added, [p.record for p in report.problems]) == (1, [1])
        passages = store.passages_of("label:4dfd46e4-b9f9-464d-aa47-e8fa9e526a5d")
    assert passages and all(loinc_code(p.section) in BY_CODE for p in passages)
    assert "Dosage and administration (LOINC 34068-7)" in {p.section for p in passages}


def test_a_newer_version_of_a_label_replaces_the_older(tmp_path: Path) -> None:
    newer = tmp_path / "lipitor_v12_spl.xml"
    raw = LIPITOR.read_bytes()
    changed = raw.replace(b'<versionNumber value="11"/>', b'<versionNumber value="12"/>')
    changed = changed.replace(
        b'<effectiveTime value="20140113"/>', b'<effectiveTime value="20150210"/>', 1
    )
    assert changed.count(b"20150210") == 1 and changed != raw
    newer.write_bytes(changed)
    with open_store(tmp_path / "index.sqlite") as store:
        first = ingest_paths(store, [LIPITOR], Settings().chunk, progress=False)
        second = ingest_paths(store, [newer], Settings().chunk, progress=False)
        stored = store.documents([f"label:{LIPITOR_SET}"])[f"label:{LIPITOR_SET}"]
    assert (first.added, second.added, second.replaced) == (1, 0, 1)
    assert stored.identifiers["spl_version"] == "12" and stored.date == "2015-02-10"


# -- format detection ----------------------------------------------------------------------------


def test_formats_are_registered_and_detected(tmp_path: Path) -> None:
    assert (
        get_reader("openfda-label") is read_openfda_labels
        and get_reader("dailymed-spl") is read_spl
    )
    for path in DAILYMED.glob("*.xml"):
        assert detect_format(path) == "dailymed-spl", path
    for path in OPENFDA.glob("*.json"):  # the labels and openFDA's error body
        assert detect_format(path) == "openfda-label", path
    # the PubMed and JATS readers keep their files; SPL detection takes no other XML
    assert detect_format(FIXTURES / "efetch" / "pubmed-29768149.xml") == "pubmed-xml"
    cda = tmp_path / "note.xml"
    cda.write_bytes(b'<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>')
    assert detect_format(cda) == "pubmed-xml"
    # an SPL without an .xml name is still found by its root
    renamed = tmp_path / "label.txt"
    shutil.copy(COUGH, renamed)
    assert detect_format(renamed) == "dailymed-spl"
    assert {"openfda-label", "dailymed-spl"} <= set(READERS)


# -- the evidence type ---------------------------------------------------------------------------


def test_the_drug_label_evidence_type() -> None:
    assert E.DRUG_LABEL.value == "drug_label" and E.DRUG_LABEL.label == "Drug label"
    for text in ("drug_label", "Drug label", "drug-label", "package insert", "label", "SPL"):
        assert E.parse(text) is E.DRUG_LABEL
    old = [E.GUIDELINE, E.SYSTEMATIC_REVIEW, E.RCT, E.OBSERVATIONAL, E.CASE_REPORT, E.REVIEW]
    assert [t.rank for t in [*old, E.CONSUMER_HEALTH]] == [7, 6, 5, 4, 3, 2, 1]  # unchanged
    assert E.DRUG_LABEL.rank == E.REVIEW.rank == 2
    codes = [t.code for t in E]
    assert len(set(codes)) == len(codes) and all(
        t.code == t.rank for t in [*old, E.CONSUMER_HEALTH]
    )


@pytest.mark.parametrize(
    "question",
    [
        DOSE_QUESTION,
        "How much acetaminophen can a child take?",
        "Can I take sildenafil with nitrates?",
        "Does atorvastatin interact with grapefruit juice?",
        "What are the side effects of zolpidem?",
        "What are the contraindications of lisdexamfetamine?",
        "Is atorvastatin safe in pregnancy?",
        "Is 80 mg of atorvastatin too much for an older woman?",
    ],
)
def test_a_label_weighs_as_a_guideline_for_dose_interaction_and_safety_questions(
    question: str,
) -> None:
    assert asks_about_drug_use(question)
    assert evidence_level(E.DRUG_LABEL, question) == E.GUIDELINE.rank
    assert all(evidence_level(t, question) == t.rank for t in E if t is not E.DRUG_LABEL)


@pytest.mark.parametrize(
    "question",
    [
        "What is atorvastatin?",
        "What causes erectile dysfunction?",
        "How is ADHD diagnosed?",
        "What is the outlook for MG?",  # myasthenia gravis, not milligrams
    ],
)
def test_elsewhere_a_label_weighs_as_a_narrative_review(question: str) -> None:
    assert not asks_about_drug_use(question)
    assert evidence_level(E.DRUG_LABEL, question) == E.DRUG_LABEL.rank == 2
    assert evidence_level(E.DRUG_LABEL) == 2


def test_sorting_references_by_level_puts_a_label_with_the_guidelines_for_a_dose_question() -> None:
    refs = [
        {"n": 1, "evidence_type": "rct", "year": 2020},
        {"n": 2, "evidence_type": "drug_label", "year": 2014},
        {"n": 3, "evidence_type": "guideline", "year": 2010},
    ]
    dose = [r["n"] for r in present.sort_references(refs, "level", DOSE_QUESTION)]
    other = [r["n"] for r in present.sort_references(refs, "level", "What is atorvastatin?")]
    assert (dose, other) == ([2, 3, 1], [3, 1, 2])
    assert present.evidence_class("drug_label") == "ev-label"


def test_label_helpers() -> None:
    assert label_date("20140113") == "2014-01-13" and label_date("20140231") is None
    assert label_date("2014") is None and label_date(None) is None
    assert (
        label_title("Lipitor", "ATORVASTATIN CALCIUM", "x")
        == "Lipitor (atorvastatin calcium) — drug label"
    )
    assert label_title("ASPIRIN", "ASPIRIN", "x") == "ASPIRIN — drug label"
    assert label_title(None, None, "abc-123") == "Drug label abc-123"


def test_a_document_date_is_kept_and_leaves_older_records_alone() -> None:
    plain = Document(id="pmid:1", title="T", evidence_type=E.RCT, source="pubmed")
    assert "date" not in plain.to_dict()  # an unchanged record, an unchanged content hash
    dated = Document(
        id="label:x", title="T", evidence_type=E.DRUG_LABEL, source="DailyMed", date="2014-01-13"
    )
    assert Document.from_dict(dated.to_dict()) == dated


# -- answering from a label ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def label_store(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[SQLiteStore]:
    """A fresh index of the labels with a few other fixtures (guidelines, consumer pages)."""
    settings = Settings()
    with open_store(tmp_path_factory.mktemp("labels") / "index.sqlite") as store:
        for name, fmt in (
            ("ngc.jsonl", "ngc"),
            ("uspstf.json", "uspstf"),
            ("medquad.jsonl", "medquad"),
        ):
            ingest_paths(store, [DATASETS / name], settings.chunk, fmt=fmt, progress=False)
        labels = [*sorted(DAILYMED.glob("*.xml")), *sorted(OPENFDA.glob("label_*.json"))]
        report = ingest_paths(store, labels, settings.chunk, progress=False)
        assert (report.added, report.problems) == (7, [])
        load_vocabularies(store, DATA_DIR / "vocab", DATASETS / "medquad.jsonl", progress=False)
        embed_missing(store, embedder, settings.embedding, progress=False)
        yield store


def test_search_hits_carry_the_sections_loinc_code(
    label_store: SQLiteStore, embedder: Embedder
) -> None:
    engine = Engine(label_store, Settings(), embedder=embedder)
    hits = [h.to_dict() for h in engine.retriever.search(DOSE_QUESTION, k=5).hits]
    assert hits[0]["doc_id"] == f"label:{LIPITOR_SET}" and hits[0]["evidence_type"] == "drug_label"
    assert hits[0]["section"] == "Dosage and administration (LOINC 34068-7)"


def test_retrieval_weighs_a_label_at_its_level_for_the_question(
    label_store: SQLiteStore, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, set[int]] = {}
    real = hybrid.evidence_level

    def spy(kind: EvidenceType, question: str | None = None) -> int:
        level = real(kind, question)
        if kind is E.DRUG_LABEL:
            seen.setdefault(question or "", set()).add(level)
        return level

    monkeypatch.setattr(hybrid, "evidence_level", spy)
    engine = Engine(label_store, Settings(), embedder=embedder)
    engine.retriever.search(DOSE_QUESTION, k=5)
    engine.retriever.search("What is atorvastatin?", k=5)
    assert seen == {DOSE_QUESTION: {7}, "What is atorvastatin?": {2}}


def test_a_dose_question_is_answered_from_the_labels_dosage_section(
    label_store: SQLiteStore, embedder: Embedder
) -> None:
    engine = Engine(label_store, Settings(), embedder=embedder)
    answer = engine.answer(DOSE_QUESTION, save=False)
    report = CitationReport()
    check_answer(answer, report)
    assert report.failures == [], report.failures  # every sentence verbatim from what it cites
    items = [(answer.bottom_line.text, answer.bottom_line.citations)]
    items += [(i.text, i.citations) for s in answer.sections for i in s.items]
    cited = [numbers for text, numbers in items if STARTING_DOSE in text]
    assert cited, items
    (ref,) = [r for r in answer.references if r.n in cited[0]]
    assert ref.doc_id == f"label:{LIPITOR_SET}" and ref.evidence_type is E.DRUG_LABEL
    assert (ref.date, ref.set_id, ref.journal) == (
        "2014-01-13",
        LIPITOR_SET,
        "Parke-Davis Div of Pfizer Inc",
    )
    stored = {p.id: p for p in label_store.passages_of(ref.doc_id)}
    quoted = [q for q in ref.quotes if STARTING_DOSE in q.text]
    assert (
        quoted
        and stored[quoted[0].passage_id].section == "Dosage and administration (LOINC 34068-7)"
    )
    data = answer.to_dict()["references"][ref.n - 1]
    assert (data["evidence_type"], data["date"], data["set_id"]) == (
        "drug_label",
        "2014-01-13",
        LIPITOR_SET,
    )
    markdown = to_markdown(answer)
    assert f"set ID {LIPITOR_SET}" in markdown and "[Drug label]" in markdown


@pytest.fixture(scope="module")
def client(
    label_store: SQLiteStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    app = create_app(web_settings(label_store, tmp_path_factory.mktemp("site")))
    with TestClient(app) as test_client:
        yield test_client
    app.state.site.close()


def test_the_label_reference_in_json_on_the_page_and_in_the_export(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": DOSE_QUESTION})
    assert response.status_code in (200, 201), response.text
    article = response.json()["article"]
    (ref,) = [r for r in article["answer"]["references"] if r["doc_id"] == f"label:{LIPITOR_SET}"]
    assert (ref["evidence_type"], ref["date"], ref["set_id"]) == (
        "drug_label",
        "2014-01-13",
        LIPITOR_SET,
    )

    page = client.get(article["url"]).text
    item = re.search(rf'<li id="ref-{ref["n"]}".*?</li>', page, re.S)
    assert item is not None
    shown = item.group(0)
    assert '<span class="badge ev-label">Drug label</span>' in shown
    assert '<time datetime="2014-01-13">13 January 2014</time>' in shown
    assert f"Set ID {LIPITOR_SET}" in shown and "Parke-Davis Div of Pfizer Inc" in shown

    url = f"/api/articles/{article['id']}/references"
    ris = client.get(url, params={"format": "ris"}).text
    assert (
        "TY  - PAMP" in ris
        and "DA  - 2014/01/13" in ris
        and f"N1  - DailyMed set ID {LIPITOR_SET}" in ris
    )
    csl = client.get(url, params={"format": "csl-json"}).json()
    (item_csl,) = [c for c in csl if c["title"].startswith("Lipitor")]
    assert item_csl["type"] == "pamphlet" and item_csl["issued"] == {"date-parts": [[2014, 1, 13]]}
    assert (
        item_csl["publisher"] == "Parke-Davis Div of Pfizer Inc" and LIPITOR_SET in item_csl["note"]
    )
    bib = client.get(url, params={"format": "bibtex"}).text
    assert "@manual{label_c6e131fe" in bib and "date = {2014-01-13}" in bib

    policy = client.get("/policy").text
    assert "Drug label</span> level 2" in policy
    search = client.get("/api/search", params={"q": DOSE_QUESTION}).json()
    assert any(
        p["section"] == "Dosage and administration (LOINC 34068-7)" for p in search["passages"]
    )


def test_the_export_treats_a_label_as_its_labelers_package_insert() -> None:
    ref = {
        "n": 1,
        "doc_id": f"label:{LIPITOR_SET}",
        "title": "Lipitor (atorvastatin calcium) — drug label",
        "journal": "Pfizer Inc",
        "year": 2014,
        "date": "2014-01-13",
        "set_id": LIPITOR_SET,
        "evidence_type": "drug_label",
        "pmid": None,
        "doi": None,
        "url": f"https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={LIPITOR_SET}",
    }
    assert entry_kind(ref) is EntryKind.LABEL
    (item,) = json.loads(export_references([ref], CiteFormat.CSL_JSON))
    assert (item["type"], item["genre"], item["publisher"]) == (
        "pamphlet",
        "Drug label",
        "Pfizer Inc",
    )
    bib = export_references([ref], CiteFormat.BIBTEX)
    assert (
        "organization = {Pfizer Inc}" in bib and f"note = {{DailyMed set ID {LIPITOR_SET}}}" in bib
    )
