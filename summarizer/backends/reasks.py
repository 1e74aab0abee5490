"""Re-asks that stay small: what a failed answer's correction carries into the next
request.

Instructor's re-ask appends the failed answer and its errors to the conversation, and
a second re-ask appends another pair, so a runaway answer (a small model listing
a1, a2, ... a280 until the context ends) is sent back whole, and the conversation grows
with every try until it no longer fits the server's context. Here a re-ask keeps the
original prompt and only the latest exchange, with the answer cut to `MAX_ECHO`
characters when longer (a quarter of the context where it is known): the error list
says what to fix, the excerpt shows where. A shorter answer is sent back as
instructor sends it (as the tool call it was), so the model sees what it wrote.
"""

from __future__ import annotations

import json
from typing import Any

from summarizer.backends.window import message_parts

__all__ = [
    "MAX_ECHO",
    "answer_cap",
    "bounded",
    "cut_off_reask",
    "echo_limit",
]

MAX_ECHO = 16_000  # characters of a failed answer a re-ask may carry (~4,000 tokens)
MIN_CAP = 2048  # tokens a re-ask's answer may always take (a whole answer, most articles)
Message = dict[str, Any]


def echo_limit(context: int | None) -> int:
    """Characters of a failed answer a re-ask may carry: a quarter of the context, when
    known; else as much as a runaway to 4,096 tokens writes, but no more."""
    return MAX_ECHO if context is None else max(500, min(MAX_ECHO, int(context * 3.5 / 4)))


def bounded(messages: list[Message], limit: int = MAX_ECHO) -> list[Message]:
    """The prompt (everything before the first answer) and the latest exchange only,
    its answer cut to `limit` characters. Messages with no answer pass unchanged."""
    answers = [i for i, m in enumerate(messages) if m.get("role") == "assistant"]
    if not answers:
        return messages
    last = answers[-1]
    head, answer, feedback = messages[: answers[0]], messages[last], messages[last + 1 :]
    text = _answer_text(answer)
    if len(text) <= limit:
        return [*head, answer, *feedback]
    # A cut tool call is no valid call: the excerpt goes as text, the feedback that
    # answered the call as a user message (a tool message needs its call).
    said = "\n\n".join(str(m.get("content") or "") for m in feedback)
    return [
        *head,
        {"role": "assistant", "content": _excerpt(text, limit)},
        {"role": "user", "content": said},
    ]


def answer_cap(messages: list[Message]) -> int | None:
    """At most how many tokens the answer to a re-ask may take: twice the answer it
    corrects (at 3 characters a token, at least `MIN_CAP`), so that a model that loops
    stops there instead of at the end of the context; None for a first question."""
    answers = [m for m in messages if m.get("role") == "assistant"]
    if not answers:
        return None
    return max(MIN_CAP, 2 * len(_answer_text(answers[-1])) // 3)


def cut_off_reask(messages: list[Message], answer: Any, used: int | None) -> list[Message]:
    """The next request after an answer that stopped at its token limit: the prompt, an
    excerpt of the answer, and a request to answer again, shorter. (Sent as it was, the
    same request would be cut at the same place.)"""
    message = _first_message(answer)
    text = _answer_text(message) if message else ""
    where = f"after {used:,} tokens" if used else "at the token limit"
    return [
        *_prompt(messages),
        # Cut to the client's limit when sent (`bounded`), which knows the window.
        {"role": "assistant", "content": text or "(no text)"},
        {
            "role": "user",
            "content": f"Your answer was cut off {where} and is incomplete. Answer again, "
            "complete and much shorter: name each item once, and keep every text field "
            "to a short phrase or the exact words the article uses.",
        },
    ]


def _prompt(messages: list[Message]) -> list[Message]:
    """The question: every message before the first answer."""
    first = next((i for i, m in enumerate(messages) if m.get("role") == "assistant"), None)
    return messages if first is None else messages[:first]


def _answer_text(message: Message) -> str:
    """What an answer said: its text and the arguments of its tool calls."""
    return "\n".join(p for p in message_parts(message) if p)


def _excerpt(text: str, limit: int = MAX_ECHO) -> str:
    """The start of `text`, marked as cut, in at most `limit` characters."""
    if len(text) <= limit:
        return text
    mark = f" [... answer cut here for this message: {len(text):,} characters in all]"
    return text[: max(limit - len(mark), 0)] + mark


def _first_message(completion: Any) -> Message | None:
    """The first choice's message of an SDK completion, as a plain dict."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    dumped = message.model_dump(exclude_none=True) if hasattr(message, "model_dump") else None
    return dumped if isinstance(dumped, dict) else json.loads(json.dumps(message, default=str))
