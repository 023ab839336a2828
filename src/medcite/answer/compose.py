"""Composing the Answer: choosing sentences for each planned section, numbering references in
order of first citation, and collecting each reference's supporting passages as quotes.

Every item is a sentence copied verbatim from a passage it cites, so meaning and numbers are
exactly the source's."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

from medcite.answer.model import AnswerSection, Item, Quote, Reference, ReferenceNotice, Stance
from medcite.answer.plan import Heading, SectionKey, spec_of
from medcite.answer.sentences import EvidenceSentence, antecedent
from medcite.appraise.snapshot import Snapshot
from medcite.records import Document, Notice, NoticeKind
from medcite.text import jaccard, split_sentences, tokens

NEAR_DUPLICATE = 0.6  # token Jaccard above which a sentence repeats one already chosen


def choose_sections(
    plan: Iterable[SectionKey],
    sentences: list[EvidenceSentence],
    per_section: int,
    floor: float,
    *,
    score: Callable[[SectionKey, EvidenceSentence], float] | None = None,
    min_score: float = 0.0,
    prefer: Callable[[EvidenceSentence], bool] | None = None,
) -> list[tuple[Heading, list[EvidenceSentence]]]:
    """Fill each section with its best unused sentences; a sentence is used once. With a
    ``score`` (the reader's: does it answer this section's question), only sentences scoring at
    least ``min_score`` fill a section, best first (those ``prefer`` likes first: easy
    sentences for patients); an empty section is left out."""
    usable = [s for s in sentences if s.relevance >= floor and s.speaks_to_question]
    if score is not None:  # the reader has judged them: its score decides
        usable = list(sentences)
    used: set[tuple[str, str]] = set()
    chosen_tokens: list[set[str]] = []
    result: list[tuple[Heading, list[EvidenceSentence]]] = []
    plan = list(plan)
    for key in plan:
        # a sentence that fits a more specific section is kept for it
        candidates = [s for s in usable if key in s.sections and s.key not in used]
        if score is not None:
            scored = [(score(key, s), s) for s in candidates]
            scored = [pair for pair in scored if pair[0] >= min_score]
            scored.sort(
                key=lambda pair: (prefer is not None and not prefer(pair[1]), -pair[0], pair[1].key)
            )
            candidates = [s for _, s in scored]
        if key is SectionKey.KEY_FINDINGS:
            candidates = [s for s in candidates if _specific(s, plan) is None] or candidates
        picked = pick_unrepeated(candidates, per_section, used, chosen_tokens)
        if picked:
            result.append((key, picked))
    return result


def pick_unrepeated(
    candidates: Iterable[EvidenceSentence],
    limit: int,
    used: set[tuple[str, str]],
    told: list[set[str]],
) -> list[EvidenceSentence]:
    """The first ``limit`` of ``candidates`` that are not ``used`` and repeat none of the
    sentences ``told`` (:func:`near_duplicate`); each one picked is added to both."""
    picked: list[EvidenceSentence] = []
    for sentence in candidates:
        words = set(tokens(sentence.text))
        if sentence.key in used or near_duplicate(words, told):
            continue
        picked.append(sentence)
        used.add(sentence.key)
        told.append(words)
        if len(picked) >= limit:
            break
    return picked


def near_duplicate(words: set[str], told: Iterable[set[str]]) -> bool:
    """Whether a sentence's tokens repeat those of one already told (token Jaccard above
    :data:`NEAR_DUPLICATE`)."""
    return any(jaccard(words, other) > NEAR_DUPLICATE for other in told)


def _specific(sentence: EvidenceSentence, plan: list[SectionKey]) -> SectionKey | None:
    for key in plan:
        if key is not SectionKey.KEY_FINDINGS and key in sentence.sections:
            return key
    return None


class Citations:
    """Numbers documents in order of first citation and remembers the passages cited."""

    def __init__(
        self,
        stances: dict[str, Stance] | None = None,
        snapshot: Callable[[Document], Snapshot] | None = None,
    ) -> None:
        """``stances``: each document's stance toward a yes/no question (None: not a yes/no
        question, references carry no stance); ``snapshot``: a document's study snapshot."""
        self._stances = stances
        self._snapshot = snapshot
        self._numbers: dict[str, int] = {}
        self._documents: dict[str, EvidenceSentence] = {}
        self._passages: dict[str, dict[str, str]] = {}

    def cite(self, sentences: Iterable[EvidenceSentence]) -> tuple[int, ...]:
        numbers: list[int] = []
        for sentence in sentences:
            doc_id = sentence.document.id
            if doc_id not in self._numbers:
                self._numbers[doc_id] = len(self._numbers) + 1
                self._documents[doc_id] = sentence
            self._passages.setdefault(doc_id, {})[sentence.passage.id] = sentence.passage.text
            numbers.append(self._numbers[doc_id])
        return tuple(sorted(set(numbers)))

    def references(self) -> tuple[Reference, ...]:
        refs: list[Reference] = []
        for doc_id, n in self._numbers.items():
            document = self._documents[doc_id].document
            quotes = tuple(Quote(pid, text) for pid, text in sorted(self._passages[doc_id].items()))
            refs.append(
                Reference(
                    n=n,
                    doc_id=doc_id,
                    title=document.title,
                    journal=document.journal,
                    year=document.year,
                    evidence_type=document.evidence_type,
                    pmid=document.pmid,
                    doi=document.doi,
                    url=document.url,
                    quotes=quotes,
                    stance=self._stance_of(doc_id),
                    authors=document.authors,
                    snapshot=None if self._snapshot is None else self._snapshot(document),
                    volume=document.identifiers.get("volume"),
                    issue=document.identifiers.get("issue"),
                    pages=document.identifiers.get("pages"),
                    date=document.date,
                    set_id=document.identifiers.get("setid"),
                )
            )
        return tuple(sorted(refs, key=lambda r: r.n))

    def _stance_of(self, doc_id: str) -> Stance | None:
        if self._stances is None:
            return None
        return self._stances.get(doc_id, Stance.NEUTRAL)


def with_notices(
    references: tuple[Reference, ...], notices: Sequence[Notice]
) -> tuple[Reference, ...]:
    """Each reference with the notices about its paper (matched by PMID or DOI), each notice
    once, by kind (retraction, concern, erratum) and then text."""
    kinds = list(NoticeKind)
    out: list[Reference] = []
    for ref in references:
        doi = (ref.doi or "").lower()
        mine = [
            n
            for n in notices
            if (n.target_pmid and n.target_pmid == ref.pmid)
            or (n.target_doi and n.target_doi == doi)
        ]
        texts = sorted({(kinds.index(n.kind), n.text): n.kind for n in mine}.items())
        found = tuple(ReferenceNotice(kind, text) for (_, text), kind in texts)
        out.append(dataclasses.replace(ref, notices=found) if found else ref)
    return tuple(out)


def _unshown(before: str, run: str) -> str:
    """What of a sentence's antecedent is not shown already: its sentences after those the
    answer shows (the bottom line "Conjunctivitis is the medical name for pink eye." is not
    told again before "It involves … It can cause …")."""
    said = split_sentences(before)
    while said and said[0] in run:
        said = said[1:]
    if not said:
        return ""
    at = before.find(said[0])
    return before[at:] if at >= 0 else before


def render_sections(
    chosen: list[tuple[Heading, list[EvidenceSentence]]],
    citations: Citations,
    said: str = "",
    told: bool = False,
) -> tuple[AnswerSection, ...]:
    """The chosen sentences as items, each after its antecedent (:func:`antecedent`) unless the
    bottom line (``said``) or another item already shows that sentence. ``told``: the bottom
    line tells what it says (no verdict quoting its backing, which the key evidence lists), so
    a sentence it shows, as its text or its text's antecedent, is no item, and a section left
    with none is left out (set BQ: "A different kind of oxygen therapy is called hyperbaric
    oxygen therapy." told twice)."""
    shown = [said, *(s.text for _, picked in chosen for s in picked)]
    run = " ".join(shown)  # a page told in its order shows a run of its sentences (set BO:
    # "It can cause swelling …" after "Conjunctivitis is …" and "It involves …" repeated both)

    def text(sentence: EvidenceSentence) -> str:
        before = _unshown(antecedent(sentence), run)
        return f"{before} {sentence.text}" if before else sentence.text

    sections: list[AnswerSection] = []
    for key, picked in chosen:
        spec = spec_of(key)
        items = tuple(
            Item(text(s), citations.cite([s])) for s in picked if not (told and s.text in said)
        )
        if items:
            sections.append(AnswerSection(spec.heading, spec.kind, items))
    return tuple(sections)
