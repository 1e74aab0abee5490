"""The data `states.py` reads states with, from `words/states.toml`: for each ISO 3166
code the names and adjectives news uses, the phrases that contain a state's name without
naming it, the given names that are also states' names, and the capitals that stand for
their governments.
"""

from __future__ import annotations

from summarizer.extraction.lexicon import TITLES
from summarizer.extraction.wordfiles import load, words

__all__ = [
    "CAPITALS",
    "CITIES",
    "GIVEN_NAMES",
    "HYPHENS",
    "MODIFIED_NOUNS",
    "NOT_STATES",
    "NOT_SURNAMES",
    "NOT_UN_MEMBERS",
    "OFFICES",
    "SHARED",
    "STATES",
]

_DATA = load("states")
# code -> {"names": names news uses where pycountry's differ, the short name first;
# "adjectives": ...}; pycountry adds its own name (unless it has a comma or a bracket),
# common and official name.
STATES: dict[str, dict[str, list[str]]] = _DATA["states"]
NOT_UN_MEMBERS = words("states", "not_un_members")
SHARED: dict[str, str] = _DATA["shared"]
NOT_STATES = tuple(_DATA["not_states"])
GIVEN_NAMES = words("states", "given_names")
MODIFIED_NOUNS = words("states", "modified_nouns")
CAPITALS: dict[str, str] = _DATA["capitals"]
CITIES: dict[str, str] = _DATA["cities"]
OFFICES: dict[str, str] = _DATA["offices"]

NOT_SURNAMES = TITLES | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
}  # fmt: skip
HYPHENS = "-\u2010\u2011\u2013"
