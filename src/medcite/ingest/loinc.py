"""The sections of a drug label MedCite keeps, by their LOINC code, and how a passage carries it.

An SPL document (DailyMed) codes each section with LOINC (``<code code="34068-7"
codeSystem="2.16.840.1.113883.6.1">``); openFDA's drug-label records name their fields after the
same sections (``dosage_and_administration``). The codes and names below are those of FDA's SPL
section list (FDA/openfda ``openfda/spl/data/sections.csv``) and were checked against the
DailyMed samples in ``tests/fixtures/sources/dailymed``; the openFDA field names are those of
openFDA's drug-label mapping (``schemas/spl_mapping.json``).

A passage keeps one section label string (``records.Section.label`` → ``Passage.section``), so
the code travels inside it: ``"Dosage and administration (LOINC 34068-7)"``. The label reads
well on a page, is searched with the passage (the section column of FTS5), shows the code in
every hit's and quote's JSON, and :func:`loinc_code` reads the code back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LOINC_SYSTEM = "2.16.840.1.113883.6.1"
"""The OID of LOINC, the code system of SPL section codes (older SPL files may omit it)."""

UNCLASSIFIED = "42229-5"
"""SPL UNCLASSIFIED SECTION: a subsection without a code of its own (``2.1 Hyperlipidemia``);
its text belongs to the section around it."""


@dataclass(frozen=True, slots=True)
class LabelSection:
    """One kept section: its LOINC code, its name in sentence case and the openFDA fields
    holding it."""

    code: str
    name: str
    openfda: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The passage's section label: ``"Dosage and administration (LOINC 34068-7)"``."""
        return section_label(self.name, self.code)


# In the order of a prescription label (PLR numbering), then the OTC "Drug Facts" sections.
SECTIONS: tuple[LabelSection, ...] = (
    LabelSection("34066-1", "Boxed warning", ("boxed_warning",)),
    LabelSection("34067-9", "Indications and usage", ("indications_and_usage",)),
    LabelSection("34068-7", "Dosage and administration", ("dosage_and_administration",)),
    LabelSection("43678-2", "Dosage forms and strengths", ("dosage_forms_and_strengths",)),
    LabelSection("34070-3", "Contraindications", ("contraindications",)),
    LabelSection("43685-7", "Warnings and precautions", ("warnings_and_cautions",)),
    LabelSection("34071-1", "Warnings", ("warnings",)),
    LabelSection("42232-9", "Precautions", ("precautions",)),
    LabelSection("34072-9", "General precautions", ("general_precautions",)),
    LabelSection("34084-4", "Adverse reactions", ("adverse_reactions",)),
    LabelSection("34073-7", "Drug interactions", ("drug_interactions",)),
    LabelSection("43684-0", "Use in specific populations", ("use_in_specific_populations",)),
    LabelSection("42228-7", "Pregnancy", ("pregnancy",)),
    LabelSection("34080-2", "Nursing mothers", ("nursing_mothers",)),
    LabelSection("77290-5", "Lactation"),
    LabelSection("34081-0", "Pediatric use", ("pediatric_use",)),
    LabelSection("34082-8", "Geriatric use", ("geriatric_use",)),
    LabelSection("34088-5", "Overdosage", ("overdosage",)),
    LabelSection("55106-9", "Active ingredient", ("active_ingredient",)),
    LabelSection("55105-1", "Purpose", ("purpose",)),
    LabelSection("50570-1", "Do not use", ("do_not_use",)),
    LabelSection("50569-3", "Ask a doctor", ("ask_doctor",)),
    LabelSection("50568-5", "Ask a doctor or pharmacist", ("ask_doctor_or_pharmacist",)),
    LabelSection("50567-7", "When using", ("when_using",)),
    LabelSection("50566-9", "Stop use", ("stop_use",)),
    LabelSection("53414-9", "Pregnancy or breast feeding", ("pregnancy_or_breast_feeding",)),
    LabelSection("50565-1", "Keep out of reach of children", ("keep_out_of_reach_of_children",)),
)
BY_CODE: dict[str, LabelSection] = {section.code: section for section in SECTIONS}
BY_FIELD: dict[str, LabelSection] = {field: s for s in SECTIONS for field in s.openfda}

_CODE_IN_LABEL = re.compile(r"\(LOINC (\d{1,7}-\d)\)\s*$")


def section_label(name: str, code: str) -> str:
    return f"{name} (LOINC {code})"


def loinc_code(label: str | None) -> str | None:
    """The LOINC code a passage's section label carries (None for other sources' labels)."""
    match = _CODE_IN_LABEL.search(label or "")
    return match.group(1) if match else None


def section_of(label: str | None) -> LabelSection | None:
    """The kept section a passage's section label names, if any."""
    code = loinc_code(label)
    return BY_CODE.get(code) if code else None
