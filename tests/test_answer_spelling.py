"""Misspelled names are corrected against the vocabulary the corpus uses (and the answer says
"Showing results for …"); a word the corpus never saw and nothing resembles stays as typed."""

from __future__ import annotations

import pytest

from medcite.answer.engine import Engine
from medcite.answer.render import to_markdown
from medcite.answer.spelling import Speller, field_of, glossed_names, other_form
from medcite.index.embeddings import Embedder
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("How is necrotizing fasiciitis treated?", "How is necrotizing fasciitis treated?"),
        ("What are the side effects of gabamentine?", "What are the side effects of gabapentin?"),
        ("What are the symptoms of diabetis?", "What are the symptoms of diabetes?"),
        # a patient called by their condition: sources say "people with asthma"
        ("How do I manage this asthmatic?", "How do I manage this person with asthma?"),
        ("What is the best diet for diabetics?", "What is the best diet for people with diabetes?"),
        ("Can hypertensives take ibuprofen?", "Can people with hypertension take ibuprofen?"),
        ("Care of an epileptic in pregnancy", "Care of an individual with epilepsy in pregnancy"),
        # set AG: a word of asking, misspelled as some passage of the corpus misspells it
        (
            "what are the symtoms of polycythemia vera?",
            "what are the symptoms of polycythemia vera?",
        ),
        ("What is the treatmant for gout?", "What is the treatment for gout?"),
        # set AF: a name written as one word
        ("What is Vanderwoude syndrome?", "What is Van der woude syndrome?"),
        # set BO: a British spelling a few abstracts hold was declined as not medical
        ("How do you run a nitroglycerine drip?", "How do you run a nitroglycerin drip?"),
        ("Is oedema common in paediatric patients?", "Is edema common in pediatric patients?"),
        # set AM: the record's name for a study the corpus names only as the study
        (
            "My doctor ordered a venogram of my leg. How is it done?",
            "My doctor ordered a venography of my leg. How is it done?",
        ),
    ],
)
def test_misspelled_words_are_corrected(demo_store: SQLiteStore, typed: str, meant: str) -> None:
    assert Speller(demo_store).correct(typed) == meant


@pytest.mark.parametrize(
    "question",
    [
        "What is the dose of zuranolone for postpartum depression?",  # a drug the corpus lacks
        "How is sickle cell disease managed in adults?",  # spelled right
        "Can vitamin B12 deficiency cause leukopenia?",
        "ClinicalTrials.gov - Compliment. I have retinitis pigmentosa.",  # not "complement"
        "Is inhaled budesonide safe in asthmatic children?",  # an adjective, read as it is
        "Is he diabetic?",
        "What is haemophilus influenzae?",  # the vocabulary's own British spelling
        "3-year-old boy. Bullous myringitis. Is any treatment different from otitis media?",
        "What are antibiotics?",
        "Which symptom came first, and what caused it?",  # words of asking spelled right
        # a brand its gloss explains (set AI: "Protopic" became "photopic")
        "How do I keep Protopic (tacrolimus) ointment?",
        # set BE: one who practises a field the corpus names ("phlebotomy") is no misspelled
        # sandfly ("phlebotomus")
        "A newly hired phlebotomist has no vaccination records. How should she be classified?",
    ],
)
def test_words_spelled_right_or_unknown_stay(demo_store: SQLiteStore, question: str) -> None:
    assert Speller(demo_store).correct(question) is None


def test_a_name_glossed_before_the_gloss_was_taken_out_stays(demo_store: SQLiteStore) -> None:
    # set BS: the page read "Showing results for: … prescribed Photopic for …", the gloss gone
    typed = "The dermatologist prescribed Protopic (tacrolimus ointment) for my son's eczema."
    assert glossed_names(typed) == frozenset({"protopic"})
    assert glossed_names("Is tacrolimus (an ointment) safe?") == frozenset()  # not a name
    condensed = "The dermatologist prescribed Protopic for my son's eczema."
    assert Speller(demo_store).correct(condensed, glossed_names(typed)) is None
    # set BV: a brand alone in brackets after its generic was searched as "Macrolide"
    bracketed = "I was prescribed nitrofurantoin (Macrobid) for a bladder infection."
    assert glossed_names(bracketed) == frozenset({"macrobid"})
    assert glossed_names("It was nitrofurantoin (a pill) for cystitis.") == frozenset()
    assert Speller(demo_store).correct(bracketed, glossed_names(bracketed)) is None


@pytest.mark.sqlite_only
def test_answer_says_what_it_searched(demo_store: SQLiteStore, embedder: Embedder) -> None:
    engine = Engine(demo_store, Settings(), embedder=embedder)
    answer = engine.answer("How is eosinophilic fasiciitis treated?", save=False)
    assert answer.showing_results_for == "How is eosinophilic fasciitis treated?"
    assert answer.question == "How is eosinophilic fasiciitis treated?"
    assert answer.to_dict()["showing_results_for"] == answer.showing_results_for
    assert "Showing results for" in to_markdown(answer)
    assert answer.references, "the corrected question finds its evidence"


@pytest.mark.sqlite_only
def test_a_patient_called_by_their_condition_gets_the_conditions_page(
    demo_store: SQLiteStore, embedder: Embedder
) -> None:
    # review set V: "How do I manage this asthmatic?" abstained; "asthmatic" is no vocabulary term
    engine = Engine(demo_store, Settings(), embedder=embedder)
    answer = engine.answer("How do I manage this asthmatic?", save=False)
    assert answer.showing_results_for == "How do I manage this person with asthma?"
    assert answer.references
    assert "asthma" in answer.references[0].title.lower()


def test_a_word_with_letters_beyond_ascii_is_corrected_whole(demo_store: SQLiteStore) -> None:
    # set AD: "Alström" was corrected as "Alstr" + "öm" into "Alstrmöm"
    assert Speller(demo_store).correct("Our son has Alström syndrome. What is his outlook?") is None


def test_a_record_and_its_study_are_one_word_apart() -> None:
    assert other_form("venogram") == "venography"
    assert other_form("angiograms") == "angiography"
    assert other_form("mammography") == "mammogram"
    assert other_form("gram") is None and other_form("diabetes") is None


def test_a_practitioner_is_named_after_the_field() -> None:
    assert field_of("phlebotomist") == "phlebotomy"
    assert field_of("audiologists") == "audiology"
    assert field_of("pediatrician") == "pediatrics"
    assert field_of("list") is None and field_of("fasiciitis") is None
