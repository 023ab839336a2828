"""Readers for the public datasets MedCite ships (see ``data/NOTICE``): PubMedQA, MedQuAD,
SciFact, NGC guideline summaries, USPSTF recommendations, Evidence Inference RCT abstracts and
the NCBI Disease Corpus. Each yields one :class:`SourceDocument` per record."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from medcite.evidence import classify
from medcite.ingest.base import (
    Item,
    ReadOptions,
    apply_options,
    iter_json_lines,
    open_binary,
    parse_year,
)
from medcite.ingest.blocks import tell_blocks
from medcite.ingest.phenotype import tell_phenotype_table
from medcite.records import Document, EvidenceType, RecordProblem, Section, SourceDocument


def _problem(path: Path, number: int, message: str) -> RecordProblem:
    return RecordProblem(str(path), number, message)


# --- PubMedQA ----------------------------------------------------------------------------------


def read_pubmedqa(path: Path, options: ReadOptions) -> Iterator[Item]:
    """PubMedQA JSON (an object keyed by PMID): abstract = CONTEXTS (labelled) + LONG_ANSWER."""
    try:
        with open_binary(path) as handle:
            data = json.loads(handle.read().decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        yield _problem(path, 0, f"not a PubMedQA JSON file: {exc}")
        return
    if not isinstance(data, dict):
        yield _problem(path, 0, "a PubMedQA file is a JSON object keyed by PMID")
        return
    for number, (pmid, record) in enumerate(data.items(), start=1):
        try:
            yield pubmedqa_record(str(pmid), record, options, include_conclusion=True)
        except (KeyError, TypeError, ValueError) as exc:
            yield _problem(path, number, f"bad PubMedQA record {pmid}: {exc!r}")


def pubmedqa_record(
    pmid: str, record: dict[str, Any], options: ReadOptions, *, include_conclusion: bool
) -> SourceDocument:
    """One PubMedQA record as a document; the eval uses it without the conclusion."""
    contexts = [str(c) for c in record["CONTEXTS"]]
    labels = [str(label) for label in record.get("LABELS") or []]
    sections = [
        Section(labels[i] if i < len(labels) else None, text) for i, text in enumerate(contexts)
    ]
    if include_conclusion and record.get("LONG_ANSWER"):
        sections.append(Section("CONCLUSIONS", str(record["LONG_ANSWER"])))
    mesh = tuple(str(m) for m in record.get("MESHES") or [])
    abstract = " ".join(s.text for s in sections)
    source, evidence = apply_options(
        options,
        "pubmedqa",
        classify(source="pubmedqa", mesh=mesh, title=record["QUESTION"], abstract=abstract),
    )
    document = Document(
        id=f"pmid:{pmid}",
        # PubMedQA questions are derived from the article titles; the title itself is not shipped.
        title=str(record["QUESTION"]),
        evidence_type=evidence,
        source=source,
        year=parse_year(record.get("YEAR")),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        identifiers={"pmid": pmid},
        mesh=mesh,
        licence="MIT (PubMedQA); abstract text from PubMed",
    )
    return SourceDocument(document, tuple(sections))


# --- MedQuAD -----------------------------------------------------------------------------------


def read_medquad(path: Path, options: ReadOptions) -> Iterator[Item]:
    """MedQuAD JSONL: one document per question-answer pair that has answer text."""
    for number, value in iter_json_lines(path):
        if isinstance(value, RecordProblem):
            yield value
            continue
        answer = value.get("answer")
        if not answer:
            continue  # the authors removed MedlinePlus answers; nothing to cite
        try:
            yield _medquad_record(value, str(answer), options)
        except (KeyError, TypeError, AttributeError) as exc:
            yield _problem(path, number, f"bad MedQuAD record: {exc!r}")


def _medquad_record(value: dict[str, Any], answer: str, options: ReadOptions) -> SourceDocument:
    source, evidence = apply_options(options, "medquad", EvidenceType.CONSUMER_HEALTH)
    record_id = str(value["id"]).replace("#", "/")
    focus = value.get("focus") or ""
    question = str(value["question"]).strip()
    publisher = _MEDQUAD_PUBLISHERS.get(str(value.get("source")), str(value.get("source") or ""))
    document = Document(
        id=f"medquad:{record_id}",
        title=f"{focus}: {question}"
        if focus and focus.lower() not in question.lower()
        else question,
        evidence_type=evidence,
        source=source,
        journal=publisher or None,
        url=value.get("url"),
        identifiers={"medquad": str(value["id"])},
        keywords=tuple(
            str(s)
            for s in [focus, *(value.get("synonyms") or []), value.get("question_type") or ""]
            if s
        ),
        licence="CC BY 4.0 (MedQuAD, Ben Abacha & Demner-Fushman 2019)",
    )
    label = value.get("question_type")
    told = tell_blocks(tell_phenotype_table(answer, str(focus)))
    return SourceDocument(document, (Section(str(label) if label else None, told),))


_MEDQUAD_PUBLISHERS = {
    "CancerGov": "National Cancer Institute (cancer.gov)",
    "GARD": "Genetic and Rare Diseases Information Center (NIH)",
    "GHR": "Genetics Home Reference (NLM)",
    "MPlusHealthTopics": "MedlinePlus Health Topics (NLM)",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases",
    "NINDS": "National Institute of Neurological Disorders and Stroke",
    "NIHSeniorHealth": "NIHSeniorHealth (NIA/NLM)",
    "NHLBI": "National Heart, Lung, and Blood Institute",
    "CDC": "Centers for Disease Control and Prevention",
}


# --- SciFact -----------------------------------------------------------------------------------


def read_scifact(path: Path, options: ReadOptions) -> Iterator[Item]:
    """SciFact corpus JSONL: ``doc_id``, ``title``, ``abstract`` (a list of sentences)."""
    for number, value in iter_json_lines(path):
        if isinstance(value, RecordProblem):
            yield value
            continue
        try:
            yield scifact_record(value, options)
        except (KeyError, TypeError, ValueError) as exc:
            yield _problem(path, number, f"bad SciFact record: {exc!r}")


def scifact_record(
    value: dict[str, Any], options: ReadOptions, prefix: str = "scifact"
) -> SourceDocument:
    sentences = value["abstract"]
    if not isinstance(sentences, list) or not sentences:
        raise ValueError("abstract must be a non-empty list of sentences")
    text = " ".join(str(s).strip() for s in sentences)
    title = str(value["title"]).strip()
    source, evidence = apply_options(
        options, "scifact", classify(source="scifact", title=title, abstract=text)
    )
    document = Document(
        id=f"{prefix}:{value['doc_id']}",
        title=title,
        evidence_type=evidence,
        source=source,
        identifiers={"s2": str(value["doc_id"])},
        licence="ODC-By 1.0 (SciFact corpus, from S2ORC)",
    )
    return SourceDocument(document, (Section(None, text),))


# --- NGC guidelines ----------------------------------------------------------------------------

_NGC_SECTIONS = (
    "Major Recommendations",
    "Clinical Algorithm(s)",
    "Target Population",
    "Interventions and Practices Considered",
    "Potential Benefits",
    "Potential Harms",
    "Contraindications",
    "Qualifying Statements",
    "Rating Scheme for the Strength of the Evidence",
    "Rating Scheme for the Strength of the Recommendations",
    "Type of Evidence Supporting the Recommendations",
)


def read_ngc(path: Path, options: ReadOptions) -> Iterator[Item]:
    """NGC guideline summaries (JSONL): the clinically useful fields become labelled sections."""
    for number, value in iter_json_lines(path):
        if isinstance(value, RecordProblem):
            yield value
            continue
        try:
            fields = value.get("fields") or {}
            sections = tuple(
                Section(name.upper(), str(fields[name]))
                for name in _NGC_SECTIONS
                if fields.get(name)
            )
            if not sections:
                yield _problem(path, number, "guideline has no recommendation text")
                continue
            source, evidence = apply_options(options, "ngc", EvidenceType.GUIDELINE)
            developer = str(value.get("developer") or "").split("\n")[0]
            document = Document(
                id=f"ngc:{value['ngc_id'].removeprefix('ngc-')}",
                title=str(value["title"]).rstrip("."),
                evidence_type=evidence,
                source=source,
                journal=re.sub(r"\s*-\s*[^-]*\[.*$", "", developer)
                or "National Guideline Clearinghouse",
                year=parse_year(value.get("date_released")),
                url=f"https://www.guideline.gov/summaries/summary/{value['ngc_id'].removeprefix('ngc-')}",
                identifiers={"ngc": str(value["ngc_id"])},
                publication_types=("Practice Guideline",),
                licence=str(value.get("copyright_statement") or "public domain"),
            )
            yield SourceDocument(document, sections)
        except (KeyError, TypeError, AttributeError) as exc:
            yield _problem(path, number, f"bad NGC record: {exc!r}")


# --- USPSTF ------------------------------------------------------------------------------------


def read_uspstf(path: Path, options: ReadOptions) -> Iterator[Item]:
    """USPSTF specific recommendations (API JSON): recommendation text, grade and risk text."""
    try:
        with open_binary(path) as handle:
            data = json.loads(handle.read().decode("utf-8"))
        records = data["specificRecommendations"] if isinstance(data, dict) else data
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError, KeyError) as exc:
        yield _problem(path, 0, f"not a USPSTF recommendations file: {exc}")
        return
    except RecursionError:  # found by fuzzing, as the list check below
        yield _problem(path, 0, "not a USPSTF recommendations file: nested too deep")
        return
    if not isinstance(records, list):
        yield _problem(path, 0, "not a USPSTF recommendations file: no list of recommendations")
        return
    for number, value in enumerate(records, start=1):
        try:
            grade = str(value.get("grade") or "").strip()
            sections = [Section("RECOMMENDATION", _html_text(value["text"]))]
            if grade:
                sections[0] = Section(
                    "RECOMMENDATION", f"{sections[0].text} (USPSTF grade {grade}.)".strip()
                )
            for label, key in (("RISK ASSESSMENT", "riskText"), ("SERVICE", "servFreq")):
                if value.get(key):
                    sections.append(Section(label, _html_text(value[key])))
            source, evidence = apply_options(options, "uspstf", EvidenceType.GUIDELINE)
            document = Document(
                id=f"uspstf:{value['id']}",
                title=f"USPSTF: {value['title']}",
                evidence_type=evidence,
                source=source,
                journal="U.S. Preventive Services Task Force",
                year=2021,  # snapshot of the API, March 2021
                url="https://www.uspreventiveservicestaskforce.org/uspstf/recommendation-topics",
                identifiers={"uspstf": str(value["id"])},
                publication_types=("Practice Guideline",),
                keywords=(f"grade {grade}",) if grade else (),
                licence="public domain (U.S. Government work)",
            )
            yield SourceDocument(document, tuple(s for s in sections if s.text))
        except (KeyError, TypeError, AttributeError) as exc:
            yield _problem(path, number, f"bad USPSTF record: {exc!r}")


_CITATION_MARK = re.compile(r"[\d\s,\u2013-]+")


def _html_text(markup: str) -> str:
    """The text of an HTML fragment, without its citation numbers, superscript or linked, and
    without the site's exit-disclaimer links: the USPSTF's "… as well as pregnant
    women.<sup>13</sup> The Centers …" would read "women.13 The" and hide the sentence on whom to
    screen for gonorrhea (set BA); "… in women aged 40 to 49 years.<a …>2</a>, <a …>9</a>
    Further, …" ran two sentences into one too long to keep whole (set BC)."""
    if not markup.strip():
        return ""
    element = lxml_html.fromstring(f"<div>{markup}</div>")
    for mark in [*element.iter("sup"), *element.iter("a")]:
        if not isinstance(mark, lxml_html.HtmlElement):
            continue
        said = mark.text_content()
        if _CITATION_MARK.fullmatch(said) or (mark.tag == "a" and _EXIT_LINK.match(said)):
            mark.drop_tree()
    text = str(element.text_content())  # type: ignore[attr-defined]
    text = _LEFT_COMMAS.sub("", text)  # "years.2, 9 Further" lost its numbers, not their commas
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


_EXIT_LINK = re.compile(r"\s*This link goes offsite\b", re.I)
_LEFT_COMMAS = re.compile(r"(?<=[.!?])(?:\s*,)+(?=\s|$)")


# --- Evidence Inference (PMC RCT abstracts) ----------------------------------------------------

OPEN_LICENCES = frozenset({"CC BY", "CC0", "public domain"})


def read_evidence_inference(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Evidence Inference article metadata: openly licensed RCT abstracts with their sections."""
    for number, value in iter_json_lines(path):
        if isinstance(value, RecordProblem):
            yield value
            continue
        if str(value.get("license")) not in OPEN_LICENCES or not value.get("abstract_sections"):
            continue
        try:
            sections = tuple(
                Section(str(s.get("label") or "").upper() or None, str(s["text"]))
                for s in value["abstract_sections"]
                if s.get("text")
            )
            pmid = value.get("pmid")
            identifiers = {k: str(value[k]) for k in ("pmid", "pmcid", "doi") if value.get(k)}
            title = str(value["title"])
            abstract = " ".join(s.text for s in sections)
            source, evidence = apply_options(
                options,
                "evidence_inference",
                classify(
                    source="pmc",
                    publication_types=("Randomized Controlled Trial",),
                    title=title,
                    abstract=abstract,
                ),
            )
            document = Document(
                id=f"pmid:{pmid}" if pmid else f"pmc:{value['pmcid']}",
                title=title,
                evidence_type=evidence,
                source=source,
                journal=value.get("journal"),
                year=parse_year(value.get("year")),
                url=f"https://www.ncbi.nlm.nih.gov/pmc/articles/{value['pmcid']}/",
                identifiers=identifiers,
                publication_types=("Randomized Controlled Trial",),
                keywords=tuple(str(k) for k in value.get("keywords") or []),
                licence=f"{value['license']} ({value.get('license_url') or 'PMC OA'})",
            )
            yield SourceDocument(document, sections)
        except (KeyError, TypeError, AttributeError) as exc:
            yield _problem(path, number, f"bad Evidence Inference record: {exc!r}")


# --- NCBI Disease Corpus -----------------------------------------------------------------------


def read_ncbi_disease(path: Path, options: ReadOptions) -> Iterator[Item]:
    """NCBI Disease Corpus JSONL: PubMed title + abstract, disease concepts as keywords."""
    for number, value in iter_json_lines(path):
        if isinstance(value, RecordProblem):
            yield value
            continue
        try:
            title = str(value["title"])
            abstract = str(value["abstract"])
            mentions = sorted({str(m["text"]) for m in value.get("mentions") or []})
            source, evidence = apply_options(
                options, "ncbi_disease", classify(source="pubmed", title=title, abstract=abstract)
            )
            document = Document(
                id=f"pmid:{value['pmid']}",
                title=title,
                evidence_type=evidence,
                source=source,
                url=f"https://pubmed.ncbi.nlm.nih.gov/{value['pmid']}/",
                identifiers={"pmid": str(value["pmid"])},
                keywords=tuple(mentions[:20]),
                licence="public domain (NCBI Disease Corpus, U.S. Government work)",
            )
            yield SourceDocument(document, (Section(None, abstract),))
        except (KeyError, TypeError) as exc:
            yield _problem(path, number, f"bad NCBI Disease record: {exc!r}")
