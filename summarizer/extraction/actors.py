"""Every actor code can find in an article: people (`candidates.py`), organisations,
groups and unnamed office-holders (`bodies.py`), and states (`states.py`), as one list
of candidates whose mentions do not overlap, with who represents whom.

A state is an actor where the article makes it one: by name ("Russia rejected",
"Russia's invitation", "talks between Egypt and Qatar") or by its adjective before a
word of proposing ("the Russian proposal"). Its adjective in a title ("Syrian President
Ahmad al-Sharaa") or before any other noun ("the Syrian people") describes someone else,
and gives that someone a country instead.
"""

from __future__ import annotations

import re

from summarizer.article import Article
from summarizer.extraction.bodies import find_bodies
from summarizer.extraction.candidates import ActorCandidate, find_people
from summarizer.extraction.lexicon import TITLES
from summarizer.extraction.states import StateMention, find_states

__all__ = ["find_actors", "plural_office"]

# A state's adjective is the state acting only before these nouns.
_ACTING = re.compile(
    r"^\s+(?:(?:and|or)\s+[A-Z][\w.]*\s+)?(?:[a-z]+\s+){0,2}"
    r"(?:proposals?|invitations?|offers?|requests?|demands?|plans?|initiatives?|"
    r"pledges?|calls?|side|leadership|authorities)\b",
    re.IGNORECASE,
)
_PLACE_WORDS = frozenset(
    {"in", "at", "to", "from", "for", "near", "outside", "into", "via", "across", "toward"}
    | {"towards", "of", "inside", "around"}
)
_FORMER = re.compile(r"\b(?:former|ex-|then)", re.IGNORECASE)
_OWNER = re.compile("^['\u2019]s?\\b")
_PLURAL_OFFICE = re.compile(r"\b(?:our|both|the two)\b", re.IGNORECASE)


def find_actors(article: Article) -> list[ActorCandidate]:
    """People first (their ids come first), then bodies and states in order of their
    first mention; every mention a span of the article, no two overlapping."""
    people = find_people(article)
    bodies = find_bodies(article, people)
    taken = [span for actor in [*people, *bodies] for span in actor.mentions]
    states: dict[str, ActorCandidate] = {}
    named: set[str] = set()  # codes whose candidate is named by a name, not an adjective
    for mention in find_states(article.text):
        if any(a < mention.end and mention.start < b for a, b in taken):
            continue  # inside a body's name: "Syrian government"
        if not _acting(article.text, mention, people):
            continue
        text = article.text[mention.start : mention.end]
        state = states.get(mention.code)
        if state is None:
            state = states[mention.code] = ActorCandidate(
                name=text, kind="state", country=mention.code
            )
        elif mention.form == "name" and mention.code not in named:
            # the adjective or the capital came first; the name is the name
            state.aliases.append(state.name)
            state.name = text
        if mention.form == "name":
            named.add(mention.code)
        if text != state.name and text not in state.aliases:
            state.aliases.append(text)
        state.mentions.append((mention.start, mention.end))
    # "The former French foreign minister" is someone the article names, not an unnamed
    # office-holder: "former" describes a person already met. (Filtered here, after its
    # span has kept a state's name inside it from being a mention: "France's former
    # ministers".)
    bodies = [b for b in bodies if not (b.kind == "office" and _FORMER.search(b.name))]
    others = sorted([*bodies, *states.values()], key=lambda a: a.mentions[0])
    actors = _outermost([*people, *others])
    for actor in actors:
        if actor.kind != "state" and actor.country and actor.country in states:
            actor.represents = states[actor.country].name
        elif actor.represents is not None:
            # "UN officials" speak for the actor named "United Nations", alias "UN"
            body = next(
                (a for a in actors if a is not actor and actor.represents in (a.name, *a.aliases)),
                None,
            )
            actor.represents = body.name if body is not None else None
    return actors


def _outermost(actors: list[ActorCandidate]) -> list[ActorCandidate]:
    """A mention inside another actor's mention is part of that one: "UN" in "UN
    officials" is the officials' description, not the UN taking part. An actor left with
    no mention of its own is no actor of the article."""
    spans = [(a, b) for actor in actors for a, b in actor.mentions]
    out = []
    for actor in actors:
        actor.mentions = [
            (a, b)
            for a, b in actor.mentions
            if not any(x <= a and b <= y and (x, y) != (a, b) for x, y in spans)
        ]
        if actor.mentions:
            out.append(actor)
    return out


def _acting(text: str, mention: StateMention, people: list[ActorCandidate]) -> bool:
    """A mention of a state that makes it an actor (see the module's docstring)."""
    if mention.modifier:
        return False  # "Russia-Arab League summit", "U.S.-led"
    if mention.form == "capital":  # "Moscow rejected"; "in Moscow" is a place
        before = text[max(0, mention.start - 12) : mention.start].split()[-1:]
        return not (before and before[0].lower() in _PLACE_WORDS)
    if mention.form == "name":
        return not _before_person(text, mention.end, people)  # "U.S. President Trump"
    return bool(_ACTING.match(text[mention.end : mention.end + 40]))


def _before_person(text: str, end: int, people: list[ActorCandidate]) -> bool:
    """Only titles stand between `end` and a person's name."""
    starts = [a for p in people for a, _ in p.mentions if a >= end]
    if not starts:
        return False
    gap = _OWNER.sub("", text[end : min(starts)]).split()  # "Russia's President"
    return len(gap) <= 4 and all(w.lower().rstrip(".,") in TITLES for w in gap)


def plural_office(actor: ActorCandidate) -> bool:
    """An office that names several holders at once: "our presidents", "the two
    ministers"; a meeting between them is a meeting of each holder."""
    return (
        actor.kind == "office"
        and bool(actor.title)
        and str(actor.title).endswith("s")
        and bool(_PLURAL_OFFICE.search(actor.name))
    )
