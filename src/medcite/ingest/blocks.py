"""Consumer pages' headings and bulleted lists, told as sentences.

MedQuAD keeps a page's layout as blank-line blocks: a heading ("Breathing Support", "Outlook")
is a block without a full stop, and so is each item of a list after "… may include:". Once a
passage's sentences are joined, a heading runs into the sentence after it ("Outlook Due to
improved treatments …", "Breathing Support Infants who have RDS …": set BE's reviewers) and a
list into the sentence after its last item. Here a heading is closed with a full stop (a
sentence too short to be evidence) and a list's items are joined onto the line that introduces
them, separated by semicolons and closed with a full stop: "The goals of treating OHS may
include: Supporting and aiding your breathing; Achieving major weight loss; Treating underlying
and related conditions." No word of the page is dropped.
"""

from __future__ import annotations

import re

_BLOCK = re.compile(r"\n\s*\n")
_ENDED = re.compile(r"[.!?][\"')\]]*$")
_SMALL_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"]
)
HEADING_WORDS = 8
"""The most words a heading has."""


def is_heading(block: str) -> bool:
    """Whether a block is a heading: a few words, every one but the small ones capitalised,
    and no closing punctuation ("Breathing Support", "Positive Airway Pressure", "Outlook")."""
    words = block.split()
    if not words or len(words) > HEADING_WORDS or _ENDED.search(block) or block[-1] in ":;,":
        return False
    named = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(named) and all(w[0].isupper() or not w[0].isalpha() for w in named)


def _ends_list(block: str) -> bool:
    """Whether a block ends the list it follows: a heading of two capitalised words or more
    ("Breathing Support"); one capitalised word ("Fatigue (tiredness)") is an item."""
    return is_heading(block) and sum(w[0].isupper() for w in block.split()) >= 2


def tell_blocks(text: str) -> str:
    """``text`` with its headings closed and its lists told as sentences (see the module);
    blocks stay apart (a blank line)."""
    blocks = [b.strip() for b in _BLOCK.split(text) if b.strip()]
    told: list[str] = []
    items: list[str] = []  # the open list's items; its introduction is told[-1]
    for at, block in enumerate(blocks):
        opens = not items and bool(told) and told[-1].endswith(":")  # its first item
        sentence = bool(_ENDED.search(block)) or block.endswith(":")
        if (opens or (items and not _ends_list(block))) and not sentence:
            items.append(block)
            continue
        _close(told, items)
        last = at == len(blocks) - 1
        told.append(f"{block}." if is_heading(block) and not last else block)
    _close(told, items)
    return "\n\n".join(told)


def _close(told: list[str], items: list[str]) -> None:
    """Join the open list's items onto their introduction, ended with a full stop."""
    if items:
        told[-1] = f"{told[-1]} {'; '.join(' '.join(i.split()) for i in items)}."
        items.clear()
