"""Verification rules of the LLM writer on precise strings, and how a model's reply is read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from medcite.index.embeddings import Embedder
from medcite.settings import LLMSettings
from medcite.writer import Verifier, WriterError
from medcite.writer.prompt import parse_reply, split_markers
from medcite.writer.verify import Number, lexical_overlap, missing_number, numbers_in

B12 = (
    "Oral cyanocobalamin 1000 mcg daily was as effective as intramuscular injections in "
    "correcting vitamin B12 deficiency. Serum B12 rose by 45% within 8 weeks."
)
LEUKOPENIA = (
    "Leukopenia is a decrease in the number of white blood cells. It is not caused by "
    "exercise. Folate malabsorption can cause leukopenia."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000 mcg daily", [Number(Decimal(1000), "mcg")]),
        ("1,000 µg daily", [Number(Decimal(1000), "mcg")]),
        ("HbA1c 6.0% to 7.0%", [Number(Decimal(6), "%"), Number(Decimal(7), "%")]),
        ("rose by 45 percent", [Number(Decimal(45), "%")]),
        ("vitamin B12 and COVID-19 in type 2 diabetes", [Number(Decimal(2), None)]),
        ("120/80 mmHg", [Number(Decimal(120), None), Number(Decimal(80), "mmhg")]),
        ("no numbers here", []),
    ],
)
def test_numbers_and_their_units(text: str, expected: list[Number]) -> None:
    assert numbers_in(text) == expected


@pytest.mark.parametrize(
    ("sentence", "missing"),
    [
        ("Take 1000 mcg daily.", None),
        ("Take 1,000 mcg a day.", None),
        ("Take 1000 µg daily.", None),
        ("Take 10000 mcg daily.", "10000 mcg"),  # a changed dose
        ("Take 1000 mg daily.", "1000 mg"),  # a changed unit
        ("Take 100 mcg daily.", "100 mcg"),  # a substring of 1000 is not 100
        ("B12 rose by 45% in 8 weeks.", None),
        ("B12 rose by 54% in 8 weeks.", "54 %"),
        ("B12 rose within 8 months.", "8 month"),
    ],
)
def test_every_number_must_be_in_a_cited_passage(sentence: str, missing: str | None) -> None:
    found = missing_number(sentence, [B12])
    assert (None if found is None else str(found)) == missing


def test_lexical_overlap_counts_content_words() -> None:
    assert lexical_overlap("Oral cyanocobalamin corrects B12 deficiency.", [B12]) == 1.0
    assert lexical_overlap("Coffee enemas cure cancer.", [B12]) == 0.0
    assert lexical_overlap("Anything at all.", []) == 0.0


@pytest.fixture(scope="module")
def verifier(embedder: Embedder) -> Verifier:
    return Verifier({1: B12, 2: LEUKOPENIA}, embedder, LLMSettings())


def test_a_citation_that_does_not_support_the_sentence_is_removed(verifier: Verifier) -> None:
    padded = verifier.check("Folate malabsorption can cause leukopenia.", [1, 2])
    assert padded.ok and padded.citations == (2,)


def test_a_verbatim_or_paraphrased_sentence_passes(verifier: Verifier) -> None:
    verbatim = verifier.check("Folate malabsorption can cause leukopenia.", [2])
    assert verbatim.ok and verbatim.reason is None and verbatim.support > 0.9
    paraphrase = verifier.check(
        "Oral cyanocobalamin 1000 mcg daily corrected vitamin B12 deficiency as well as "
        "intramuscular injections.",
        [1],
    )
    assert paraphrase.ok, paraphrase


@pytest.mark.parametrize(
    ("text", "citations", "reason"),
    [
        ("Folate malabsorption can cause leukopenia.", [9], "cites [9], which was not given"),
        ("Folate malabsorption can cause leukopenia.", [], "no citation"),
        ("Oral cyanocobalamin 10000 mcg daily corrects deficiency.", [1], "number 10000 mcg"),
        ("Oral cyanocobalamin 1000 mcg daily corrects deficiency.", [2], "no cited passage"),
        ("Folate malabsorption does not cause leukopenia.", [2], "negation differs"),
        ("Green tea extract prevents migraine in teenagers.", [1, 2], "no cited passage"),
        # a passage's words with a claim added
        ("Vitamin B12 deficiency is corrected by green tea.", [1], "similarity 0."),
        ("Serum B12 rose by 45% within 8 weeks in children with autism.", [1], "similarity 0."),
        ("Folate malabsorption can cause leukemia.", [2], "similarity 0."),
        ("Treatment.", [1], "too short to be a claim"),  # a heading echoed back
        ("Folate malabsorption can cause leukopenia.", [1], "no cited passage supports"),
    ],
)
def test_failing_sentences_say_why(
    verifier: Verifier, text: str, citations: list[int], reason: str
) -> None:
    check = verifier.check(text, citations)
    assert not check.ok
    assert check.reason is not None and check.reason.startswith(reason), check


def test_a_reply_is_read_leniently_in_form() -> None:
    reply = (
        "Here you are:\n```json\n"
        '{"sections": [{"heading": "Treatment", "sentences": ['
        '{"text": "Oral B12 works [1][2].", "citations": [1]},'
        '{"text": "Folate matters [3, 4].", "citations": []}]}]}\n```'
    )
    proposed = parse_reply(reply)
    assert [(p.heading, p.text, p.citations) for p in proposed] == [
        ("Treatment", "Oral B12 works.", (1, 2)),
        ("Treatment", "Folate matters.", (3, 4)),
    ]
    assert split_markers("No markers here.") == ("No markers here.", ())


@pytest.mark.parametrize(
    "reply",
    [
        "I cannot answer that.",
        '{"sections": [{"heading": "x", "sentences": [{"text": "a"',
        '{"answer": "Vitamin B12 [1]"}',
        '{"sections": [{"heading": "x", "sentences": [{"citations": [1]}]}]}',
    ],
)
def test_a_malformed_reply_is_an_error(reply: str) -> None:
    with pytest.raises(WriterError) as caught:
        parse_reply(reply)
    assert caught.value.reason == "malformed reply"
