"""``medcite eval claims``: SciFact-format claims asked as yes/no questions over an index (the demo
index holds the SciFact corpus). A claim with SUPPORT evidence should get *yes*, one with
CONTRADICT evidence *no*, one with no evidence should not get a committed verdict.

Figures: 3-class accuracy (yes / no / neither), precision of the committed yes/no verdicts,
recall of *no* on contradicted claims, coverage (claims with evidence that get yes or no), the
share of no-evidence claims that get yes or no anyway, and how often a gold abstract is cited.
``held_out`` keeps only the claims the reader never trained on (:func:`medcite.reader.data.
held_out`): the honest figure for the shipped model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medcite.errors import InputError
from medcite.progress import bar as progress_bar
from medcite.reader.data import as_question
from medcite.reader.data import held_out as is_held_out

GOLD = ("SUPPORT", "CONTRADICT", "NEI")
_PREDICTED = {"yes": "SUPPORT", "no": "CONTRADICT"}


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    label: str  # SUPPORT, CONTRADICT or NEI
    documents: frozenset[str]  # gold abstracts, as index document ids (scifact:<id>)


@dataclass
class ClaimsReport:
    rows: list[tuple[Claim, str, bool]] = field(default_factory=list)  # (claim, predicted, cited)

    def to_dict(self) -> dict[str, Any]:
        n = len(self.rows)
        committed = [(c, p) for c, p, _ in self.rows if p != "NEI"]
        with_evidence = [(c, p, cited) for c, p, cited in self.rows if c.label != "NEI"]
        contradicted = [p for c, p, _ in self.rows if c.label == "CONTRADICT"]
        no_evidence = [p for c, p, _ in self.rows if c.label == "NEI"]
        return {
            "claims": n,
            "accuracy": _share(sum(c.label == p for c, p, _ in self.rows), n),
            "committed": len(committed),
            "committed_precision": _share(sum(c.label == p for c, p in committed), len(committed)),
            "no_recall": _share(contradicted.count("CONTRADICT"), len(contradicted)),
            "coverage": _share(sum(p != "NEI" for _, p, _ in with_evidence), len(with_evidence)),
            "no_evidence_committed": _share(sum(p != "NEI" for p in no_evidence), len(no_evidence)),
            "gold_cited": _share(sum(cited for _, _, cited in with_evidence), len(with_evidence)),
            "by_gold": {g: sum(c.label == g for c, _, _ in self.rows) for g in GOLD},
        }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def read_claims(path: Path, prefix: str = "scifact") -> list[Claim]:
    claims = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            labels = {item["label"] for sets in record["evidence"].values() for item in sets}
            label = "CONTRADICT" if "CONTRADICT" in labels else "SUPPORT" if labels else "NEI"
            documents = frozenset(f"{prefix}:{d}" for d in record["evidence"])
            claims.append(Claim(str(record["id"]), str(record["claim"]), label, documents))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}: line {number} is not a SciFact claim ({exc})") from exc
    return claims


def evaluate_claims(
    claims: list[Claim], engine: Any, *, held_out: bool = True, progress: bool = True
) -> ClaimsReport:
    if held_out:
        claims = [c for c in claims if is_held_out(f"scifact:{c.id}")]
    report = ClaimsReport()
    for claim in progress_bar(claims, desc="claims", enabled=progress):
        answer = engine.answer(as_question(claim.text), save=False)
        verdict = answer.bottom_line.verdict
        predicted = _PREDICTED.get(verdict.value if verdict else "", "NEI")
        cited = bool(claim.documents & {r.doc_id for r in answer.references})
        report.rows.append((claim, predicted, cited))
    return report
