"""When a predicted person is a gold person: the same normalised name or alias, or the
same surname with compatible first names and titles ("President Obama" and "Barack
Obama"; "al-Shaibani" and "Asaad al-Shaibani"), but not "North Korea" and "South Korea",
and never through a title or a common noun ("the Foreign Minister", "Iraqi government");
a description matches only itself, and only as an actor's main name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Entity", "entity", "normal"]


_DETERMINERS = frozenset({"a", "an", "his", "her", "its", "their", "our", "my", "your", "this"})
_PARTICLES = frozenset(
    {"al", "el", "ul", "bin", "ibn", "de", "da", "van", "von", "der", "la", "le"}
)
# Words that describe an office or a kind of actor: they neither make a surname nor
# stop two mentions of one person from matching ("President Obama", "Barack Obama").
_TITLES = frozenset(
    [
        "president",
        "vice",
        "prime",
        "foreign",
        "defence",
        "defense",
        "interior",
        "finance",
        "trade",
        "minister",
        "ministers",
        "secretary",
        "general",
        "state",
        "deputy",
        "chief",
        "leader",
        "leaders",
        "head",
        "king",
        "queen",
        "prince",
        "princess",
        "sheikh",
        "emir",
        "sultan",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "senator",
        "governor",
        "mayor",
        "ambassador",
        "envoy",
        "chancellor",
        "premier",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "gen",
        "col",
        "adm",
        "lt",
        "capt",
        "sgt",
        "pope",
        "cardinal",
        "commander",
        "official",
        "officials",
        "counterpart",
        "delegation",
        "negotiators",
        "diplomats",
        "government",
        "ministry",
        "forces",
        "troops",
        "army",
        "police",
        "rebels",
        "militants",
        "authorities",
        "parliament",
        "people",
        "party",
        "opposition",
        "senior",
        "top",
        "new",
        "former",
        "acting",
    ]
)
# Spellings of one actor that share no words (PLOVER uses all of them).
_SAME = {
    "us": "united states",
    "usa": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "un": "united nations",
    "eu": "european union",
}


def normal(name: str) -> str:
    """Case, accents, punctuation and a leading "the" do not matter; "U.S." is "us"."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^\w]+", " ", plain.replace(".", "")).split()
    if words and words[0] == "the":
        words = words[1:]
    form = " ".join(words)
    return _SAME.get(form, form)


@dataclass(frozen=True)
class _Name:
    form: str
    head: str | None  # the surname, for proper names of people
    given: frozenset[str]  # the other words that are not titles or particles


@dataclass(frozen=True)
class Entity:
    """A person (or actor) as the names it goes by, for matching."""

    names: tuple[_Name, ...]

    def matches(self, other: Entity) -> bool:
        return any(_same(a, b) for a in self.names for b in other.names)


def _same(a: _Name, b: _Name) -> bool:
    if a.form == b.form:
        return True
    if a.head is None or a.head != b.head:
        return False
    return a.given <= b.given or b.given <= a.given


def entity(names: Iterable[str]) -> Entity:
    """The first name is the main one. Descriptions ("his Syrian counterpart", "the Foreign
    Minister") among the other names are left out: they fit many people. A main name that
    is a description is kept but matches only the same description, since an actor the
    article never names is named so ("residents", "one passenger", "the Syrian
    president"). Other names in lower case ("hostage-takers") match only as written."""
    out = []
    for position, name in enumerate(names):
        form = normal(name)
        words = [w for w in form.split() if w not in _PARTICLES]
        if not words:
            continue
        if _described(name) or all(w in _TITLES for w in words):
            if position == 0:
                out.append(_Name(form, None, frozenset()))
            continue
        last = words[-1]
        proper = _proper(name) and len(last) >= 3 and last not in _TITLES
        given = frozenset(w for w in words[:-1] if w not in _TITLES)
        out.append(_Name(form, last if proper else None, given))
    return Entity(tuple(out))


def _described(name: str) -> bool:
    words = name.split()
    return bool(words) and words[0].casefold() in _DETERMINERS


def _proper(name: str) -> bool:
    """'Barack Obama', 'al-Shaibani', 'U.S.': some capital letter after a leading 'the'."""
    words = name.split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    return any(c.isupper() for c in " ".join(words))
