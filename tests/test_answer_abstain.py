"""When the evidence covers a question, and what an abstention says of the corpus."""

from __future__ import annotations

import dataclasses

import pytest

from medcite.answer.abstain import (
    Coverage,
    asked_concepts,
    coverage,
    insufficient_text,
    is_covered,
    key_concepts,
    said_synonyms,
)
from medcite.answer.model import Question, QuestionType
from medcite.retrieve.query import ParsedQuery
from medcite.store import EvidenceStore


def _question(text: str, concepts: tuple[str, ...], **fields: object) -> Question:
    return Question(text, QuestionType.GENERAL, False, concepts, **fields)  # type: ignore[arg-type]


def _known(text: str, concepts: tuple[str, ...], terms: tuple[str, ...]) -> Question:
    """A question whose phrases all hold a vocabulary term, ``terms`` being those that are one."""
    return _question(text, concepts, known=concepts, terms=terms)


def _yes_no(question: Question) -> Question:
    return dataclasses.replace(question, yes_no=True)


def _found(*named: str, unknown: frozenset[str] = frozenset()) -> Coverage:
    return Coverage(
        named=frozenset(named), on_topic=frozenset(), close=False, by_document={}, unknown=unknown
    )


def test_a_word_the_corpus_lacks_in_the_question_sentence_is_never_covered() -> None:
    # set AJ: "… What are the symptoms of ethmoiditis?" answered from RSV's page, close in
    # meaning; the story's words may be missing when a passage is that close
    found = Coverage(
        named=frozenset({"fever"}),
        on_topic=frozenset({"doc"}),
        close=True,
        by_document={},
        unknown=frozenset({"ethmoiditis"}),
    )
    asked = _question("He has a fever. Is it ethmoiditis?", ("fever", "ethmoiditis"))
    told = _question("He has ethmoiditis and a fever. What helps the fever?", ("fever",))
    assert not is_covered(asked, found)
    assert is_covered(told, found)


def test_a_story_word_the_corpus_lacks_leaves_a_question_that_names_all_it_asks() -> None:
    # set BQ: "I'm a cashier with carpal tunnel syndrome … What research is being done on carpal
    # tunnel syndrome?" abstained: no source mentions "cashier"
    found = _found("carpal tunnel syndrome", "wrist", unknown=frozenset({"cashier"}))
    cashier = _known(
        "I'm a cashier with carpal tunnel syndrome, and my wrist splint only helps a little."
        " What research is being done on carpal tunnel syndrome?",
        ("carpal tunnel syndrome", "wrist splint", "cashier"),
        ("carpal tunnel syndrome",),
    )
    assert is_covered(cashier, found)
    # a question pointing back at the story asks of its unknown word: not covered
    pointing = _known(
        "I'm a cashier with carpal tunnel syndrome. What research is being done on it?",
        ("carpal tunnel syndrome", "cashier"),
        ("carpal tunnel syndrome",),
    )
    assert not is_covered(pointing, found)
    # nor is a story whose question sentence names a thing the corpus does not
    elsewhere = _known(
        "I'm a cashier with carpal tunnel syndrome. What research is being done on splints?",
        ("carpal tunnel syndrome", "splints", "cashier"),
        ("carpal tunnel syndrome", "splints"),
    )
    assert not is_covered(elsewhere, found)
    # set AG: a drug the story names by its brand is what is asked of, however the question
    # sentence names its ingredients
    brand = _found("ergotamine", "caffeine", unknown=frozenset({"cafergot"}))
    cafergot = _known(
        "What is ergotamine and caffeine prescribed for? my doctor just gave me Cafergot",
        ("ergotamine", "caffeine", "cafergot"),
        ("ergotamine", "caffeine"),
    )
    assert not is_covered(cafergot, brand)


def test_who_the_story_tells_of_gives_its_term_to_coverage() -> None:
    # set AJ: no document names "little old lady vitamin a user"; "orange breast milk" keeps
    # its qualifier
    lady = _known(
        "A little old lady Vitamin A user. Is that toxic?",
        ("little old lady vitamin a user", "vitamin a", "toxic"),
        ("vitamin a", "toxic"),
    )
    assert "vitamin a" in key_concepts(lady)
    assert "little old lady vitamin a user" not in key_concepts(lady)
    milk = _known(
        "What causes orange breast milk?", ("orange breast milk", "breast milk"), ("breast milk",)
    )
    assert key_concepts(milk)[0] == "orange breast milk"


def test_an_abstention_says_which_words_no_source_holds_and_hides_code_names() -> None:
    question = _question("What is the dose of Lamisil?", ("lamisil",))
    query = ParsedQuery("lamisil", ("lamisil",), {"lamisil": ("sf 86-327", "tdt-067")})
    text = insufficient_text(question, query, 16, missing=frozenset({"lamisil"}))
    assert 'No source in the corpus mentions "lamisil"' in text
    assert "86-327" not in text and "tdt-067" not in text


def test_a_storys_question_sentence_and_not_who_it_is_about_decides_coverage() -> None:
    # set AK: "whole family is itching … what are the symptoms of scabies?" was judged on
    # "whole family"; "postpartum patients" on who, not perinatal depression
    scabies = _known(
        "whole family is itching at night. What are the symptoms of scabies?",
        ("whole family", "itching", "scabies"),
        ("itching", "scabies"),
    )
    assert key_concepts(scabies)[0] == "scabies"
    assert asked_concepts(scabies) == ("scabies",)  # the story's itching is context
    assert "whole family" not in key_concepts(scabies)
    # set AS: "one hand shakes … could this be parkinson disease? what are the symptoms?"
    parkinson = _known(
        "one hand shakes and his voice is softer. Could this be parkinson disease? What are the"
        " symptoms?",
        ("hand shakes", "parkinson disease", "voice"),
        ("hand shakes", "parkinson disease", "voice"),
    )
    assert asked_concepts(parkinson) == ("parkinson disease",)
    assert is_covered(parkinson, _found("parkinson disease", "hand"))
    assert not is_covered(parkinson, _found("hand", "voice"))
    told = _known(
        "whole family is itching at night. What can we do?",
        ("whole family", "itching"),
        ("itching",),
    )
    assert key_concepts(told) == ("itching",)  # the question names nothing: the story counts
    assert asked_concepts(told) == ()
    asked_of_story = _yes_no(
        _known("whole family is itching at night. Is scabies the cause?", ("scabies",), ())
    )
    assert asked_concepts(asked_of_story) == ()  # a yes/no question may ask of its story
    # set AW: "… the doctor said henoch-schonlein purpura. what is that? is it serious?" was
    # judged on the rash and the sore knees, and abstained beside the purpura's pages
    pointing = _known(
        "My 6 yr old got a purple bumpy rash and sore knees. The doctor said henoch-schonlein"
        " purpura. What is that? Is it serious?",  # as the question is read: sentence case
        ("purple bumpy rash", "sore knees", "henoch-schonlein purpura"),
        ("henoch-schonlein purpura",),
    )
    assert asked_concepts(pointing) == ("henoch-schonlein purpura",)
    # set BU abstained on "What is this condition?" for the story's "face changed shape":
    # the thing diagnosed is what it points at
    diagnosed = _known(
        "My nephew was diagnosed with craniometaphyseal dysplasia after his face changed shape."
        " What is this condition?",
        ("face changed shape", "craniometaphyseal dysplasia", "face"),
        ("face changed shape", "craniometaphyseal dysplasia", "face"),
    )
    assert asked_concepts(diagnosed) == ("craniometaphyseal dysplasia",)
    assert is_covered(diagnosed, _found("craniometaphyseal dysplasia"))


def test_what_is_asked_of_a_thing_is_no_key_concept() -> None:
    # set AL: "What gene change causes it?" was judged on "gene change" and "gene", and the
    # question abstained beside GHR's page on histidinemia
    question = _known(
        "Our baby's newborn screen showed high histidine and the doctor said histidinemia. What"
        " gene change causes it?",
        ("high histidine", "gene change", "histidine", "histidinemia", "gene"),
        ("histidine", "histidinemia", "gene"),
    )
    keys = key_concepts(question)
    assert "histidinemia" in keys
    assert not {"gene change", "gene"} & set(keys)


@pytest.mark.sqlite_only
def test_an_example_or_a_prefixed_word_is_no_word_the_corpus_lacks(
    demo_store: EvidenceStore,
) -> None:
    # set AN: "like the M-CHAT" names an example of what is asked, and "re-reviewed" is
    # "reviewed" again; both questions abstained on them beside the USPSTF statements
    example = _question(
        "Should I still give a formal autism screening tool like the M-CHAT, per the USPSTF?",
        ("formal autism screening tool", "m-chat"),
    )
    prefixed = _question(
        "How often should family history be re-reviewed for changes?",
        ("family history", "re-reviewed"),
    )
    unheard = _question("Is zorblaxitol safe in pregnancy?", ("zorblaxitol", "pregnancy"))
    assert coverage(example, [], {}, 0.5, demo_store).unknown == frozenset()
    assert coverage(prefixed, [], {}, 0.5, demo_store).unknown == frozenset()
    assert coverage(unheard, [], {}, 0.5, demo_store).unknown == {"zorblaxitol"}
    # set AO: "No source in the corpus mentions 'cutivate'" beside its synonym fluticasone
    brand = _question("What is Cutivate?", ("cutivate",))
    assert coverage(brand, [], {}, 0.5, demo_store).unknown == {"cutivate"}
    synonyms = {"cutivate": ("fluticasone propionate", "fluticasone")}
    assert coverage(brand, [], {}, 0.5, demo_store, synonyms).unknown == frozenset()


def test_an_abstention_names_each_phrase_by_its_preferred_synonym_first() -> None:
    # set BA: "Retin-A" was searched as tretinoin, but the first four synonyms in alphabetical
    # order left it out and the reviewer read the search as never using it
    expansions = {
        "retin-a": ("tretinoin", "retinoic acid", "trans-retinoic acid", "vitamin a acid"),
        "cream": ("ointment", "emollient"),
    }
    assert said_synonyms(["retin-a", "cream", "form"], expansions)[:4] == [
        "tretinoin",
        "ointment",
        "retinoic acid",
        "emollient",
    ]
