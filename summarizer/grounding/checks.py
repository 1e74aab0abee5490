"""The checks of the model's answer, one item at a time.

Each check looks at one actor, meeting, statement or proposal, against the article and
the ids of the actors known so far, and returns its `Problem`s. The grounding pass
(`repair.ground`) turns them into values and items left out, with diagnostics, and into
the lines of a re-ask where something would be lost; a summary's references are checked
with the same functions (`answer_problems`). Items are read as mappings of their fields,
a model's or raw JSON, so a check also copes with values of the wrong type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from summarizer.article import Article
from summarizer.quotations import Quotation

__all__ = [
    "GROUNDING",
    "ITEM_CHECKS",
    "QUOTE",
    "REFERENCE",
    "Check",
    "Item",
    "Problem",
    "actor_problems",
    "answer_problems",
    "clip",
    "locate_quoted",
    "meeting_problems",
    "proposal_problems",
    "represents_problems",
    "statement_problems",
]


# The order of a re-ask: ids and references first, then names and evidence, then quotes.
REFERENCE, GROUNDING, QUOTE = 0, 1, 2

Item = Mapping[str, Any]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one item: the line that re-asks for it, and what the
    grounding pass does about it."""

    stage: int
    reask: str | None
    """The line of the re-ask; None where the schema rejects the answer first."""
    item: str
    """Where, for diagnostics: 'statements[3]', or 'statements[3].quote' for a value."""
    note: str | None
    """Why, for diagnostics; None where grounding keeps the item for this one (another
    problem of the item already says it)."""
    action: Literal["dropped item", "dropped value"] = "dropped item"
    fix: Mapping[str, Any] = field(default_factory=dict)
    """For a dropped value: the fields that replace the item's."""


Check = Callable[[str, Item, set[str], Article | None], list[Problem]]

_UNSAID = "verbatim, but cites no quotation and copies no words"


def actor_problems(
    path: str, person: Item, known: set[str], article: Article | None
) -> list[Problem]:
    """A name and aliases the article does not mention, an id missing or already taken
    by one of the `known` actors. Every kind is held to this: an organisation or a
    delegation the article does not name is invented like a person would be."""
    problems: list[Problem] = []
    name, pid = person.get("name"), person.get("id")
    if article is not None and (not isinstance(name, str) or not article.mentions(name)):
        problem = f"name {name!r} does not occur in the article"
        problems.append(Problem(GROUNDING, f"{path}.{problem}", path, problem))
    if not isinstance(pid, str) or pid in known:
        reask = f"actor id {pid} is used by more than one actor"
        problems.append(Problem(REFERENCE, reask, path, f"id {pid!r} is missing or used twice"))
    if article is None:
        return problems
    where = f"{path}.aliases"
    listed = person.get("aliases") or []
    if not isinstance(listed, list):
        note = f"{listed!r} is not a list"
        problems.append(Problem(GROUNDING, None, where, note, "dropped value", {"aliases": []}))
        listed = []
    found = [isinstance(alias, str) and article.mentions(alias) for alias in listed]
    aliases = [alias for alias, ok in zip(listed, found, strict=True) if ok]
    for alias, ok in zip(listed, found, strict=True):
        if not ok:
            reask = f"{where} {alias!r} does not occur in the article"
            note = f"{alias!r} does not occur"
            problems.append(
                Problem(GROUNDING, reask, where, note, "dropped value", {"aliases": aliases})
            )
    return problems


def meeting_problems(
    path: str, meeting: Item, known: set[str], article: Article | None
) -> list[Problem]:
    return _item_problems(path, meeting, known, article, None, "participants", ("visitor", "host"))


def statement_problems(
    path: str, statement: Item, known: set[str], article: Article | None
) -> list[Problem]:
    problems = _item_problems(path, statement, known, article, "speaker", None, ("addressee",))
    if article is not None:
        problems += _quote_problems(path, statement, article)
    return problems


def proposal_problems(
    path: str, proposal: Item, known: set[str], article: Article | None
) -> list[Problem]:
    return _item_problems(path, proposal, known, article, "proposer", "recipients", ())


ITEM_CHECKS: tuple[tuple[str, Check], ...] = (
    ("meetings", meeting_problems),
    ("statements", statement_problems),
    ("proposals", proposal_problems),
)


def represents_problems(path: str, actor: Item, known: set[str]) -> list[Problem]:
    """`represents` names another actor of the answer, or nothing."""
    value, where = actor.get("represents"), f"{path}.represents"
    if value is None or (isinstance(value, str) and value in known and value != actor.get("id")):
        return []
    reask = f"{where} refers to unknown actor {value}"
    note = f"{value!r} is not another actor of the article"
    return [Problem(REFERENCE, reask, where, note, "dropped value", {"represents": None})]


def answer_problems(doc: Any, article: Article | None) -> list[Problem]:
    """Every problem of a validated answer (a draft, or a summary when `article` is
    None: then only its references), in the order of the re-ask."""
    problems: list[Problem] = []
    known: set[str] = set()
    for i, actor in enumerate(doc.actors):
        problems += actor_problems(f"actors[{i}]", dict(actor), known, article)
        known.add(actor.id)
    for i, actor in enumerate(doc.actors):
        problems += represents_problems(f"actors[{i}]", dict(actor), known)
    for kind, check in ITEM_CHECKS:
        for i, item in enumerate(getattr(doc, kind)):
            problems += check(f"{kind}[{i}]", dict(item), known, article)
    return sorted(problems, key=lambda p: p.stage)


def _item_problems(
    path: str,
    item: Item,
    known: set[str],
    article: Article | None,
    one: str | None,
    many: str | None,
    optional: tuple[str, ...],
) -> list[Problem]:
    """Evidence that cites no sentence, and actors who are not `known`: `one` must be,
    some of `many` must be (where it lists any: a proposal may be put to no one), and
    each of `optional`, when given, must be one of `many`."""
    problems: list[Problem] = []
    if article is not None:
        problems += _evidence_problems(path, item, article)
    if one is not None:
        value = item.get(one)
        if not (isinstance(value, str) and value in known):
            reask = f"{path}.{one} refers to unknown actor {value}"
            note = f"{one} {value!r} is not an actor of the article"
            problems.append(Problem(REFERENCE, reask, path, note))
    listed: list[Any] = []
    if many is not None:
        raw = item.get(many)
        listed = raw if isinstance(raw, list) else []
        members = [p for p in listed if isinstance(p, str) and p in known]
        if not members and (listed or many == "participants"):
            note = f"none of its {many} is an actor of the article"
            problems.append(Problem(REFERENCE, None, path, note))
        for stranger in (p for p in listed if p not in members):
            reask = f"{path}.{many} refers to unknown actor {stranger}"
            note = f"{stranger!r} is not an actor of the article"
            fix = {many: members}
            problems.append(Problem(REFERENCE, reask, f"{path}.{many}", note, "dropped value", fix))
    for name in optional:
        value = item.get(name)
        if value is None:
            continue
        unknown = not (isinstance(value, str) and value in known)
        where = f"{path}.{name}"
        if unknown:
            reask = f"{where} refers to unknown actor {value}"
            note = f"{value!r} is not an actor of the article"
            problems.append(Problem(REFERENCE, reask, where, note, "dropped value", {name: None}))
        if many is not None and value not in listed:
            reask = f"{where} {value} is not among its {many}"
            # An unknown person is dropped for that already.
            said = None if unknown else f"{value!r} is not among its {many}"
            problems.append(Problem(REFERENCE, reask, where, said, "dropped value", {name: None}))
    return problems


def _evidence_problems(path: str, item: Item, article: Article) -> list[Problem]:
    last = len(article.sentences)
    raw = item.get("evidence")
    cited: list[Any] = raw if isinstance(raw, list) else []
    evidence = [n for n in cited if isinstance(n, int) and 1 <= n <= last]
    if evidence and len(evidence) == len(cited):
        return []
    bad = [n for n in cited if n not in evidence]
    problem = f"cites {bad!r}; sentences are numbered 1 to {last}"
    reask = f"{path}.evidence {problem}"
    if not evidence:
        return [Problem(GROUNDING, reask, path, "cites no sentence of the article")]
    fix = {"evidence": evidence}
    return [Problem(GROUNDING, reask, f"{path}.evidence", problem, "dropped value", fix)]


def _quote_problems(path: str, statement: Item, article: Article) -> list[Problem]:
    """A quotation id that does not exist, a verbatim statement without words, words
    not in the article or not inside its quotation marks. None of them costs the
    statement: what was said stands, as reported speech."""
    qid, quote = statement.get("quote_id"), statement.get("quote")
    reported = {"verbatim": False, "quote": None, "quote_id": None}
    where = f"{path}.quote"

    def value(reask: str | None, note: str) -> list[Problem]:
        said = f"{note}; kept as reported speech"
        return [Problem(QUOTE, reask, where, said, "dropped value", reported)]

    if qid is not None:
        count = len(article.quotations)
        if isinstance(qid, str) and qid[1:].isdigit() and 1 <= int(qid[1:]) <= count:
            return []
        reask = f"{path}.quote_id {qid} does not exist; quotations are q1 to q{count}"
        return value(reask, f"quote_id {qid!r} is not a quotation of the article")
    if not quote:
        if statement.get("verbatim"):
            return value(f"{path} is verbatim but has no quote_id or quote", _UNSAID)
        return []
    if not isinstance(quote, str):
        return value(None, _UNSAID)
    raw = statement.get("evidence")
    near = [n for n in raw if isinstance(n, int)] if isinstance(raw, list) else []
    if locate_quoted(article, quote, near) is not None:
        return []
    if article.locate(quote) is None:  # always so for blank words
        reask = f"{path}.quote {clip(quote)!r} is not in the article; copy it exactly"
        note = f"quote {clip(quote)!r} is not in the article" if quote.strip() else _UNSAID
        return value(reask, note)
    problem = f"{clip(quote)!r} is not inside quotation marks in the article"
    reask = (
        f"{path}.quote {problem}; if the words are not quoted, set verbatim false and quote null"
    )
    return value(reask, problem)


def locate_quoted(article: Article, words: str, near: list[int]) -> tuple[int, int] | None:
    """Where `words` stand inside one of the article's quotations (a comma before the
    closing mark may come along), those in sentences `near` first; None when they are
    not quoted. A verbatim quote is the article's quotation, not any matching words.

    A model's copy may end with a stop the article puts outside the marks ("We will
    act." for “We will act,” he said), or leave words out with an ellipsis ("We will
    ... rebuild"): then its pieces, in order inside one quotation, give the span from
    the first to the last."""
    cited = set(near)
    order = sorted(article.quotations, key=lambda q: cited.isdisjoint(q.sentences))
    for candidate in dict.fromkeys((words, words.strip().rstrip(".,;:!? "))):
        for q in order:
            found = _inside(article, q, candidate)
            if found is not None:
                return found
    pieces = [p.strip(" ,;:") for p in _ELLIPSIS.split(words)]
    pieces = [p for p in pieces if len(p.split()) >= 2]
    if len(pieces) < 2:
        return None
    for q in order:
        spans: list[tuple[int, int]] = []
        for piece in pieces:
            found = _inside(article, q, piece, after=spans[-1][1] if spans else q.start)
            if found is None:
                break
            spans.append(found)
        else:
            return spans[0][0], spans[-1][1]
    return None


_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")


def _inside(
    article: Article, q: Quotation, words: str, after: int | None = None
) -> tuple[int, int] | None:
    """Where `words` stand inside quotation `q` (from `after` on), in article offsets."""
    after_close = article.text[q.end : q.end + 2]
    end = q.end + len(after_close) - len(after_close.lstrip(" ,"))
    # The marks that open a quotation's later paragraphs are blanked: a model copies
    # the words, not the marks between them.
    inside = q.words(article.text) + article.text[q.end : end]
    skip = 0 if after is None else max(0, after - q.start)
    found = Article(" " * skip + inside[skip:]).locate(words)
    return None if found is None else (q.start + found[0], q.start + found[1])


def clip(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
