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
    """Union-find over actor mentions."""

    def __init__(self) -> None:
        self.parent: dict[tuple[int, str], tuple[int, str]] = {}

    def add(self, item: tuple[int, str]) -> None:
        self.parent.setdefault(item, item)

    def find(self, item: tuple[int, str]) -> tuple[int, str]:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: tuple[int, str], b: tuple[int, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _words(name: str) -> list[str]:
    return [w for w in normal(name).split() if w not in _PARTICLES] or normal(name).split()


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
            sets.union(by_key[key], item)
        else:
            by_key[key] = item

    for doc, summary in enumerate(summaries):
        for actor in summary.actors:
            item = (doc, actor.id)
            sets.add(item)
            actors[item] = actor
            kind = actor.kind
            if kind == "person":
                words = _words(actor.name)
                if len(words) >= 2:
                    join(("person", " ".join(words)), item)
                    people_by_surname[words[-1]].setdefault(" ".join(words), item)
                else:
                    lone_surnames.append((item, words[0] if words else normal(actor.name)))
            elif kind == "state":
                join(("state", actor.country or normal(actor.name)), item)
            elif kind == "office":
                join(("office", normal(actor.title or actor.name), actor.country or ""), item)
            else:
                for name in (actor.name, *actor.aliases):
                    join(("body", normal(name)), item)

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
        country = actors[item].country
        roots = {r for r in roots if country is None or actors[r].country in (None, country)}
        if len(roots) == 1:
            sets.union(item, roots.pop())
        else:
            join(("person", surname, country or ""), item)

    groups: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for item in actors:
        groups[sets.find(item)].append(item)
    nodes: list[Node] = []
    node_of: dict[tuple[int, str], str] = {}
    for number, root in enumerate(sorted(groups), start=1):
        members = sorted(groups[root])
        node = _node(f"n{number}", [actors[m] for m in members])
        node.mentions = members
        nodes.append(node)
        for member in members:
            node_of[member] = node.id
    return nodes, node_of


def _same_person(a: Actor, b: Actor) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    given_a, given_b = _words(a.name)[:-1], _words(b.name)[:-1]
    if not given_a or not given_b:
        return False
    return given_a[0][:3] == given_b[0][:3] and len(given_a[0]) >= 3 and len(given_b[0]) >= 3


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
