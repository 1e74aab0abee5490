"""What to keep of an answer that still fails grounding after the last re-ask.

Every item the article supports is kept; every item it does not is dropped and named in
a `Diagnostic`, never silently. Works on the raw JSON of the model's last answer, so it
can keep the good parts of an answer whose other parts fail validation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import ValidationError

from summarizer.article import Article
from summarizer.errors import ValidationFailedError
from summarizer.grounding.checks import (
    ITEM_CHECKS,
    Problem,
    actor_problems,
    clip,
    represents_problems,
)
from summarizer.grounding.draft import ArticleSummary
from summarizer.schema import Diagnostic

__all__ = [
    "Action",
    "answer_json",
    "salvage",
]

Action = Literal["dropped item", "dropped value"]


def answer_json(completion: Any) -> dict[str, Any] | None:
    """The JSON object in a chat completion: a tool call's arguments or the content
    (inside a ```json fence for md_json)."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError):
        return None
    calls = getattr(message, "tool_calls", None) or []
    raw = calls[0].function.arguments if calls else (getattr(message, "content", None) or "")
    fenced = re.search(r"```(?:json)?\s*(.*?)```", raw, re.DOTALL)
    try:
        data = json.loads(fenced.group(1) if fenced else raw)
    except (ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def salvage(data: dict[str, Any], article: Article) -> tuple[ArticleSummary, list[Diagnostic]]:
    """The grounded part of `data` as a valid draft, and what was dropped and why."""
    if not all(
        isinstance(data.get(k), list) for k in ("actors", "meetings", "statements", "proposals")
    ):
        missing = [
            k
            for k in ("actors", "meetings", "statements", "proposals")
            if not isinstance(data.get(k), list)
        ]
        raise ValidationFailedError(
            f"the model's answer is not a summary: no list of {', '.join(missing)}"
        )
    notes: list[Diagnostic] = []

    def drop(item: str, problem: str, action: Action = "dropped item") -> None:
        notes.append(Diagnostic(item=item, problem=problem, action=action))

    def keep(item: dict[str, Any], problems: list[Problem]) -> dict[str, Any] | None:
        """The item with its bad values dropped, or None when it goes as a whole (for
        its first reason: values of a dropped item are not reported)."""
        for p in problems:
            if p.note is not None and p.action == "dropped item":
                drop(p.item, p.note)
                return None
        for p in problems:
            if p.note is not None:
                drop(p.item, p.note, p.action)
                item = {**item, **p.fix}
        return item

    listed: list[tuple[int, dict[str, Any]]] = []
    known: set[str] = set()
    for i, actor in _items(data, "actors", drop):
        actor = {**actor, "aliases": actor.get("aliases") or []}
        kept_actor = keep(actor, actor_problems(f"actors[{i}]", actor, known, article))
        if kept_actor is not None:
            known.add(actor["id"])
            listed.append((i, kept_actor))
    actors = [
        keep(actor, represents_problems(f"actors[{i}]", actor, known)) or actor
        for i, actor in listed
    ]
    kept: dict[str, list[dict[str, Any]]] = {}
    for kind, check in ITEM_CHECKS:
        kept[kind] = []
        for i, item in _items(data, kind, drop):
            kept_item = keep(item, check(f"{kind}[{i}]", item, known, article))
            if kept_item is not None:
                kept[kind].append(kept_item)

    abstract = data.get("abstract")
    if not isinstance(abstract, str) or not abstract.strip():
        drop("abstract", "missing; the article's first sentence stands in", "dropped value")
        abstract = article.sentences[0].text if article.sentences else article.text.strip()
    draft_data = {
        "abstract": abstract,
        "actors": actors,
        **kept,
    }
    try:
        draft = ArticleSummary.model_validate(draft_data, context={"article": article})
    except ValidationError as exc:
        raise ValidationFailedError(
            f"the model's answer could not be repaired: {exc.error_count()} problems remain"
        ) from exc
    return draft, notes


def _items(
    data: dict[str, Any], key: str, drop: Callable[[str, str], None]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The objects of a list in the answer, with their indices in it (so diagnostics
    name the model's own item); anything else in the list is dropped and said so."""
    for i, item in enumerate(data[key]):
        if isinstance(item, dict):
            yield i, item
        else:
            drop(f"{key}[{i}]", f"{clip(item)!r} is not an object")
