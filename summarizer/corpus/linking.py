"""Which actors of different articles are the same, so the corpus has one node each.

The rule, per kind:
- people: the same full name, compared without case, accents or punctuation ("Sergey
  Lavrov" in one article, "sergey lavrov" in another), is one person; so are two full
  names with the same surname whose given names agree on their first three letters and
  whose countries do not differ ("Sergei Lavrov" / "Sergey Lavrov"). A surname alone
  (an article that only says "Lavrov") joins the one person of the corpus with that
  surname, and stays apart when several people share it ("Biden" with "Joe Biden" and
  "Hunter Biden" is neither). Titles never decide: "Foreign Minister Sergey Lavrov" is
  `name` "Sergey Lavrov" with a title.
- states: the same country code, else the same name.
- organisations and groups: the same name or alias ("United Nations", "UN").
- unnamed office-holders: the same description and country.
Within one article, the summary has already merged an actor's mentions (name and
aliases), so linking works on whole actors.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from summarizer.evaluation.names import normal
from summarizer.schema import Actor, Summary

__all__ = ["Node", "link_actors"]

_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "da", "van", "von", "der", "la", "le"})


@dataclass
class Node:
    """One actor of the corpus: its name as most often written, every other name it
    goes by, and the (document, actor id) pairs it stands for."""

    id: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    title: str | None = None
    mentions: list[tuple[int, str]] = field(default_factory=list)


class _Sets:
    """Union-find over actor mentions that never joins two groups holding actors of
    one article (the article kept them apart) or of different countries."""

    def __init__(self) -> None:
        self.parent: dict[tuple[int, str], tuple[int, str]] = {}
        self.docs: dict[tuple[int, str], set[int]] = {}
        self.countries: dict[tuple[int, str], set[str]] = {}

    def add(self, item: tuple[int, str], country: str | None) -> None:
        self.parent.setdefault(item, item)
        self.docs.setdefault(item, {item[0]})
        self.countries.setdefault(item, {country} if country else set())

    def find(self, item: tuple[int, str]) -> tuple[int, str]:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def can_join(self, a: tuple[int, str], b: tuple[int, str]) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ca, cb = self.countries[ra], self.countries[rb]
        return not (self.docs[ra] & self.docs[rb]) and not (ca and cb and not ca & cb)

    def union(self, a: tuple[int, str], b: tuple[int, str]) -> bool:
        """Join the groups of `a` and `b`, unless they must stay apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self.can_join(ra, rb):
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.docs[keep] |= self.docs.pop(gone)
        self.countries[keep] |= self.countries.pop(gone)
        return True


# Not surnames: "Robert F. Kennedy Jr." is a Kennedy.
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# After these the next word names a father, not the family: "Mohammed bin Salman".
_PATRONYMIC = frozenset({"bin", "ibn", "ben"})


def _words(name: str) -> list[str]:
    words = [w for w in normal(name).split() if w not in _SUFFIXES] or normal(name).split()
    return [w for w in words if w not in _PARTICLES] or words


def _surname(name: str) -> str | None:
    """The family name a lone mention could stand for; None when the last word follows
    "bin" ("Salman" alone is not "Mohammed bin Salman")."""
    words = [w for w in normal(name).split() if w not in _SUFFIXES]
    if len(words) >= 2 and words[-2] in _PATRONYMIC:
        return None
    kept = _words(name)
    return kept[-1] if kept else None


def _generic(alias: str) -> bool:
    """An alias any body could have: "the Council", "the group", "ministry"."""
    return alias.split()[0].casefold() == "the" or alias == alias.lower()


def link_actors(
    summaries: Sequence[Summary],
) -> tuple[list[Node], dict[tuple[int, str], str]]:
    """The corpus's nodes, and the node id of each (document index, actor id)."""
    sets = _Sets()
    actors: dict[tuple[int, str], Actor] = {}
    by_key: dict[tuple[str, ...], tuple[int, str]] = {}
    # surname -> full name -> one actor of that name (the names, not every mention:
    # comparing names keeps linking linear in the mentions)
    people_by_surname: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    lone_surnames: list[tuple[tuple[int, str], str]] = []

    def join(key: tuple[str, ...], item: tuple[int, str]) -> None:
        if key in by_key:
            if not sets.union(by_key[key], item):
                # Kept apart (same article, other country): a key of its own.
                join((*key, f"{item[0]}:{item[1]}"), item)
        else:
            by_key[key] = item

    for doc, summary in enumerate(summaries):
        for actor in summary.actors:
            item = (doc, actor.id)
            sets.add(item, actor.country)
            actors[item] = actor
            kind = actor.kind
            if kind == "person":
                words = _words(actor.name)
                if len(words) >= 2:
                    join(("person", " ".join(words)), item)
                    surname = _surname(actor.name)
                    if surname is not None:
                        people_by_surname[surname].setdefault(" ".join(words), item)
                else:
                    lone_surnames.append((item, words[0] if words else normal(actor.name)))
            elif kind == "state":
                join(("state", actor.country or normal(actor.name)), item)
            elif kind == "office":
                join(("office", normal(actor.title or actor.name), actor.country or ""), item)
            else:
                # Name to name or alias, never through a generic alias; per country.
                kept = [actor.name, *(a for a in actor.aliases if not _generic(a))]
                for name in kept:
                    join(("body", normal(name), actor.country or ""), item)

    # Full names with one surname whose given names agree (transliterations).
    for names in people_by_surname.values():
        members = list(names.values())
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if sets.find(a) != sets.find(b) and _same_person(actors[a], actors[b]):
                    sets.union(a, b)
    # A surname alone joins the only person of the corpus who has it.
    for item, surname in lone_surnames:
        roots = {sets.find(m) for m in people_by_surname.get(surname, {}).values()}
        roots = {r for r in roots if sets.can_join(item, r)}
        if not (len(roots) == 1 and sets.union(item, roots.pop())):
            join(("person", surname), item)

    groups: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for item in actors:
        groups[sets.find(item)].append(item)
    nodes: list[Node] = []
    node_of: dict[tuple[int, str], str] = {}
    order = {item: i for i, item in enumerate(actors)}  # documents, then actors as listed
    for number, root in enumerate(
        sorted(groups, key=lambda r: min(order[m] for m in groups[r])), start=1
    ):
        members = sorted(groups[root], key=order.__getitem__)
        node = _node(f"n{number}", [actors[m] for m in members])
        node.mentions = members
        nodes.append(node)
        for member in members:
            node_of[member] = node.id
    return nodes, node_of


def _same_person(a: Actor, b: Actor) -> bool:
    """Spellings of one name: the same surname, as many given names, each pair agreeing
    on its first three letters ("Sergei"/"Sergey"; not "Hamad bin Khalifa"/"Hamad bin
    Jassim", nor "George Bush"/"George W. Bush")."""
    if a.country and b.country and a.country != b.country:
        return False
    given_a, given_b = _words(a.name)[:-1], _words(b.name)[:-1]
    if not given_a or len(given_a) != len(given_b):
        return False
    return all(
        x[:3] == y[:3] and min(len(x), len(y)) >= 3 for x, y in zip(given_a, given_b, strict=True)
    )


def _node(node_id: str, members: list[Actor]) -> Node:
    """A full name over a surname alone, then the name written most often, then the
    longest; the other names as aliases; the commonest country and title."""
    names = Counter(m.name for m in members)
    name = max(names, key=lambda n: (len(_words(n)) > 1, names[n], len(n), n))
    aliases = sorted({a for m in members for a in (m.name, *m.aliases)} - {name})
    kinds = Counter(m.kind for m in members)
    countries = Counter(m.country for m in members if m.country)
    titles = Counter(m.title for m in members if m.title)
    return Node(
        id=node_id,
        kind=kinds.most_common(1)[0][0],
        name=name,
        aliases=aliases,
        country=countries.most_common(1)[0][0] if countries else None,
        title=titles.most_common(1)[0][0] if titles else None,
    )
