"""Country names for the snapshot's ``country`` field, from ISO 3166 (``pycountry``).

The pattern is built once, on first use: the ISO short names, their common names ("Iran",
"South Korea", "Taiwan") and the usual English forms abstracts write that ISO does not list.
Only a country named as the study's place counts ("in Kenya", "from rural Bangladesh"), so a
manufacturer's address ("Intersurgical Ltd., Wokingham, England") is not mistaken for it.
"""

from __future__ import annotations

import re
from functools import lru_cache

_EXTRA_NAMES = (
    "USA",
    "U.S.A.",
    "U.S.",
    "United States of America",
    "UK",
    "U.K.",
    "England",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "Korea",
    "Republic of Korea",
    "Vietnam",
    "Russia",
    "Tanzania",
    "Bolivia",
    "Venezuela",
    "Syria",
    "Laos",
    "Moldova",
    "the Netherlands",
    "The Gambia",
    "the Gambia",
    "Ivory Coast",
    "Czech Republic",
    "Turkey",
    "Hong Kong",
    "Taiwan",
)
_PLACE_WORDS = (
    r"(?:rural|urban|northern|southern|eastern|western|central|north|south|east|west|north-?eastern|"
    r"north-?western|south-?eastern|south-?western|[A-Z][a-z]+,)"
)


def _names() -> list[str]:
    import pycountry  # ISO 3166 tables; only needed once a snapshot looks for a country

    names: set[str] = set(_EXTRA_NAMES)
    for country in pycountry.countries:
        for attribute in ("name", "common_name"):
            value = getattr(country, attribute, None)
            if value and "," not in value:  # "Korea, Republic of" is never written so in prose
                names.add(value)
    return sorted(names, key=lambda n: (-len(n), n))  # longest first: "Guinea-Bissau" ≠ "Guinea"


@lru_cache(maxsize=1)
def country_pattern() -> re.Pattern[str]:
    """``in``/``from``/``across`` + optional place words + a country; group ``country``."""
    alternatives = "|".join(re.escape(name) for name in _names())
    return re.compile(
        r"\b(?:in|from|across|throughout)\s+(?:" + _PLACE_WORDS + r"\s+){0,2}"
        r"(?P<country>(?:" + alternatives + r"))(?![\w-])"
    )
