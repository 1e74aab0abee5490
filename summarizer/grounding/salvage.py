"""What to keep of an answer that still fails after the last re-ask.

The grounding pass (`repair.ground`) on the raw JSON of the model's last answer, so the
good parts of an answer whose other parts fail validation are kept; every item the
article does not support is named in a `Diagnostic`, never dropped silently.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from summarizer.article import Article
from summarizer.errors import ValidationFailedError
from summarizer.grounding.draft import ArticleSummary
from summarizer.grounding.repair import ground
from summarizer.schema import Diagnostic

__all__ = ["answer_json", "salvage"]


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
    """The grounded part of `data` as a valid draft, and what grounding did and why."""
    grounded = ground(data, article)
    try:
        draft = ArticleSummary.model_validate(grounded.data, context={"article": article})
    except ValidationError as exc:
        raise ValidationFailedError(
            f"the model's answer could not be repaired: {exc.error_count()} problems remain"
        ) from exc
    return draft, grounded.notes
