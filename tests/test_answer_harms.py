"""Side-effect questions are answered by sentences that state a harm."""

from __future__ import annotations

import pytest

from medcite.answer.engine import Engine
from medcite.answer.harms import asks_harms, states_harm
from medcite.answer.model import Verdict
from medcite.index.embeddings import Embedder
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def engine(demo_store: SQLiteStore, embedder: Embedder) -> Engine:
    return Engine(demo_store, Settings(), embedder=embedder)


def test_a_side_effect_question_is_told_apart() -> None:
    assert asks_harms("what are the side effects or risks of efavirenz?")
    assert asks_harms("What adverse reactions does lithium have?")
    assert asks_harms("what are the side efects of sildenafil?")
    assert not asks_harms("How is HIV treated?")


def test_a_harm_is_stated_by_kind_or_by_name() -> None:
    assert states_harm("Efavirenz may precipitate worsening of mental health conditions.")
    assert states_harm("Common side effects include nausea and headache.")
    assert states_harm("Vivid dreams and dizziness are common in the first weeks.")
    # a risk or a cause alone, or a disease the drug treats, is no harm of it
    assert not states_harm("Untreated diabetes may be part of the cause of your ED.")
    assert not states_harm("Lithium reduces oxidative stress in mania and depression.")
    assert not states_harm("At week 96, levels of IL-6 were lower than baseline.")


@pytest.mark.sqlite_only
def test_a_trials_biomarker_results_are_no_side_effects(engine: Engine) -> None:
    # set AP: "At week 96, levels of IL-6 … were lower than baseline" was the bottom line
    answer = engine.answer(
        "my brother just started efavirenz for his HIV and says he's having really vivid crazy"
        " dreams and feels dizzy. what are the side effects or risks of efavirenz? should he be"
        " worried?",
        save=False,
    )
    assert "IL-6" not in answer.bottom_line.text
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT or states_harm(
        answer.bottom_line.text
    )
