"""The answer engine: question → retrieval → evidence sentences → stance and verdict → sections
and references, told for one audience. Extractive: no LLM, no network."""

from __future__ import annotations

import dataclasses
import datetime
import time

import numpy as np
import numpy.typing as npt

from medcite.answer import audience as audiences
from medcite.answer.compose import Citations, choose_sections, render_sections
from medcite.answer.followup import resolve_follow_up
from medcite.answer.model import (
    Answer,
    Audience,
    BottomLine,
    EvidenceMeter,
    Question,
    QuestionType,
    Safety,
    Strength,
    Verdict,
)
from medcite.answer.plan import need_for, plan_for
from medcite.answer.question import analyse_question
from medcite.answer.related import related_questions, suggest_follow_ups
from medcite.answer.safety import assess_safety, check_question, looks_like_injection
from medcite.answer.sentences import (
    EvidenceSentence,
    concept_forms,
    extract,
    score_lexical,
    score_relevance,
    tag_sections,
)
from medcite.answer.stance import StanceModel, load_default_stance
from medcite.answer.storage import AnswerStore, new_answer_id, now
from medcite.answer.verdict import Decision, ScoredEvidence, decide
from medcite.errors import InputError
from medcite.index.embeddings import Embedder, get_embedder
from medcite.records import Hit
from medcite.retrieve.hybrid import Retriever
from medcite.retrieve.query import ParsedQuery
from medcite.settings import Settings
from medcite.store.base import EvidenceStore, Filters
from medcite.text import normalise_term

STANCE_SENTENCES = 16  # sentences embedded for the stance model (the slow step of yes/no)
IN_SCOPE_SIMILARITY = 0.5  # passage cosine that makes an unrecognised question medical
SAME_TOPIC_SIMILARITY = 0.8  # passage cosine at which the evidence is about the question
STANCE_DOCUMENTS = 5  # the best documents whose sentences the stance model reads
_VERDICT_WORDS = {
    Verdict.YES: "Yes.",
    Verdict.NO: "No.",
    Verdict.UNCERTAIN: "Uncertain.",
}


class Engine:
    """Answers questions from one evidence store; holds the models between questions."""

    def __init__(
        self,
        store: EvidenceStore,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        stance: StanceModel | None = None,
        answers: AnswerStore | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.embedder = embedder or get_embedder(settings.embedding)
        self.retriever = Retriever(store, settings, self.embedder)
        self._stance = stance
        self.answers = answers

    @property
    def stance(self) -> StanceModel:
        if self._stance is None:
            self._stance = load_default_stance()
        return self._stance

    def answer(
        self,
        question: str,
        audience: Audience = Audience.CLINICIAN,
        since: int | None = None,
        follow_up_of: str | None = None,
        save: bool = True,
    ) -> Answer:
        return self.answer_all(question, (audience,), since, follow_up_of, save)[audience]

    def answer_all(
        self,
        question: str,
        audiences_: tuple[Audience, ...] = tuple(Audience),
        since: int | None = None,
        follow_up_of: str | None = None,
        save: bool = True,
    ) -> dict[Audience, Answer]:
        """One answer per audience from one retrieval: the same evidence, told for each."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        text = check_question(question)
        resolved = self._resolve(text, follow_up_of)
        safety = assess_safety(resolved, self.store)
        created = now()

        def base_for(audience: Audience) -> _Base:
            return _Base(new_answer_id(), text, audience, follow_up_of, resolved, safety, created)

        if safety.out_of_scope and not self._corpus_knows(resolved):
            return {
                a: self._finish(_declined(base_for(a), safety), None, timings, started, save)
                for a in audiences_
            }
        if safety.out_of_scope:  # the words were unfamiliar, but the evidence speaks to them
            safety = Safety(emergency=safety.emergency)
        parsed = analyse_question(resolved, self.store)
        mark = time.perf_counter()
        result = self.retriever.search(
            resolved, k=self.settings.answer.passages, filters=Filters(since=since)
        )
        timings["retrieve"] = _ms(mark)
        mark = time.perf_counter()
        sentences, question_vec = self._evidence(parsed, result.hits, result.query)
        timings["score"] = _ms(mark)
        relevant = [
            s for s in sentences if s.mentions and s.relevance >= self.settings.answer.min_relevance
        ]
        unlinked = _unlinked_target(parsed, sentences)
        if not relevant or (not _covers(parsed, sentences) and unlinked is None):
            return {
                a: self._finish(
                    _insufficient(base_for(a), parsed, result.query, len(result.hits)),
                    question_vec,
                    timings,
                    started,
                    save,
                )
                for a in audiences_
            }
        answers: dict[Audience, Answer] = {}
        stance_memo: dict[str, tuple[Decision | None, list[EvidenceSentence]]] = {}
        for audience in audiences_:
            ordered = list(sentences)
            audiences.order(ordered, audience, self.settings.answer)
            mark = time.perf_counter()
            decision: Decision | None
            if unlinked is not None:
                decision, bottom = _no_link(parsed, unlinked, ordered)
            else:
                decision, bottom = self._bottom_line(
                    parsed, resolved, question_vec, ordered, stance_memo
                )
            timings["stance"] = timings.get("stance", 0.0) + _ms(mark)
            base = base_for(audience)
            composed = self._compose(base, parsed, ordered, decision, bottom, question_vec)
            answers[audience] = self._finish(composed, question_vec, timings, started, save)
        return answers

    # -- steps -----------------------------------------------------------------------------------

    def _corpus_knows(self, text: str) -> bool:
        """A question the vocabulary did not recognise is still medical when the corpus holds a
        passage close to it in meaning (research questions use words no glossary lists)."""
        if looks_like_injection(text):
            return False
        hits = self.retriever.search(text, k=1).hits
        return bool(hits) and (hits[0].similarity or 0.0) >= IN_SCOPE_SIMILARITY

    def _resolve(self, text: str, follow_up_of: str | None) -> str:
        if not follow_up_of:
            return text
        previous = self.answers.get(follow_up_of) if self.answers else None
        if previous is None:
            raise InputError(f"no earlier answer with id {follow_up_of!r}", "unknown_answer")
        earlier = str(previous.get("resolved_question") or previous["question"])
        return resolve_follow_up(text, analyse_question(earlier, self.store))

    def _evidence(
        self, question: Question, hits: list[Hit], query: ParsedQuery
    ) -> tuple[list[EvidenceSentence], npt.NDArray[np.float32]]:
        sentences = extract(hits)
        concepts = {c: query.expansions.get(c, ()) for c in question.concepts}
        if not concepts:
            concepts = {t: () for t in query.terms[:6]}
        score_lexical(sentences, concept_forms(concepts))
        score_relevance(sentences)
        ranked = sorted(sentences, key=lambda s: (-s.relevance, s.passage.id, s.text))
        ranked = ranked[: self.settings.answer.max_sentences]
        tag_sections(ranked)
        return ranked, self.retriever.query_vector(question.text)

    def _bottom_line(
        self,
        question: Question,
        text: str,
        question_vec: npt.NDArray[np.float32],
        sentences: list[EvidenceSentence],
        memo: dict[str, tuple[Decision | None, list[EvidenceSentence]]],
    ) -> tuple[Decision | None, list[EvidenceSentence]]:
        floor = self.settings.answer.sentence_floor
        usable = [s for s in sentences if s.mentions and s.relevance >= floor]
        if not question.yes_no:
            need = need_for(question)
            fitting = [s for s in usable if need in s.sections] if need else []
            return None, (fitting or usable)[:1]
        if "stance" not in memo:  # the stance does not depend on the audience: read it once
            memo["stance"] = self._stance_of(text, question_vec, sentences, usable)
        return memo["stance"]

    def _stance_of(
        self,
        text: str,
        question_vec: npt.NDArray[np.float32],
        sentences: list[EvidenceSentence],
        usable: list[EvidenceSentence],
    ) -> tuple[Decision, list[EvidenceSentence]]:
        floor = self.settings.answer.sentence_floor
        # Result sentences rarely repeat the question's words ("cIMT was nearly identical"):
        # the stance model reads every sentence of the best documents, relevance weighs them.
        top = {
            h.passage.doc_id
            for h in sorted({s.hit.rank: s.hit for s in sentences}.values(), key=lambda h: h.rank)[
                :STANCE_DOCUMENTS
            ]
        }
        pool = sorted(
            (s for s in sentences if s.document.id in top and s.relevance >= floor / 2),
            key=lambda s: (-s.relevance, s.passage.id, s.text),
        )[:STANCE_SENTENCES]
        if not pool:
            pool = usable[:STANCE_SENTENCES]
        vectors = self.embedder.embed([s.text for s in pool])
        probs = self.stance.predict(text, question_vec, [s.text for s in pool], vectors)
        evidence = [
            ScoredEvidence(
                doc_id=s.document.id,
                probs=probs[i],
                relevance=s.relevance,
                evidence_rank=s.document.evidence_type.rank,
                year=s.document.year,
            )
            for i, s in enumerate(pool)
        ]
        decision = decide(evidence, datetime.date.today().year)
        wanted = {Verdict.YES: 0, Verdict.NO: 1}.get(decision.verdict)
        backing = [
            s for i, s in enumerate(pool) if wanted is None or int(np.argmax(probs[i])) == wanted
        ]
        return decision, _one_per_document(backing or pool)[:3]

    def _compose(
        self,
        base: _Base,
        question: Question,
        sentences: list[EvidenceSentence],
        decision: Decision | None,
        bottom: list[EvidenceSentence],
        question_vec: npt.NDArray[np.float32],
    ) -> Answer:
        settings = self.settings.answer
        citations = Citations()
        bottom_citations = citations.cite(bottom)
        if decision is not None:
            words = _VERDICT_WORDS.get(decision.verdict, "")
            bottom_line = BottomLine(
                decision.verdict,
                decision.strength,
                f"{words} {decision.reason}".strip(),
                bottom_citations,
            )
            meter: EvidenceMeter | None = decision.meter
        else:
            bottom_line = BottomLine(None, None, bottom[0].text, bottom_citations)
            meter = None
        used = {s.key for s in bottom} if decision is None else set()
        plan = plan_for(question, base.audience)
        per_section = settings.items_per_section
        chosen = choose_sections(
            plan, [s for s in sentences if s.key not in used], per_section, settings.sentence_floor
        )
        sections = render_sections(chosen, citations)
        texts = ([bottom_line.text] if decision is None else []) + [
            item.text for section in sections for item in section.items
        ]
        return Answer(
            id=base.id,
            question=base.question,
            audience=base.audience,
            question_type=question.type,
            bottom_line=bottom_line,
            evidence_meter=meter,
            sections=sections,
            references=citations.references(),
            reading_grade=audiences.reading_grade(texts),
            safety=base.safety,
            related_questions=related_questions(
                self.retriever, self.answers, question, question_vec, settings.related
            ),
            suggested_follow_ups=suggest_follow_ups(
                question, plan, [k for k, _ in chosen], sentences, settings.follow_ups
            ),
            glossary=audiences.glossary(texts, self.store, base.audience),
            follow_up_of=base.follow_up_of,
            resolved_question=base.resolved if base.resolved != base.question else None,
            created_at=base.created_at,
        )

    def _finish(
        self,
        answer: Answer,
        question_vec: npt.NDArray[np.float32] | None,
        timings: dict[str, float],
        started: float,
        save: bool,
    ) -> Answer:
        timings["total"] = _ms(started)
        answer = _with_timings(answer, timings)
        if save and self.answers is not None:
            self.answers.save(answer, question_vec)
        return answer


class _Base:
    """What every answer carries, whatever path it takes."""

    def __init__(
        self,
        answer_id: str,
        question: str,
        audience: Audience,
        follow_up_of: str | None,
        resolved: str,
        safety: Safety,
        created_at: str,
    ) -> None:
        self.id = answer_id
        self.question = question
        self.audience = audience
        self.follow_up_of = follow_up_of
        self.resolved = resolved
        self.safety = safety
        self.created_at = created_at


def _declined(base: _Base, safety: Safety) -> Answer:
    return Answer(
        id=base.id,
        question=base.question,
        audience=base.audience,
        question_type=QuestionType.GENERAL,
        bottom_line=BottomLine(None, None, safety.notice or "", ()),
        evidence_meter=None,
        sections=(),
        references=(),
        reading_grade=None,
        safety=safety,
        follow_up_of=base.follow_up_of,
        created_at=base.created_at,
    )


def _insufficient(base: _Base, question: Question, query: ParsedQuery, passages: int) -> Answer:
    searched = list(question.concepts or query.terms)
    synonyms = sorted({s for c in searched for s in query.expansions.get(c, ())})
    terms = ", ".join(f'"{t}"' for t in searched[:6])
    also = f" (and synonyms such as {', '.join(synonyms[:4])})" if synonyms else ""
    text = (
        f"Not enough evidence: MedCite searched its corpus for {terms}{also} and reviewed "
        f"{passages} passages, but none addresses this question closely enough to answer it. "
        "No answer is given rather than one built from off-topic sources."
    )
    return Answer(
        id=base.id,
        question=base.question,
        audience=base.audience,
        question_type=question.type,
        bottom_line=BottomLine(Verdict.INSUFFICIENT, None, text, ()),
        evidence_meter=EvidenceMeter(0, 0, 0) if question.yes_no else None,
        sections=(),
        references=(),
        reading_grade=None,
        safety=base.safety,
        follow_up_of=base.follow_up_of,
        resolved_question=base.resolved if base.resolved != base.question else None,
        created_at=base.created_at,
    )


def _covers(question: Question, sentences: list[EvidenceSentence]) -> bool:
    """Does the evidence name what the question is about? Every concept of a one- or
    two-concept question, two thirds of longer ones — else answering would mean answering
    from passages about something else (a drug the corpus has never heard of)."""
    concepts = question.concepts[:6]
    if not concepts:
        return True
    if max((s.dense for s in sentences), default=0.0) >= SAME_TOPIC_SIMILARITY:
        return True  # a passage this close in meaning is about the question, whatever its words
    named = {c for s in sentences for c in s.mentions}
    share = len(named & set(concepts)) / len(concepts)
    return share == 1.0 if len(concepts) <= 2 else share >= 2 / 3


def _unlinked_target(question: Question, sentences: list[EvidenceSentence]) -> str | None:
    """For "Can X cause Y?" where the evidence covers X but never names Y: Y (else None)."""
    if not (question.yes_no and question.subject and question.target):
        return None
    named = {c for s in sentences for c in s.mentions}
    missing = [c for c in question.concepts[:6] if c not in named]
    target = normalise_term(question.target)
    if missing and all(target in m or m in target for m in missing) and named:
        return question.target
    return None


def _no_link(
    question: Question, target: str, sentences: list[EvidenceSentence]
) -> tuple[Decision, list[EvidenceSentence]]:
    """The honest answer when the corpus discusses the subject but never links it to the target."""
    about = _one_per_document([s for s in sentences if s.mentions])
    subject = question.subject or "the subject"
    reason = (
        f"{len(about)} source{'s' if len(about) != 1 else ''} in the corpus discuss {subject}, "
        f"but none of them mentions {target}, so the corpus neither supports nor rules out a link."
    )
    meter = EvidenceMeter(0, 0, len(about))
    return Decision(Verdict.UNCERTAIN, Strength.WEAK, meter, reason), about[:3]


def _one_per_document(sentences: list[EvidenceSentence]) -> list[EvidenceSentence]:
    seen: set[str] = set()
    out: list[EvidenceSentence] = []
    for sentence in sentences:
        if sentence.document.id not in seen:
            seen.add(sentence.document.id)
            out.append(sentence)
    return out


def _with_timings(answer: Answer, timings: dict[str, float]) -> Answer:
    return dataclasses.replace(answer, timings_ms=dict(timings))


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def answer(
    question: str,
    *,
    store: EvidenceStore,
    settings: Settings,
    audience: Audience = Audience.CLINICIAN,
    since: int | None = None,
    follow_up_of: str | None = None,
    stance: StanceModel | None = None,
    embedder: Embedder | None = None,
    answers: AnswerStore | None = None,
) -> Answer:
    """Answer one question (builds an :class:`Engine`; keep an Engine to answer many)."""
    engine = Engine(store, settings, embedder=embedder, stance=stance, answers=answers)
    return engine.answer(question, audience, since, follow_up_of, save=answers is not None)
