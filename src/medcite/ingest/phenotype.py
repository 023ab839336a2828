"""GARD's Human Phenotype Ontology table, told as sentences.

About 1,600 of MedQuAD's GARD answers on "What are the symptoms of …?" hold their signs and
symptoms only as a flattened table ("Signs and Symptoms Approximate number of patients (when
available) Abnormality of the fingernails 90% Gingivitis 90% … Osteolysis 7.5% Atrophy of
alveolar ridges - …"): no sentence of it could be cited, and a question on Papillon-Lefèvre
syndrome's symptoms was answered from another disease's page (set AV). Each frequency of the
table becomes a sentence that names the condition and keeps the table's figures as written:
"Signs and symptoms of Papillon Lefevre syndrome seen in approximately 90% of patients include
abnormality of the fingernails, gingivitis, … and reduced number of teeth."
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TABLE_HEADER = "Signs and Symptoms Approximate number of patients (when available)"
_TABLE_END = "The Human Phenotype Ontology (HPO) has collected"
_ENTRY = re.compile(r"\s*(.+?)\s+(\d+(?:\.\d+)?%|\d+/\d+|-)(?=\s|$)")
NAME_WORDS = 40
"""At most this many words of names in one sentence (a sentence of the answer is at most 70)."""


def tell_phenotype_table(answer: str, condition: str) -> str:
    """``answer`` with its phenotype table (if any) told as sentences on ``condition``."""
    start = answer.find(TABLE_HEADER)
    if start < 0:
        return answer
    end = answer.find(_TABLE_END, start)
    end = len(answer) if end < 0 else end
    table = answer[start + len(TABLE_HEADER) : end]
    told = " ".join(_sentences(_entries(table), condition or "this condition"))
    return " ".join(part for part in (answer[:start].strip(), told, answer[end:].strip()) if part)


def _entries(table: str) -> list[tuple[str, str]]:
    """(sign, frequency) pairs in table order, "-" where the table gives none; the mode of
    inheritance is no sign."""
    return [
        (m.group(1).strip(), m.group(2))
        for m in _ENTRY.finditer(table)
        if not _NO_SIGN.search(m.group(1))
    ]


_NO_SIGN = re.compile(r"inheritance|^sporadic$|^somatic mutation$", re.I)
"""Entries of the table that say how a condition arises, not how it shows."""


def _sentences(entries: list[tuple[str, str]], condition: str) -> list[str]:
    by_frequency: dict[str, list[str]] = {}
    for name, frequency in entries:
        if name.lower() != condition.lower():  # "Abetalipoproteinemia -" in its own table
            by_frequency.setdefault(frequency, []).append(_lower_first(name))
    graded = any(f != "-" for f in by_frequency)
    told: list[str] = []
    for frequency, names in by_frequency.items():
        for n, chunk in enumerate(_chunks(names)):
            also = " also" if n else ""
            if frequency == "-":
                lead = f"{'Other signs' if graded else 'Signs'} and symptoms of {condition}"
                if graded:
                    lead += " (how often is not known)"
            else:
                seen = f"{frequency} of" if "/" in frequency else f"approximately {frequency} of"
                lead = f"Signs and symptoms of {condition} seen in {seen} patients"
            told.append(f"{lead}{also} include {_listed(chunk)}.")
    return told


def _chunks(names: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    words = 0
    for name in names:
        size = len(name.split())
        if chunks[-1] and words + size > NAME_WORDS:
            chunks.append([])
            words = 0
        chunks[-1].append(name)
        words += size
    return chunks


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _lower_first(name: str) -> str:
    """A sign named mid-sentence: "Gingivitis" → "gingivitis", "Aplasia/Hypoplasia of the
    nipples" → "aplasia/hypoplasia of the nipples"; a word whose second letter is a capital is
    an acronym and kept ("EEG abnormality", "CNS demyelination")."""
    first, _, rest = name.partition(" ")
    lowered = "/".join(_lowered(part) for part in first.split("/"))
    return f"{lowered} {rest}" if rest else lowered


def _lowered(word: str) -> str:
    """ "Aplasia" → "aplasia"; "EEG", "IgA" and "T4" are kept."""
    return word[:1].lower() + word[1:] if word[1:].islower() else word


_TOLD = re.compile(
    r"^(?:Other signs|Signs) and symptoms of (?P<condition>.+?)"
    r"(?: seen in (?:approximately )?(?P<seen>\d+(?:\.\d+)?%|\d+/\d+) of patients"
    r"| (?P<unknown>\(how often is not known\)))? (?:also )?include "
)


@dataclass(frozen=True, slots=True)
class ToldSigns:
    """What a sentence told from a phenotype table says: the condition, and in how many
    patients in percent (100 where the table gives no frequencies, None where how often is not
    known); ``weighed``: whether the table says how often (a frequency, or that it is not
    known), which a table of bare signs ("Signs and symptoms of X include …") does not."""

    condition: str
    percent: float | None
    weighed: bool = True


def told_signs(text: str) -> ToldSigns | None:
    """The sentence as told by :func:`tell_phenotype_table`, or None for any other sentence."""
    found = _TOLD.match(text)
    if found is None:
        return None
    seen = found.group("seen")
    if found.group("unknown"):
        percent = None
    elif seen is None:
        percent = 100.0
    elif "/" in seen:
        had, examined = seen.split("/")
        percent = 100.0 * int(had) / max(int(examined), 1)
    else:
        percent = float(seen.rstrip("%"))
    weighed = seen is not None or found.group("unknown") is not None
    return ToldSigns(found.group("condition"), percent, weighed)
