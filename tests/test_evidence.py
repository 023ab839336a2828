"""``classify`` on the publication types, MeSH headings and titles of real records (the PMIDs in
the comments are in ``tests/fixtures``): stronger evidence wins, curated sources decide alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from medcite.evidence import PUBLICATION_TYPES as DESIGN_TYPES
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


# Records no indexer typed (SciFact and PubMedQA abstracts): the design their own words say.
# Each row is a real record's title and the opening of its abstract.
UNTYPED = [
    # PubMedQA: "Does accompanying metabolic syndrome contribute to heart dimensions …?"
    (
        "Does accompanying metabolic syndrome contribute to heart dimensions in hypertensive "
        "patients?",
        "We evaluated heart dimensions in hypertensive patients with MetS. The study included 75 "
        "hypertensive patients (34 males, 41 females; mean age 51+/-9 years) without coronary "
        "artery disease.",
        E.OBSERVATIONAL,
    ),
    # PubMedQA: Medicare beneficiaries counted with a space as thousands separator
    (
        "Follow-up of patients with new cardiovascular implantable electronic devices",
        "We studied 38 055 Medicare beneficiaries who received a new CIED between January 1, 2005,"
        " and June 30, 2009.",
        E.OBSERVATIONAL,
    ),
    # SciFact 35062452
    (
        "Generation of mice deficient in both KLF3/BKLF and KLF8 reveals a genetic interaction and "
        "a role for these factors in embryonic globin gene silencing.",
        "Krüppel-like factors 3 and 8 (KLF3 and KLF8) are highly related transcriptional "
        "regulators that bind to similar sequences of DNA.",
        E.LABORATORY,
    ),
    # SciFact 56528795
    (
        "Omi/HtrA2 Participates in Age-Related Autophagic Deficiency in Rat Liver",
        "Liver is a vital organ with many important functions.",
        E.LABORATORY,
    ),
    # SciFact 4429118: an essay that says nothing of a design stays a review
    (
        "Cancer-related inflammation",
        "The mediators and cellular effectors of inflammation are important constituents of the "
        "local environment of tumours.",
        E.REVIEW,
    ),
    # a review of animal work says it reviews: the review cue is read first
    (
        "Mouse models of colitis",
        "In this review we summarize what mice deficient in IL-10 have taught us.",
        E.REVIEW,
    ),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), UNTYPED)
def test_untyped_records_read_their_design(
    title: str, abstract: str, expected: EvidenceType
) -> None:
    assert classify(source="scifact", title=title, abstract=abstract) is expected


def test_check_tags_say_animal_study_only_without_humans() -> None:
    animals = ("Animals", "Liver", "Rats")
    assert classify(source="pubmedqa", mesh=animals, title="Is X toxic?") is E.LABORATORY
    both = (*animals, "Humans")
    assert classify(source="pubmedqa", mesh=both, title="Is X toxic?") is E.REVIEW


def test_an_indexed_review_is_not_read_as_a_study_of_the_people_it_cites() -> None:
    abstract = "A trial of 300 patients found that X lowers Y; we discuss what it means."
    typed = classify(source="pubmed", publication_types=("Review",), abstract=abstract)
    assert typed is E.REVIEW


def test_the_animal_or_lab_type_reads_and_ranks() -> None:
    assert EvidenceType.parse("animal study") is E.LABORATORY
    assert EvidenceType.parse("Animal/lab study") is E.LABORATORY
    assert E.LABORATORY.label == "Animal/lab study"
    assert E.LABORATORY.rank < E.CASE_REPORT.rank
    codes = [member.code for member in EvidenceType]
    assert len(codes) == len(set(codes))  # the vector filter tells every type apart


def test_typed_records_read_without_their_types_mostly_agree_with_the_indexers() -> None:
    # every fixture PubMed record whose indexers gave a design type, classified from its title
    # and abstract alone (what an untyped SciFact or PubMedQA record has): 25 of 29 agree
    # (the rest: two Reviews whose titles say systematic review, an RCT's secondary analysis
    # that pooled by meta-analysis, a case-control study whose abstract names no design)
    agree = total = 0
    for path in sorted(FIXTURES.rglob("*.xml*")):
        if "pubmed" not in path.name and "medline" not in path.name:
            continue
        for item in read_pubmed_xml(path, ReadOptions()):
            if not isinstance(item, SourceDocument):
                continue
            document = item.document
            typed = [*document.publication_types, *document.mesh]
            indexed = classify(source="pubmed", publication_types=typed)
            if not {t.lower() for t in typed} & set(DESIGN_TYPES):
                continue
            text = " ".join(section.text for section in item.sections)
            total += 1
            agree += classify(source="pubmed", title=document.title, abstract=text) is indexed
    assert total >= 25
    assert agree / total >= 0.8, (agree, total)


RAKSI = (
    "This study was undertaken to investigate the effectiveness of Raksi in sacrificed rats."
    " 50 albino rats were systematically randomized into control and experiment groups."
)


@pytest.mark.parametrize(
    ("mesh", "abstract", "expected"),
    [
        # review set T: a randomised embalming experiment on rats was labelled "RCT"
        (("Animals", "Random Allocation", "Rats"), RAKSI, EvidenceType.LABORATORY),
        ((), RAKSI, EvidenceType.LABORATORY),  # untagged: rats named, no people counted
        (
            ("Humans", "Animals", "Random Allocation"),
            "120 patients were randomized to drug or placebo after studies in rats.",
            EvidenceType.RCT,
        ),
        (
            (),
            "120 patients were randomized to drug or placebo after studies in rats.",
            EvidenceType.RCT,
        ),
    ],
)
def test_a_trial_on_animals_is_an_animal_study(
    mesh: tuple[str, ...], abstract: str, expected: EvidenceType
) -> None:
    assert classify(source="pubmed", mesh=mesh, abstract=abstract) is expected
