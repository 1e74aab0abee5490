"""States (countries) as English-language news names them, so that a state can be found as
an actor in an article: "Russia", "the U.S.", "Britain", and the adjectives "Russian",
"U.S.", "South Korean", "Saudi", "Emirati".

ISO 3166 codes and official names come from pycountry (LGPL-2.1), read at run time on the
first call: this module ships none of its data, and imports it lazily because the CLI's
start-up time matters. News does not write pycountry's names ("Korea, Republic of",
"Russian Federation"), so the table below adds the short names news uses and a demonym
for every UN member state, Palestine, Taiwan, Kosovo (user-assigned XKX) and the Holy See.

Matching is case-sensitive (a state's name is capitalised), longest first ("South Korea",
not "Korea"), on whole words: a plural such as "Russians" or "Israelis" names people, not
the state, and is not a mention. Phrases that contain a state's name but are something else
("Latin America", "Korean Peninsula", "Mexico City", "Northern Ireland") are consumed and
dropped. "Chad" and "Jordan" before a capitalised word that is not a title, a day or a month
are read as given names ("Chad Smith", "Jordan Bardella"). A mention joined by a hyphen
("U.S.-led", "Russian-backed", "pro-Russia") is an adjective with `modifier=True`, so
callers looking for actors can skip it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from summarizer.extraction.state_words import (
    CAPITALS as _CAPITALS,
)
from summarizer.extraction.state_words import (
    GIVEN_NAMES as _GIVEN_NAMES,
)
from summarizer.extraction.state_words import (
    HYPHENS as _HYPHENS,
)
from summarizer.extraction.state_words import (
    MODIFIED_NOUNS as _MODIFIED_NOUNS,
)
from summarizer.extraction.state_words import (
    NOT_STATES as _NOT_STATES,
)
from summarizer.extraction.state_words import (
    NOT_SURNAMES as _NOT_SURNAMES,
)
from summarizer.extraction.state_words import (
    SHARED as _SHARED,
)
from summarizer.extraction.state_words import (
    STATES as _STATES,
)

__all__ = [
    "StateMention",
    "find_states",
    "is_state_word",
    "state_code",
    "state_forms",
    "state_name",
    "state_names",
]


@dataclass(frozen=True)
class StateMention:
    """A state named in a text: `text[start:end]` is the form found, `code` its ISO 3166
    alpha-3 code; `modifier` marks a hyphenated compound ("U.S.-led"), which names the
    state without making it an actor."""

    start: int
    end: int
    code: str
    form: Literal["name", "adjective", "capital"]
    modifier: bool = False


@dataclass(frozen=True)
class _Gazetteer:
    names: dict[str, str]
    adjectives: dict[str, str]
    short_names: dict[str, str]
    pattern: re.Pattern[str]


def _variants(form: str) -> set[str]:
    """The spellings news uses: with and without diacritics, straight and curly apostrophe."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", form) if not unicodedata.combining(c))
    out = {form, plain}
    return out | {v.replace("'", "\u2019") for v in out}


def _add(table: dict[str, str], form: str, code: str) -> None:
    """Enter `form` for `code`; a word two states share must be settled in _SHARED."""
    for v in _variants(form):
        known = table.get(v)
        if known not in (None, code) and v not in _SHARED:
            raise ValueError(f"{v!r} names both {known} and {code}: add it to _SHARED")
        table[v] = _SHARED.get(v, code)


@functools.cache
def _gazetteer() -> _Gazetteer:
    """Build the lookups and the one regex on first use (pycountry is slow to import)."""
    import pycountry

    names: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    short_names: dict[str, str] = {}
    for code, own in _STATES.items():
        country = pycountry.countries.get(alpha_3=code)
        iso = [getattr(country, f, None) for f in ("common_name", "name", "official_name")]
        iso_names = [n.removeprefix("the ") for n in iso if n and not set(n) & set(",()")]
        news_names = own["names"]
        short_names[code] = (news_names or iso_names)[0]
        for name in news_names + iso_names:
            _add(names, name, code)
        for adjective in own["adjectives"]:
            _add(adjectives, adjective, code)
    forms = sorted({*names, *adjectives, *_CAPITALS, *_NOT_STATES}, key=len, reverse=True)
    # A phrase that is not a state may be plural: "Turkish Cypriots" is not "Turkish".
    alternation = "|".join(re.escape(f) + ("s?" if f in _NOT_STATES else "") for f in forms)
    # Whole words only: "Russians" and "Nigeria" do not mention "Russian" and "Niger";
    # "Egypt's" mentions "Egypt".
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    return _Gazetteer(names, adjectives, short_names, pattern)


def _joined(text: str, start: int, end: int) -> bool:
    """Whether the mention is one part of a hyphenated compound ("U.S.-led", "pro-Russia")."""
    after = end + 1 < len(text) and text[end] in _HYPHENS and text[end + 1].isalnum()
    before = start >= 2 and text[start - 1] in _HYPHENS and text[start - 2].isalnum()
    return after or before


_NEXT_WORD = re.compile(r"\s+([\w.']+)")


def _next_word(text: str, end: int) -> str:
    match = _NEXT_WORD.match(text, end)
    return match.group(1) if match else ""


def find_states(text: str) -> list[StateMention]:
    """Every state named in `text`, in text order, non-overlapping, longest form first."""
    gaz = _gazetteer()
    mentions: list[StateMention] = []
    for match in gaz.pattern.finditer(text):
        form, start, end = match.group(), match.start(), match.end()
        code = gaz.names.get(form) or gaz.adjectives.get(form)
        following = _next_word(text, end)
        if code is None and form in _CAPITALS:
            modifies = following[:1].isupper() or following.lower() in _MODIFIED_NOUNS
            if not modifies and not _joined(text, start, end):
                mentions.append(StateMention(start, end, _CAPITALS[form], "capital"))
            continue  # "Washington Post", "Moscow-based", "the Doha agreement": no government
        if code is None:  # one of _NOT_STATES
            continue
        if (
            form in _GIVEN_NAMES
            and following[:1].isupper()
            and following.lower().rstrip(".") not in _NOT_SURNAMES
        ):
            continue
        if _joined(text, start, end):
            mentions.append(StateMention(start, end, code, "adjective", modifier=True))
            continue
        is_adjective = (
            form in gaz.adjectives
            and (
                form not in gaz.names
                # "U.S. President", "U.S. officials": before a name or a noun it describes;
                # "the U.S. rejected", "the U.S. said": the state acting
                or following[:1].isupper()
                or following.lower() in _MODIFIED_NOUNS
            )
        )
        mentions.append(StateMention(start, end, code, "adjective" if is_adjective else "name"))
    return mentions


def state_code(word: str) -> str | None:
    """The alpha-3 code of a state's name or adjective as written ("Russian" -> "RUS",
    "U.S." -> "USA"); None for anything else, lower-case and plural forms included."""
    gaz = _gazetteer()
    return gaz.names.get(word) or gaz.adjectives.get(word)


def state_name(code: str) -> str:
    """The short name news uses for a state ("GBR" -> "Britain"); KeyError if not a state."""
    return _gazetteer().short_names[code]


@functools.cache
def state_names() -> frozenset[str]:
    """Every name form of a state (not its adjectives): "Russia", "U.S.", "South Korea"."""
    gaz = _gazetteer()
    return frozenset(n for n in gaz.names if n not in gaz.adjectives)


def state_forms(code: str) -> frozenset[str]:
    """Every name and adjective of one state as news writes them ("USA" -> "U.S.",
    "United States", "American", ...)."""
    return _forms_by_code().get(code, frozenset())


@functools.cache
def _forms_by_code() -> dict[str, frozenset[str]]:
    gaz = _gazetteer()
    out: dict[str, set[str]] = {}
    for table in (gaz.names, gaz.adjectives):
        for form, code in table.items():
            out.setdefault(code, set()).add(form)
    return {code: frozenset(forms) for code, forms in out.items()}


def is_state_word(word: str) -> bool:
    """Whether `word` is a state's name or adjective, so a caller can strip it from a name
    ("Russian President Vladimir Putin")."""
    return state_code(word) is not None
