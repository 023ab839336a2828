"""Evidence sentences: cut retrieved passages into sentences that are exact substrings of their
passage, score their relevance to the question and tag which answer sections they could fill."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from medcite.answer.abbreviations import defined
from medcite.answer.plan import SectionKey
from medcite.records import Document, Hit, Passage
from medcite.text import STATE_WORDS, STOPWORDS, split_sentences, tokens, word_set

MIN_WORDS = 6
# A heading glued to the sentence after it by the source's HTML-to-text conversion
# ("Other Considerations The clinical presentation ..."): the heading is cut off.
_HEADING = re.compile(
    r"^[A-Z][\w/-]*(?:,? (?:[A-Z][\w/-]*|and|of|or|for|to|in|with)){0,7} "
    r"(?=(?:The|A|An|In|If|It|This|These|Most|Some|Many|People|There|"
    r"Patients|Children|Adults|Treatment|Symptoms|Signs|Your|Doctors|Sudden|After|While) [a-z])"
    # a heading in sentence case: "Actinic keratosis After …", "Birth defects Some …" (set AS)
    r"|^[A-Z][a-z]+(?: (?!(?:with|of|and|or|to|in|for|is|are|can|may|at|on|by)\b)[a-z]+){1,2} "
    r"(?=(?:The|This|These|Most|Some|Many|People|There|Patients|Children|Adults|Treatment"
    r"|Symptoms|Signs|Your|Doctors|Sudden|After|While|If) [a-z])"
)  # "/" for "Race/Ethnicity"; more openers ("To", "You") cost MEDIQA Alexa a question
_TERMINAL = re.compile(r"[.!][\"')\]]?$")  # statements, not questions
_BULLET = re.compile(r"\s+[-•]\s+(?=[A-Z0-9])|(?<=[.!?])•\s*(?=[A-Z0-9])")
"""An inline bullet: " - " or " • " before an item, or a "•" run on after a sentence's end
(the USPSTF's "… and subsequent overtreatment.• Women with a parent …": set BQ quoted both)."""
# Study aims and method labels describe what was done, not what was found.
_NOT_A_FINDING = re.compile(
    r"^(to (compare|determine|evaluate|assess|investigate|examine|describe|explore|identify)\b|"
    r"we (aimed|sought|hypothesi[sz]ed)\b|the (aim|objective|purpose|goal)s? of\b|"
    r"(key ?words?|keywords|abbreviations|trial registration|clinical trial registration)\b|"
    r"(objectives?|aims?|purpose|background|introduction)\s*[:.]?\s+(to|we|this|the)\b|"
    r"(design|setting|participants|exposures?|main outcome|interventions?|methods?)\b[A-Z ,]*"
    r"(?=[A-Z]))",
    re.I,
)
# The furniture of consumer pages, repeated word for word on thousands of them (the symptom-table
# notes of GARD, NCI's clinical-trial paragraphs, "Learn more about …"): true of every page, an
# answer to no question.
_BOILERPLATE = re.compile(
    r"^(learn more about|you can use the medlineplus medical dictionary|(the )?frequency of a sign"
    r"|the frequency may also be listed|the first number of the fraction|sometimes, no information"
    r" on frequency|much of this information comes from orphanet|in these cases, the sign or"
    r" symptom may be|for example, a frequency of|because these frequencies are based"
    r"|if the information is available, the table below|see the (treatment options|list of)"
    r"|clinical trials are (taking place|part of|done to find)|(some|other) (clinical )?trials"
    r" (only include|test)|patients who take part in (a )?clinical trials?|for some patients,"
    r" taking part in a clinical trial|even when clinical trials|patients (may want to think about|"
    r"can enter) (taking part in )?(a )?clinical trials?|many of today's standard treatments"
    r"|new types of treatment are being tested|these have been retrieved from nci|(general )?"
    r"information about clinical trials is available|for more specific results, refine the search"
    r"|there are also clinical trials that test|.{0,160}\bclick here\b|call \d|visit (the|our) "
    r"|.{0,300}_{3}"  # a worksheet's blank: "my goal is to lose about ___ pounds" (set AT)
    r"|the human phenotype ontology (\(hpo\) )?(provides|has collected)"
    r"|definitions (for|of) the .{0,160}\b(are provided|can be found|are given) at the end of"
    r"|.{0,160}\bare defined at the end of the \"|refer to the original guideline document"
    r"|.{0,160}\b(?:see|refer to) (?:appendix \w+ in |the \"?(?:major recommendations|ngc summary)"
    r"\b|the original guideline\b)|while we do not provide medical advice"
    r"|individuals should discuss the various treatment options with their"
    r"|the genetic testing registry \(gtr\) is a|the intended audience for the gtr"
    r"|patients and consumers with specific questions about a genetic test"
    r"|.{0,160}\bsee (?:our|the) [\w ,'-]{1,60}\bpages?\W*$)",  # a pointer to another page:
    # "For information about side effects caused by treatment for cancer, see our Side Effects
    # page." (set BX's bottom line for an overdose question)
    re.I,
)
NOT_FINDINGS = frozenset(
    {
        "METHODS",
        "METHOD",
        "DESIGN",
        "SETTING",
        "PARTICIPANTS",
        "STUDY DESIGN",
        "MATERIALS AND METHODS",
        "PATIENTS AND METHODS",
        "SUBJECTS",
        "MEASUREMENTS",
        "MAIN OUTCOME MEASURES",
        "OBJECTIVE",
        "OBJECTIVES",
        "AIM",
        "AIMS",
        "PURPOSE",
        "INTERVENTIONS",
        "DESIGN, SETTING, AND PARTICIPANTS",
    }
)
MAX_WORDS = 70
STATEMENT_MAX_WORDS = 90
"""A recommendation statement is read whole up to this length: the USPSTF's B statement on
statins for primary prevention, its three criteria in one sentence of 78 words, was never
evidence (set BG abstained on a question naming it)."""
STATEMENT_SECTIONS = frozenset({"RECOMMENDATION"})
FIELD_SECTIONS = frozenset({"SERVICE"})
FIELD_MIN_WORDS = 4
"""A recommendation record's service field says how often in few words: "One-time screening
for most adults." (set BX: the hepatitis C record's, which answers "should he be screened
again?", was too short to be a sentence)."""

BACKGROUND_SECTIONS = frozenset({"BACKGROUND", "CONTEXT", "INTRODUCTION", "RATIONALE"})
_BACKGROUND_LABEL = re.compile(r"^(BACKGROUND|CONTEXT|INTRODUCTION|RATIONALE)\b")


_METHODS_VERB = re.compile(
    r"\b(?:were|was) (?:\w+ )?(?:measured|assessed|recorded|evaluated|determined|collected"
    r"|obtained|analy[sz]ed|calculated|randomi[sz]ed|enrolled|recruited|studied|examined"
    r"|followed up|interviewed|surveyed)\b(?! (?:to be|as)\b)",
    re.I,
)
_RESULT_WORDS = re.compile(
    r"\b(?:significant\w*|higher|lower|greater|fewer|associated|correlat\w*|no difference"
    r"|did not|found|showed|than|normal|abnormal|range)\b|%|\bp ?[<=]",
    re.I,
)


_WE_STUDIED = re.compile(
    r"^(?:in (?:this|the present|our) (?:study|trial),? )?we (?:studied|enrolled|recruited"
    r"|included|examined|evaluated|assessed|randomi[sz]ed|followed|analy[sz]ed data from)"
    r" (?:a total of |the )?\d",
    re.I,
)
"""Who a study took: "We studied 11 normal glucose-tolerant and 53 T2DM subjects [age 53+/-2
yr; …]" (set AB's bottom line for a rescreening interval: its "normal" is no finding)."""
_FOUND = re.compile(r"\b(?:found|showed|revealed|demonstrated|observed that)\b", re.I)
_OFFERED = re.compile(
    r"\b(?:were|was) (?:then |subsequently |also |randomly )?(?:offered|invited|allocated"
    r"|assigned)\b",
    re.I,
)
_OUTCOME = re.compile(
    r"%|\bp ?[<=]|\b(?:significant\w*|than|associated|reduc\w*|increas\w*|decreas\w*"
    r"|improv\w*)\b",
    re.I,
)
"""A trial's protocol: "… those who were found to be persistently infected … were then offered
colposcopy with cervical biopsy" (set AY: the "Yes" of "should you do a colposcopy?") says what
the trial did to its arms, not what it found, though it says "found"; an outcome vetoes it."""


_ENDPOINTS = re.compile(
    r"^\W*(?:the )?(?:(?:primary|secondary|main|co-?primary|key|other) )?(?:end ?points?"
    r"|outcomes?(?: measures?)?) (?:are|is|were|was|will be|include[sd]?)\b",
    re.I,
)
_PROTOCOL = re.compile(
    r"\b(?:will|shall) be (?:\w+ )?(?:randomi[sz]ed|allocated|recruited|enrolled)\b"
    r"|\b(?:study|trial|it|we|protocol|project|analysis|review) (?:will|shall) (?:also )?"
    r"(?:generate|provide|assess|evaluate|determine|compare|investigate|examine|inform|explore"
    r"|measure|test)\b",
    re.I,
)
"""A trial's protocol: "Secondary endpoints are the microbiological cure rate 10- to 18-day
post-treatment, … and adverse events …" (set BO's bottom line for an ofloxacin question's side
effects), "Patients will be randomized to …", "… it will generate insights into the
side-effects …": what a trial will do or measure, no finding."""
_OUTCOME_FOUND = re.compile(
    r"\b(?:found|showed|revealed|demonstrated|observed|better|worse|similar|improved|superior"
    r"|inferior|unchanged|differ\w*)\b",
    re.I,
)


def is_methods(text: str) -> bool:
    """A line of a study's methods: "Serum levels of lipids, iron, ferritin … were measured at
    the beginning and at 8 weeks" (set Y's bottom line for "What is a normal partial
    thromboplastin time for a 3-day-old?"), "We studied 11 … subjects": what was done, with no
    finding in it."""
    if _WE_STUDIED.match(text):
        return not _FOUND.search(text)
    if _ENDPOINTS.match(text) or _PROTOCOL.search(text):
        return not (_OUTCOME_FOUND.search(text) or _RESULT_WORDS.search(text))
    if _OFFERED.search(text) and not _OUTCOME.search(text):
        return True
    return bool(_METHODS_VERB.search(text)) and not _RESULT_WORDS.search(text)


def reports_statistics(text: str) -> bool:
    """A result told in its statistics: a confidence interval, an odds, hazard or risk ratio, a
    p value ("… an inverse trend in risk was observed when alcohol was consumed during meals
    only (for >= 3 drinks per day: OR = 0.50; 95% CI = 0.30-0.82)"). Of the 30 such bottom lines
    of wh-questions judged in sets W–AZ none was correct (18 off the question, 12 partial), of
    the 459 others 109 were: a study's figure answers the study's question, seldom the one
    asked ("what are the risks of drinking for teenagers?")."""
    return bool(_STATISTICS.search(text))


_STATISTICS = re.compile(
    r"\b95 ?% ?CI\b|\bCI\b|\b(?:a?OR|RR|HR|ARD)\s*[=,:]|\b[Pp]\s*[<=>]\s*0?\.\d"
    r"|\b(?:odds|hazard|likelihood) ratio|\brelative risk\b|\bconfidence interval"
    r"|\b\d+\.\d+[;,]\s*\d+\.\d+\s*[-–]\s*\d+\.\d+"  # "(… per day: 0.98; 0.49-1.96)"
)


def says_only_it_varies(text: str) -> bool:
    """A short sentence whose one point is that something varies between people: "The signs
    and symptoms of Gardner syndrome vary from person to person." (set AP's bottom line for
    "what are the signs and symptoms … we should watch for?") answers no question by itself."""
    return (
        len(text.split()) <= _VARIES_WORDS
        and bool(_VARIES.search(text))
        and not _VARIES_AND_MORE.search(text)
    )


def hopes_for(text: str) -> bool:
    """Whether a sentence says what research hopes for, not what is done: "…, researchers hope
    that by studying how this protein works they will ultimately develop improved treatments
    for FMF …" (set BX's bottom line for "How is it treated?", beside the same page's "A
    common therapy for FMF is daily use of the drug colchicine …"), "Researchers are working to
    identify all of the genes that contribute to …" (set BW's for "which genes are
    involved?")."""
    return bool(_HOPES.search(text))


_HOPES = re.compile(
    r"^(?:\w+ ){0,2}(?:researchers|scientists) are (?:working|trying|continuing) to\b"
    r"|\bresearchers? (?:\w+ )?(?:hope|are hopeful|believe (?:that )?(?:\w+ ){0,6}(?:may|might"
    r"|could) (?:one day|someday|eventually|ultimately))\b"
    r"|\bwill (?:ultimately|eventually|one day|someday) (?:lead to|develop|result in|yield)\b",
    re.I,
)


_VARIES = re.compile(
    r"\bvar(?:y|ies|iable)\b.*\b(?:from|between|among)\s+(?:person|child|case|family|individual"
    r"|patient|people|individuals|patients|families|children|affected)\b"
    r"|\branges? from (?:very )?mild to (?:more |very )?severe\b|\bvar(?:y|ies) in severity\b",
    re.I,
)  # "There are various signs and symptoms of Turner syndrome, which can range from very mild
# to more severe." (set AU: the bottom line of "what are the symptoms of turner syndrome?")
_VARIES_AND_MORE = re.compile(r"[:;]|\binclud\w*|\bsuch as\b|\bbut\b|\bwhile\b|\bwhereas\b", re.I)
_VARIES_WORDS = 18


def concludes(sentence: EvidenceSentence) -> bool:
    """A sentence of an abstract's conclusions: the authors' answer to the question their
    study asked, in words the reader often scores low ("Vitamin C reduces the prevalence of
    complex regional pain syndrome after wrist fractures": P(answers) 0.33). In an abstract
    without labelled sections, a sentence that opens as a conclusion does (``_CONCLUDING``)."""
    section = sentence.passage.section
    if section:
        return "CONCLUSION" in section.upper()
    return bool(_CONCLUDING.match(sentence.text))


_CONCLUDING = re.compile(
    r"^\W*(?:in (?:conclusion|summary)|to conclude|we conclude|taken together|collectively"
    r"|(?:together|overall|altogether), (?:these|our|this)"
    r"|(?:these|our) (?:results|findings|data|observations|studies) (?:\w+ )?(?:suggest|indicate"
    r"|show|demonstrate|reveal|support|establish|identify|provide|imply|argue)"
    r"|this (?:study|work|analysis) (?:\w+ )?(?:shows|demonstrates|reveals|suggests|indicates"
    r"|identifies|establishes|provides))\b",
    re.I,
)
"""How an abstract without labelled sections (SciFact's, many PubMed records) opens its
conclusion: "These results suggest that lifelong reduction of satellite cells neither
accelerated nor exacerbated sarcopenia …" (set W: read as a result line, its "neither … nor"
never weighed as a denial)."""


def is_background(sentence: EvidenceSentence) -> bool:
    """A sentence of an abstract's background (its section, or the label the sentence opens
    with: "CONTEXT Recent animal studies have found …"): what was known before the study,
    evidence an item may show but never a bottom line."""
    section = (sentence.passage.section or "").strip().upper()
    return section in BACKGROUND_SECTIONS or bool(_BACKGROUND_LABEL.match(sentence.text))


_GLOSSARY_ENTRY = r"^[\w\s,()'-]{2,60}? ?: (an?|the) "
"""A glossary's entry (lower case): "glucagonoma: a tumor that forms in cells that make …"."""

# Cue patterns deciding which section a sentence can fill (checked on lower-cased text).
CUES: dict[SectionKey, re.Pattern[str]] = {
    SectionKey.MECHANISM: re.compile(
        r"\b(because|due to|leads? to|lead to|results? in|caused by|causes?|mechanism|impair\w*|"
        r"interfer\w*|required for|needed (for|to)|pathway|inhibit\w*|absorb\w*|malabsorption|"
        r"production of|deficien\w*)\b"
    ),
    SectionKey.PRESENTATION: re.compile(
        r"\b(symptoms?|signs?|present(s|ed)? with|manifest\w*|fatigue|tired\w*|weakness|numbness|"
        r"tingling|pale|shortness of breath|fever|rash|pain|confusion|memory)\b"
    ),
    SectionKey.DIAGNOSIS: re.compile(
        r"\b(diagnos\w*|tests?|testing|measur\w*|levels?|assay|biopsy|imaging|screen\w*|"
        r"blood count|cbc|serum|marrow|criteria|detect\w*|exam\w*)\b"
    ),
    SectionKey.TREATMENT: re.compile(
        r"\b(treat\w*|therap\w*|doses?|dosing|dosage|\d+(\.\d+)? ?(mg|mcg|µg|g|iu|units)|"
        r"administ\w*|supplement\w*|injections?|oral|intramuscular|drugs?|medications?|"
        r"surgery|recommend\w*|prescrib\w*|replacement)\b"
    ),
    SectionKey.RISK: re.compile(
        r"\b(risk|more likely|common(ly)? in|prevalen\w*|older adults|elderly|vegans?|vegetarians?|"
        r"pregnan\w*|genetic|inherit\w*|family history|people who|those who|patients with)\b"
    ),
    SectionKey.PITFALLS: re.compile(
        r"\b(however|although|misdiagnos\w*|mask\w*|false|caution|not always|may not|missed|"
        r"should not|avoid|contraindicat\w*|normal (levels?|values?) (do|does) not|despite)\b"
    ),
    SectionKey.PROGNOSIS: re.compile(
        r"\b(prognosis|outlook|surviv\w*|mortality|recover\w*|life expectancy|remission|"
        r"recurr\w*|reversible|irreversible|permanent)\b"
    ),
    SectionKey.DEFINITION: re.compile(
        rf"\b(is an?|are|refers to|is defined as|is the)\b|{_GLOSSARY_ENTRY}"
    ),
}

# MedQuAD question types (kept as the passage's section label) → the section they answer.
MEDQUAD_SECTIONS: dict[str, SectionKey] = {
    "information": SectionKey.DEFINITION,
    "symptoms": SectionKey.PRESENTATION,
    "treatment": SectionKey.TREATMENT,
    "causes": SectionKey.MECHANISM,
    "outlook": SectionKey.PROGNOSIS,
    "exams and tests": SectionKey.DIAGNOSIS,
    "susceptibility": SectionKey.RISK,
    "frequency": SectionKey.RISK,
    "prevention": SectionKey.RISK,
    "complications": SectionKey.PITFALLS,
}


@dataclass
class EvidenceSentence:
    """One sentence of a retrieved passage, with its scores."""

    text: str
    passage: Passage
    document: Document
    hit: Hit
    lexical: float = 0.0  # share of question concepts the sentence mentions
    dense: float = 0.0  # cosine between sentence and question embeddings
    relevance: float = 0.0
    sections: frozenset[SectionKey] = field(default_factory=frozenset)
    mentions: frozenset[str] = field(default_factory=frozenset)  # question concepts mentioned
    on_topic: bool = False  # its document is about the question (medcite.answer.abstain)

    @property
    def key(self) -> tuple[str, str]:
        return self.passage.id, self.text

    @property
    def start(self) -> int:
        """Where it starts in its passage's text (-1 when it is not an exact run of it)."""
        return self.passage.text.find(self.text)

    @property
    def speaks_to_question(self) -> bool:
        """It names a question concept, or its document is about the question."""
        return bool(self.mentions) or self.on_topic


def extract(hits: list[Hit]) -> list[EvidenceSentence]:
    """Every usable sentence of the hits, in hit order; text is an exact passage substring."""
    out: list[EvidenceSentence] = []
    seen: set[str] = set()
    for hit in hits:
        if (hit.passage.section or "").upper() in NOT_FINDINGS:
            continue
        section = (hit.passage.section or "").upper()
        statement = section in STATEMENT_SECTIONS
        least = FIELD_MIN_WORDS if section in FIELD_SECTIONS else MIN_WORDS
        for text in _statements(
            hit.passage.text, STATEMENT_MAX_WORDS if statement else MAX_WORDS, least
        ):
            if text not in hit.passage.text:
                continue
            norm = " ".join(tokens(text))
            if norm in seen:
                continue
            seen.add(norm)
            out.append(EvidenceSentence(text, hit.passage, hit.document, hit))
    return out


def _at_run_in_heading(text: str) -> list[str]:
    """``text`` split after a colon that a repeated heading follows: "Four types of standard
    treatment are used: Surgery Surgery is the most common treatment for uterine sarcoma …"
    (CancerGov's pages, a list's heading run into its first item's text: set BG led with
    "Radiation therapy Radiation therapy is …", the sentence on surgery never read)."""
    for match in _COLON.finditer(text):
        rest = text[match.end() :]
        if _cut_repeated_heading(rest) != rest:
            return [text[: match.end()].rstrip(), rest]
    return [text]


_COLON = re.compile(r":\s+(?=[A-Z])")


def _cut_repeated_heading(text: str) -> str:
    """A heading run into a sentence that opens with its words: "Abnormal Blood Pressure
    Abnormal blood pressure is higher than 120/80 mmHg." → "Abnormal blood pressure is …"
    (NIHSeniorHealth); a heading in sentence case of two words or more too, capitalised where
    it repeats: "Pregnant women, newborns, and infants Pregnant women, newborns, and infants can
    be treated …" (the CDC's pages), "Radiation therapy Radiation therapy is …" (set BG)."""
    words = text.split(" ")
    for n in range(min(8, len(words) // 2), 0, -1):
        head, rest = words[:n], words[n : 2 * n]
        if [w.lower() for w in head] != [w.lower() for w in rest]:
            continue
        if all(w[:1].isupper() for w in head) or (
            n >= 2 and head[0][:1].isupper() and rest[0][:1].isupper()
        ):
            return " ".join(words[n:])
    return text


def _statements(passage: str, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS) -> list[str]:
    """Candidate sentences of ``min_words`` to ``max_words``: split at sentence ends and at
    inline bullets (" - "), headings cut off; questions, study aims, methods labels and
    fragments left out."""
    found: list[str] = []
    for told in split_sentences(passage):
        sentence = without_flat_copy(told)
        parts = _BULLET.split(sentence)
        whole = _whole_list(sentence, max_words)
        if whole is not None:
            listed, tail = whole
            listed = _cut_repeated_heading(_HEADING.sub("", listed))
            if len(listed.split()) >= min_words and not _NOT_A_FINDING.match(listed):
                found.append(listed)
            parts = [tail] if tail else []
        elif len(parts) > 1 and (run_on := _run_on(parts[-1])):
            parts[-1] = parts[-1][run_on.end() :]  # "Low fever Not everyone with …"
        for piece in [p for b in parts for p in _at_run_in_heading(b)]:
            piece = piece.lstrip("-•* ").strip()
            if _NOT_A_FINDING.match(piece):
                continue  # "OBJECTIVE To characterize …" is no heading run into a finding
            text = _cut_repeated_heading(_HEADING.sub("", piece))
            words = len(text.split())
            if words < min_words or words > max_words or not text[0].isalnum():
                continue
            if not _TERMINAL.search(text) or _NOT_A_FINDING.match(text) or _BOILERPLATE.match(text):
                continue
            if _is_heading_line(text):
                continue
            found.append(text)
    return found


def _whole_list(sentence: str, max_words: int) -> tuple[str, str] | None:
    """A lead-in and its short dashed items kept as one statement, and what runs on after the
    last item (a new sentence the source's conversion glued to it), when every item is a short
    phrase with no full stop: "Symptoms of infectious arthritis include - Intense pain in the
    joint - Joint redness and swelling - Chills and fever - Inability to move the area with the
    infected joint" (set BZ: cut at the dashes, the lead-in and the items had no full stop and
    were dropped, and only the last item survived, run into "One type of infectious arthritis
    is reactive arthritis."). None for other sentences, or when the list is longer than
    ``max_words``."""
    bullets = list(_BULLET.finditer(sentence))
    lead = sentence[: bullets[0].start()].strip() if bullets else ""
    if len(bullets) < 2 or not _LIST_LEAD.search(lead) or not _LIST_OF.search(lead):
        return None
    items = [
        sentence[b.end() : (bullets[i + 1].start() if i + 1 < len(bullets) else len(sentence))]
        for i, b in enumerate(bullets)
    ]
    if any(_TERMINAL.search(i.strip()) or len(i.split()) > LIST_ITEM_WORDS for i in items[:-1]):
        return None
    last = items[-1]
    run_on = _run_on(last)
    item = last[: run_on.start()] if run_on else last.rstrip()
    if len(item.split()) > LIST_ITEM_WORDS:
        return None
    listed = sentence[: bullets[-1].end() + len(item)].strip()
    if len(listed.split()) > max_words:
        return None
    return listed, (last[run_on.end() :].strip() if run_on else "")


def holds_list(text: str) -> bool:
    """Whether a statement is a list kept whole with its lead-in (:func:`_whole_list`)."""
    return _whole_list(text, len(text.split())) is not None


LIST_ITEM_WORDS = 16
"""The most words of an item of a list kept whole (:func:`_whole_list`)."""
_LIST_LEAD = re.compile(
    r"(?:\b(?:include[sd]?|including|are|is|as|by|have|has|be|cause|causes|following|these)"
    r"|:)\s*:?$",
    re.I,
)
"""The end of a list's lead-in: "Symptoms of infectious arthritis include", "Other causes are",
"… such as", "… improve their symptoms by", "… the following:"."""
_LIST_OF = re.compile(
    r"^(?=[A-Z])(?!.*\bresources\b).*?\b(?:symptoms?|signs?|causes?|caused|treat\w*|therap\w*"
    r"|risk factors?|complications?|problems?|tests?|effects?|prevent\w*|improve)\b",
    re.I,
)
"""A lead-in that says what its list is of (symptoms, causes, treatments, risks, tests, …),
opening the sentence: not a list of resources ("These resources address the diagnosis or
management of …: - Genetic Testing Registry …"), nor a list inside another's item ("- Follow-up
to determine … Note: … considered but not recommended: - Tai chi …")."""
_RUN_ON = re.compile(
    r"(?<=[a-z)%]) (?=[A-Z][a-z]+(?: [\w'-]+){0,5} (?:is|are|was|were|can|could|may|might|will"
    r"|would|should|must|has|have|had|does|do|did|often|usually|also)\b)| (?=NIH: )"
)
"""Where a new sentence starts inside a list's last item, its full stop lost: "… with the
infected joint One type of infectious arthritis is …", "… to your muscles Cramps can be …"; a
source's credit ("… loose-fitting clothes NIH: National Institute of …")."""


def _run_on(item: str) -> re.Match[str] | None:
    """Where a new sentence starts inside a list's last item (:data:`_RUN_ON`), not after a
    word such as "with" ("… children with Down syndrome may …" is one item)."""
    for found in _RUN_ON.finditer(item):
        before = item[: found.start()].split()
        if before and before[-1].lower() not in STOPWORDS:
            return found
    return None


_FULL_STOP = re.compile(r"\.\s+")
_DASH = re.compile(r"\s+-\s+")


def without_flat_copy(sentence: str) -> str:
    """A sentence without the flat copy run on after its dashed list: NIHSeniorHealth's pages
    repeat each list's items run together ("Other common tests for rheumatoid arthritis include
    - the erythrocyte sedimentation rate … - a blood test for anemia. the erythrocyte
    sedimentation rate … a blood test for anemia.": set BH's bottom line); what is left is still
    the passage's text, up to the list's full stop."""
    start = 0
    for stop in _FULL_STOP.finditer(sentence):
        items = _DASH.split(sentence[start : stop.start()])[1:]  # what follows each " - "
        start = stop.end()
        if len(items) < 2:
            continue
        words = " ".join(items).split()
        again = re.compile(r"\s+".join(map(re.escape, words)) + r"\s*\.")
        if again.match(sentence, stop.end()):
            return sentence[: stop.start() + 1]
    return sentence


_GERUND_HEADING = re.compile(r"^[A-Z][a-z]+ing (?:for|of|with|about|during|after|before|in)\b")
_FINITE = re.compile(
    r"\b(?:is|are|was|were|be|been|can|could|may|might|will|would|should|must|has|have|had"
    r"|does|do|did|\w+(?:s|ed))\b",
    re.I,
)


def list_fragment(sentence: EvidenceSentence) -> bool:
    """Whether a sentence is an item of a bulleted list of what something depends on, with no
    verb or a "Whether …" clause, which says nothing without the list's lead-in: "The age of
    the child at the time of diagnosis." of "The prognosis for rhabdoid tumor of the kidney
    depends on the following: - …" (set BW's bottom line for the outlook of Wilms tumor)."""
    text = sentence.text
    passage = sentence.passage.text
    at = passage.find(f"- {text}")
    if at < 0:
        return False
    colon = passage.rfind(":", 0, at)
    lead = passage[passage.rfind(". ", 0, colon) + 1 : colon] if colon >= 0 else ""
    if not _DEPENDS.search(lead):  # a list of what something depends on; not "Symptoms
        return False  # include: - A rash with painful, red, tender skin." (set BP)
    if _CLAUSE_ITEM.match(text):  # "- Whether the cancer has spread to the brain …"
        return True
    return len(text.split()) <= FRAGMENT_WORDS and not _AUXILIARY.search(text)


FRAGMENT_WORDS = 12
_CLAUSE_ITEM = re.compile(r"^(?:whether|how|if|when)\b", re.I)
_DEPENDS = re.compile(r"\bdepends? (?:on|upon)\b|\bfactors\b", re.I)
_AUXILIARY = re.compile(
    r"\b(?:is|are|was|were|be|been|can|could|may|might|will|would|should|must|has|have|had"
    r"|does|do|did|include|includes|causes?|occurs?|affects?|helps?|means?)\b",
    re.I,
)


def _is_heading_line(text: str) -> bool:
    """A list's heading ended with a full stop: "Testing for paroxysmal nocturnal
    hemoglobinuria (PNH)." (set AR: the bottom line of a question on its symptoms) — a short
    gerund phrase with no word that may be a finite verb (no "-s", "-ed", auxiliary: "Screening
    for diabetes in adults." is kept, for "Bleeding after surgery occurs …" is a finding)."""
    return (
        len(text.split()) <= HEADING_WORDS
        and bool(_GERUND_HEADING.match(text))
        and not _FINITE.search(text)
    )


HEADING_WORDS = 10


_LEANS_ON_CONTEXT = re.compile(
    r"^(this|these|that|those|it|its|they|their|such|and|but|or|however|moreover|also|in "
    r"addition|additionally|furthermore|further(?=,)|thus|therefore|hence|another|both"
    # "Other risk factors for infection include …" says what they are (set BI: the USPSTF's
    # chlamydia risk factors, a question's answer, were never shown); not "Other studies …"
    r"|other(?!(?: [\w-]+){1,6}? (?:include|includes|(?:may|can|might|could) include)\b)"
    r"|here|see|"
    r"in (this|these|that) (study|trial|case|review|report)s?|for (example|instance)|in fact|"
    r"as a result|outside (these|this|those|such)|"
    r"in (these|those|such) (cases|patients|people|individuals|families|situations)"
    r"|conversely|(in|by) contrast|instead|nevertheless|nonetheless"
    r"|(even )?(if|when|although|though|unless|while) [^,.;]{0,40}?\b(these|those|such))\b"
    r"|\bsee the\b|\bread more\b|^for more information\b"
    # a list's item after "The prognosis depends on:", not "Whether or not … depends on …"
    r"|^whether\b(?![^.;]*\b(depends?|depending|is (not )?known|is unclear|remains|varies)\b)",
    re.I,
)
"""A sentence that leans on the one before it: set BE's reviewers found "Even if you had these
medicines, …" as a bottom line, with nothing before it to be these. ("Similarly, X is not
recommended" says all it says: it is shown after the sentence it is like, :data:`_ANAPHORA`.)"""


_REPORTS_FINDINGS = re.compile(
    r"^(these|this|our) (findings|results|data|observations|study) (suggests?|shows?|indicates?"
    r"|demonstrates?|supports?|confirms?) that\b",
    re.I,
)


_PAGE_SUBJECT = re.compile(r"^this (condition|disorder|disease|syndrome)\b", re.I)


def stands_alone_in_page(text: str) -> bool:
    """A sentence that stands alone, or whose "This condition …" is the condition its page is
    titled on: GHR's pages answer "Is hypokalemic periodic paralysis inherited?" with "This
    condition is inherited in an autosomal dominant pattern …" (set AX abstained)."""
    return stands_alone(text) or bool(_PAGE_SUBJECT.match(text))


def stands_alone(text: str) -> bool:
    """A sentence a reader understands without the one before it: not "These infants …",
    "However, …", "See the … section" ("These findings suggest that …" states its finding)."""
    return bool(_REPORTS_FINDINGS.search(text)) or not _LEANS_ON_CONTEXT.search(text)


_ANAPHORA = re.compile(
    r"^(this|these|that|those|it|its|they|them|their|such|both(?!(?-i: [A-Z]))|however"
    r"|similarly|likewise"
    r"|(all|each|many|most|some|none|one|either|neither) of (these|them|those)"
    r"|keep (one|it|them)"
    r"|[\w-]+ (with|from|in|of) (these|such|those) [\w-]+"  # "Women with these risk factors"
    # "Gillespie syndrome can also be inherited in an autosomal recessive pattern" follows the
    # pattern it is another of (set BI's reviewers: a dangling "also"); not "also called"
    r"|[\w-]+( [\w-]+){0,3} (can|may|is|are|was|were|has|have) also (?!(called|known|referred"
    r"|named|termed)\b))\b",
    re.I,
)
ANTECEDENT_CHARS = 300
"""The longest sentence shown before another as the one its "These …" or "They …" refers to."""


def antecedent(sentence: EvidenceSentence) -> str:
    """The sentence before this one in its passage when this one's subject points back at it
    ("They are considered to be experimental …", "All of these factors can lead to weight
    gain.", "Keep one at home …": set BA's reviewers could not tell what they were), else "".
    A finding of "these results" and a page's "This condition" are read alone; an antecedent
    that itself points back brings its own ("These medicines can slow …" before "All of these
    factors …"), within :data:`ANTECEDENT_CHARS` in all."""
    text = sentence.text
    if not _points_back(text):
        return ""
    earlier: list[str] = []
    for candidate in split_sentences(sentence.passage.text):
        if text in candidate:
            break
        earlier.append(candidate)
    else:
        return ""
    taken: list[str] = []
    while earlier and (not taken or _points_back(taken[0])):
        before = earlier.pop()
        if not before.endswith((".", ":", "!")) or len(before.split()) < 4:
            break
        taken.insert(0, before)
    shown = " ".join(taken)
    if not taken or len(shown) > ANTECEDENT_CHARS or f"{shown} {text}" not in sentence.passage.text:
        return ""
    return shown


_STUDY_FINDS = re.compile(
    r"^(these|this|our)( [\w-]+){0,3} (studies|study|findings|results|data|experiments|analyses"
    r"|observations|trials?) (suggest|show|indicate|demonstrate|support|confirm)",
    re.I,
)
"""A study's own conclusion ("These in vivo studies suggest that …"): it says what it found."""


def _points_back(text: str) -> bool:
    return bool(_ANAPHORA.match(text)) and not (
        _REPORTS_FINDINGS.search(text) or _STUDY_FINDS.match(text) or _PAGE_SUBJECT.match(text)
    )


def in_context(sentence: EvidenceSentence) -> str:
    """The sentence as shown: after its :func:`antecedent` when it has one (one exact run of
    its passage)."""
    before = antecedent(sentence)
    return f"{before} {sentence.text}" if before else sentence.text


def concept_forms(concepts: dict[str, tuple[str, ...]]) -> dict[str, list[set[str]]]:
    """concept → token sets of its surface forms (the concept itself plus synonyms). A letter
    or number that names a kind ("vitamin A", "type 2", "hepatitis B") is kept as a joined
    identifier token ("vitamin_a") that must appear: vitamin B12 is not vitamin A."""
    return {
        concept: [
            _form_tokens(form)
            for form in (concept, *synonyms, *_verb_forms(concept))
            if _stems(form)
        ]
        for concept, synonyms in concepts.items()
    }


_USE_WORDS = frozenset(["use", "user", "usage", "consumption", "intake"])


def linked_synonyms(concepts: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Each concept with, added to its synonyms, another question concept that one of its
    synonyms is "<that concept> use" of: "vaping" (its synonym "e-cigarette use") is named by a
    sentence on "e-cigarettes" when the question names both (set AE: the USPSTF's statement on
    e-cigarettes for tobacco cessation was off the focus "vaping" and the question abstained)."""
    linked = {concept: list(synonyms) for concept, synonyms in concepts.items()}
    for concept, synonyms in concepts.items():
        for other in concepts:
            if other == concept or other in linked[concept]:
                continue
            wanted = _loose_stems(other)
            for synonym in synonyms:
                words = _loose_stems(synonym)
                if wanted and wanted < words and words - wanted <= _USE_WORDS:
                    linked[concept].append(other)
                    break
    return {concept: tuple(synonyms) for concept, synonyms in linked.items()}


def _loose_stems(text: str) -> set[str]:
    """Stems without a final "e" ("e-cigarettes" and "e-cigarette" alike); "use" kept whole."""
    return {w if w in _USE_WORDS else w.rstrip("e") for w in _stems(text)}


def _verb_forms(concept: str) -> tuple[str, ...]:
    """A one-word concept's other forms as an act: "screen" is named by "screening" and
    "screened", "screening" by "screen" and "screened" (set AD: the USPSTF's "screening for
    vitamin D deficiency" did not name the "screen" of "… as a screen in healthy adults")."""
    if " " in concept or len(concept) < 4 or not concept.isalpha():
        return ()
    if concept.endswith("ing") and len(concept) > 6:
        return (concept[:-3], f"{concept[:-3]}ed")
    return (f"{concept}ing", f"{concept}ed")


_IDENTIFIER = re.compile(r"\b([a-z][a-z-]{2,})\s+([a-z]|\d+[a-z]?)\b")


def identifiers(text: str) -> set[str]:
    """Joined letter/number identifiers of ``text`` ("vitamin A" → ``vitamin_a``)."""
    lowered = text.lower()
    return {
        f"{m.group(1)}_{m.group(2)}"
        for m in _IDENTIFIER.finditer(lowered)
        if m.group(1) not in STOPWORDS
    }


def _form_tokens(form: str) -> set[str]:
    """A form's stems and identifiers; a name's leading stopword is part of it: "Down syndrome"
    is not any syndrome (set AG)."""
    words = tokens(form)
    lead = (
        {words[0]}
        if len(words) > 1 and words[0] in STOPWORDS and words[-1] not in STOPWORDS
        else set()
    )
    return set(_stems(form)) | lead | identifiers(form)


def score_lexical(sentences: list[EvidenceSentence], forms: dict[str, list[set[str]]]) -> None:
    """Which question concepts each sentence names, reading the abbreviations its document
    defines ("LVAD support is encouraging" names "left ventricular assist devices")."""
    short_forms = document_abbreviations(sentences)
    for sentence in sentences:
        abbreviations = short_forms.get(sentence.document.id, {})
        sentence.mentions = named_in(sentence.text, forms, abbreviations)
        sentence.lexical = len(sentence.mentions) / len(forms) if forms else 0.0


def document_abbreviations(
    sentences: list[EvidenceSentence],
) -> dict[str, dict[str, set[str]]]:
    """document id → the stemmed short forms its title and retrieved passages define → the
    words of their long forms (:func:`medcite.answer.abbreviations.defined`)."""
    texts: dict[str, dict[str, str]] = {}
    for sentence in sentences:
        passages = texts.setdefault(sentence.document.id, {"": sentence.document.title})
        passages.setdefault(sentence.passage.id, sentence.passage.text)
    out: dict[str, dict[str, set[str]]] = {}
    for doc_id, passages in texts.items():
        found = defined(" ".join(passages.values()))
        if found:
            out[doc_id] = {stem(short): _form_tokens(long) for short, long in found.items()}
    return out


def named_in(
    text: str,
    forms: dict[str, list[set[str]]],
    abbreviations: dict[str, set[str]] | None = None,
) -> frozenset[str]:
    """The concepts of ``forms`` that ``text`` names (see :func:`_named`); ``abbreviations``:
    stemmed short form → the words of its long form, read as said where either is."""
    places = _places(text)
    _add_name_parts(places, {w for variants in forms.values() for v in variants for w in v})
    for short, long_words in (abbreviations or {}).items():
        if short in places:
            for word in long_words:
                places.setdefault(word, []).extend(places[short])
        elif long_words <= places.keys():
            places[short] = [min(places[w][0] for w in long_words)]
    return frozenset(
        c
        for c, variants in forms.items()
        if any(
            _named(v, places, loose=i == 0, first=_first_stem(c)) for i, v in enumerate(variants)
        )
    )


def _places(text: str) -> dict[str, list[int]]:
    """Each content stem and joined identifier of ``text`` → where it stands (word positions
    counted with the stopwords, so "atresia, which is an obstruction" keeps its distance);
    stopwords stand as they are (a name may start with one: :func:`_form_tokens`)."""
    places: dict[str, list[int]] = {}
    for i, token in enumerate(tokens(_EXCEPT.sub(" ", text))):
        places.setdefault(token if token in STOPWORDS else stem(token), []).append(i)
    for identifier in identifiers(text):
        places.setdefault(identifier, []).append(-1)
    return places


def _add_name_parts(places: dict[str, list[int]], wanted: set[str]) -> None:
    """The words of a hyphenated name said where the name stands, when a form asked for holds
    them all (:func:`_name_parts`): "Dandy-Walker syndrome" names "Dandy Walker syndrome" (set
    BG abstained on "What is Dandy Walker syndrome?" beside NINDS's page); "atovaquone-proguanil"
    does not name "atovaquone" (a question on Mepron got a trial of the combination). A name
    ending in a hyphenated letter asked ("fragile-x") is said where its parts stand in a row."""
    for token, where in list(places.items()):
        parts = [stem(part) for part in _name_parts(token)]
        if parts and set(parts) <= wanted:
            for part in parts:
                places.setdefault(part, []).extend(where)
    for token in wanted - places.keys():  # and the other way: "Fragile-X syndrome" asked is
        # the "Fragile X syndrome" said (set BK abstained beside its pages); a name's last
        # letter only, not any hyphenated words ("ever-smokers", "x-ray": sets AI, AQ)
        parts = [stem(part) for part in token.split("-")]
        if (
            len(parts) == 2
            and len(parts[1]) == 1
            and parts[1].isalpha()
            and all(part in places for part in parts)
        ):
            starts = [i for i in places[parts[0]] if i + 1 in places[parts[1]]]
            if starts:
                places[token] = starts


def _name_parts(token: str) -> list[str]:
    """The words of a hyphenated name; none when it opens with a prefix ("non-small cell" is no
    "small cell"), nor with a letter or a number in it ("x-linked", "covid-19")."""
    parts = token.split("-")
    if len(parts) < 2 or parts[0] in _PREFIXES:
        return []
    if any(len(part) < 3 or not part.isalpha() for part in parts):
        return []
    return parts


_PREFIXES = word_set(
    "non anti pre post semi multi sub co de re un pseudo para peri inter intra extra over under"
    " self mid ex hyper hypo neo poly mono bi tri auto micro macro mini trans counter long short"
    " low high well ill all half"
)


_EXCEPT = re.compile(r"\((?:except|excluding|other than)\b[^)]*\)", re.I)
"""What a sentence sets aside it does not speak of: "single- or paired-nutrient supplements
(except ß-carotene and vitamin E)" is no I statement on vitamin E (set AG: it left the USPSTF's
"recommends against … vitamin E" an Uncertain)."""


def _together(form: set[str], places: dict[str, list[int]]) -> bool:
    """The words of ``form`` stand within a span of one word more than they are ("pulmonary
    arterial hypertension" names "pulmonary hypertension", "loss of weight" "weight loss";
    "pyloric atresia, which is an obstruction" does not name "pyloric obstruction")."""
    if len(form) < 2:
        return True
    seen = sorted((i, word) for word in form for i in places[word])
    limit = len(form) + 1
    counts: dict[str, int] = {}
    start = 0
    for i, word in seen:
        counts[word] = counts.get(word, 0) + 1
        while len(counts) == len(form):
            first, first_word = seen[start]
            if i - first < limit:
                return True
            counts[first_word] -= 1
            if not counts[first_word]:
                del counts[first_word]
            start += 1
    return False


GENERIC_WORDS = word_set(
    "serum plasma blood urine level concentration rate factor risk patient use therapy"
    " treatment effect outcome status count test value role disease disorder condition cell"
    " syndrome"
)
"""Words (as stemmed) that name no thing on their own: "serum level" is not "serum leptin
level"."""


WHO_WORDS = word_set(
    "neonatal newborn infantile infant juvenile childhood pediatric paediatric adult adolescent"
    " senile elderly maternal fetal congenital familial hereditary primary secondary idiopathic"
)
"""Words that say in whom or whence a thing arises, never which thing: "neonatal progeroid
syndrome" is not "neonatal abstinence syndrome" (set AD's question was answered from it)."""


def _named(
    form: set[str], places: dict[str, list[int]], loose: bool = True, first: str | None = None
) -> bool:
    """A one- or two-word term must appear whole; of a longer key phrase of the question
    ("laparoscopic cholecystectomy influence …") two thirds of its words are enough, one of them
    neither a generic word (:data:`GENERIC_WORDS`) nor a state word (set AF: "chronic fatigue
    syndrome" named "chronic compartment syndrome") and its ``first`` word among them unless generic
    ("adult ankylosing spondylitis" is not named by "ankylosing spondylitis": the first word
    tells one kind from another). Synonyms (``loose=False``) must appear whole:
    "low red blood cell count" is not "low white blood cell count". Identifier tokens
    ("vitamin_a") must always appear. A synonym's words must stand together
    (:func:`_together`): "pyloric atresia, which is an obstruction" does not name "pyloric
    obstruction", a synonym of pyloric stenosis. The question's own phrases are named by their
    words wherever they stand in the sentence ("drink small amounts of milk or eat yogurt" names
    "drink yogurt"; a long phrase is the question's story), except that the words found of a
    three-word phrase stand together: "heat shock proteins … injury" is not "heat injury
    syndromes".
    """
    words = places.keys()
    if not {t for t in form if "_" in t} <= words:
        return False
    form = {t for t in form if "_" not in t}
    if form & STOPWORDS:  # a name that starts with one ("Down syndrome") is said whole
        return form <= words and _together(form, places) and _led(form, places)
    if not loose:
        return form <= words and _together(form, places)
    if len(form) <= 2:
        return form <= words
    found = form & words
    return (
        len(found) >= 2 * len(form) / 3
        and bool(found - GENERIC_WORDS - STATE_WORDS - WHO_WORDS)  # "chronic … syndrome",
        # "neonatal … syndrome" name no thing
        and (first is None or first in words or first in GENERIC_WORDS)
        and (len(form) > 3 or _together(found, places))
    )


def _led(form: set[str], places: dict[str, list[int]]) -> bool:
    """A form's stopword stands right before one of its other words ("Down syndrome", not "the
    syndrome slows down")."""
    after = {i - 1 for word in form - STOPWORDS for i in places[word]}
    return all(after & set(places[word]) for word in form & STOPWORDS)


def score_relevance(sentences: list[EvidenceSentence]) -> None:
    """Relevance of a sentence: how close its passage is to the question in meaning (the
    passage vectors are already in the index) and how many question concepts it names."""
    for sentence in sentences:
        similarity = sentence.hit.similarity
        sentence.dense = float(similarity) if similarity is not None else 0.0
        sentence.relevance = 0.6 * sentence.dense + 0.4 * sentence.lexical


def tag_sections(sentences: list[EvidenceSentence]) -> None:
    for sentence in sentences:
        lowered = sentence.text.lower()
        keys = {key for key, pattern in CUES.items() if pattern.search(lowered)}
        label = (sentence.passage.section or "").lower()
        specific = keys - {SectionKey.DEFINITION}
        if sentence.document.source == "medquad" and label in MEDQUAD_SECTIONS and not specific:
            keys.add(MEDQUAD_SECTIONS[label])  # the page's topic, when the sentence has no cue
        if SectionKey.DEFINITION in keys and not defines(lowered):
            keys.discard(SectionKey.DEFINITION)
        keys.add(SectionKey.KEY_FINDINGS)
        sentence.sections = frozenset(keys)


def defines(text: str) -> bool:
    """Whether a sentence defines its subject: "X is a …", or a glossary's
    "Glucagonoma: A tumor that forms in cells that make glucagon." (set BF: insulinoma's entry
    answered)."""
    return bool(_DEFINES.match(text.lower()))


_DEFINES = re.compile(
    rf"^[\w\s,()'-]{{2,80}}? (is|are) (an?|the|one|any|a group of) |{_GLOSSARY_ENTRY}"
)


@lru_cache(maxsize=4096)
def _first_stem(concept: str) -> str | None:
    """A key phrase's first content word, stemmed (named once per phrase, not per sentence)."""
    return next(iter(_stems(concept)), None)


def _stems(text: str) -> list[str]:
    return [stem(t) for t in tokens(text) if t not in STOPWORDS]


def stem(token: str) -> str:
    """A crude plural-and-possessive stem: "studies" → "study", "Fournier's" → "fournier"; a
    study's or method's adjective is its noun ("serologic" and "serological" → "serology",
    "endoscopic" → "endoscopy": set AE's "herpes serology" was not named by the USPSTF's
    "serologic screening for genital herpes")."""
    if token.endswith(("'s", "\u2019s")):
        token = token[:-2]
    adjective = _METHOD_ADJECTIVE.match(token)
    if adjective:
        return adjective.group(1) + "y"
    for suffix in ("ies", "es", "s"):
        if token.endswith(suffix) and len(token) > len(suffix) + 3:
            return token[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return token


_METHOD_ADJECTIVE = re.compile(r"^(\w{2,}(?:log|graph|scop|metr|tom|path))(?:ic|ical|ically)$")
