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

_SHORT_FORM = re.compile(r"\(\s*([A-Za-z][\w-]{1,9})\s*\)")
_MAX_WORDS = 15  # words before the parenthesis a long form is looked for in


def defined(text: str) -> dict[str, str]:
    """short form (lower-cased, a trailing plural "s" dropped) → long form, for every definition
    in ``text``."""
    out: dict[str, str] = {}
    for match in _SHORT_FORM.finditer(text):
        short = match.group(1)
        if not any(c.isupper() for c in short):
            continue
        plural = len(short) > 2 and short.endswith("s") and short[-2].isupper()
        core = short[:-1] if plural else short  # "LVADs"
        limit = min(len(core) + 5, 2 * len(core))
        long_form = _long_form(core, _words_before(text, match.start())[-limit:])
        if long_form:
            out.setdefault(core.lower(), long_form)
    return out


def _words_before(text: str, end: int) -> list[str]:
    """The at most :data:`_MAX_WORDS` whitespace-separated words right before ``end`` (which
    must follow whitespace), back to a parenthesis: the text a long form can stand in. Walked
    backwards from the parenthesis, so a definition costs its own words, not the passage's."""
    words: list[str] = []
    i = end
    while len(words) < _MAX_WORDS and i > 0 and text[i - 1].isspace():
        while i > 0 and text[i - 1].isspace():
            i -= 1
        start = i
        while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "()":
            start -= 1
        if start == i:
            break  # a parenthesis right before the space: no word
        words.append(text[start:i])
        if start > 0 and text[start - 1] in "()":
            break  # "…)word": the word's tail after the parenthesis is the last one
        i = start
    return words[::-1]


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
