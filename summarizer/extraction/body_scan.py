# ruff: noqa: RUF001
"""What finding bodies in one article works on: its words as tokens (possessive or not,
starting a sentence or not), the people already found, whose mentions no body may overlap,
and the bodies found so far by name and alias. `bodies.py` (named organisations, acronyms)
and `descriptions.py` (groups, offices) both read and add to it, so it lives apart from
both, with the lookups both need: where a state's name ends, whether a span is a person's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summarizer.article import Article
from summarizer.extraction.body_words import CONNECTORS, LEADING, TOKEN
from summarizer.extraction.candidates import ActorCandidate, ActorKind
from summarizer.extraction.states import state_code

__all__ = ["Body", "BodyScan", "Token"]


@dataclass
class Token:
    """A word of the article, without its possessive 's, and where it stands."""

    start: int
    end: int  # without a possessive 's
    word: str
    possessive: bool
    initial: bool  # starts a sentence (or a quotation that starts one)

    @property
    def capital(self) -> bool:
        bare = self.word[3:] if self.word[:3].lower() in ("al-", "el-") else self.word
        return bare[:1].isupper()


@dataclass
class Body:
    """A body being found: its spans as a full name and as an alias, and what it is."""

    kind: ActorKind
    sector: str | None
    country: str | None = None
    represents: str | None = None
    title: str | None = None
    head: str | None = None  # the word a bare "the ministry" would repeat
    names: list[tuple[int, int]] = field(default_factory=list)  # spans of the full name
    others: list[tuple[int, int]] = field(default_factory=list)  # aliases, acronyms
    plural: bool = False
    described: bool = False  # a description, not a name: may contain a name's span


class BodyScan:
    """One article's tokens and the bodies found so far, by their casefolded name."""

    def __init__(self, article: Article, people: list[ActorCandidate]):
        self.text = text = article.text
        starts = {s.start for s in article.sentences}
        self.tokens: list[Token] = []
        for m in TOKEN.finditer(text):
            word, end = m.group(), m.end()
            possessive = bool(re.search(r"['’]s?$", word))
            if possessive:
                word = re.sub(r"['’]s?$", "", word)
                end = m.start() + len(word)
            lead = text[max(0, m.start() - 1) : m.start()]
            initial = m.start() in starts or (lead in "\"“‘'(" and m.start() - 1 in starts)
            self.tokens.append(Token(m.start(), end, word, possessive, initial))
        self.person_spans = sorted(span for p in people for span in p.mentions)
        self.people = people
        self.bodies: dict[str, Body] = {}  # by the casefolded canonical name
        self.alias_of: dict[str, str] = {}  # a form as written -> its body's key

    def joined(self, i: int, j: int) -> bool:
        """Tokens i and j (= i + 1) are one space apart within one sentence."""
        a, b = self.tokens[i], self.tokens[j]
        return self.text[a.end : b.start] == " " and not a.possessive and not b.initial

    def in_person(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.person_spans)

    def body(self, key: str, kind: ActorKind, sector: str | None, country: str | None) -> Body:
        found = self.bodies.setdefault(key, Body(kind, sector, country))
        found.sector = found.sector or sector
        found.country = found.country or country
        return found

    def state_at(self, i: int) -> tuple[int, str] | None:
        """The state whose name or adjective ends with token i, with the index of its
        first token: "Russian", "South Korean", "United States"; not the end of a longer
        name ("Voice of America")."""
        toks = self.tokens
        for first in (i - 2, i - 1, i):
            if first < 0 or not all(self.joined(k, k + 1) for k in range(first, i)):
                continue
            code = state_code(self.text[toks[first].start : toks[i].end])
            if code is None:
                continue
            before = toks[first - 1] if first > 0 and self.joined(first - 1, first) else None
            if before and before.capital and before.word.lower() not in LEADING:
                return None  # "Voice of America", "Kurdish Regional"
            if before and before.word in CONNECTORS and first > 1:
                owner = toks[first - 2]
                if owner.capital and not owner.initial and self.joined(first - 2, first - 1):
                    return None
            return first, code
        return None

    def owner_country(self, i: int) -> str | None:
        """The state before token i if it is a possessive one: "Egypt's foreign ministry"."""
        if i == 0 or not self.tokens[i - 1].possessive:
            return None
        gap = self.text[self.tokens[i - 1].end : self.tokens[i].start]
        found = self.state_at(i - 1) if gap in ("'s ", "’s ", "' ", "’ ") else None
        return found[1] if found else None
