"""The rubric's figures counted from judged review files (``medcite eval review-figures``)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from medcite.errors import InputError
from medcite.eval.judged import by_part, figures, parse_judgement, read_judgements

REPO = Path(__file__).resolve().parents[1]
_PLAIN = re.compile(r"Q\d+ \|")
JUDGED = [  # the sets' judgements; the files of changed answers number them "AH-Q26"
    path
    for path in sorted((REPO / "eval" / "judged").glob("review-*.md"))
    if any(_PLAIN.match(line) for line in path.read_text(encoding="utf-8").splitlines())
]

LINES = """# Judgements — X sheet-1 (Q1–Q4)
Reviewer: X-1 · Date: 2026-12-05 · Commit: abc1234

Q1 | bottom: correct | items: 1:R 2:T | usefulness: 3 | abstention: - | note: fine.
Q2 | bottom: abstained | items: - | usefulness: n/a | abstention: doubtful | note: basic.
Q3 | bottom: unsupported | items: 1:O | usefulness: 0 | abstention: - | note: "Yes" unbacked.
Q4 | bottom: abstained | items: - | usefulness: n/a | abstention: ok | note: niche.
"""
MORE = """Q5 | bottom: partial | items: 1:R 2:R 3:T | usefulness: 2 | abstention: - | note: gaps.
Q6 | bottom: off_topic | items: 1:O | usefulness: 0 | abstention: - | note: another drug.
"""


def _files(tmp_path: Path) -> list[Path]:
    first, second = tmp_path / "review-1.md", tmp_path / "review-2.md"
    first.write_text(LINES, encoding="utf-8")
    second.write_text(MORE, encoding="utf-8")
    return [first, second]


def test_the_rubrics_figures_are_counted_from_the_lines(tmp_path: Path) -> None:
    found = figures(read_judgements(_files(tmp_path)))
    assert found.questions == 6
    assert found.bottom == {
        "correct": 1, "partial": 1, "unsupported": 1, "off_topic": 1, "abstained": 2,
    }  # fmt: skip
    assert found.answered == 4 and found.correct_share == 0.25
    assert found.items == {"R": 3, "T": 2, "O": 2}
    assert found.item_shares["R"] == round(3 / 7, 3)
    assert found.usefulness == round((3 + 0 + 2 + 0) / 4, 2)
    assert (found.abstained, found.doubtful) == (2, 1)
    assert found.unsupported == (3,)


def test_a_set_is_counted_by_its_parts(tmp_path: Path) -> None:
    parts = by_part(read_judgements(_files(tmp_path)), 3)
    assert list(parts) == ["Q1–Q3", "Q4–Q6"]
    assert parts["Q1–Q3"].answered == 2 and parts["Q1–Q3"].bottom["correct"] == 1
    assert parts["Q4–Q6"].abstained == 1 and parts["Q4–Q6"].doubtful == 0


def test_other_lines_are_not_judgements_and_bad_ones_are_errors(tmp_path: Path) -> None:
    assert parse_judgement("Q1–Q20 clinicians (20 questions, 11 answered)") is None
    assert parse_judgement("Reviewer: X-1") is None
    with pytest.raises(InputError):
        parse_judgement("Q1 | bottom: great | items: - | usefulness: 3 | abstention: - | note:")
    twice = tmp_path / "twice.md"
    twice.write_text(LINES + LINES, encoding="utf-8")
    with pytest.raises(InputError):
        read_judgements([twice])


@pytest.mark.parametrize("path", JUDGED, ids=lambda p: p.name)
def test_every_judged_review_file_is_read_whole(path: Path) -> None:
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if _PLAIN.match(x)]
    assert len(read_judgements([path])) == len(lines)


def test_the_cli_prints_the_figures_as_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "medcite.cli", "eval", "review-figures",
         *map(str, _files(tmp_path)), "--part-size", "3", "--json"],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert report["answered"] == 4 and report["unsupported"] == [3]
    assert report["parts"]["Q4–Q6"]["bottom"]["off_topic"] == 1
