"""Treatment questions are answered by sentences that say how a thing is treated, of the
thing asked; a story asking of a condition no source names abstains."""

from __future__ import annotations

import pytest

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
    # set BK: "What causes Aase syndrome?" was answered from osteopetrosis's page (its anemia)
    answer = engine.answer(
        "Our newborn son has anemia and his thumbs have three joints instead of two, and the"
        " doctors think it's Aase syndrome. What causes Aase syndrome? Is it inherited?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    # a condition the sources name in part keeps its answer (set AW)
    answer = engine.answer(
        "my husband has weak shoulders and his feet drop when he walks, and his mom had the same"
        " thing. doctors said scapuloperoneal syndrome, kaeser type. what are the symptoms of"
        " this?",
        save=False,
    )
    assert answer.bottom_line.verdict is not Verdict.INSUFFICIENT
    assert "shoulder" in answer.bottom_line.text
