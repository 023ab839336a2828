"""What a story says of the one who asks, and questions on when to seek care."""

from __future__ import annotations

from medcite.answer.asker import only_asks_care, person_words, says_care, told_of_asker


def test_who_is_at_risk_and_am_i_reads_what_the_story_says_of_the_asker() -> None:
    # set BQ: "Mexican Americans are at higher risk …" led for a woman who lost weight fast
    told = told_of_asker(
        "I'm a 42-year-old woman who lost 30 pounds fast on a very low-calorie diet, and my"
        " mother had gallstones. Who is at risk for gallstones, and am I one of them?"
    )
    assert {"women", "family", "loss", "diet"} <= told
    assert told & person_words("Women are more likely to develop gallstones than men.")
    assert not told & person_words("Mexican Americans are at higher risk.")
    # set AF: "Am I at risk …?" alone asks of the asker's risk, not who is at risk
    assert not told_of_asker(
        "I'm flying 14 hours next month and I take birth control pills. Am I at risk for a blood"
        " clot going to my lungs?"
    )


def test_a_question_only_on_when_to_seek_care_is_answered_by_a_sentence_saying_so() -> None:
    # set BQ: a study's "no association between ascending aortopathy …" answered it
    assert only_asks_care(
        "I was told at 30 that I have a bicuspid aortic valve. When should I see a doctor about"
        " a bicuspid aortic valve?"
    )
    # set BB: which symptoms mean it is time are answered by the symptoms too
    assert not only_asks_care(
        "My dad is being treated for hairy cell leukemia. When should we call his doctor, what"
        " symptoms mean he needs to be seen?"
    )
    assert not only_asks_care("What causes a cough?")
    assert says_care("Rarely, people cough up blood. If this happens, you should call your doctor.")
    assert says_care("Seek emergency medical care if you have chest pain.")
    assert not says_care("Your doctor will likely ask questions about your cough.")
