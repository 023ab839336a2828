"""The study snapshot: every value is a span of its source, clear cases give the expected spans,
and a field the abstract does not state stays null. Fixtures are real abstracts from Evidence
Inference (PMC open access), copied verbatim (some sections left out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medcite.appraise import Snapshot, extract_snapshot
from medcite.appraise.snapshot import FIELDS, source_texts
from medcite.records import Document, EvidenceType, Section

FIXTURES = Path(__file__).parent / "fixtures" / "datasets"

ABSTRACTS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "PMC1079844": (
        "The effects of cholesterol lowering with simvastatin on cause-specific "
        "mortality and on cancer incidence in 20,536 high-risk people: a randomised "
        "placebo-controlled trial [ISRCTN48489393]",
        (
            (
                "Methods",
                "20,536 UK adults (aged 40–80 years) with vascular disease or diabetes were "
                "randomly allocated to receive 40 mg simvastatin daily or matching placebo. "
                "Prespecified safety analyses were of cause-specific mortality, and of total "
                "and site-specific cancer incidence. Comparisons between all "
                "simvastatin-allocated versus all placebo-allocated participants (ie, "
                '"intention-to-treat") involved an average difference in blood total '
                "cholesterol concentration of 1.2 mmol/L (46 mg/dL) during the scheduled "
                "5-year treatment period.",
            ),
            (
                "Results",
                "There was a highly significant 17% (95% CI 9–25) proportional reduction in "
                "vascular deaths, along with a non-significant reduction in all non-vascular "
                "deaths, which translated into a significant reduction in all-cause "
                "mortality (p = 0.0003). The proportional reduction in the vascular "
                "mortality rate was about one-sixth in each subcategory of participant "
                "studied, including: men and women; under and over 70 years at entry; and "
                "total cholesterol below 5.0 mmol/L or LDL cholesterol below 3.0 mmol/L. No "
                "significant excess of non-vascular mortality was observed in any "
                "subcategory of participant (including the elderly and those with "
                "pretreatment total cholesterol below 5.0 mmol/L), and there was no "
                "significant excess in any particular cause of non-vascular mortality. "
                "Cancer incidence rates were similar in the two groups, both overall and in "
                "particular subcategories of participant, as well as at particular primary "
                "sites. There was no suggestion that any adverse trends in non-vascular "
                "mortality or morbidity were beginning to emerge with more prolonged "
                "treatment.",
            ),
        ),
    ),
    "PMC2866241": (
        "Tolerability and Patient/Physician Satisfaction with Subcutaneously "
        "Administered Methotrexate Provided in Two Formulations of Different Drug "
        "Concentrations in Patients with Rheumatoid Arthritis",
        (
            (
                "Objectives:",
                "To determine preference, satisfaction, usability and local tolerability by "
                "patients, physicians and study nurses of two subcutaneously administered "
                "methotrexate (MTX) formulations of different concentrations.",
            ),
            (
                "Methods:",
                "This was an open-label, comparative, within-patient controlled, multicentre "
                "study of 132 patients with rheumatoid arthritis (RA). MTX treatment "
                "consisted of 20 mg/week administered as a medium-concentration formulation "
                "(MC) (2.0 ml of 10 mg/ml solution in prefilled syringe; separate needle) "
                "compared to a novel high-concentration formulation (HC) (0.4 ml of 50 mg/ml "
                "in prefilled syringe; pre-attached needle). Each treatment was given for "
                "three weeks. Questionnaires and visual analogue scales were used to measure "
                "outcomes.",
            ),
            (
                "Results:",
                "At the end of the study, 93% of the patients preferred HC over MC as "
                "further treatment. Overall assessment of HC was “good” or “very good” in "
                "90.6% vs 34.4% in MC-treated patients. Physician’s and patients global "
                "assessment of syringe usability showed highly statistically significant "
                "differences (P < 0.0001) in favour of HC. Overall assessment by study "
                "nurses’ and investigators’ was “good” (18.8%) or “very good” (81.2%) for HC "
                "and “good” in 31.3% or “very good” in 12.5% for MC, and no preference in "
                "50%. Local tolerability improved slightly also with HC.",
            ),
        ),
    ),
    "PMC3531529": (
        "Comparison of the Proseal LMA and intersurgical I-gel during gynecological laparoscopy",
        (
            (
                "Background",
                "The relatively recently developed I-gel (Intersurgical Ltd., Workingham, "
                "England) is a supraglottic airway device designed for single-use that, "
                "unlike conventional LMAs, does not require an inflatable cuff. In addition, "
                "the I-gel, much like the Proseal LMA (PLMA), has a gastric drainage tube "
                "associated with an upper tube for decompression of the stomach, thereby "
                "avoiding acid reflux and decreasing the risk of pulmonary absorption. The "
                "purpose of this study was to compare PLMA and I-gel devices in patients "
                "undergoing gynecological laparoscopy based on sealing pressure before and "
                "during pneumoperitoneum, insertion time, and gas exchange.",
            ),
            (
                "Methods",
                "Following Institutional Review Board approval and written informed consent, "
                "30 adult patients were randomly allocated to one of two groups (the PLMA or "
                "I-gel group). In each case, insertion time and number of attempts were "
                "recorded. After successful insertion, airway leak pressure was measured.",
            ),
            (
                "Results",
                "Successful insertion and mechanical ventilation with both supraglottic "
                "airway devices was achieved on the first attempt in all 30 patients, and "
                "there were no significant differences with respect to insertion time. "
                "Likewise, leak pressure did not vary significantly either between or within "
                "groups after CO2 insufflation. In addition, differences between leak volume "
                "and leak fraction between groups were not significant.",
            ),
        ),
    ),
    "PMC4226848": (
        "The COMmunity of Practice And Safety Support (COMPASS) total worker health™ "
        "study among home care workers: study protocol for a randomized controlled "
        "trial",
        (
            (
                "Methods/design",
                "The COMPASS (COMmunity of Practice And Safety Support) study is a cluster "
                "randomized trial being implemented among Oregon’s unionized home care "
                "workers. Partnering with the Oregon Home Care Commission allowed recruiting "
                "10 pairs of home care worker groups with 8 participants per group (n = 160) "
                "for balanced randomization of groups to intervention and control "
                "conditions. Physiologic and survey evaluation of all participants will be "
                "at enrollment, 6 months and 12 months. Primary outcomes are to increase "
                "health promoting (for example, healthy nutrition and regular physical "
                "activity) and health protecting (that is, safety) behaviors. In addition to "
                "assessing outcomes adjusted for the hierarchical design, mediation analyses "
                "will be used to deconstruct and confirm the program’s theoretical "
                "underpinnings and intervention processes. Intervention groups will "
                "participate in a series of monthly 2-hour meetings designed as ritualized, "
                "scripted peer-led sessions to increase knowledge, practice skills and build "
                "support for healthy actions. Self-monitoring and individual and team level "
                "goals are included to augment change. Because generalizability, reach and "
                "achieving dissemination are priorities, following initial wave findings, a "
                "second wave of COMPASS groups will be recruited and enrolled with tailoring "
                "of the program to align with existing Home Care Commission educational "
                "offerings. Outcomes, process and mediation of those tailored groups will be "
                "compared with the original wave’s findings.",
            ),
        ),
    ),
}


def _record(pmcid: str) -> tuple[Document, tuple[Section, ...]]:
    title, sections = ABSTRACTS[pmcid]
    document = Document(
        id=f"pmc:{pmcid}",
        title=title,
        evidence_type=EvidenceType.RCT,
        source="pmc",
        publication_types=("Randomized Controlled Trial",),
    )
    return document, tuple(Section(label, text) for label, text in sections)


def _assert_spans(snapshot: Snapshot, document: Document, sections: tuple[Section, ...]) -> None:
    texts = source_texts(document, sections)
    for name, value in snapshot.to_dict().items():
        if value is not None:
            assert value.strip(), name
            assert any(value in text for text in texts), f"{name}={value!r} is not in the source"


@pytest.mark.parametrize("pmcid", sorted(ABSTRACTS))
def test_every_value_is_a_span_of_the_source(pmcid: str) -> None:
    document, sections = _record(pmcid)
    _assert_spans(extract_snapshot(document, sections), document, sections)


def test_large_placebo_controlled_trial() -> None:
    snapshot = extract_snapshot(*_record("PMC1079844"))
    assert snapshot.design == "randomised placebo-controlled trial"
    assert snapshot.participants == "20,536 UK adults"
    assert snapshot.intervention == "40 mg simvastatin daily"
    assert snapshot.comparator == "matching placebo"
    assert snapshot.follow_up is None  # a "5-year treatment period" is not a follow-up
    assert snapshot.line().startswith("randomised placebo-controlled trial · 20,536 UK adults · ")
    assert "40 mg simvastatin daily vs matching placebo" in snapshot.line()


def test_device_comparison_from_the_title_ignores_the_makers_address() -> None:
    snapshot = extract_snapshot(*_record("PMC3531529"))
    assert snapshot.participants == "30 adult patients"
    assert snapshot.intervention == "Proseal LMA"
    assert snapshot.comparator == "intersurgical I-gel"
    assert snapshot.country is None  # "(Intersurgical Ltd., Workingham, England)" is no setting
    assert snapshot.design == "Randomized Controlled Trial"  # from the publication type


def test_protocol_without_named_arms_keeps_them_null() -> None:
    snapshot = extract_snapshot(*_record("PMC4226848"))
    assert snapshot.design == "randomized controlled trial"  # the title's words come first
    assert snapshot.participants == "n = 160"
    assert snapshot.intervention is None
    assert snapshot.comparator is None
    assert snapshot.follow_up is None


def test_within_patient_study_has_no_comparator() -> None:
    snapshot = extract_snapshot(*_record("PMC2866241"))
    assert snapshot.participants == "132 patients"
    assert snapshot.population == "with rheumatoid arthritis"
    assert snapshot.comparator is None
    assert snapshot.country is None


def test_nothing_stated_gives_an_empty_snapshot() -> None:
    document = Document(id="x:1", title="Notes", evidence_type=EvidenceType.REVIEW, source="x")
    snapshot = extract_snapshot(document, (Section(None, "Hand washing matters."),))
    assert snapshot.is_empty()
    assert snapshot.line() == ""
    assert list(snapshot.to_dict()) == list(FIELDS)


def test_spans_on_the_fixture_datasets() -> None:
    records: list[tuple[Document, tuple[Section, ...]]] = []
    with (FIXTURES / "evidence_inference.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            value = json.loads(line)
            document = Document(
                id=value["pmcid"],
                title=value["title"],
                evidence_type=EvidenceType.RCT,
                source="pmc",
            )
            sections = tuple(
                Section(s["label"] or None, s["text"]) for s in value["abstract_sections"]
            )
            records.append((document, sections))
    pubmedqa = json.loads((FIXTURES / "pubmedqa.json").read_text(encoding="utf-8"))
    for pmid, value in pubmedqa.items():
        document = Document(
            id=pmid, title=value["QUESTION"], evidence_type=EvidenceType.OBSERVATIONAL, source="x"
        )
        labels = value.get("LABELS") or []
        sections = tuple(
            Section(labels[i] if i < len(labels) else None, text)
            for i, text in enumerate(value["CONTEXTS"] + [value["LONG_ANSWER"]])
        )
        records.append((document, sections))
    assert len(records) > 10
    filled = 0
    for document, sections in records:
        snapshot = extract_snapshot(document, sections)
        _assert_spans(snapshot, document, sections)
        filled += not snapshot.is_empty()
    assert filled >= len(records) // 2


def test_the_evaluation_skips_cleanly_without_the_shared_data(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from medcite.cli import app

    result = CliRunner().invoke(app, ["eval", "snapshot", "--shared-data", str(tmp_path)])
    assert result.exit_code == 0 and "skipped" in result.output
