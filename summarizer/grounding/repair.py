"""The grounding pass: the model's answer made true to the article, keeping all it can.

Every answer goes through here, whether it passed on the first try or after the last
re-ask, and the same rules apply:

- An actor's name the article does not contain is **resolved** to the article's words
  for the same actor (`names.py`); a group, an office or an organisation worded
  otherwise is **kept as described**, with the sentences it appears in, when the
  article has a word of its description; only a name with no support is left out.
- An item that points at an actor left out is **re-pointed** to the state or
  organisation that actor represents, or loses that role where the role is optional;
  it goes whole only when nothing it needs is left.
- A value the article does not support is left out of its item, which stays: an alias
  it never uses, a sentence number out of range, quoted words not inside its quotation
  marks (the statement stays, as reported speech).

What is left out is `lost`; a re-ask is worth its cost only for that (`needs_reask`).
Every change is a `Diagnostic`, never silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from summarizer.article import Article
from summarizer.errors import ValidationFailedError
from summarizer.grounding.checks import (
    GROUNDING,
    ITEM_CHECKS,
    Problem,
    actor_problems,
    clip,
    represents_problems,
)
from summarizer.grounding.names import head_occurs, resolve_name
from summarizer.schema import Diagnostic, DiagnosticAction, Span

__all__ = ["Grounded", "ground"]

_LISTS = ("actors", "meetings", "statements", "proposals")
# The fields of each kind of item that name actors.
_ROLES = {
    "meetings": ("participants", "visitor", "host"),
    "statements": ("speaker", "addressee"),
    "proposals": ("proposer", "recipients"),
}


@dataclass
class Grounded:
    """The answer after grounding, what was done to it, and what a re-ask could recover."""

    data: dict[str, Any]
    notes: list[Diagnostic] = field(default_factory=list)
    lost: list[Problem] = field(default_factory=list)
    """Problems that left out an actor or an item: what a re-ask may recover."""
    problems: list[Problem] = field(default_factory=list)
    """Every problem found, in the order of a re-ask."""

    @property
    def needs_reask(self) -> bool:
        return any(p.reask is not None for p in self.lost)

    def note(
        self,
        item: str,
        problem: str,
        action: DiagnosticAction = "dropped item",
        evidence: list[Span] | None = None,
    ) -> None:
        self.notes.append(
            Diagnostic(item=item, problem=problem, action=action, evidence=evidence or [])
        )

    def reask_lines(self) -> list[str]:
        """Every problem of the answer, for one re-ask: what was lost first."""
        lines = [p.reask for p in self.lost if p.reask is not None]
        rest = [p.reask for p in self.problems if p.reask is not None and p not in self.lost]
        return list(dict.fromkeys([*lines, *rest]))


def ground(data: dict[str, Any], article: Article) -> Grounded:
    """The grounded part of `data` (raw JSON of an answer, or a dumped draft)."""
    missing = [k for k in _LISTS if not isinstance(data.get(k), list)]
    if missing:
        raise ValidationFailedError(
            f"the model's answer is not a summary: no list of {', '.join(missing)}"
        )
    out = Grounded(data={})

    # Actors: resolved, kept as described, or left out.
    actors: list[tuple[int, dict[str, Any]]] = []
    described: dict[str, str] = {}  # id -> where, for actors kept as described
    left_out: dict[str, dict[str, Any]] = {}
    known: set[str] = set()
    for i, actor in _items(data, "actors", out):
        path = f"actors[{i}]"
        actor = {**actor, "aliases": actor.get("aliases") or []}
        name = actor.get("name")
        kept_as_described = False
        if isinstance(name, str) and name.strip() and not article.mentions(name):
            resolved = resolve_name(actor, article)
            if resolved is not None:
                aliases = [a for a in actor["aliases"] if a != resolved.name]
                actor = {**actor, "name": resolved.name, "aliases": aliases}
                out.note(
                    path,
                    f"name {name!r} is not the article's wording; resolved to "
                    f"{resolved.name!r} ({resolved.how})",
                    "resolved",
                )
            elif actor.get("kind") in ("group", "office", "organisation") and head_occurs(
                name, article
            ):  # "Cameroon officials" where the article has "Cameroon and C.A.R. officials"
                kept_as_described = True
        problems = actor_problems(path, actor, known, article)
        if kept_as_described:
            problems = [p for p in problems if not (p.item == path and p.stage == GROUNDING)]
            if isinstance(actor.get("id"), str):
                described[actor["id"]] = path
        kept = _keep(actor, problems, out)
        if kept is None:
            if isinstance(actor.get("id"), str):
                left_out[actor["id"]] = actor
            continue
        known.add(kept["id"])
        actors.append((i, kept))
    repoint = {
        pid: rep
        for pid, actor in left_out.items()
        if isinstance(rep := actor.get("represents"), str) and rep in known
    }
    out.data["actors"] = [
        _keep(actor, represents_problems(f"actors[{i}]", actor, known), out) or actor
        for i, actor in actors
    ]

    # Items: re-pointed where their actor was left out, then checked.
    for kind, check in ITEM_CHECKS:
        kept_items: list[dict[str, Any]] = []
        for i, item in _items(data, kind, out):
            path = f"{kind}[{i}]"
            item = _repointed(item, kind, repoint, left_out, path, out)
            kept_item = _keep(item, check(path, item, known, article), out)
            if kept_item is not None:
                kept_items.append(kept_item)
        out.data[kind] = kept_items

    for pid, path in described.items():
        name = next(a["name"] for _, a in actors if a["id"] == pid)
        out.note(
            path,
            f"name {name!r} is not the article's wording and no phrase of it is; kept as "
            "the model described it",
            "kept as described",
            evidence=_sentences_of(pid, out.data, article),
        )

    abstract = data.get("abstract")
    if not isinstance(abstract, str) or not abstract.strip():
        out.note("abstract", "missing; the article's first sentence stands in", "dropped value")
        abstract = article.sentences[0].text if article.sentences else article.text.strip()
    out.data = {"abstract": abstract, **out.data}
    return out


def _keep(item: dict[str, Any], problems: list[Problem], out: Grounded) -> dict[str, Any] | None:
    """The item with its bad values dropped, or None when it goes as a whole (said for
    its first reason: values of a dropped item are not reported)."""
    out.problems += problems
    for p in problems:
        if p.note is not None and p.action == "dropped item":
            out.note(p.item, p.note)
            out.lost.append(p)
            return None
    for p in problems:
        if p.note is not None:
            out.note(p.item, p.note, p.action)
            item = {**item, **p.fix}
    return item


def _repointed(
    item: dict[str, Any],
    kind: str,
    repoint: dict[str, str],
    left_out: dict[str, dict[str, Any]],
    path: str,
    out: Grounded,
) -> dict[str, Any]:
    """The item with every reference to an actor left out moved to the actor it
    represents."""
    if not repoint:
        return item
    changed = dict(item)
    for role in _ROLES[kind]:
        value = item.get(role)
        if isinstance(value, str) and value in repoint:
            changed[role] = repoint[value]
        elif isinstance(value, list) and any(v in repoint for v in value if isinstance(v, str)):
            moved_to: list[Any] = []
            for v in value:  # raw JSON: a value may be anything, a dict too
                v = repoint.get(v, v) if isinstance(v, str) else v
                if not (isinstance(v, str) and v in moved_to):
                    moved_to.append(v)
            changed[role] = moved_to
        else:
            continue
        listed = value if isinstance(value, list) else [value]
        moved = [v for v in listed if isinstance(v, str) and v in repoint]
        for pid in moved:
            out.note(
                f"{path}.{role}",
                f"{left_out[pid].get('name')!r} was left out; re-pointed to the actor it "
                f"represents ({repoint[pid]})",
                "resolved",
            )
    return changed


def _sentences_of(pid: str, data: dict[str, Any], article: Article) -> list[Span]:
    numbers: set[int] = set()
    for kind, roles in _ROLES.items():
        for item in data.get(kind, []):
            refs = [item.get(r) for r in roles]
            if any(v == pid for r in refs for v in (r if isinstance(r, list) else [r])):
                numbers.update(n for n in item.get("evidence", []) if isinstance(n, int))
    last = len(article.sentences)
    return [
        Span(text=s.text, start=s.start, end=s.end)
        for n in sorted(numbers)
        if 1 <= n <= last
        for s in [article.sentences[n - 1]]
    ]


def _items(data: dict[str, Any], key: str, out: Grounded) -> Iterator[tuple[int, dict[str, Any]]]:
    """The objects of a list in the answer, with their indices in it (so diagnostics
    name the model's own item); anything else in the list is dropped and said so."""
    for i, item in enumerate(data[key]):
        if isinstance(item, dict):
            yield i, item
        else:
            out.note(f"{key}[{i}]", f"{clip(item)!r} is not an object")
