"""``classify`` on the publication types, MeSH headings and titles of real records (the PMIDs in
the comments are in ``tests/fixtures``): stronger evidence wins, curated sources decide alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from medcite.evidence import classify
from medcite.ingest.base import ReadOptions
from medcite.ingest.pubmed_xml import read_pubmed_xml
from medcite.records import EvidenceType, SourceDocument

FIXTURES = Path(__file__).parent / "fixtures"
E = EvidenceType

# (publication types, MeSH, expected) — each row is a real record's cues.
RECORD_CUES = [
    # 29768149 (NEJM budesonide-formoterol): RCT beats Multicenter/Comparative/Double-Blind
    (
        (
            "Clinical Trial, Phase III",
            "Comparative Study",
            "Journal Article",
            "Multicenter Study",
            "Randomized Controlled Trial",
        ),
        ("Double-Blind Method", "Humans"),
        E.RCT,
    ),
    # 28786991: Meta-Analysis + Systematic Review + Review → systematic review
    (("Journal Article", "Meta-Analysis", "Review", "Systematic Review"), (), E.SYSTEMATIC_REVIEW),
    # 19368899: an RCT indexed with Case-Control Studies is still an RCT
    (("Clinical Trial", "Randomized Controlled Trial"), ("Case-Control Studies",), E.RCT),
    # 23415808: a phase II trial without randomisation is not an RCT
    (("Clinical Trial, Phase II", "Journal Article"), ("Follow-Up Studies",), E.OBSERVATIONAL),
    # 27797938: Observational Study
    (("Journal Article", "Observational Study"), ("Case-Control Studies",), E.OBSERVATIONAL),
    # 26228458: no study-design publication type, but MeSH Prospective Studies
    (("Journal Article",), ("Follow-Up Studies", "Prospective Studies"), E.OBSERVATIONAL),
    # 41056390: Case Reports
    (("Journal Article", "Case Reports"), (), E.CASE_REPORT),
    # 12091962: Review
    (("Journal Article", "Review"), ("Humans", "Prisoners"), E.REVIEW),
    # 9997: nothing to go on → the weakest research type
    (("Journal Article",), ("Heme", "Iron"), E.REVIEW),
    # NGC/USPSTF records carry PubMed's "Practice Guideline" type
    (("Practice Guideline", "Review", "Randomized Controlled Trial"), (), E.GUIDELINE),
    (("Practice Guideline",), (), E.GUIDELINE),
]


@pytest.mark.parametrize(("publication_types", "mesh", "expected"), RECORD_CUES)
def test_publication_types_and_mesh(
    publication_types: tuple[str, ...], mesh: tuple[str, ...], expected: EvidenceType
) -> None:
    assert classify(source="pubmed", publication_types=publication_types, mesh=mesh) is expected


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        # PMC1891438 (JATS fixture)
        (
            "Zinc or Multiple Micronutrient Supplementation to Reduce Diarrhea and Respiratory "
            "Disease in South African Children: A Randomized Controlled Trial",
            "",
            E.RCT,
        ),
        # 29768149's METHODS section
        ("", "Patients were randomly assigned to one of three regimens.", E.RCT),
        # 26228458
        (
            "Obesity risk in rural, urban and rural-to-urban migrants: prospective results of the "
            "PERU MIGRANT study.",
            "",
            E.OBSERVATIONAL,
        ),
        ("Efficacy of X: a systematic review and meta-analysis", "", E.SYSTEMATIC_REVIEW),
        ("Management of asthma: a clinical practice guideline", "", E.GUIDELINE),
        # a guideline cue counts in the title only: abstracts often *cite* guidelines
        ("", "Care followed the clinical practice guideline of the society.", E.REVIEW),
        ("", "We report a case of a 54-year-old man with pancreatitis.", E.CASE_REPORT),
        ("Magnetic studies of Chromatium flavocytochrome C552.", "", E.REVIEW),
    ],
)
def test_title_and_abstract_cues(title: str, abstract: str, expected: EvidenceType) -> None:
    assert classify(source="pubmed", title=title, abstract=abstract) is expected


def test_stronger_cue_wins_across_kinds() -> None:
    # a Review whose title says systematic review (41595234 in the update file)
    assert (
        classify(
            source="pubmed",
            publication_types=("Journal Article", "Review"),
            title="The Efficacy of Electronic Health Record-Based Artificial Intelligence Models "
            "for Early Detection of Pancreatic Cancer: A Systematic Review and Meta-Analysis",
        )
        is E.SYSTEMATIC_REVIEW
    )
    # Case Reports + Review → case report ranks above a narrative review
    assert classify(source="pubmed", publication_types=("Review", "Case Reports")) is E.CASE_REPORT


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("ngc", E.GUIDELINE),
        ("NGC", E.GUIDELINE),
        ("uspstf", E.GUIDELINE),
        ("medquad", E.CONSUMER_HEALTH),
        ("medlineplus", E.CONSUMER_HEALTH),
    ],
)
def test_curated_sources_decide(source: str, expected: EvidenceType) -> None:
    # even an RCT publication type does not override the collection the record came from
    rct = ("Randomized Controlled Trial",)
    assert classify(source=source, publication_types=rct, title="A randomized trial") is expected


def test_ranks_order_the_types() -> None:
    order = [E.GUIDELINE, E.SYSTEMATIC_REVIEW, E.RCT, E.OBSERVATIONAL, E.CASE_REPORT, E.REVIEW]
    assert [e.rank for e in order] == sorted((e.rank for e in order), reverse=True)
    assert E.CONSUMER_HEALTH.rank < E.REVIEW.rank


def _update_file_records() -> dict[str, SourceDocument]:
    path = FIXTURES / "pubmed_baseline_2026" / "pubmed26n1335.xml.gz"
    items = read_pubmed_xml(path, ReadOptions())
    return {i.document.id: i for i in items if isinstance(i, SourceDocument)}


@pytest.mark.parametrize(
    ("pmid", "expected"),
    [
        ("26228458", E.OBSERVATIONAL),
        ("41056390", E.CASE_REPORT),
        ("41568766", E.RCT),
        ("41594546", E.REVIEW),
        ("41595234", E.SYSTEMATIC_REVIEW),
        ("41617358", E.RCT),
    ],
)
def test_real_records_end_to_end(pmid: str, expected: EvidenceType) -> None:
    assert _update_file_records()[f"pmid:{pmid}"].document.evidence_type is expected


def test_indexed_rct_is_not_upgraded_by_an_abstract_phrase() -> None:
    # 41577379 is indexed Randomized Controlled Trial + Multicenter Study; its abstract says the
    # subgroup effects were "pooled using meta-analysis": the indexers' type wins.
    assert _update_file_records()["pmid:41577379"].document.evidence_type is E.RCT
