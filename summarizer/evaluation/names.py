"""When a predicted person is a gold person: same normalised name or alias, or the
same surname head ("President Obama" and "Barack Obama"; "al-Shaibani" and "Shaibani")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_DETERMINERS = frozenset({"a", "an", "his", "her", "its", "their", "our", "my", "your", "this"})
_PARTICLES = frozenset(
    {"al", "el", "ul", "bin", "ibn", "de", "da", "van", "von", "der", "la", "le"}
)


def normal(name: str) -> str:
    """Case, accents, punctuation and a leading "the" do not matter."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^\w]+", " ", plain).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def head(form: str) -> str:
    """The last word of a normal form that is not a particle ("al", "van")."""
    words = [w for w in form.split() if w not in _PARTICLES]
    return words[-1] if words else form


@dataclass(frozen=True)
class Entity:
    """A person (or actor) as a set of names, for matching."""

    forms: frozenset[str]
    heads: frozenset[str]

    def matches(self, other: Entity) -> bool:
        return bool(self.forms & other.forms) or bool(self.heads & other.heads)


def entity(names: Iterable[str]) -> Entity:
    """Every name and alias is a form; only proper names give a head, so that "the
    minister" or "his counterpart" never joins two people."""
    names = [n for n in names if normal(n)]
    forms = frozenset(normal(n) for n in names)
    heads = frozenset(head(normal(n)) for n in names if _proper(n) and len(head(normal(n))) >= 3)
    return Entity(forms, heads)


def _proper(name: str) -> bool:
    """'Barack Obama', 'al-Shaibani', 'President Al-Sharaa'; not 'his Syrian counterpart'."""
    words = name.split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    if not words or words[0].casefold() in _DETERMINERS:
        return False
    return any(c.isupper() for c in " ".join(words))
