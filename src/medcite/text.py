"""Plain-text utilities shared by the stages: whitespace, sentence splitting, chunking, tokens.

Sentence splitting is rule-based on purpose: it is deterministic, fast (the demo corpus has
millions of words) and keeps numbers such as ``2.5 mg`` or ``p < 0.05`` inside one sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

_WS = re.compile(r"\s+")
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "vs",
        "etc",
        "al",
        "fig",
        "figs",
        "approx",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "no",
        "nos",
        "vol",
        "ca",
        "cf",
        "resp",
        "incl",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "inc",
        "ltd",
        "co",
        "mg",
        "kg",
        "ml",
        "dl",
    ]
)
# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) + space + an
# upper-case letter, digit or opening bracket; or at a line that is a bullet item.
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])"
    r"|(?<=[a-z%]{2}\.)(?=[A-Z][a-z]{3,}\b)"  # no space: "… of 10% or greater.Identification of …"
)
"""A sentence end: a full stop, "!" or "?" and a space before a capital or digit; or a full
stop with no space after a lower-case word and before a capitalised one, as some sources run
sentences together (the USPSTF's B statement on statins was one 101-word sentence, over the
evidence limit, and no question could be answered from it: set BG)."""
_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "beside",
        "besides",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "may",
        "might",
        "must",
        "shall",
        "also",
        "among",
        "within",
        "without",
        "across",
        "per",
        "via",
        "whether",
        "ever",
        "often",
        "usually",
        "commonly",
    ]
)


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (keeps long word lists readable)."""
    return frozenset(text.split())


# Words of a message that carry no topic: greetings, chat, text-speak and the verbs of asking
# ("hi, I want to know if this will go away"). Consumer messages are full of them; searched or
# taken for the question's focus, they sink the answer.
CHATTER = word_set(
    """hi hello hey dear sir madam doctor's thanks thank thankyou regards please pls plz kindly
    u ur im i'm i've i'd ive it's that's there's what's whats who's how's don't doesn't didn't
    can't cannot won't wouldn't isn't aren't wasn't alot lot lots want wanted wants wanting
    wondering wonder wondered seem seems seemed try trying tried something anything everything
    nothing anyway anyways esp crazy since he'll she'll they'll we'll you'll know someone somebody
    i'll we'd we've we're they'd they've they're you'd you've you're he'd she'd he's she's let's
    hasn't haven't hadn't shouldn't couldn't weren't
    anybody enjoy reading topic topics current general fact facts due
    question questions answer answers helpful give gave tell told let advice advise suggest
    suggestions consult whom go goes going gone away come comes came got getting done anymore
    sure thing stuff kind sort occur occurs occurred occurring interact interacts regarding
    concerning etc able still yet ok okay yes certainly request requesting immediately reply
    compliment complaint suggestion said stated asked spelled suggested mentioned explained
    think thinks thought rather exactly figure suffering constantly big look looking looked showed
    show shows data scientific always wait waited giving stand terms significance article
    articles journal literature support never seen saw tv television money he's she's dr
    thinking probably find generic horrible see feels one add clinicaltrials gov nih cdc
    medlineplus medlinepus medline god bless gotten followed ordered barely hardly twice once
    says called calls found ago coming prefer prefers preferred asks asking fine supported even
    actually admits admit become becomes became eats ate yesterday today tonight tomorrow lately
    nowadays suspect suspects suspected"""
)  # "yesterday": "My dad had a stroke yesterday" is about stroke (set BN searched "stroke
# yesterday", which no sentence names, and answered nothing)
# Who a message is about rather than what: ages and people ("a 31-year-old woman"). Kept in the
# searched text, never the question's focus.
CONTEXT_WORDS = word_set(
    """young old older elderly aged age adult adults year years yr yrs month months week weeks
    day days man men woman women male female males females girl girls boy boys lady gentleman
    husband wife son daughter patient person people guy friend positive negative mom mum dad
    investigator family families mother father brother brothers sister sisters sibling siblings
    friends kids kid grandmother grandfather grandma grandpa grandparents grandparent granny
    grandson granddaughter grandchild grandchildren aunt uncle cousin niece nephew girlfriend
    boyfriend doctor doctors pediatrician paediatrician physician nurse dermatologist neurologist
    geneticist cardiologist specialist gp healthy smoker smokers lives living home child
    children birth"""
)


def clean(text: str) -> str:
    """NFC-normalise and collapse runs of whitespace."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; bullet lines and blank-line paragraphs always break."""
    sentences: list[str] = []
    for block in re.split(r"\n\s*\n|\n\s*(?=[-•*]\s)|\s{3,}(?=-\s)", text):
        block = clean(block)
        if not block:
            continue
        start = 0
        for match in _BOUNDARY.finditer(block):
            end = match.start()
            candidate = block[start:end].rstrip()
            if _ends_with_abbreviation(candidate):
                continue
            if candidate:
                sentences.append(candidate)
            start = match.end()
        tail = block[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def _ends_with_abbreviation(candidate: str) -> bool:
    last = candidate.rsplit(" ", 1)[-1].rstrip(".").lower()
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def word_count(text: str) -> int:
    return len(text.split())


def chunk(sentences: Iterable[str], max_words: int, min_words: int) -> list[str]:
    """Group sentences into passages of at most ``max_words`` (a longer sentence stands alone)."""
    chunks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for sentence in _bounded(sentences, max_words):
        words = word_count(sentence)
        if current and size + words > max_words:
            chunks.append(current)
            current, size = [], 0
        current.append(sentence)
        size += words
    if current:
        if (
            chunks
            and size < min_words
            and size + sum(map(word_count, chunks[-1])) <= max_words * 1.5
        ):
            chunks[-1].extend(current)
        else:
            chunks.append(current)
    return [" ".join(c) for c in chunks]


def _bounded(sentences: Iterable[str], max_words: int) -> Iterator[str]:
    """Sentences, with any over-long run-on (a flattened table, a list) cut into word windows."""
    for sentence in sentences:
        words = sentence.split()
        if len(words) <= max_words:
            yield sentence
            continue
        for start in range(0, len(words), max_words):
            yield " ".join(words[start : start + max_words])


def jaccard(a: set[str], b: set[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0 when either is empty."""
    return len(a & b) / len(a | b) if a and b else 0.0


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits; inner hyphens and apostrophes kept); a Greek
    letter that starts a word is spelt out ("β-blocker" is "beta-blocker")."""
    text = _GREEK_LEAD.sub(lambda m: _GREEK[m.group(0)], unicodedata.normalize("NFKC", text))
    return [t.lower() for t in _TOKEN.findall(text)]


_GREEK = {"α": "alpha", "β": "beta", "ß": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}
_GREEK_LEAD = re.compile(r"(?<![^\W_])[αβßγδκ](?=-?[^\W_])")
"""A Greek letter at a word's start; "ß" is β as typed on a German keyboard (the USPSTF's
"ß-carotene": set AG's beta-carotene question missed its recommendation)."""


def content_tokens(text: str) -> list[str]:
    """Tokens without stopwords, in order, duplicates removed."""
    seen: dict[str, None] = {}
    for token in tokens(text):
        if token not in STOPWORDS and token not in seen:
            seen[token] = None
    return list(seen)


def normalise_term(text: str) -> str:
    """The key a vocabulary term is matched under: lower-case tokens joined by single spaces."""
    return " ".join(tokens(text))


def ngrams(words: list[str], max_n: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, phrase) for every n-gram up to ``max_n`` words, longest first at each start."""
    for start in range(len(words)):
        for n in range(min(max_n, len(words) - start), 0, -1):
            yield start, start + n, " ".join(words[start : start + n])


_BRITISH = (  # (British ending or infix, American), tried in order on each word
    (re.compile(r"(?<=[a-z])oe(?=[a-z])"), "e"),  # diarrhoea, oedema, oesophagus, foetal
    (re.compile(r"^oe(?=[a-z]{4})"), "e"),
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),  # anaemia, haemorrhage, paediatric
    (re.compile(r"^ae(?=t)"), "e"),  # aetiology
    (re.compile(r"(?<=[a-z]{3})our$"), "or"),  # tumour, behaviour (not four, hour)
    (re.compile(r"(?<=[a-z]{2})is(ation|e|ed|es|ing)$"), r"iz\1"),  # immunisation, organise
    (re.compile(r"(?<=[a-z]{2})ys(e|ed|es|ing)$"), r"yz\1"),  # analyse, paralysed
    (re.compile(r"(?<=[a-z]{2})([bt])re$"), r"\1er"),  # centre, fibre, litre
)


def american(phrase: str) -> str:
    """``phrase`` in American spelling ("diarrhoea" → "diarrhea", "anaemia" → "anemia",
    "tumour" → "tumor", "immunisation" → "immunization", "fibre" → "fiber"): the vocabularies
    name concepts the American way. Meant for a phrase the vocabulary does not know as written;
    the result is only a guess to look up ("israel" → "isrel" is looked up and not found)."""
    words = []
    for word in phrase.split(" "):
        if len(word) >= 5:  # "does", "goes", "poem" are not "des", "ges", "pem"
            for pattern, replacement in _BRITISH:
                word = pattern.sub(replacement, word)
        words.append(word)
    return " ".join(words)


_NOUN_ENDINGS = (  # (adjective ending, the condition's ending), tried in order
    ("etic", "etes"),  # diabetic → diabetes
    ("atic", "a"),  # asthmatic → asthma
    ("emic", "emia"),  # anemic, ischemic, leukemic
    ("otic", "osis"),  # cirrhotic, psychotic, osteoporotic
    ("itic", "itis"),  # arthritic
    ("ptic", "psy"),  # epileptic → epilepsy
    ("ptic", "psis"),  # septic → sepsis
    ("ic", "y"),  # allergic, epileptic, neuropathic
    ("ic", "ia"),  # hypoxic, dyslexic, bulimic
    ("ive", "ion"),  # hypertensive, depressive
    ("oid", "oidism"),  # hypothyroid, hyperparathyroid
)


def noun_forms(word: str) -> list[str]:
    """The conditions an adjective for a patient may name ("asthmatic" → "asthma", "anemic" →
    "anemia", "diabetics" → "diabetes", "hypertensive" → "hypertension"): guesses to look up in
    the vocabulary when the word itself is not there, most likely first."""
    if " " in word or len(word) < 6:
        return []
    if word.endswith(("ics", "ives")):
        word = word[:-1]
    forms = [word[: -len(end)] + noun for end, noun in _NOUN_ENDINGS if word.endswith(end)]
    return [f for f in dict.fromkeys(forms) if len(f) >= 4]


_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9]+s?\b")


def capitalised(text: str) -> frozenset[str] | None:
    """The words ``text`` writes in capitals, lower-cased ("PMS", "CHIPs" → {"pms", "chip"}),
    or None when it has no capital letter at all (someone who types in lower case writes "pms"
    too, so nothing can be told from case)."""
    if text == text.lower():
        return None
    words = {m.group(0).lower() for m in _CAPITALS.finditer(text)}
    return frozenset(words | {w[:-1] for w in words if w.endswith("s")})


STATE_WORDS = frozenset(
    {"acute", "chronic", "severe", "mild", "asymptomatic", "symptomatic", "recurrent",
     "uncomplicated", "complicated", "persistent", "total", "partial", "complete", "radical",
     "major", "minor"}
)  # fmt: skip
"""First words that say which state or extent of a thing is meant: "asymptomatic gallstones"
are gallstones, a "total hysterectomy" is a hysterectomy."""

MEDICAL_FORM = re.compile(
    r"\w{3,}(?:itis|osis|emia|aemia|oma|pathy|ectomy|otomy|ostomy|plasty|algia|penia|uria"
    r"|plegia|rrhea|rrhoea|scopy|statin|cillin|mycin|azole|olol|pril|sartan|mab)$"
)
"""A word whose ending marks a condition, procedure or drug ("epicondylitis", "nephropathy",
"colectomy", "atorvastatin"), whether or not a vocabulary holds it."""
_NOT_MEDICAL_FORMS = word_set(
    "diploma aroma sympathy empathy telepathy apathy antipathy metamorphosis apotheosis stamina"
)


def medical_form(word: str) -> bool:
    return word not in _NOT_MEDICAL_FORMS and bool(MEDICAL_FORM.match(word))


def abbreviates(short: str, word: str) -> bool:
    """Whether ``short`` (two letters or more, shorter than ``word``) is made of ``word``'s
    letters in order, starting with its first: "ecg" of "electrocardiogram", "oa" of
    "osteoarthritis"."""
    if len(short) < 2 or len(short) >= len(word) or short[0] != word[0]:
        return False
    rest = iter(word[1:])
    return all(letter in rest for letter in short[1:])


def spells(word: str, parts: list[str], minor: frozenset[str] = STOPWORDS) -> bool:
    """Whether ``word`` (lower case) is the initialism of the words ``parts`` (two or more),
    with or without its ``minor`` words: "chip" of "clonal hematopoiesis of indeterminate
    potential", "fish" of "fluorescence in situ hybridization"."""
    if len(parts) < 2:
        return False
    letters = "".join(p[0] for p in parts).lower()
    major = "".join(p[0] for p in parts if p.lower() not in minor).lower()
    return word in (letters, major)
