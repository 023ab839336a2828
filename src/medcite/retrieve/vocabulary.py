"""Loading the synonym vocabularies shipped in ``data/vocab`` (and mined from the corpus) into
the store's ``vocabulary`` table: rows of (normalised term, concept id, display form, source).

Sources:
- MeSH descriptors: descriptor name + entry terms, clinical categories only;
- NCI Dictionary of Cancer Terms: the term, its "Also called …" aliases, and for definitions of
  the form "a lower-than-normal number of X (Y)" the lay phrases "low X count" / "low Y count";
- CDC Plain Language Thesaurus: medical word ↔ plain alternatives;
- MedQuAD: topic focus + synonyms fields, and "lay phrase (term)" pairs in answer text such as
  "low white blood cell count (leukopenia)".
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from medcite.progress import bar as progress_bar
from medcite.store.base import EvidenceStore
from medcite.text import STOPWORDS, american, normalise_term, noun_forms, spells

Row = tuple[str, str, str, str]

MESH_CATEGORIES = frozenset(
    {
        "Diseases",
        "Chemicals and Drugs",
        "Anatomy",
        "Psychiatry and Psychology",
        "Analytical, Diagnostic and Therapeutic Techniques, and Equipment",
        "Organisms",
        "Phenomena and Processes",
    }
)
DRUG = "mesh-drug:"
"""The concept id prefix of a MeSH descriptor of chemicals and drugs (and no disease): what a
question names is a drug ("What causes Synthroid?" is no follow-up to offer)."""
_ALSO_CALLED = re.compile(r"Also called ([^.]+)\.")
_LOWER_NUMBER = re.compile(
    r"(lower|higher)-than-normal (?:number|amount|level) of ([a-z][a-z -]+?)"
    r"(?: \(([^)]+)\))?(?:[ ,.]|$)"
)
_LAY_PAIR = re.compile(
    r"\b((?:a )?(?:low|high|decreased|increased|reduced|elevated) [a-z ]{2,40}?"
    r"(?:count|level|levels|pressure|density|mass|sugar))\s+\(([a-z][a-z-]{4,40})\)",
    re.I,
)
_TERM_LAY = re.compile(
    r"\b([a-z][a-z-]{4,40})\s+\((?:a |an )?((?:low|high|decreased|increased|reduced|elevated)"
    r" [a-z ]{2,40}?(?:count|level|levels|pressure|density|mass|sugar))\)",
    re.I,
)


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    if not path.exists():
        return
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _row(term: str, concept: str, source: str) -> Row | None:
    key = normalise_term(term)
    if not key or key in STOPWORDS or len(key) < 3 or len(key.split()) > 8:
        return None
    return key, concept, term.strip(), source


def mesh_rows(path: Path) -> Iterator[Row]:
    for record in _jsonl(path):
        categories = set(record.get("categories") or [])  # type: ignore[call-overload]
        if not categories & MESH_CATEGORIES:
            continue
        drug = "Chemicals and Drugs" in categories and "Diseases" not in categories
        concept = f"{DRUG if drug else 'mesh:'}{record['ui']}"
        for term in [record["name"], *record.get("entry_terms", [])]:  # type: ignore[misc]
            if ", " in str(term):  # inverted forms ("Deficiency, Vitamin B12") add nothing
                continue
            row = _row(str(term), concept, "mesh")
            if row:
                yield row


def nci_rows(path: Path) -> Iterator[Row]:
    for record in _jsonl(path):
        term, plain = str(record.get("term") or ""), str(record.get("plain") or "")
        if not term or not plain:
            continue
        concept = f"nci:{normalise_term(term)}"
        terms = [term]
        for match in _ALSO_CALLED.finditer(plain):
            terms.extend(t.strip() for t in re.split(r",\s*(?:and\s+)?|\s+and\s+", match.group(1)))
        lower = _LOWER_NUMBER.search(plain)
        if lower and len(term.split()) == 1:
            direction = "low" if lower.group(1) == "lower" else "high"
            for thing in filter(None, (lower.group(2), lower.group(3))):
                thing = re.sub(r"^(a type of|types of) ", "", thing.strip())
                if len(thing.split()) <= 4:
                    terms.append(f"{direction} {_singular(thing)} count")
        for alias in terms:
            row = _row(alias, concept, "nci")
            if row:
                yield row


def cdc_rows(path: Path) -> Iterator[Row]:
    for record in _jsonl(path):
        term = str(record.get("term") or "")
        concept = f"cdc:{normalise_term(term)}"
        alternatives = [a.strip() for a in str(record.get("plain") or "").split(",")]
        for alias in [term, *alternatives]:
            row = _row(alias, concept, "cdc")
            if row and len(row[0].split()) <= 5:
                yield row


def medquad_rows(path: Path) -> Iterator[Row]:
    """Topic names with their synonyms, and lay-phrase/term pairs found in MedQuAD answers. A
    page's topic is a term even without synonyms when it is a name, not a title ("Cerebellar
    degeneration", not "Am I at Risk for Type 2 Diabetes? …"): a question about it then has a
    known focus ("… my mom's walking is really unsteady …" is the story around it)."""
    for record in _jsonl(path):
        focus = str(record.get("focus") or "")
        synonyms = [str(s) for s in record.get("synonyms") or []]  # type: ignore[attr-defined]
        if focus and (synonyms or _is_name(focus)):
            concept = f"medquad:{normalise_term(focus)}"
            for alias in [focus, *synonyms]:
                row = _row(alias, concept, "medquad")
                if row:
                    yield row
        answer = str(record.get("answer") or "")
        for lay, term in _LAY_PAIR.findall(answer):
            yield from _pair(term, lay)
        for term, lay in _TERM_LAY.findall(answer):
            yield from _pair(term, lay)


MAX_NAME_WORDS = 5


def _is_name(focus: str) -> bool:
    """A topic that names a thing: a few words, no question or subtitle."""
    return len(focus.split()) <= MAX_NAME_WORDS and not re.search(r"[?:;(]", focus)


def _pair(term: str, lay: str) -> Iterator[Row]:
    concept = f"{LAY}{normalise_term(term)}"
    lay = re.sub(r"^(a|an) ", "", lay.strip(), flags=re.I)
    for alias in (term, lay):
        row = _row(alias, concept, "medquad-text")
        if row:
            yield row


def _singular(phrase: str) -> str:
    words = phrase.split()
    last = words[-1]
    if last.endswith("s") and not last.endswith("ss"):
        words[-1] = last[:-1]
    return " ".join(words)


def vocabulary_rows(vocab_dir: Path, medquad: Path | None = None) -> Iterator[Row]:
    yield from mesh_rows(vocab_dir / "mesh_descriptors.jsonl.gz")
    yield from nci_rows(vocab_dir / "nci_glossary.jsonl.gz")
    yield from nci_rows(vocab_dir / "nci_genetics_glossary.jsonl.gz")
    # The CDC thesaurus lists plain alternatives that are not synonyms of one another
    # ("cause" → "provoke", "annoy"): it serves glossing only, not query expansion.
    yield from medquad_rows(medquad or vocab_dir.parent / "corpus" / "medquad_answers.jsonl.gz")


def glossary_rows(vocab_dir: Path) -> Iterator[tuple[str, str, str, str]]:
    """Plain-language glosses: NCI definitions (first sentence) and CDC plain alternatives."""
    for name, source in (
        ("nci_glossary.jsonl.gz", "NCI Dictionary of Cancer Terms"),
        ("cdc_plain_language.jsonl.gz", "CDC Plain Language Thesaurus"),
    ):
        for record in _jsonl(vocab_dir / name):
            term, plain = str(record.get("term") or "").strip(), str(record.get("plain") or "")
            key = normalise_term(term)
            if not key or not plain or key in STOPWORDS:
                continue
            if source.startswith("NCI"):
                plain = plain.split(". ")[0].rstrip(".") + "."
            yield key, term, plain.strip(), source


def load_vocabularies(
    store: EvidenceStore, vocab_dir: Path, medquad: Path | None = None, *, progress: bool = True
) -> int:
    """Load every shipped vocabulary (and MedQuAD's synonyms); returns the number of new rows."""
    rows: Iterable[Row] = vocabulary_rows(vocab_dir, medquad)
    rows = progress_bar(rows, desc="vocabulary", unit="term", enabled=progress, leave=False)
    added = store.put_vocabulary(rows)
    store.put_glossary(glossary_rows(vocab_dir))
    return added


def concepts_for_phrases(
    store: EvidenceStore, phrases: list[str], capitals: frozenset[str] | None = None
) -> dict[str, list[str]]:
    """phrase → concept ids, as :meth:`EvidenceStore.concepts_for_terms`. A phrase the
    vocabulary does not know as written is looked up in American spelling ("diarrhoea" finds
    diarrhea: "… for diarrhoea in children?" and "… for diarrhea …" read alike), and a word for
    a patient as the condition it names ("this asthmatic" finds asthma). ``capitals``: the words
    the asker wrote in capitals (:func:`medcite.text.capitalised`); a word written in lower case
    is not the initialism it spells ("a chip fracture" is not CHIP, clonal hematopoiesis of
    indeterminate potential)."""
    found = store.concepts_for_terms(phrases)
    derived = {
        p: _other_forms(p, capitals)
        for p in phrases
        if p not in found or _drug_class_only(p, found)
    }
    wanted = sorted({f for forms in derived.values() for f in forms})
    known = store.concepts_for_terms(wanted) if wanted else {}
    for phrase, forms in derived.items():
        hit = next((f for f in forms if f in known), None)
        if hit is not None:  # an adjective naming a drug class names its condition first
            found[phrase] = list(dict.fromkeys([*known[hit], *found.get(phrase, [])]))
    if capitals is not None:
        _drop_initialisms(store, found, capitals)
    return found


def vocabulary_aliases(store: EvidenceStore, phrase: str) -> tuple[str, ...]:
    """The other names the vocabulary gives the concepts of ``phrase`` that a page could be
    titled with: at most :data:`MAX_ALIASES`, of letters and at most three words, not an
    initialism, shortest first ("low blood pressure" → "hypotension", …)."""
    concepts = concepts_for_phrases(store, [phrase]).get(phrase, [])
    if not concepts:
        return ()
    names = store.terms_for_concepts(sorted(concepts))
    said = normalise_term(phrase)
    found = {normalise_term(n) for c in concepts if c.startswith("mesh:") for n in names.get(c, [])}
    confirmed = {  # what another vocabulary also calls it (MedQuAD pairs "high blood
        # pressure (preeclampsia)" too)
        normalise_term(n)
        for c in concepts
        if not c.startswith(LAY)
        for n in names.get(c, [])
    }
    found |= {  # the term a lay phrase stands for: "low platelet count (thrombocytopenia)"
        term
        for c in concepts
        if c.startswith(LAY) and (term := normalise_term(c.removeprefix(LAY))) in confirmed
    }
    pages = [c for c in concepts if c.startswith(PAGE)]
    if len(pages) == 1 and len(concepts) == 1:  # known only as one page's other name
        found.add(normalise_term(pages[0].removeprefix(PAGE)))
    kept = [
        n
        for n in found
        if n != said
        and len(n) >= ALIAS_LENGTH
        and len(n.split()) <= 3
        and all(w.isalpha() for w in n.replace("-", " ").split())
    ]
    return tuple(sorted(kept, key=lambda n: (len(n.split()), len(n), n))[:MAX_ALIASES])


MAX_ALIASES = 3
LAY = "lay:"  # a lay phrase's concept, named by the term it glosses (MedQuAD's "low white blood
# cell count (leukopenia)"): set BO's "Why are his platelets so low?" never reached the page
# "What causes Thrombocytopenia ?"
ALIAS_LENGTH = 5
PAGE = "medquad:"  # a consumer page's concept, named by the page's own title: "Aase syndrome"
# is on the page "Diamond-Blackfan anemia" (set BK abstained); taken only for a name known as
# nothing else, for a page's "also called" list names related conditions too ("localized
# scleroderma", which has its own page, is also on the scleroderma page: set AN)


def _drug_class_only(phrase: str, found: dict[str, list[str]]) -> bool:
    """Whether an adjective ("hypoglycemic") is known only as the drugs named after the
    condition: "a newborn found to be hypoglycemic" is about hypoglycemia, not Hypoglycemic
    Agents (set AX searched the drugs and abstained)."""
    return (
        " " not in phrase
        and phrase.endswith("ic")
        and all(c.startswith("mesh-drug:") for c in found[phrase])
    )


def _other_forms(phrase: str, capitals: frozenset[str] | None = None) -> list[str]:
    """American spelling, the condition a patient word names, and the singular of an initialism
    written in capitals ("UTIs" is "UTI": set BF searched "What causes UTIs in kids?" without
    urinary tract infections, and abstained)."""
    spelled = american(phrase)
    forms = dict.fromkeys([spelled, *noun_forms(spelled)])
    if capitals and phrase.endswith("s") and phrase in capitals and phrase[:-1] in capitals:
        forms[phrase[:-1]] = None
    return [f for f in forms if f != phrase]


def _drop_initialisms(
    store: EvidenceStore, found: dict[str, list[str]], capitals: frozenset[str]
) -> None:
    words = [p for p in found if " " not in p and p.isalpha() and p not in capitals]
    if not words:
        return
    names = store.terms_for_concepts(sorted({c for w in words for c in found[w]}))
    plain = _plain_plurals(  # looked up only for a word some concept writes in capitals
        store,
        [
            w
            for w in words
            if any(n.isupper() and n.lower() == w for c in found[w] for n in names.get(c, []))
        ],
    )
    for word in words:
        kept = [
            c
            for c in found[word]
            if not any(
                _spelled(word, n)
                or _written_as_acronym(word, n)
                or (word in plain and n.isupper() and n.lower() == word)
                for n in names.get(c, [])
            )
        ]
        if kept:
            found[word] = kept
        else:
            del found[word]


def _plain_plurals(store: EvidenceStore, words: list[str]) -> set[str]:
    """Of lower-case ``words``, the plurals whose singular the vocabulary names as a thing, not
    an initialism: "arms" is the arm's ("Arm"), not ARMS, alveolar rhabdomyosarcoma (set BQ
    searched it for "large, itchy blisters on her arms and legs"); "aids" stays AIDS, its
    singular being AID."""
    singular = {w: w[:-1] for w in words if w.endswith("s") and not w.endswith("ss") and len(w) > 3}
    if not singular:
        return set()
    known = store.concepts_for_terms(sorted(set(singular.values())))
    names = store.terms_for_concepts(sorted({c for cs in known.values() for c in cs}))
    return {
        word
        for word, one in singular.items()
        if any(
            n.lower() == one and not n.isupper()
            for c in known.get(one, [])
            for n in names.get(c, [])
        )
    }


def _written_as_acronym(word: str, name: str) -> bool:
    """Whether a concept is named ``word`` only as a coined acronym in mixed case ("ChILD",
    children's interstitial lung disease): "a child" in lower case is not it (set AC: "If a
    child receives …" searched that disease). All-capital acronyms are left to
    :func:`_spelled`: "aids" typed in lower case still means AIDS."""
    return (
        name.lower() == word
        and sum(ch.isupper() for ch in name) >= 2
        and re.search(r"[a-z][A-Z]", name) is not None
    )


def _spelled(word: str, name: str) -> bool:
    """Whether ``word`` is the initialism of the multi-word ``name``, with or without its
    stopwords (:func:`medcite.text.spells`)."""
    return spells(word, [w for w in normalise_term(name).replace("-", " ").split() if w])


def names_a_drug(store: EvidenceStore, phrase: str) -> bool:
    """Whether the vocabulary knows ``phrase`` as a drug or chemical (a MeSH descriptor of
    chemicals and drugs, not of a disease): "synthroid", "metformin", "vitamin b12"."""
    key = normalise_term(phrase)
    if not key:
        return False
    kinds = {c.split(":")[0] + ":" for c in concepts_for_phrases(store, [key]).get(key, [])}
    return DRUG in kinds and "mesh:" not in kinds
