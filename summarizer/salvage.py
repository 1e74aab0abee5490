"""What to keep of an answer that still fails grounding after the last re-ask.

Every item the article supports is kept; every item it does not is dropped and named in
a `Diagnostic`, never silently. Works on the raw JSON of the model's last answer, so it
can keep the good parts of an answer whose other parts fail validation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError

from .article import Article
from .candidates import find_quotations
from .draft import ArticleSummary, grounded_in, locate_quoted
from .errors import ValidationFailedError
from .schema import Diagnostic


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
        isinstance(data.get(k), list) for k in ("people", "meetings", "statements", "proposals")
    ):
        missing = [
            k
            for k in ("people", "meetings", "statements", "proposals")
            if not isinstance(data.get(k), list)
        ]
        raise ValidationFailedError(
            f"the model's answer is not a summary: no list of {', '.join(missing)}"
        )
    notes: list[Diagnostic] = []

    def drop(item: str, problem: str, action: str = "dropped item") -> None:
        notes.append(Diagnostic(item=item, problem=problem, action=action))  # type: ignore[arg-type]

    people: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, person in _items(data, "people", drop):
        name, pid = person.get("name"), person.get("id")
        if not isinstance(name, str) or not article.mentions(name):
            drop(f"people[{i}]", f"name {name!r} does not occur in the article")
        elif not isinstance(pid, str) or pid in seen:
            drop(f"people[{i}]", f"id {pid!r} is missing or used twice")
        else:
            listed = person.get("aliases") or []
            if not isinstance(listed, list):
                drop(f"people[{i}].aliases", f"{listed!r} is not a list", "dropped value")
                listed = []
            aliases = []
            for alias in listed:
                if isinstance(alias, str) and article.mentions(alias):
                    aliases.append(alias)
                else:
                    drop(f"people[{i}].aliases", f"{alias!r} does not occur", "dropped value")
            seen.add(pid)
            people.append({**person, "aliases": aliases})

    last = len(article.sentences)
    kept: dict[str, list[dict[str, Any]]] = {}
    for kind, one, many, optional in (
        ("meetings", None, "participants", ("visitor", "host")),
        ("statements", "speaker", None, ("addressee",)),
        ("proposals", "proposer", "recipients", ()),
    ):
        kept[kind] = []
        for i, item in _items(data, kind, drop):
            where = f"{kind}[{i}]"
            item = dict(item)
            # Values dropped from an item are reported only if the item itself is kept.
            values: list[tuple[str, str]] = []
            cited = item.get("evidence")
            cited = cited if isinstance(cited, list) else []
            evidence = [n for n in cited if isinstance(n, int) and 1 <= n <= last]
            if not evidence:
                drop(where, "cites no sentence of the article")
                continue
            if len(evidence) < len(cited):
                bad = [n for n in cited if n not in evidence]
                values.append(("evidence", f"cites {bad!r}; sentences are numbered 1 to {last}"))
            item["evidence"] = evidence
            if one is not None and not (isinstance(item.get(one), str) and item[one] in seen):
                drop(where, f"{one} {item.get(one)!r} is not a person of the article")
                continue
            if many is not None:
                listed = item.get(many)
                listed = listed if isinstance(listed, list) else []
                members = [p for p in listed if isinstance(p, str) and p in seen]
                if not members:
                    drop(where, f"none of its {many} is a person of the article")
                    continue
                for stranger in (p for p in listed if p not in members):
                    values.append((many, f"{stranger!r} is not a person of the article"))
                item[many] = members
            for field in optional:
                value = item.get(field)
                if value is not None and not (isinstance(value, str) and value in seen):
                    values.append((field, f"{value!r} is not a person of the article"))
                    item[field] = None
                elif value is not None and many is not None and value not in item[many]:
                    values.append((field, f"{value!r} is not among its {many}"))
                    item[field] = None
            if kind == "statements" and item.get("quote_id") is not None:
                qid = item["quote_id"]
                count = len(find_quotations(article))
                ok = isinstance(qid, str) and qid[1:].isdigit() and 1 <= int(qid[1:]) <= count
                if not ok:
                    drop(where, f"quote_id {qid!r} is not a quotation of the article")
                    continue
            elif kind == "statements" and (item.get("verbatim") or item.get("quote")):
                quote = item.get("quote")
                if not isinstance(quote, str) or not quote.strip():
                    drop(where, "verbatim, but cites no quotation and copies no words")
                    continue
                if article.locate(quote) is None:
                    drop(where, f"quote {_clip(quote)!r} is not in the article")
                    continue
                if locate_quoted(article, quote, evidence) is None:
                    # The words are the article's, but not a quotation: what was said
                    # stands, reported rather than quoted.
                    problem = f"{_clip(quote)!r} is not inside quotation marks in the article"
                    values.append(("quote", f"{problem}; kept as reported speech"))
                    item.update(verbatim=False, quote=None)
            for field, problem in values:
                drop(f"{where}.{field}", problem, "dropped value")
            kept[kind].append(item)

    abstract = data.get("abstract")
    if not isinstance(abstract, str) or not abstract.strip():
        drop("abstract", "missing; the article's first sentence stands in", "dropped value")
        abstract = article.sentences[0].text if article.sentences else article.text.strip()
    draft_data = {
        "abstract": abstract,
        "people": people,
        **kept,
    }
    try:
        with grounded_in(article):
            draft = ArticleSummary.model_validate(draft_data)
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
            drop(f"{key}[{i}]", f"{_clip(item)!r} is not an object")


def _clip(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
