"""Abbreviations an abstract defines for itself: "left ventricular assist devices (LVAD)",
"acute fibrinous and organizing pneumonia (AFOP)". Authors define a term once and use the short
form from then on — in the conclusion above all —, so a sentence that says "LVAD support is
encouraging" names the question's "left ventricular assist devices" as surely as one that spells
it out.

The match follows Schwartz & Hearst (PSB 2003), simplified: the short form is 2–10 characters,
starts with a letter and holds an upper-case letter; its characters are found right to left in
the words before the parenthesis, its first character at the start of a word, and the long form
is at most min(|A| + 5, 2·|A|) words.
"""

from __future__ import annotations

import re

_DEFINITION = re.compile(r"((?:[^\s()]+\s+){1,15}?)\(\s*([A-Za-z][\w-]{1,9})\s*\)")


def defined(text: str) -> dict[str, str]:
    """short form (lower-cased, a trailing plural "s" dropped) → long form, for every definition
    in ``text``."""
    out: dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        short = match.group(2)
        if not any(c.isupper() for c in short):
            continue
        plural = len(short) > 2 and short.endswith("s") and short[-2].isupper()
        core = short[:-1] if plural else short  # "LVADs"
        limit = min(len(core) + 5, 2 * len(core))
        long_form = _long_form(core, match.group(1).split()[-limit:])
        if long_form:
            out.setdefault(core.lower(), long_form)
    return out


def _long_form(short: str, words: list[str]) -> str | None:
    """The shortest tail of ``words`` whose characters spell ``short`` (see the module doc)."""
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2:
        return None
    for start in range(len(words) - 1, -1, -1):
        candidate = " ".join(words[start:]).strip(" ,;:")
        if candidate and _spells(letters, candidate):
            return candidate
    return None


def _spells(letters: list[str], candidate: str) -> bool:
    """Schwartz & Hearst's test: every letter of the short form, right to left, found in the
    long form, the first one at the start of a word of it."""
    text = candidate.lower()
    i = len(text) - 1
    for k in range(len(letters) - 1, -1, -1):
        char = letters[k]
        while i >= 0 and (text[i] != char or (k == 0 and i > 0 and text[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return False
        i -= 1
    return text[0] == letters[0]  # the long form starts with the short form's first letter
