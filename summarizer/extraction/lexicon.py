"""The words people are named with in news: titles and roles, and the words that show a
capitalised run is not a person's name (nationalities are the states' adjectives,
`states.py`). Lower case throughout; the lists are data, `words/lexicon.toml`.
"""

from __future__ import annotations

from summarizer.extraction.wordfiles import words

__all__ = [
    "DEPARTMENT_WORDS",
    "FUNCTION_WORDS",
    "GOV_TITLES",
    "MIL_TITLES",
    "NAME_PARTICLES",
    "NOT_NAMES",
    "PERSON_NOUNS",
    "TITLES",
]

TITLES = words("lexicon", "titles")
GOV_TITLES = words("lexicon", "gov_titles")
MIL_TITLES = words("lexicon", "mil_titles")
FUNCTION_WORDS = words("lexicon", "function_words")
NAME_PARTICLES = words("lexicon", "name_particles")
NOT_NAMES = words("lexicon", "not_names")
PERSON_NOUNS = words("lexicon", "person_nouns")
DEPARTMENT_WORDS = words("lexicon", "department_words")
