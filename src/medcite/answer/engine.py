"""The answer engine: question → retrieval → evidence sentences → stance and verdict → sections
and references, told for one audience. Extractive: no LLM, no network."""

from __future__ import annotations

import dataclasses
import datetime
import re
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from medcite.answer import abstain
from medcite.answer import audience as audiences
from medcite.answer.asker import only_asks_care, person_words, says_care, told_of_asker
from medcite.answer.chance import asks_chance, states_chance
from medcite.answer.compose import (
    Citations,
    choose_sections,
    near_duplicate,
    render_sections,
    with_notices,
)
from medcite.answer.decide import (
    again_of_one_time,
    asks_care,
    decide_read,
    leaves_advice_open,
    statement_cannot_say,
)
from medcite.answer.defining import only_treats_signs, unasked_definition
from medcite.answer.denial import names_body
from medcite.answer.dose import asks_dose, states_dose
from medcite.answer.drugs import asks_brand, drug_questions, states_brand
from medcite.answer.followup import resolve_follow_up
from medcite.answer.frame import condense, strip_glosses
from medcite.answer.grades import SEARCHED as GRADE_SEARCHED
from medcite.answer.grades import asked_grade, asks_grade_meaning, grade_of
from medcite.answer.grades import meaning as grade_meaning
from medcite.answer.harms import asks_harms, states_harm
from medcite.answer.inheritance import page_verdict
from medcite.answer.interval import asks_interval, states_interval
from medcite.answer.model import (
    Answer,
    Audience,
    BottomLine,
    EvidenceMeter,
    Question,
    QuestionType,
    Reference,
    Safety,
    Stance,
    Verdict,
)
from medcite.answer.named_guideline import (
    asked_words,
    held_by_name,
    in_turn,
    names,
    recommendations_for,
    specific_words,
    stems,
    weighed,
)
from medcite.answer.negation import affirmative, turned
from medcite.answer.parts import choose_parts, question_parts, read_parts
from medcite.answer.plan import Heading, SectionKey, need_for, plan_for
from medcite.answer.population import (
    ADULTS,
    POPULATION_MARK,
    agreeing,
    conflicting,
    outside_ages,
    record_topic,
    speaks_of_others,
)
from medcite.answer.question import analyse_question, asks_scope, points_at_nothing
from medcite.answer.read import (
    CONSIDERATIONS,
    SERVICE_SECTION,
    STATEMENT_SECTION,
    Readings,
    advises,
    asked_kinds,
    asked_name,
    beside_the_study,
    bottom_line_order,
    considerations,
    content_words,
    heading_kind,
    in_document_order,
    is_definition_page,
    kind_page,
    kind_title,
    named_advice,
    named_grade,
    named_grade_topic,
    named_statement,
    names_a_side,
    names_every_side,
    names_focus_here,
    names_genes,
    of_kind_page,
    on_a_kind_of_page,
    on_kind_pages,
    on_own_page,
    opening,
    opens_by_defining,
    question_sides,
    quoted_statements,
    read_question,
    read_sections,
    section_score,
    signs_answering,
    title_topic,
    trusted_lead,
    without_named_statement,
)
from medcite.answer.related import follow_up_topic, related_questions, suggest_follow_ups
from medcite.answer.safety import (
    UNNAMED_NOTICE,
    assess_safety,
    check_question,
    emergency_kinds,
    looks_like_injection,
    medical_terms,
)
from medcite.answer.sentences import (
    EvidenceSentence,
    concept_forms,
    extract,
    holds_list,
    hopes_for,
    in_context,
    is_background,
    is_methods,
    linked_synonyms,
    list_fragment,
    named_in,
    reports_statistics,
    says_only_it_varies,
    score_lexical,
    score_relevance,
    tag_sections,
)
from medcite.answer.spelling import Speller, glossed_names
from medcite.answer.stance import StanceModel, load_default_stance
from medcite.answer.storage import AnswerStore, new_answer_id, now
from medcite.answer.treating import asks_treatment, names_treatment, states_treatment
from medcite.answer.verdict import Decision, ScoredEvidence, decide
from medcite.appraise.snapshot import Snapshot, extract_snapshot
from medcite.errors import InputError
from medcite.index.embeddings import Embedder, get_embedder
from medcite.ingest.phenotype import told_signs
from medcite.reader.model import Reader, load_default, load_judge
from medcite.records import Document, EvidenceType, Hit, Passage, Section
from medcite.retrieve.hybrid import Retriever
from medcite.retrieve.query import ParsedQuery, fts_phrase
from medcite.retrieve.vocabulary import names_a_drug, vocabulary_aliases
from medcite.settings import Settings
from medcite.store.base import EvidenceStore, Filters
from medcite.text import clean, normalise_term, noun_forms, tokens

SNAPSHOTS_KEPT = 20_000  # study snapshots an engine remembers (a few hundred bytes each)
_VERDICT_WORDS = {
    Verdict.YES: "Yes.",
    Verdict.NO: "No.",
    Verdict.UNCERTAIN: "Uncertain.",
}


_ON_ONE_DRUG = frozenset([EvidenceType.CONSUMER_HEALTH, EvidenceType.DRUG_LABEL])
"""Sources titled with the one drug they are on (a study's title names several)."""


KIND_PAGE_HITS = 4
"""Passages searched for the page of the asked kind (its title searched as a question)."""
ALIAS_KINDS = {"causes": ("causes", "genetic changes")}
"""The page kinds searched under another name of the asked thing: a genetic condition's causes
are on Genetics Home Reference's page on its genetic changes."""


SIBLING_TOPICS = 2
"""Guideline topics (the first found) whose other population records are searched."""
SIBLING_HITS = 8
"""Passages searched for them."""
NAMED_HITS = 6
"""Passages searched for the records a question names by grade and topic."""
GRADED_HITS = 30
"""Passages searched for the record a question names by its grade alone."""
NAMED_GUIDELINE_HITS = 60
"""Passages of guidelines searched by a named guideline's words: enough to see that "the VA/DoD
guideline" names none of its eighteen."""


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
        reader: Reader | None = None,
        judge: Reader | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.embedder = embedder or get_embedder(settings.embedding)
        self.retriever = Retriever(store, settings, self.embedder)
        self._stance = stance
        self._stance_vectors: Embedder | None = None
        self._reader = reader
        self._judge = judge
        self.speller = Speller(store)
        self.answers = answers
        self._snapshots: dict[str, Snapshot] = {}

    @property
    def reader(self) -> Reader | None:
        """The shipped reader (loaded on first use), or None when ``answer.reader`` is off."""
        if not self.settings.answer.reader:
            return None
        if self._reader is None:
            self._reader = load_default()
        return self._reader

    @property
    def judge(self) -> Reader | None:
        """The shipped judge (loaded on first use), or None when ``answer.judge`` or the
        reader is off."""
        if not (self.settings.answer.judge and self.settings.answer.reader):
            return None
        if self._judge is None:
            self._judge = load_judge()
        return self._judge

    def snapshot(self, document: Document) -> Snapshot:
        """The study snapshot of a cited document, read from its passages (kept per engine:
        a document's snapshot changes only when it is ingested again)."""
        found = self._snapshots.get(document.id)
        if found is None:
            passages = self.store.passages_of(document.id)
            found = extract_snapshot(document, [Section(p.section, p.text) for p in passages])
            if len(self._snapshots) < SNAPSHOTS_KEPT:
                self._snapshots[document.id] = found
        return found

    @property
    def stance(self) -> StanceModel:
        if self._stance is None:
            self._stance = load_default_stance()
        return self._stance

    @property
    def stance_vectors(self) -> Embedder:
        """The sentence vectors the stance model reads (the static table by default, a table
        lookup: no transformer runs for the stance)."""
        if self._stance_vectors is None:
            self._stance_vectors = self.stance.embedder(self.settings.embedding)
        return self._stance_vectors

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
        understood = self.resolve(text, follow_up_of)
        stripped = strip_glosses(understood)
        injected = looks_like_injection(stripped)
        plain = stripped if injected else condense(stripped, self._medical_terms) or stripped
        corrected = None if injected else self.speller.correct(plain, glossed_names(understood))
        resolved = corrected or plain  # what is searched and read
        if plain != stripped and corrected is None:
            corrected = resolved  # condensed: the page says what was searched
        safety = assess_safety(resolved, self.store)
        if (  # the whole message: "Genora (possible estrogen)" is medical by its gloss, and
            # "My teenage son may have swallowed a handful of my Valium pills. What is a
            # diazepam overdose …?" is an emergency by the story its condensed question leaves
            # out (set BH: no notice); its vocabulary is looked up only then
            resolved != understood
            and not safety.emergency
            and (safety.out_of_scope or emergency_kinds(clean(understood)))
        ):
            whole = assess_safety(understood, self.store)
            if whole.emergency or (safety.out_of_scope and not whole.out_of_scope):
                safety = whole
        created = now()

        def base_for(audience: Audience) -> _Base:
            return _Base(
                new_answer_id(),
                text,
                audience,
                follow_up_of,
                understood,
                safety,
                created,
                corrected,
            )

        def declined(why: Safety) -> dict[Audience, Answer]:
            return {
                a: self._finish(_declined(base_for(a), why), None, timings, started, save)
                for a in audiences_
            }

        if safety.out_of_scope and not self._corpus_knows(resolved):
            return declined(safety)
        if safety.out_of_scope:  # the words were unfamiliar, but the evidence speaks to them
            safety = Safety(emergency=safety.emergency)
        parsed = analyse_question(resolved, self.store)
        if points_at_nothing(parsed) and not safety.emergency:
            return declined(Safety(notice=UNNAMED_NOTICE))
        negated = affirmative(resolved) if parsed.yes_no and not injected else None
        if negated is not None:  # "… is not associated …": read as "… is associated …"
            parsed = analyse_question(negated, self.store)
        asked = negated or resolved
        mark = time.perf_counter()
        result = self.retriever.search(
            asked, k=self.settings.answer.passages, filters=Filters(since=since)
        )
        hits = [*result.hits, *self._kind_hits(parsed, result.hits, since)]
        hits = [*hits, *self._sibling_hits(asked, hits, since)]
        hits = [*hits, *self._named_hits(asked, hits, since)]
        graded = self._graded_record(asked, since)
        if graded is not None:  # named by its grade alone: the record retrieval finds for it
            parsed = dataclasses.replace(parsed, graded_record=graded.document.id)
            hits = [*hits, *self._record_hits([graded], hits)]
        if not parsed.yes_no:  # a yes or a no stays the sentences' that state it (sets AM,
            # AN: the named guideline's other recommendations turned its "No" uncertain)
            hits = [*hits, *self._named_guideline_hits(asked, hits, since)]
        timings["retrieve"] = _ms(mark)
        mark = time.perf_counter()
        sentences, question_vec, found = self._evidence(parsed, hits, result.query)
        sentences = signs_answering(parsed, sentences)
        timings["score"] = _ms(mark)

        unheard = found.unknown  # words no source in the corpus holds

        def insufficient(said: str = "") -> dict[Audience, Answer]:
            return {
                a: self._finish(
                    _insufficient(base_for(a), parsed, result.query, len(hits), said, unheard),
                    question_vec,
                    timings,
                    started,
                    save,
                )
                for a in audiences_
            }

        relevant = abstain.relevant(sentences, found, self.settings.answer.min_relevance)
        unlinked = abstain.unlinked_target(parsed, found)
        quoted = quoted_statements(parsed, sentences)  # the guideline it quotes answers
        if not (relevant or quoted) or (  # a statement the question names answers, however
            # few of the story's words it shares (set BM: "Should I screen her for unhealthy
            # drug use under the USPSTF B recommendation …?" beside oxycodone and lorazepam)
            not abstain.is_covered(parsed, found) and unlinked is None and not quoted
        ):
            return insufficient()
        mark = time.perf_counter()
        readings = self._read(parsed, sentences, found, quoted)
        timings["read"] = _ms(mark)
        if readings is not None and not parsed.yes_no and not self._answering(sentences, readings):
            return insufficient()
        if readings is not None and not readings.advice and abstain.covered_as_asked(parsed, found):
            # "… my baby's eyes keep jiggling … What causes that in a baby?": no page on
            # nystagmus's causes (set AB answered with its symptoms once the story no longer
            # had to be found)
            foci = [content_words(focus) for focus in readings.focus]
            if readings.kind is not None and not on_kind_pages(sentences, readings.kind, foci):
                return insufficient()
        if readings is not None and abstain.asked_unnamed(
            parsed, sentences, readings.focus, readings.aliases
        ):
            return insufficient()  # what it asks of is in no source: the story's things are not it
        answers: dict[Audience, Answer] = {}
        stance_memo: dict[str, tuple[Decision | None, list[EvidenceSentence]]] = {}
        if readings is not None and self.reader is not None:  # once, for every audience
            plans = {key for a in audiences_ for key in self._plan(parsed, a)}
            read_sections(
                self.reader, parsed, tuple(sorted(plans)), sentences, readings, self.settings.answer
            )
            readings.parts = read_parts(  # each later part of a compound question, alone
                self.reader,
                question_parts(parsed.text),
                [s for s in sentences if s.key in readings.answers][
                    : self.settings.answer.reader_part_candidates
                ],
                # read after the focus's longest name ("abnormal blood glucose screening: …")
                min(readings.focus, key=lambda f: (-len(f), f)) if readings.focus else None,
            )
        related = related_questions(  # the same for every audience: one search, not three
            self.retriever, self.answers, parsed, question_vec, self.settings.answer.related
        )
        drug = names_a_drug(self.store, follow_up_topic(parsed))  # follow-ups ask of a drug
        for audience in audiences_:
            ordered = list(sentences)
            audiences.order(ordered, audience, self.settings.answer, asked)
            shown = audiences.readable(ordered, audience, self.settings.answer)
            mark = time.perf_counter()
            decision: Decision | None
            if unlinked is not None:
                decision, bottom = abstain.no_link(parsed, unlinked, ordered, found)
            elif readings is not None:
                decision, bottom = self._bottom_line_read(
                    parsed, ordered, shown, readings, audience
                )
            else:
                decision, bottom = self._bottom_line(parsed, asked, ordered, shown, stance_memo)
            if negated is not None and decision is not None:  # read as the affirmative
                decision = turned(decision)
            timings["stance"] = timings.get("stance", 0.0) + _ms(mark)
            if not bottom and (decision is None or decision.verdict is Verdict.INSUFFICIENT):
                # nothing answers or states the relation: the reason says what the corpus has
                return insufficient(decision.reason if decision is not None else "")
            if unlinked is None and bottom and self._doubted(negated or understood, bottom[0]):
                # the judge doubts a reviewer would find it answers: closest is not an answer
                return insufficient(_DOUBTED.format(bottom[0].document.title.strip()))
            base = base_for(audience)
            renamed = _renamed(base.resolved, parsed, readings, bottom)
            if renamed is not None and base.corrected is None:
                base.corrected = renamed  # "Showing results for … Diamond-Blackfan anemia …"
            composed = self._compose(
                base, parsed, shown, decision, bottom, related, readings, drug=drug
            )
            answers[audience] = self._finish(composed, question_vec, timings, started, save)
        return answers

    # -- steps -----------------------------------------------------------------------------------

    def _medical_terms(self, text: str) -> set[str]:
        return set(medical_terms(text.lower(), self.store))

    def _corpus_knows(self, text: str) -> bool:
        """A question the vocabulary did not recognise is still medical when the corpus holds a
        passage close to it in meaning (research questions use words no glossary lists)."""
        if looks_like_injection(text):
            return False
        hits = self.retriever.search(text, k=1).hits
        return (
            bool(hits) and (hits[0].similarity or 0.0) >= self.settings.answer.in_scope_similarity
        )

    def resolve(self, text: str, follow_up_of: str | None) -> str:
        """The question a follow-up stands for ("what dose?" after a B12 question)."""
        if not follow_up_of:
            return text
        previous = self.answers.get(follow_up_of) if self.answers else None
        if previous is None:
            raise InputError(f"no earlier answer with id {follow_up_of!r}", "unknown_answer")
        earlier = str(previous.get("resolved_question") or previous["question"])
        return resolve_follow_up(text, analyse_question(earlier, self.store))

    def _kind_hits(self, question: Question, hits: list[Hit], since: int | None) -> list[Hit]:
        """The consumer page of the asked kind on the focus, searched by its title when the
        question's own search missed it (:func:`medcite.answer.read.kind_page`)."""
        wanted = kind_page(question) if self.settings.answer.reader else None
        if wanted is None:
            return []
        kind, query, words = wanted
        if any(of_kind_page(hit.document, hit.passage.section, kind, words) for hit in hits):
            return []
        found = self.retriever.search(query, k=KIND_PAGE_HITS, filters=Filters(since=since))
        typed = [
            hit
            for hit in found.hits
            if of_kind_page(hit.document, hit.passage.section, kind, words)
        ]
        return typed or self._aliased_kind_hits(question, since)

    def _aliased_kind_hits(self, question: Question, since: int | None) -> list[Hit]:
        """The pages of each asked kind on another name of the asked thing: "What are the
        symptoms of low blood pressure?" is NHLBI's "What are the symptoms of Hypotension?" (set
        AX); "… What causes Aase syndrome? Is it inherited?" the genetic changes and the
        inheritance of Diamond-Blackfan anemia (set BK abstained: GHR has no "What causes …?"
        pages). The first alias with a page of a kind gives it."""
        aliases = self._aliases(question)
        pages: list[Hit] = []
        for kind in asked_kinds(question) if aliases else []:
            for alias, page in [(a, k) for a in aliases for k in ALIAS_KINDS.get(kind, (kind,))]:
                words = frozenset(content_words(alias))
                query = kind_title(page, alias)
                found = self.retriever.search(query, k=KIND_PAGE_HITS, filters=Filters(since=since))
                typed = [
                    hit
                    for hit in found.hits
                    if of_kind_page(hit.document, hit.passage.section, page, words)
                    and title_topic(hit.document.title) == words  # the page on it, not on a
                ]  # kind of it ("Alopecia universalis" for hair loss's alopecia)
                if typed:
                    pages += typed
                    break
        return pages

    def _aliases(self, question: Question) -> tuple[str, ...]:
        """The asked name's other names in the vocabulary (:func:`vocabulary_aliases`)."""
        name = asked_name(question)
        return vocabulary_aliases(self.store, name) if name else ()

    def _sibling_hits(self, question: str, hits: list[Hit], since: int | None) -> list[Hit]:
        """The other population records of a guideline topic whose every record found is for
        other people than the question's: a question on 18-month-olds that found the USPSTF's
        statement for children aged 3 to 5 needs the one for children younger than 3 (set AJ:
        it was never retrieved, and the 3-to-5 statement answered "Yes"). Searched by the
        topic's title, guidelines only."""
        have = {hit.document.id for hit in hits}
        found: dict[str, bool] = {}  # topic → whether every record found is for other people
        for hit in hits:
            title = hit.document.title
            topic = record_topic(title)
            if hit.document.evidence_type is EvidenceType.GUIDELINE and topic is not None:
                found[topic] = found.get(topic, True) and conflicting(question, title)
        topics = [topic for topic, elsewhere in found.items() if elsewhere]
        guidelines = Filters(evidence_types=frozenset([EvidenceType.GUIDELINE]), since=since)
        siblings: list[Hit] = []
        for topic in topics[:SIBLING_TOPICS]:
            for hit in self.retriever.search(topic, k=SIBLING_HITS, filters=guidelines).hits:
                title = hit.document.title
                if record_topic(title) == topic and hit.document.id not in have:
                    have.add(hit.document.id)
                    siblings.append(hit)
        return siblings

    def _named_hits(self, question: str, hits: list[Hit], since: int | None) -> list[Hit]:
        """Every passage of the records a question names by grade and topic ("the USPSTF B
        recommendation on statins for primary prevention"), searched by the topic, guidelines
        of that grade only: a story's numbers and words find the record's risk passage, not its
        statement (set BG abstained on four such questions)."""
        named = named_grade_topic(question)
        if named is None:
            return []
        grade, topic = named
        guidelines = Filters(evidence_types=frozenset([EvidenceType.GUIDELINE]), since=since)
        found = self.retriever.search(topic, k=NAMED_HITS, filters=guidelines).hits
        documents = [hit for hit in found if grade in hit.document.keywords]
        return self._record_hits(
            list({h.document.id: h for h in reversed(documents)}.values()), hits
        )

    def _graded_record(self, question: str, since: int | None) -> Hit | None:
        """The best hit of the guideline records given the grade a question names a statement by
        alone (:func:`named_grade`: "Under the USPSTF C recommendation, should I offer him a
        multifactorial fall-prevention intervention …?"), the whole question searched among
        guidelines; of its topic's records, the one for the question's people (by their
        titles); None if it names none or none is found."""
        grade = named_grade(question)
        if grade is None:
            return None
        guidelines = Filters(evidence_types=frozenset([EvidenceType.GUIDELINE]), since=since)
        found = self.retriever.search(question, k=GRADED_HITS, filters=guidelines).hits
        graded = [hit for hit in found if grade in hit.document.keywords]
        if not graded:
            return None
        topic = record_topic(graded[0].document.title)
        siblings = [
            h
            for h in graded
            if record_topic(h.document.title) == topic
            and not conflicting(question, h.document.title)
        ]
        return max(  # of one topic's records, the one naming most of its people alike (set AU:
            # the HIV screening statement for pregnant persons, not adults', at 29 weeks)
            siblings or graded[:1],
            key=lambda h: agreeing(question, h.document.title),
        )

    def _record_hits(self, records: list[Hit], hits: list[Hit]) -> list[Hit]:
        """Every passage of the records of ``records`` that ``hits`` lack."""
        have = {hit.passage.id for hit in hits}
        record_hits: list[Hit] = []
        for hit in records:
            for passage in self.store.passages_of(hit.document.id):
                if passage.id not in have:
                    have.add(passage.id)
                    record_hits.append(dataclasses.replace(hit, passage=passage))
        return record_hits

    def _named_guideline_hits(self, question: str, hits: list[Hit], since: int | None) -> list[Hit]:
        """The recommendations of the guideline a question names by who wrote it and what it is
        on (:mod:`medcite.answer.named_guideline`) that share the most of its words: "Per the
        VA/DoD hypertension guideline, which drug classes are options for refractory
        hypertension …?" needs its recommendation on refractory hypertension, which the story's
        drugs and numbers did not find (set BJ led with a consumer page)."""
        named = held_by_name(  # "the CDC guidance" names too many: "… for health-care
            question,  # personnel" says which (set BE)
            lambda words: self._named_by(words, hits, since),
        )
        if not named:
            return []
        have = {hit.passage.id for hit in hits}
        passages = [p for doc in sorted(named) for p in self.store.passages_of(doc)]
        return [
            dataclasses.replace(named[passage.doc_id], passage=passage)
            for passage in recommendations_for(question, passages)
            if passage.id not in have
        ]

    def _named_by(
        self, words: tuple[str, ...], hits: list[Hit], since: int | None
    ) -> dict[str, Hit]:
        """The guidelines ``words`` name, among ``hits`` and those a search by them finds."""
        guidelines = Filters(evidence_types=frozenset([EvidenceType.GUIDELINE]), since=since)
        found = self.retriever.search(
            " ".join(words), k=NAMED_GUIDELINE_HITS, filters=guidelines
        ).hits
        return {
            hit.document.id: hit for hit in reversed([*found, *hits]) if names(words, hit.document)
        }

    def _evidence(
        self, question: Question, hits: list[Hit], query: ParsedQuery
    ) -> tuple[list[EvidenceSentence], npt.NDArray[np.float32], abstain.Coverage]:
        """Scored evidence sentences, the question vector and what the evidence covers. The
        best documents are read whole when short (an abstract's result passage is often not
        among the retrieved ones: it rarely repeats the question's words)."""
        settings = self.settings.answer
        best = _best_hits(hits, settings.stance_documents)
        texts = {hit.document.id: self.store.passages_of(hit.document.id) for hit in best}
        retrieved = {hit.passage.id for hit in hits}
        wanted = kind_page(question)
        rest = [
            dataclasses.replace(hit, passage=passage)
            for hit in best
            for passage in _read_whole(
                hit, texts[hit.document.id], settings.whole_document_passages, wanted
            )
            if passage.id not in retrieved
        ]
        sentences = extract([*hits, *rest])
        concepts = linked_synonyms({c: query.expansions.get(c, ()) for c in question.concepts})
        if not concepts:
            concepts = {t: () for t in query.terms[:6]}
        forms = concept_forms(concepts)
        score_lexical(sentences, forms)
        score_relevance(sentences)
        names = {
            hit.document.id: named_in(_document_text(hit, texts[hit.document.id]), forms)
            for hit in best
        }
        found = abstain.coverage(
            question, sentences, names, settings.same_topic_similarity, self.store, concepts
        )
        for sentence in sentences:
            sentence.on_topic = sentence.document.id in found.on_topic
        titles = {
            s.document.id: s.document.title
            for s in sentences
            if s.document.evidence_type is EvidenceType.GUIDELINE
        }
        for doc, title in titles.items():  # a guideline's title says what all its sentences
            # are about (set AE: the USPSTF's "Tobacco Smoking Cessation …" statement on
            # e-cigarettes was off the focus "smoking cessation": the source was not among the
            # best documents, whose whole text is read; every source's title made sibling
            # pages — "15q13.3 microduplication" — about an Xp11.22 microduplication)
            found.by_document[doc] = found.by_document.get(doc, frozenset()) | named_in(
                title, forms
            )
        ranked = sorted(sentences, key=lambda s: (-s.relevance, s.passage.id, s.text))
        named = named_statement(
            question.text, [s for s in ranked if advises(s)], question.graded_record
        )
        ranked = ranked[: settings.max_sentences]
        ranked += [s for s in named if s not in ranked]  # named by grade and topic, it is
        # read however few of the story's words it holds (set BG abstained on "… 10-year CVD
        # risk of 11%. Does his smoking alone satisfy … the USPSTF B recommendation on statins
        # for primary prevention …?": the statement ranked below the cut)
        tag_sections(ranked)
        return ranked, self.retriever.query_vector(question.text), found

    def _read(
        self,
        question: Question,
        sentences: list[EvidenceSentence],
        found: abstain.Coverage,
        quoted: list[EvidenceSentence],
    ) -> Readings | None:
        """The reader's view of the most relevant sentences (None with the reader off);
        ``quoted``: the statements the question quotes, found once for the coverage gate."""
        reader = self.reader
        if reader is None:
            return None
        readings = read_question(
            reader,
            question,
            sentences,
            self.settings.answer,
            found.by_document,
            known=lambda phrases: set(self.store.concepts_for_terms(phrases)),
            drug=lambda phrase: names_a_drug(self.store, phrase),
            quoted=quoted,
            concepts_of=lambda phrase: set(self.store.concepts_for_terms([phrase]).get(phrase, [])),
        )
        if readings.kind is not None:
            readings.aliases = self._aliases(question)
        return readings

    def _answering(self, sentences: list[EvidenceSentence], readings: Readings) -> bool:
        floor = self.settings.answer.reader_min_answer  # the one recommendation on the
        # question's whole topic speaks however the reader scores it (set AN: breastfeeding's)
        return readings.topical or any(readings.answer_of(s) >= floor for s in sentences)

    def _bottom_line_read(
        self,
        question: Question,
        sentences: list[EvidenceSentence],
        shown: list[EvidenceSentence],
        readings: Readings,
        audience: Audience = Audience.CLINICIAN,
    ) -> tuple[Decision | None, list[EvidenceSentence]]:
        """With the reader: the best answering sentence shown to this audience (else to any;
        for patients an easy one first); for yes/no, the verdict from the sentences that state
        the asked relation, and when none does, no verdict: the answer of the trusted page on
        this very question ("Can older infants get jaundice?": the jaundice page), else not
        enough evidence (other sentences the reader scores as answering a yes/no question it
        does not state are off the question: review set T)."""
        settings = self.settings.answer
        unstated: Decision | None = None  # yes/no, and no sentence states the relation
        if question.yes_no:
            statement = named_statement(
                question.text, [s for s in sentences if advises(s)], question.graded_record
            )
            stating = [  # under a statement named by its grade, what it says decides (set AW:
                # the hepatitis B statement said "Yes" to a mammography interval question)
                s
                for s in sentences
                if not statement or s.document.id == statement[0].document.id
            ]
            decision, bottom = decide_read(
                question, stating, readings, settings, self._polarity(question)
            )
            inherited = (
                page_verdict(question, stating, readings)
                if decision.verdict is not Verdict.INSUFFICIENT  # the page tells it as it is
                else None
            )
            if inherited is not None:  # "Is cystic fibrosis inherited?" was "No", and "Is it
                # inherited?" of hereditary neuropathy with liability to pressure palsies "Yes"
                # from its definition (sets BU, BW): its own page's opening states the pattern
                return inherited
            care = asks_care(question.text)  # when to seek care is read as the wh-question
            if decision.verdict is not Verdict.INSUFFICIENT and not care:
                if statement_cannot_say(question.text, bottom) or again_of_one_time(
                    question.text, lambda: self._service(bottom)
                ):
                    return None, bottom  # the statement, with no verdict on this patient
                if _selective(decision, bottom, statement):
                    return None, bottom  # "selectively offer", told, not called uncertain
                return decision, bottom
            unstated = None if care else decision
        floor = settings.reader_min_answer
        easy = self._easy_for(audience) or (lambda _: True)

        dose = asks_dose(question.text)
        harms = asks_harms(question.text)
        treats = readings.need is SectionKey.TREATMENT and asks_treatment(question.text)
        defining = readings.need is SectionKey.DEFINITION
        unasked = unasked_definition(question.text, readings.kind)
        drug_asking = drug_questions(question.text)
        of_drug = bool(drug_asking)
        brand = asks_brand(drug_asking)
        focus_words = [content_words(f) for f in readings.focus] if treats or of_drug else []

        def on_focus(s: EvidenceSentence, titled: frozenset[EvidenceType] | None = None) -> bool:
            """The sentence names the focus, or its source's title does ("LEMS" of
            Lambert-Eaton's page, set AF), a source of the ``titled`` kinds only when given."""
            return (
                not readings.focus
                or names_focus_here(s, readings.focus)
                or (
                    (titled is None or s.document.evidence_type in titled)
                    and any(words <= content_words(s.document.title) for words in focus_words)
                )
            )

        interval = asks_interval(question.text)
        genes = readings.kind == "genetic changes"
        chance = asks_chance(question.text)
        told = told_of_asker(question.text) if readings.need is SectionKey.RISK else frozenset()
        care = only_asks_care(question.text)
        if asks_handling(question.text):  # a trial's results never say how to store a pill
            keep = _handles if _STORING.search(question.text) else _from_handling_sources
            shown = [s for s in shown if keep(s)]
            sentences = [s for s in sentences if keep(s)]

        def own_treatment(s: EvidenceSentence) -> bool:
            """A treatment said by name on the consumer page on the focus itself: "… medication
            (hormone replacement therapy) must be taken …" on the page on hypopituitarism,
            which the reader scores low for how it is treated (set BK abstained)."""
            return (
                s.document.evidence_type is EvidenceType.CONSUMER_HEALTH
                and title_topic(s.document.title) in focus_words
                and names_treatment(s.text)
                and readings.answer_of(s) >= floor / 3
                and says(s)
            )

        def says(s: EvidenceSentence) -> bool:
            """What a bottom line may be, however well it answers."""
            return (
                not is_background(s)  # what was known before a study is not its answer
                and not is_methods(s.text)  # nor what it did
                and not says_only_it_varies(s.text)  # nor that it differs between people
                and not _hope_unasked(s, readings)  # nor what research hopes for (set BX)
                and not list_fragment(s)  # nor an item of a list of what something
                # depends on ("The age of the child at the time of diagnosis.": set BW)
                and not (defining and holds_list(s.text))  # nor a list what something is
                # (MEDIQA's "What is Sickle Cell Anemia?": "Tests commonly done … include: -
                # Bilirubin - …")
                and not (not defining and unasked(s.text))
                # nor what it is, for how it is diagnosed, treated or will turn out (set CE:
                # amyloidosis defined for "How is secondary amyloidosis diagnosed?")
                and not only_treats_signs(s.text, readings.kind)  # nor that care treats them
                and not _off_complications(s, readings.kind)  # nor what causes it or how
                # common it is, for what it causes
                and (not dose or states_dose(s.text))  # a dose question is answered by a dose
                and (not brand or states_brand(s.text))  # a brand-name one by a name (set AO:
                # a trial's scores answered vortioxetine's)
                and (not harms or states_harm(s.text))  # a side-effect question by a harm
                and (  # a treatment one by a treatment of the thing asked (set AR: "Tietze
                    # syndrome may resolve on its own" for Tietz syndrome's treatment)
                    not treats or (states_treatment(s.text) and on_focus(s))
                )
                and (  # a drug's by a sentence on it, or its consumer page or label (set AI:
                    # cyproheptadine's use was answered by a migraine page's bed rest), not by a
                    # study titled with it beside another drug (set AO: aliskiren "combined with
                    # losartan"; "The recommended starting dose of LIPITOR is …" on its label)
                    not of_drug or on_focus(s, _ON_ONE_DRUG)
                )
                and not (  # nor by a recommendation for other people (set AQ: the statement
                    # for children aged 3 to 5 answered one on children younger than 3)
                    advises(s) and speaks_of_others(question.text, s.document.title, s.text)
                )
            )

        def best(pool: list[EvidenceSentence], sided: bool = True) -> list[EvidenceSentence]:
            answering = [
                s
                for s in pool
                if (
                    readings.answer_of(s) >= floor
                    or (interval and states_interval(s.text) and readings.answer_of(s) >= floor / 3)
                    or (care and readings.answer_of(s) >= floor / 3)
                )  # the reader scores "annual screening with FIT" low for "how often?" (set AB),
                # and "If this happens, you should call your doctor right away." for "when?"
                and (not sided or names_a_side(s, readings))
                and says(s)
                and (not care or says_care(s.text))
            ]
            answering.sort(
                key=lambda s: (
                    interval and not states_interval(s.text),  # "how often?": how often first
                    genes and not names_genes(s.text),  # "which genes?": the genes by name
                    chance and not states_chance(s.text),  # "what are the chances?"
                    not easy(s),
                    told_signs(s.text) is not None,  # a page's prose over its table of signs
                    -len(told & person_words(s.text)) if told else 0,  # "… am I one of
                    # them?": what the story says she is
                    bottom_line_order(s, readings),
                )
            )
            if answering and reports_statistics(answering[0].text):
                # a page's answer over a study's figures (set AZ: an odds ratio for adults on
                # "the risks of drinking for teenagers?"); not any sentence over them: in sets
                # W–AZ that made as many bottom lines worse as better
                return [s for s in answering if _on_a_page(s)][:1] or answering[:1]
            if answering and on_a_kind_of_page(answering[0], readings):
                return [s for s in answering if on_own_page(s, readings)][:1] or answering[:1]
            return answering[:1]

        named = {
            s.key
            for s in named_statement(
                question.text, [s for s in shown if advises(s)], question.graded_record
            )
        }
        advising = [  # never the statement for other people (set AR: the men's for a woman),
            # unless the question names it: it asks whether it covers them (set BG abstained on
            # "Does the USPSTF B recommendation on … AAA in men who have ever smoked cover a
            # 78-year-old man …?")
            s
            for s in shown
            if s.key in readings.advice
            and (s.key in named or not speaks_of_others(question.text, s.document.title, s.text))
        ]
        guideline_named = [  # the named guideline's, when no sentence states a yes or a no
            s
            for s in shown
            if s.document.id in readings.named
            and named_advice(s)
            and not speaks_of_others(question.text, s.document.title, s.text)
        ]
        advice = _of_named(question.text, guideline_named, readings) or (
            best(advising)
            or (
                sorted(advising, key=lambda s: (-readings.answer_of(s), s.key))
                if readings.topical
                else []
            )
        )
        # the one recommendation of the guideline on the question's whole topic speaks however
        # the reader scores it (set AF: the I statement on depression screening in children
        # aged 11 or younger scored 0.10)
        if advice:  # the recommendation for the asked population (the named guideline's
            # others follow it: :meth:`_lead_section`)
            return None, advice[:1]
        lead = trusted_lead(question, sentences, readings, floor)
        if lead is not None:  # the trusted page's own best answering sentence, a story's
            # sides unsaid (set AQ: "How is it inherited, and what are the chances for our
            # next child?" got a definition naming the story's brittle bones), else, when the
            # page answers only read in its page, its opening
            paged = [s for s in shown if s.document.id == lead]
            only_in_page = not any(readings.answer_of(s) >= floor for s in paged)
            defining = readings.need is SectionKey.DEFINITION  # what it is, whatever the
            # story names (set AZ: "What is BRCA2 hereditary breast and ovarian cancer
            # syndrome? My sister … tested positive for a BRCA2 mutation." led with its cause)
            own = (
                (  # a definition page opens with what it is (set BA: the cystic fibrosis
                    # page's "CF is diagnosed through …" answered a story of a sweat test)
                    opening([s for s in paged if says(s)])
                    if defining and paged and is_definition_page(paged[0].document.title)
                    else []
                )
                or best(paged, sided=not defining)
                or (best(paged, sided=False) if not question.yes_no else [])
                or (
                    opening([s for s in paged if readings.page_of(s) >= floor and says(s)])
                    if only_in_page
                    else []
                )
                or (  # the page of the asked kind, as it opens, however the reader scores it
                    opening([s for s in paged if says(s)])
                    if paged
                    and not defining
                    and heading_kind(paged[0].passage.section) == readings.kind
                    else []
                )
            )
            if own and _unweighed_table(own[0].text):  # a table with no frequencies gives
                # way to prose on the same condition (set BJ: spina bifida occulta's "signs"
                # anencephaly and myelomeningocele, where its page says it usually causes none)
                topic = title_topic(own[0].document.title)
                prose = [
                    s
                    for s in shown
                    if s.document.evidence_type is EvidenceType.CONSUMER_HEALTH
                    and title_topic(s.document.title) == topic
                    and told_signs(s.text) is None
                    and (readings.need is None or readings.need in s.sections)
                    and heading_kind(s.passage.section) in (None, readings.kind)  # not its
                    # treatments page's "Management … focuses on the signs and symptoms" (BW)
                ]
                own = best(prose, sided=False) or own
            if own:
                return None, own
        if unstated is not None:  # only the trusted page's answer stands in for a verdict
            return unstated, []
        return (
            None,
            (
                best(shown)
                or (  # what it is, said of it by name, whatever else the story says (set CF:
                    # "… lost a lot of blood from a stomach ulcer, and the ER said he was in
                    # hypovolemic shock. What is hypovolemic shock?" abstained for want of the
                    # ulcer); only when nothing that names the story answers (unsided first, the
                    # sciatica page's "When you have sciatica, …" led an epidural's definition)
                    best([s for s in shown if names_focus_here(s, readings.focus)], sided=False)
                    if defining and readings.focus
                    else []
                )
                or best(sentences)
                or (  # nothing scores as answering how it is treated: its own page's treatment
                    sorted(filter(own_treatment, shown), key=lambda s: -readings.answer_of(s))[:1]
                    if treats
                    else []
                )
                or (best(shown, sided=False) if of_drug else [])  # the drug's, whatever the story
                # says beside it: "tolterodine (Detrol)" for "what is tolterodine sold as? … my
                # overactive bladder" (set AJ, once the drug was its focus)
            ),
        )

    def _grade_meaning(
        self, question: Question, bottom: list[EvidenceSentence]
    ) -> list[EvidenceSentence]:
        """What the grade the question names means (else the grade of the statement a bottom
        line quotes), when the question asks (:func:`asks_grade_meaning`): the definition's
        sentences from the first rating scheme that holds them (by passage id), none when none
        does. Set AT asked why statins get "only a C grade" beside the B statement."""
        if not bottom or not asks_grade_meaning(question.text):
            return []
        grade = asked_grade(question.text) or grade_of(bottom[0].document.keywords)
        if grade is None or grade not in GRADE_SEARCHED:
            return []
        guidelines = Filters(evidence_types=frozenset([EvidenceType.GUIDELINE]))
        rows = self.store.bm25(fts_phrase(GRADE_SEARCHED[grade]), guidelines, GRADE_SOURCES)
        passages = self.store.passages_by_key([key for key, _ in rows])
        documents = self.store.documents({p.doc_id for p in passages.values()})
        for passage in sorted(passages.values(), key=lambda p: p.id):
            hit = Hit(0, 0.0, passage, documents[passage.doc_id])
            told = grade_meaning(grade, extract([hit]))
            if told:
                return told
        return []

    def _service(self, bottom: list[EvidenceSentence]) -> list[str]:
        """The service fields ("One-time screening for most adults. …") of the records of
        the recommendations a verdict would rest on."""
        return [
            passage.text
            for document in sorted({s.document.id for s in bottom if advises(s)})
            for passage in self.store.passages_of(document)
            if (passage.section or "").upper() == SERVICE_SECTION
        ]

    def _record_notes(
        self, statement: EvidenceSentence, have: list[EvidenceSentence]
    ) -> list[EvidenceSentence]:
        """The sentences of the statement's record's considerations (:data:`CONSIDERATIONS`)
        that the evidence does not hold: set BC's "does the Task Force's discussion of
        first-degree relatives concern women in their 50s or in their 40s?" is answered by the
        breast cancer screening record's risk assessment, which no search had found."""
        held = {s.passage.id for s in have}
        notes = [
            dataclasses.replace(statement.hit, passage=passage)
            for passage in self.store.passages_of(statement.document.id)
            if (passage.section or "").upper() in {*CONSIDERATIONS, STATEMENT_SECTION}
            and passage.id not in held
        ]  # not the statement again (set BD: its service field's "screening for cervical
        # cancer every 3 years …" under "The USPSTF recommends screening for cervical cancer …")
        return [s for s in extract(notes) if not _repeats(s.text, statement.text)]

    def _polarity(
        self, question: Question
    ) -> Callable[[list[EvidenceSentence]], npt.NDArray[np.float32]]:
        """The stance model's reading of sentences (its cues: direction, significance)."""

        def read(sentences: list[EvidenceSentence]) -> npt.NDArray[np.float32]:
            texts = [s.text for s in sentences]
            vectors = self.stance_vectors.embed([question.text, *texts])
            return self.stance.predict(question.text, vectors[0], texts, vectors[1:])

        return read

    def _plan(self, question: Question, audience: Audience) -> tuple[SectionKey, ...]:
        """The sections an answer may show: with the reader, only the first
        ``answer.reader_sections`` of the plan (at most ``max_items`` items are shown, first
        sections first: reading later sections' sub-questions was spent on padding)."""
        plan = plan_for(question, audience)
        return plan[: self.settings.answer.reader_sections] if self.reader is not None else plan

    def _easy_for(self, audience: Audience) -> Callable[[EvidenceSentence], bool] | None:
        """Patients get the sentences at or below ``patient_max_grade`` first."""
        if audience is not Audience.PATIENT:
            return None
        limit = self.settings.answer.patient_max_grade
        return lambda s: audiences.grade(s.text) <= limit

    def _lead_section(
        self,
        question: Question,
        plan: tuple[SectionKey, ...],
        pool: list[EvidenceSentence],
        readings: Readings,
        bottom: list[EvidenceSentence] | None = None,
    ) -> tuple[SectionKey, list[EvidenceSentence]] | None:
        """The trusted page that answers this very question, as the first section, in its own
        order (only its sentences that answer; at most items_per_section + 1); or the other
        statements of the named guideline that answer together with the bottom line
        (:data:`medcite.answer.read.MAX_NAMED_STATEMENTS`), however the reader scores them."""
        if question.yes_no:
            return None
        settings = self.settings.answer
        if readings.topical and len(readings.advice) > 1:
            rest = [s for s in pool if s.key in readings.advice]
            if readings.named:  # the named guideline's, what is asked of it first
                rest = _of_named(question.text, rest, readings)
            if rest:
                return need_for(question) or plan[0], rest
        key = need_for(question) or plan[0]
        if (  # what it is, from the page on it that says so: the rest of that page, in order
            # (set BO: "Cholesteatoma is a type of skin cyst located in the middle ear." stood
            # alone, while its page goes on to its causes and its hallmark discharge); its
            # sentences the reader finds answer the question's other parts first (set AI: "…
            # is it a kind of leukemia?"); not the page on another thing a sentence inside which
            # says what it is (set AR: vitamin E's on ataxia with vitamin E deficiency). (Two of
            # the page's sentences and one of another section were tried for a question's other
            # parts, "Is it still around?" of kuru: pink eye's contagion gave way to ligneous
            # conjunctivitis, cholesteatoma's cause to nothing.)
            readings.need is SectionKey.DEFINITION
            and bottom
            and is_definition_page(bottom[0].document.title)
            and (on_own_page(bottom[0], readings) or opens_by_defining(bottom[0], readings.focus))
        ):
            page = [  # not the bottom line again inside a longer run of its page
                s
                for s in pool
                if s.document.id == bottom[0].document.id
                and not _holds(s.text, bottom[0].text)
                and not _listed(s)
            ]
            page = [  # a run of the page's sentences is told by them
                s for s in page if not any(o is not s and _holds(s.text, o.text) for o in page)
            ]
            if page:  # what the reader finds answers of it, else its opening, in page order
                told = in_document_order(page)
                score = [max(readings.answer_of(s), section_score(key, s, readings)) for s in told]
                best = sorted(range(len(told)), key=lambda i: (-score[i], i))
                return key, [told[i] for i in sorted(best[: settings.items_per_section + 1])]
        floor = settings.reader_min_answer
        lead = trusted_lead(question, pool, readings, floor)
        if lead is None:
            return None
        paged = [s for s in pool if s.document.id == lead]
        to_guideline = names_body(question.text)
        own = [
            s
            for s in paged
            if max(readings.answer_of(s), section_score(key, s, readings))
            >= settings.reader_min_item
        ] or [  # else the page of the asked kind as it is written, however the reader scores
            # it (set BX: familial Mediterranean fever's treatment page's "A common therapy for
            # FMF is daily use of the drug colchicine …" scored 0.18, and symptoms were told);
            # not for a question to a guideline (set AR: what the USPSTF grades, answered by
            # the tests of pancreatic cancer's diagnosis page)
            s
            for s in paged
            if heading_kind(s.passage.section) == readings.kind
            and not _hope_unasked(s, readings)
            and not to_guideline
        ]
        return (key, in_document_order(own)[: settings.items_per_section + 1]) if own else None

    def _bottom_line(
        self,
        question: Question,
        text: str,
        sentences: list[EvidenceSentence],
        shown: list[EvidenceSentence],
        memo: dict[str, tuple[Decision | None, list[EvidenceSentence]]],
    ) -> tuple[Decision | None, list[EvidenceSentence]]:
        """The stance reads every sentence, whatever the audience; the sentence that is the
        bottom line of other questions comes from those ``shown`` to this audience."""
        floor = self.settings.answer.sentence_floor
        usable = [s for s in sentences if s.speaks_to_question and s.relevance >= floor]
        if not question.yes_no:
            need = need_for(question)
            readable = [s for s in shown if s.speaks_to_question and s.relevance >= floor]
            fitting = [s for s in readable if need in s.sections] if need else []
            return None, (fitting or readable or usable)[:1]
        if "stance" not in memo:  # the stance does not depend on the audience: read it once
            memo["stance"] = self._stance_of(text, sentences, usable)
        return memo["stance"]

    def _stance_of(
        self,
        text: str,
        sentences: list[EvidenceSentence],
        usable: list[EvidenceSentence],
    ) -> tuple[Decision, list[EvidenceSentence]]:
        settings = self.settings.answer
        floor = settings.sentence_floor
        # Result sentences rarely repeat the question's words ("cIMT was nearly identical"):
        # the stance model reads every sentence of the best documents that speak to the
        # question (name its concepts or are about it), relevance weighs them.
        speaking = [s.hit for s in sentences if s.speaks_to_question]
        top = {h.document.id for h in _best_hits(speaking, settings.stance_documents)}
        pool = sorted(
            (s for s in sentences if s.document.id in top and s.relevance >= floor / 2),
            key=lambda s: (-s.relevance, s.passage.id, s.text),
        )[: settings.stance_sentences]
        if not pool:
            pool = usable[: settings.stance_sentences]
        texts = [s.text for s in pool]
        vectors = self.stance_vectors.embed([text, *texts])  # the model's own vectors
        probs = self.stance.predict(text, vectors[0], texts, vectors[1:])
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
        decision = decide(evidence, datetime.date.today().year, settings)
        wanted = {Verdict.YES: 0, Verdict.NO: 1}.get(decision.verdict)
        backing = [
            s for i, s in enumerate(pool) if wanted is None or int(np.argmax(probs[i])) == wanted
        ]
        return decision, abstain.one_per_document(backing or pool)[:3]

    def _compose(
        self,
        base: _Base,
        question: Question,
        sentences: list[EvidenceSentence],
        decision: Decision | None,
        bottom: list[EvidenceSentence],
        related: tuple[str, ...],
        readings: Readings | None = None,
        drug: bool = False,
    ) -> Answer:
        settings = self.settings.answer
        citations = Citations(
            _document_stances(decision) if question.yes_no else None, self.snapshot
        )
        if decision is None and bottom:  # the whole sentence, not a field that repeats part
            fuller = [
                s
                for s in sentences
                if s.document.id == bottom[0].document.id and _holds(s.text, bottom[0].text)
            ]  # of its own source: another that repeats it is another source (MEDIQA Alexa)
            bottom = sorted(fuller, key=lambda s: (len(s.text), s.key))[:1] or bottom
        bottom_citations = citations.cite(bottom)
        if decision is not None:
            words = _VERDICT_WORDS.get(decision.verdict, "")
            quote, why = "", decision.reason
            left_open = bool(bottom) and leaves_advice_open(bottom[0])
            if bottom and (decision.verdict in (Verdict.YES, Verdict.NO) or left_open):
                grade = _grade_of(bottom[0])  # the strongest sentence behind the verdict (and
                # its grade), or the guideline that leaves it open
                quote = f"“{in_context(bottom[0])}” " + (f"{grade} " if grade else "")
            if decision.verdict is Verdict.UNCERTAIN and left_open:
                why = "The guideline gives no general yes or no."
            bottom_line = BottomLine(
                decision.verdict,
                decision.strength,
                f"{words} {quote}{why}".strip(),
                bottom_citations,
            )
            meter: EvidenceMeter | None = decision.meter
        else:
            text = _graded(bottom[0])
            outside = (
                outside_ages(question.text, bottom[0].text)
                if asks_scope(question.text) and advises(bottom[0])
                else None
            )
            if outside is not None:
                ages, age = outside
                text += _OUTSIDE_AGES.format(ages if ages == ADULTS else f"those {ages}", age)
            bottom_line = BottomLine(None, None, text, bottom_citations)
            meter = None
        used = {s.key for s in bottom} if decision is None else set()
        plan = self._plan(question, base.audience)
        per_section = settings.items_per_section
        pool = [s for s in sentences if s.key not in used]
        if asks_dose(question.text):  # a dose question's items state doses (set AA: folic
            # acid and preeclampsia findings under "Treatment" for "What daily dose …?")
            pool = [s for s in pool if states_dose(s.text)]
        if decision is None:  # nor the bottom line again in other words' clothing: "Recommends
            # vision screening …" of one field under "The USPSTF recommends vision screening …"
            pool = [s for s in pool if not _repeats(s.text, bottom[0].text)]
        if decision is None and advises(bottom[0]):  # beside a recommendation, none for other
            # people: set BC's reviewers found a 79-year-old former smoker's answer on the
            # statement for women who ever smoked padded with the men's and never-smokers' ones
            people = without_named_statement(question.text)  # its own, not the statement's
            pool = [s for s in pool if not _for_others(people, s, bottom[0])]
        # the statement the question names (named_statement finds none when it names no grade
        # and topic), told from its topic's records only, with a verdict or without (set BS:
        # bacterial vaginosis's statement beside "Yes" to screening for hepatitis B again at
        # delivery "under the USPSTF A recommendation")
        quoted = advises(bottom[0]) and bool(
            named_statement(question.text, [bottom[0]], question.graded_record)
        )
        named = decision is None and quoted
        if quoted:
            pool = [s for s in pool if _of_its_topic(s, bottom[0])]
        if decision is None and readings is not None and on_own_page(bottom[0], readings):
            # the focus's own page answers: no other thing's page beside it (set BO: the
            # neurosyphilis page's items under syphilis's "single, small, painless sore")
            pool = [s for s in pool if not on_a_kind_of_page(s, readings)]
        if readings is not None and self.reader is not None:
            if question.yes_no:  # beside the study that asked it, only what names every side
                beside, sides = beside_the_study(question, pool), question_sides(question)
                pool = [
                    s for s in pool if s.document.id not in beside or names_every_side(s, sides)
                ]
            read_sections(self.reader, question, plan, pool, readings, settings)  # the rest
            first = self._lead_section(
                question, plan, pool, readings, bottom if decision is None else None
            )
            noted = (
                considerations(
                    question,
                    bottom[0],
                    [*pool, *self._record_notes(bottom[0], [*pool, *bottom])],
                    readings,
                    settings.items_per_section,
                )
                if decision is None
                and bottom[0].key in readings.advice
                and (first is None or named)
                else None
            )
            leading: list[tuple[Heading, list[EvidenceSentence]]] = [
                section for section in (first, noted) if section is not None
            ]
            if first is not None and noted is not None:  # the named statement's others, then
                # its record's notes (set BI: "what should I assess before deciding whether to
                # screen?" is its risk assessment's "one of the strongest risk factors is prior
                # preterm delivery"), under their own heading when it is another
                have = {s.key for s in first[1]}
                notes = [s for s in noted[1] if s.key not in have]
                leading = (
                    [(first[0], [*first[1], *notes])]
                    if noted[0] is first[0]
                    else [first, *([(noted[0], notes)] if notes else [])]
                )
            parted = choose_parts(  # each later part its best answer, first
                readings.parts,
                [s for s in pool if s.key in readings.answers],
                [bottom_line.text],
                settings.reader_min_part,
                readings.focus,
            )
            claimed = [s for _, told in parted for s in told]  # and what repeats them
            claimed_keys = {s.key for s in claimed}
            claimed_words = [set(tokens(s.text)) for s in claimed]

            def unclaimed(sentence: EvidenceSentence) -> bool:
                """Not a part's item, nor another record's copy of one (set BZ)."""
                return sentence.key not in claimed_keys and not near_duplicate(
                    set(tokens(sentence.text)), claimed_words
                )

            leading = [
                *parted,
                *((key, rest) for key, told in leading if (rest := list(filter(unclaimed, told)))),
            ]
            pool = list(filter(unclaimed, pool))
            taken = {s.key for _, told in leading for s in told}
            chosen = choose_sections(
                [key for key in plan if all(key is not k for k, _ in leading)],
                [s for s in pool if s.key not in taken and s.key in readings.answers],
                per_section,
                settings.sentence_floor,
                score=lambda key, s: section_score(key, s, readings),
                min_score=settings.reader_min_item,
                prefer=self._easy_for(base.audience),
            )
            # each part answered brings its own item on top of the answer's usual few
            chosen = _at_most([*leading, *chosen], settings.max_items + len(parted))
            if decision is None:  # a verdict's items are the sentences it weighed: all shown
                chosen = self._judged(base.resolved, chosen, bottom[0].document.id)
        else:
            chosen = choose_sections(plan, pool, per_section, settings.sentence_floor)
        meant = self._grade_meaning(question, bottom)
        if meant:  # what the statement's grade means, first (sets BU, BV)
            chosen = _at_most(_first_found(meant, chosen), settings.max_items)
        sections = render_sections(chosen, citations, bottom_line.text, told=decision is None)
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
            references=self._with_notices(citations.references()),
            reading_grade=audiences.reading_grade(texts),
            safety=base.safety,
            related_questions=related,
            suggested_follow_ups=suggest_follow_ups(
                question,
                plan,
                [k for k, _ in chosen if isinstance(k, SectionKey)],
                sentences,
                settings.follow_ups,
                drug=drug,
            ),
            glossary=audiences.glossary(texts, self.store, base.audience),
            follow_up_of=base.follow_up_of,
            resolved_question=base.resolved if base.resolved != base.question else None,
            showing_results_for=base.corrected,
            created_at=base.created_at,
        )

    def _doubted(self, question: str, sentence: EvidenceSentence) -> bool:
        """The judge scores the bottom line's sentence below ``answer.judge_min_answer``."""
        floor = self.settings.answer.judge_min_answer
        judge = self.judge if floor > 0 else None
        if judge is None:
            return False
        return bool(judge.predict(question, [sentence.text]).answers[0] < floor)

    def _judged(
        self, question: str, chosen: list[tuple[Heading, list[EvidenceSentence]]], told: str
    ) -> list[tuple[Heading, list[EvidenceSentence]]]:
        """The chosen items the judge scores at ``answer.judge_min_item`` or above, besides
        those of the bottom line's own source ``told`` (its page or statement record, told on in
        its order: "The hallmark symptom is a painless discharge from the ear." after
        cholesteatoma's definition); a section left empty is left out."""
        judge = self.judge
        items = [s for _, mine in chosen for s in mine if s.document.id != told]
        if judge is None or not items:
            return chosen
        scores = judge.predict(question, [s.text for s in items]).answers
        floor = self.settings.answer.judge_min_item
        doubted = {s.key for s, score in zip(items, scores, strict=True) if score < floor}
        return [
            (key, kept)
            for key, mine in chosen
            if (kept := [s for s in mine if s.key not in doubted])
        ]

    def _with_notices(self, references: tuple[Reference, ...]) -> tuple[Reference, ...]:
        """The references with the notices (concerns, errata) stored about their papers."""
        if not references:
            return references
        notices = self.store.notices_for(
            [r.pmid for r in references if r.pmid], [r.doi for r in references if r.doi]
        )
        return with_notices(references, notices)

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
        corrected: str | None = None,
    ) -> None:
        self.id = answer_id
        self.question = question
        self.audience = audience
        self.follow_up_of = follow_up_of
        self.resolved = resolved
        self.safety = safety
        self.created_at = created_at
        self.corrected = corrected


def _renamed(
    text: str,
    question: Question,
    readings: Readings | None,
    bottom: list[EvidenceSentence],
) -> str | None:
    """The question as answered when its bottom line is from a page titled with another name
    of the asked thing (:meth:`Engine._aliased_kind_hits`): "… What causes Diamond-Blackfan
    anemia? …" for Aase syndrome, so that the page says which name its sources use (set BK's
    reviewer took Diamond-Blackfan anemia's pages for another condition)."""
    name = asked_name(question)
    if readings is None or not readings.aliases or not bottom or not name:
        return None
    title = content_words(bottom[0].document.title)
    if content_words(name) <= title:
        return None
    alias = next((a for a in readings.aliases if content_words(a) <= title), None)
    if alias is not None and normalise_term(alias) in noun_forms(normalise_term(name)):
        return None  # "hypothyroid" is said of hypothyroidism, not another name of it
    said = re.compile(rf"\b{re.escape(name)}\b", re.I)
    first = said.search(text)
    if alias is None or first is None:
        return None
    titled = re.search(re.escape(alias), bottom[0].document.title, re.I)
    shown = titled.group(0) if titled else alias  # as the page writes it
    glossed = f"{shown} (another name of {first.group(0)})"
    return text[: first.start()] + glossed + said.sub(shown, text[first.end() :])


_STORING = re.compile(
    r"\bstor(?:e|ed|ing|age)\b|\bmiss(?:ed)? (?:a |my |her |his )?dose|\bextra dose|\boverdos\w*"
    r"|\bdispos\w+",
    re.I,
)
"""A question on storing a medicine, a missed or extra dose, or disposal (not "how do I get rid
of these bugs": MEDIQA validation's body lice message abstained)."""
_HANDLING = re.compile(rf"{_STORING.pattern}|\bforg[eo]t to take|\btoo much\b|\bget rid of\b", re.I)
_HANDLING_SOURCES = frozenset({EvidenceType.CONSUMER_HEALTH, EvidenceType.GUIDELINE})
_HANDLING_STATED = re.compile(
    r"\bstor(?:e|ed|ing|age)\b|\brefrigerat\w*|\broom temperature\b|\bfreez\w*|\bmissed dose"
    r"|\bdose you missed\b|\bextra dose|\boverdos\w*|\bpoison control\b|\bdispos\w+"
    r"|\bthrow (?:it |them )?away\b|\btake-back\b",
    re.I,
)


def _unweighed_table(text: str) -> bool:
    """Whether a sentence is told from a phenotype table that gives no frequencies ("Signs and
    symptoms of X include …", not "… seen in 90% of patients include …")."""
    told = told_signs(text)
    return told is not None and not told.weighed


def _from_handling_sources(sentence: EvidenceSentence) -> bool:
    return sentence.document.evidence_type in _HANDLING_SOURCES


def _on_a_page(sentence: EvidenceSentence) -> bool:
    """A consumer-health page's sentence that tells no study's statistics."""
    return sentence.document.evidence_type is EvidenceType.CONSUMER_HEALTH and not (
        reports_statistics(sentence.text)
    )


def _handles(sentence: EvidenceSentence) -> bool:
    """A sentence that can answer how to handle a medicine: from a consumer page or a
    guideline, and saying how to store, dispose of, or what to do after a missed or extra dose
    (set AI: a page's "Most foods contain phosphorus" answered how to store sevelamer)."""
    return _from_handling_sources(sentence) and bool(_HANDLING_STATED.search(sentence.text))


def asks_handling(text: str) -> bool:
    """Whether a question asks how to handle a medicine — store it, a missed or extra dose, an
    overdose, disposal: answered by consumer pages and guidelines, never by a study's results
    (set AF: "how should i store my ferrus sulfate iron pills? i have two toddlers" got a trial's
    rates of stomach upset)."""
    return bool(_HANDLING.search(text))


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


def _insufficient(
    base: _Base,
    question: Question,
    query: ParsedQuery,
    passages: int,
    found: str = "",
    missing: frozenset[str] = frozenset(),
) -> Answer:
    text = abstain.insufficient_text(question, query, passages, found, missing)
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
        showing_results_for=base.corrected,
        created_at=base.created_at,
    )


_DOUBTED = "the closest source found, “{}”, does not state an answer to this question"

GRADE_SOURCES = 5
"""Rating-scheme passages looked at for a grade's definition."""


def _hope_unasked(sentence: EvidenceSentence, readings: Readings) -> bool:
    """A sentence on what research hopes for (:func:`hopes_for`), unless research is asked."""
    return readings.kind != "research" and hopes_for(sentence.text)


def _first_found(
    meant: list[EvidenceSentence], chosen: list[tuple[Heading, list[EvidenceSentence]]]
) -> list[tuple[Heading, list[EvidenceSentence]]]:
    """``meant`` as the first items, under the key findings (those chosen after it, less any
    sentence of it)."""
    keys = {s.key for s in meant}
    rest = [(key, [s for s in told if s.key not in keys]) for key, told in chosen]
    if rest and rest[0][0] is SectionKey.KEY_FINDINGS:
        return [(SectionKey.KEY_FINDINGS, [*meant, *rest[0][1]]), *rest[1:]]
    return [(SectionKey.KEY_FINDINGS, meant), *rest]


def _at_most(
    chosen: list[tuple[Heading, list[EvidenceSentence]]], limit: int
) -> list[tuple[Heading, list[EvidenceSentence]]]:
    """The first ``limit`` items in section order; a section left empty is dropped."""
    out: list[tuple[Heading, list[EvidenceSentence]]] = []
    for key, picked in chosen:
        picked = picked[: max(limit, 0)]
        limit -= len(picked)
        if picked:
            out.append((key, picked))
    return out


def _document_stances(decision: Decision | None) -> dict[str, Stance]:
    """Each cited document's stance toward a yes/no question (neutral when not weighed)."""
    if decision is None:
        return {}
    return {d.doc_id: d.stance for d in decision.documents}


def _read_whole(
    hit: Hit,
    passages: list[Passage],
    whole: int,
    wanted: tuple[str, str, frozenset[str]] | None,
) -> list[Passage]:
    """The passages of a best document read beside its retrieved ones: all of a short one; of
    a longer consumer page of the asked kind (``wanted``: :func:`kind_page`) its opening
    (:data:`OPENING_PASSAGES`), where it says what it answers: "Four types of standard
    treatment are used: Surgery Surgery is the most common treatment for uterine sarcoma …"
    (set BG led the page's answer with a sentence on what radiation therapy is). Not of other
    pages: a diagnosis page's opening answered "What is a VIPoma?" with its potassium test."""
    if len(passages) <= whole:
        return passages
    if wanted is not None:
        kind, _, words = wanted
        if of_kind_page(hit.document, hit.passage.section, kind, words):
            return passages[:OPENING_PASSAGES]
    return []


OPENING_PASSAGES = 2


def _best_hits(hits: list[Hit], documents: int) -> list[Hit]:
    """The best-ranked hit of each of the first ``documents`` documents, best first."""
    best: dict[str, Hit] = {}
    for hit in sorted(hits, key=lambda h: (h.rank, h.passage.id)):
        if hit.document.id not in best:
            if len(best) >= documents:
                break
            best[hit.document.id] = hit
    return list(best.values())


def _repeats(text: str, said: str) -> bool:
    """Whether one of two sentences holds the other, word for word (case and punctuation
    aside)."""
    a, b = normalise_term(text), normalise_term(said)
    return a in b or b in a


def _listed(sentence: EvidenceSentence) -> bool:
    """Whether a sentence is an item of a list in its passage ("- Contact lens products, eye
    drops, or eye ointments Pinkeye usually does not affect vision."): out of its list, a
    fragment, and the next sentence run into it; or a list kept whole ("Causes include -
    Bacterial or viral infection - …"), what it is of another kind than what a page tells of
    what the thing is."""
    start = sentence.start
    return (start >= 2 and sentence.passage.text[start - 2 : start] == "- ") or holds_list(
        sentence.text
    )


def _holds(text: str, part: str) -> bool:
    """Whether ``text`` says ``part`` and more: "The USPSTF recommends vision screening …"
    holds the "Recommends vision screening …" of a record's service field."""
    a, b = normalise_term(text), normalise_term(part)
    return b in a and len(a) > len(b)


GRADE = re.compile(r"\s*\(USPSTF grade [A-DI]\.\)")
"""The grade a USPSTF statement passage ends with; a bottom line carries it after the statement."""


def _of_named(
    question: str, advising: list[EvidenceSentence], readings: Readings
) -> list[EvidenceSentence]:
    """The recommendations of the guideline the question names by who wrote it and on what
    (``readings.named``) that hold the most of what it asks of it (:func:`asked_words`), then
    read best: "which drug classes are options for refractory hypertension, and can an alpha
    blocker be used?" is answered by its recommendation on refractory hypertension, which the
    reader, reading the whole story, scored under its one on home monitoring (set BJ)."""
    pool = [s for s in advising if s.document.id in readings.named]
    if not pool:
        return []
    asked = asked_words(question)
    weights = weighed(asked, [s.text for s in pool])
    held = {s.key: weight for s, weight in zip(pool, weights, strict=True)}
    own = specific_words(question, asked)
    ranked = sorted(
        (s for s in pool if held[s.key] > 0 and own & stems(s.text)),
        key=lambda s: (-held[s.key], -readings.answer_of(s), s.key),
    )
    return [ranked[i] for i in in_turn(own, [s.text for s in ranked])]


def _of_its_topic(sentence: EvidenceSentence, statement: EvidenceSentence) -> bool:
    """Whether a sentence is of the statement's record or of another record on its topic
    ("USPSTF: Abdominal Aortic Aneurysm: Screening -- …"): beside a statement the question names,
    set BI's reviewers found other guidelines' items (HIV screening in pregnancy beside
    bacterial vaginosis, a VA/DoD note beside the USPSTF's aspirin) and consumer snippets off
    the question."""
    if sentence.document.id == statement.document.id:
        return True
    topic = record_topic(statement.document.title)
    return topic is not None and record_topic(sentence.document.title) == topic


def _for_others(asked: str, sentence: EvidenceSentence, statement: EvidenceSentence) -> bool:
    """Whether a sentence of another guideline record than the statement's is for other people
    than the question's (``asked``: the question without the statement it names,
    :func:`without_named_statement`): a recommendation by the people it names
    (:func:`speaks_of_others`), any other sentence by its record's population ("Evidence
    indicates that the net benefit of screening all men in this group is small." of the men's
    AAA record)."""
    document = sentence.document
    if document.id == statement.document.id or document.evidence_type is not (
        EvidenceType.GUIDELINE
    ):
        return False
    if advises(sentence):
        return speaks_of_others(asked, document.title, sentence.text)
    return POPULATION_MARK in document.title and conflicting(asked, document.title)


def _off_complications(sentence: EvidenceSentence, kind: str | None) -> bool:
    """Whether ``sentence`` is a consumer page's on what causes a condition or how common it
    is, for a question on what the condition causes (set CF: "What complications can Tay-Sachs
    disease cause?" was answered "Tay-Sachs disease is caused by mutations in the HEXA gene.",
    and then "Tay-Sachs disease is very rare in the general population.")."""
    return (
        kind == "complications"
        and sentence.document.evidence_type is EvidenceType.CONSUMER_HEALTH
        and heading_kind(sentence.passage.section) in _NOT_COMPLICATIONS
    )


_NOT_COMPLICATIONS = frozenset({"causes", "genetic changes", "inheritance", "frequency"})


_OUTSIDE_AGES = " This statement is for {0}; the patient asked about is {1}."
"""What a statement that answers whom it covers adds when its ages leave out the patient: set
BC's reviewers found "Does the … statement … in women aged 65 to 75 … cover a 79-year-old?"
answered by the statement alone, which never said that she is not of its ages."""
OUTSIDE_AGES_NOTE = re.compile(
    r" This statement is for (?:those )?(?P<ages>[^;]+); the patient asked about is \d+\.$"
)
"""The note of :data:`_OUTSIDE_AGES` at the end of a bottom line; its ages are the statement's.
(A like note for a patient of its ages was tried: set BF's reviewers read "… the patient asked
about, at 44, is of that age." under the aspirin statement for primary prevention as saying it
applies to a patient with a coronary stent, an unsupported answer.)"""


def _selective(
    decision: Decision, bottom: list[EvidenceSentence], named: list[EvidenceSentence]
) -> bool:
    """Whether an "Uncertain" rests on the C statement the question names, which tells when to
    offer it ("selectively offer … to adults older than 24 years with fair skin types"): set
    BL's reviewer found "Uncertain" unsupported for a red-haired man who sunburns easily, the
    statement's own risk sentence saying such persons "should be counseled"."""
    return (
        decision.verdict is Verdict.UNCERTAIN
        and bool(named)
        and [s.key for s in bottom[:1]] == [s.key for s in named]
        and "grade C" in named[0].document.keywords
    )


def _graded(sentence: EvidenceSentence) -> str:
    """A recommendation with the grade its passage gives after it ("… in asymptomatic adults.
    (USPSTF grade D.)"): set AN's reviewers missed the asked grade; set AP's where a pointer
    ("See the Clinical Considerations section …") came between the statement and its grade."""
    text = in_context(sentence)
    return f"{text} {grade}" if (grade := _grade_of(sentence)) else text


def _grade_of(sentence: EvidenceSentence) -> str:
    """The first grade the sentence's passage gives after it (a statement passage ends with
    its one grade), or ""."""
    at = sentence.start
    found = GRADE.search(sentence.passage.text, at + len(sentence.text)) if at >= 0 else None
    return found.group(0).strip() if found else ""


def _document_text(hit: Hit, passages: list[Passage]) -> str:
    return " ".join([hit.document.title or "", *(p.text for p in passages)])


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
