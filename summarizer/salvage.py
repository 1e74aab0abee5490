"""What to keep of an answer that still fails grounding after the last re-ask.

Every item the article supports is kept; every item it does not is dropped and named in
a `Diagnostic`, never silently. Works on the raw JSON of the model's last answer, so it
can keep the good parts of an answer whose other parts fail validation.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from .article import Article
from .candidates import find_quotations
from .draft import ArticleSummary, grounded_in
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
    for i, person in enumerate(_list(data, "people")):
        name, pid = person.get("name"), person.get("id")
        if not isinstance(name, str) or not article.mentions(name):
            drop(f"people[{i}]", f"name {name!r} does not occur in the article")
        elif not isinstance(pid, str) or pid in seen:
            drop(f"people[{i}]", f"id {pid!r} is missing or used twice")
        else:
            aliases = []
            for alias in person.get("aliases") or []:
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
        for i, item in enumerate(_list(data, kind)):
            where = f"{kind}[{i}]"
            item = dict(item)
            cited = item.get("evidence")
            cited = cited if isinstance(cited, list) else []
            evidence = [n for n in cited if isinstance(n, int) and 1 <= n <= last]
            if not evidence:
                drop(where, "cites no sentence of the article")
                continue
            item["evidence"] = evidence
            if one is not None and not (isinstance(item.get(one), str) and item[one] in seen):
                drop(where, f"{one} {item.get(one)!r} is not a person of the article")
                continue
            if many is not None:
                listed = item.get(many)
                members = (
                    [p for p in listed if isinstance(p, str) and p in seen]
                    if isinstance(listed, list)
                    else []
                )
                if not members:
                    drop(where, f"none of its {many} is a person of the article")
                    continue
                item[many] = members
            for field in optional:
                value = item.get(field)
                if value is not None and not (isinstance(value, str) and value in seen):
                    drop(f"{where}.{field}", f"{item[field]!r} is not a person", "dropped value")
                    item[field] = None
            if kind == "meetings":
                for field in ("visitor", "host"):
                    if item.get(field) is not None and item[field] not in item["participants"]:
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


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _clip(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
