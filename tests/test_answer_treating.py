"""Treatment questions are answered by sentences that say how a thing is treated, of the
thing asked; a story asking of a condition no source names abstains."""

from __future__ import annotations

import pytest

from medcite.answer.drugs import asks_brand, asks_of_drug, drug_questions, states_brand
from medcite.answer.engine import Engine
from medcite.answer.model import Verdict
from medcite.answer.treating import asks_treatment, states_treatment
from medcite.index.embeddings import Embedder
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def engine(demo_store: SQLiteStore, embedder: Embedder) -> Engine:
    return Engine(demo_store, Settings(), embedder=embedder)


def test_a_treatment_question_is_told_by_its_asking_sentence() -> None:
    assert asks_treatment("What treatments are there for Weyers acrofacial dysostosis?")
    assert asks_treatment("How do you treat flea bites, and how do we get rid of the fleas?")
    assert asks_treatment("Is there a cure for it?")
    # the story's treatment is not what its question asks
    assert not asks_treatment(
        "She was treated with steroids last year. What are the symptoms of a relapse?"
    )
    assert not asks_treatment("What is the outlook for agenesis of the corpus callosum?")
    # it also asks what the thing is (set AR: "what is schizophrenia, can it be cured?")
    assert not asks_treatment(
        "the doctor said schizophrenia. what is schizophrenia, can it be cured?"
    )
    assert asks_treatment("What is the treatment for DeQuervain's tenosynovitis?")


def test_a_treatment_is_stated_by_kind_or_by_act() -> None:
    assert states_treatment("Treatment usually involves management of symptoms and seizures.")
    assert states_treatment("These medicines include corticosteroids and methotrexate.")
    assert states_treatment("Cool compresses and calamine lotion relieve the itching.")
    # what a condition is, or where it comes from, says nothing of treating it
    assert not states_treatment(
        "People with Weyers acrofacial dysostosis have abnormally small fingernails."
    )
    assert not states_treatment("People and other animals can get plague from rat or flea bites.")
    assert not states_treatment("Patients lost more brain volume than healthy control subjects.")


@pytest.mark.sqlite_only
def test_a_treatment_question_is_not_answered_by_what_the_condition_is(engine: Engine) -> None:
    # set BJ: the GHR page on its treatment lists resources only, and its definition page's
    # "People with Weyers acrofacial dysostosis have abnormally small … fingernails" led
    answer = engine.answer(
        "My nephew was born with an extra finger on each hand and some of his teeth are missing"
        " or oddly shaped, and the geneticist said it's Weyers acrofacial dysostosis. What"
        " treatments are there for it?",
        save=False,
    )
    said = answer.bottom_line.text
    assert "fingernails" not in said
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT or states_treatment(said)


@pytest.mark.sqlite_only
def test_a_treatment_question_is_not_answered_by_another_conditions_treatment(
    engine: Engine,
) -> None:
    # set AR: "In some cases, Tietze syndrome may resolve on its own without treatment" (a chest
    # wall condition) answered how Tietz syndrome (albinism and deafness) is treated
    answer = engine.answer(
        "our newborn son can't hear and has very white hair and pale skin and blue eyes, unlike"
        " anyone in our family, and the geneticist says it's tietz syndrome. how is tietz"
        " syndrome treated?",
        save=False,
    )
    assert "Tietze" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_story_asking_of_a_condition_no_source_names_abstains(engine: Engine) -> None:
    # set BK: "What causes Aase syndrome?" was answered from osteopetrosis's page (its anemia);
    # a name no source or vocabulary knows ("Blum syndrome") abstains
    answer = engine.answer(
        "Our newborn son has anemia and his thumbs have three joints instead of two, and the"
        " doctors think it's Blum syndrome. What causes Blum syndrome? Is it inherited?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    # named by another of its names, it is answered from that name's pages: the vocabulary
    # has Aase syndrome on the Diamond-Blackfan anemia pages (set BK abstained)
    answer = engine.answer(
        "Our newborn son has anemia and his thumbs have three joints instead of two, and the"
        " doctors think it's Aase syndrome. What causes Aase syndrome? Is it inherited?",
        save=False,
    )
    titles = {ref.title for ref in answer.references}
    assert "Is Diamond-Blackfan anemia inherited ?" in titles  # (its genetic-changes page's
    # "In the remaining 40 to 50 percent of cases, the cause … is unknown." is an item the judge
    # doubts, and it is left out)
    assert "osteopetrosis" not in " ".join(titles).lower()
    # and the page says which name its sources use (set BK's reviewer took them for another)
    assert "Diamond-Blackfan anemia (another name of Aase syndrome)" in (
        answer.showing_results_for or ""
    )
    # a condition the sources name in part keeps its answer (set AW)
    answer = engine.answer(
        "my husband has weak shoulders and his feet drop when he walks, and his mom had the same"
        " thing. doctors said scapuloperoneal syndrome, kaeser type. what are the symptoms of"
        " this?",
        save=False,
    )
    assert answer.bottom_line.verdict is not Verdict.INSUFFICIENT
    assert "shoulder" in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_story_s_day_is_not_part_of_what_it_asks_of(engine: Engine) -> None:
    # set BN abstained: "stroke yesterday" was searched and "medicines" read as the focus
    answer = engine.answer(
        "My dad had a stroke yesterday and is in the hospital. What are the treatments for"
        " stroke, and what kinds of medicines are used?",
        save=False,
    )
    assert answer.bottom_line.verdict is None
    assert "stroke" in answer.bottom_line.text.lower()
    assert "treat" in answer.bottom_line.text.lower()


@pytest.mark.sqlite_only
def test_a_story_s_drug_question_is_about_the_drug(engine: Engine) -> None:
    # set BK: "… I have high blood pressure. What is lorcaserin prescribed for …?" was answered
    # with the treatments of high blood pressure
    answer = engine.answer(
        "My doctor brought up lorcaserin (Belviq) to help me lose weight. I'm 5'4\", about 210"
        " pounds, and I have high blood pressure. What is lorcaserin prescribed for, and who is"
        " it meant for?",
        save=False,
    )
    assert "lorcaserin" in answer.bottom_line.text
    # a drug question's bottom line names the drug (set AI: bed rest from a migraine page
    # answered what cyproheptadine is prescribed for)
    answer = engine.answer(
        "whats the brand name for ambrisentan? my pulmonary hypertension doctor wrote the"
        " generic name",
        save=False,
    )
    assert "ambrisentan" in answer.bottom_line.text


def test_a_drug_question_is_told_by_its_asking_sentence() -> None:
    assert asks_of_drug("What is lorcaserin prescribed for, and who is it meant for?")
    assert asks_of_drug("what are the side effects of triamterene? i feel dizzy")
    assert asks_of_drug("what is tolterodine sold as? the pharmacy gave me a generic")
    assert not asks_of_drug("I was prescribed lisinopril. What causes high blood pressure?")


@pytest.mark.sqlite_only
def test_a_treatment_on_the_focus_s_own_page_answers_however_low_the_reader_scores_it(
    engine: Engine,
) -> None:
    # set BK abstained: the hypopituitarism page's "… medication (hormone replacement therapy)
    # must be taken …" scored below the reader's floor for how it is treated
    answer = engine.answer(
        "My mother was diagnosed with hypopituitarism after an operation to remove a pituitary"
        " tumor. How is hypopituitarism treated? Will she have to take hormones for the rest of"
        " her life?",
        save=False,
    )
    assert "hormone replacement therapy" in answer.bottom_line.text


def test_a_brand_name_question_is_answered_by_a_name_the_drug_is_sold_under() -> None:
    assert asks_brand(drug_questions("what brand names is flecainide sold under? my dad takes it"))
    assert asks_brand(drug_questions("whats the brand name for ambrisentan?"))
    assert not asks_brand(drug_questions("What are the side effects of primidone?"))
    # a brand named in the story is no brand-name question
    assert not asks_brand(drug_questions("My brand of pills ran out. What is a dose of aspirin?"))
    assert states_brand("Drugs that relax bladder muscles include tolterodine (Detrol).")
    assert states_brand("It is marketed as Trintellix in the United States.")
    # set AO: a trial's scores are no name vortioxetine is sold under
    assert not states_brand("Vortioxetine was statistically superior to placebo (P<0.05).")
