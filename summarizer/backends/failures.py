"""What a failed model call becomes: one `SummarizerError`, one line, no secrets."""

from __future__ import annotations

import json
import re
from typing import Any

from summarizer.backends.retry import caused_by, is_reaskable
from summarizer.config import Settings
from summarizer.errors import (
    BackendConnectionError,
    BackendError,
    BackendStatusError,
    BackendTimeoutError,
    ContextTooLargeError,
    SummarizerError,
    ValidationFailedError,
    one_line,
)

__all__ = [
    "attempts_text",
    "context_numbers",
    "fix_for",
    "translate_error",
]


def translate_error(
    exc: BaseException, settings: Settings, attempts: int, tokens: int = 0
) -> SummarizerError:
    """One line that says what failed, with the status where there is one; no secrets.
    `tokens` is what the document's calls used so far, failed ones included."""
    import openai
    from instructor.core.exceptions import IncompleteOutputException

    ours = caused_by(exc, SummarizerError)  # ours, or raised inside a transport of ours
    if ours is not None:
        return ours if ours.tokens == tokens else ours.costing(tokens)
    root = exc.__cause__ if exc.__cause__ is not None else exc
    tries = f"after {attempts_text(attempts)}"
    spent: dict[str, Any] = {"attempts": attempts, "tokens": tokens, "api_key": settings.api_key}
    if (status := caused_by(root, openai.APIStatusError)) is not None:
        said = f"{_api_message(status)} {_body_text(status)}"
        too_long = _context_problem(status.status_code, said, settings)
        if too_long is not None:
            return ContextTooLargeError(too_long, status=status.status_code, **spent)
        return BackendStatusError(
            f"HTTP {status.status_code} from the endpoint {tries}: {_api_message(status)}",
            status=status.status_code,
            body=_body_text(status),
            **spent,
        )
    if caused_by(root, openai.APITimeoutError) is not None:
        return BackendTimeoutError(
            f"request timed out after {settings.timeout:g} s ({tries})", **spent
        )
    if caused_by(root, openai.APIConnectionError) is not None:
        where = settings.base_url or "the OpenAI API"
        return BackendConnectionError(f"cannot connect to {where} ({tries})", **spent)
    if (cut := caused_by(root, IncompleteOutputException)) is not None:
        usage = getattr(getattr(cut, "last_completion", None), "usage", None)
        used = getattr(usage, "completion_tokens", None)
        where = f"after {used:,} tokens" if used else f"at max_tokens={settings.max_tokens}"
        return ValidationFailedError(
            f"the answer was cut off {where}, incomplete ({tries}); raise --max-tokens or "
            "the server's context, or lower --chunk-chars",
            **spent,
        )
    if is_reaskable(root):
        from summarizer.grounding.salvage import answer_json

        failed = getattr(exc, "failed_attempts", None) or []
        return ValidationFailedError(
            f"the model's answer failed validation {tries}: {_validation_message(root)}",
            last_answer=answer_json(failed[-1].completion) if failed else None,
            **spent,
        )
    if isinstance(root, json.JSONDecodeError):
        return BackendError(f"the endpoint's answer is not valid JSON ({tries}): {root!s}", **spent)
    return BackendError(f"{type(root).__name__}: {root}", **spent)


# "maximum context length is 4096 tokens. However, you requested 8216 tokens (4120 in the
# messages, 4096 in the completion)": OpenAI, vLLM and llama-cpp-python's server say so;
# llama.cpp's llama-server puts `n_ctx` and `n_prompt_tokens` beside its message.
_LIMIT = re.compile(r"maximum context length is (\d+)|\"n_ctx\": ?(\d+)", re.I)
_ASKED = re.compile(
    r"requested (\d+) tokens(?: \((\d+) in the messages, (\d+) in the completion\))?", re.I
)
# vLLM's newer wording: "... maximum context length is 6144 tokens and your request has
# 3800 input tokens (4096 > 6144 - 3800)".
_PROMPT = re.compile(r"\"n_prompt_tokens\": ?(\d+)|your request has (\d+) input tokens")
_CONTEXT = re.compile(
    r"context length|context size|context window|context_length_exceeded|exceed_context", re.I
)


def context_numbers(text: str) -> tuple[int | None, int | None] | None:
    """(context size, prompt tokens) from an error about a request longer than the
    context, each None where the server does not say; None for any other error."""
    if not _CONTEXT.search(text):
        return None
    limit, asked, prompt = _LIMIT.search(text), _ASKED.search(text), _PROMPT.search(text)
    size = int(limit.group(1) or limit.group(2)) if limit else None
    if asked and asked.group(2):
        return size, int(asked.group(2))
    return size, int(prompt.group(1) or prompt.group(2)) if prompt else None


def _context_problem(status: int, text: str, settings: Settings) -> str | None:
    """A request longer than the server's context, as one line with the numbers and
    what to change; None for any other error. Retrying cannot cure it: it is final."""
    numbers = context_numbers(text) if status == 400 else None
    if numbers is None:
        return None
    size, prompt = numbers
    said = f"the server's context is {size:,} tokens" if size else "the server's context is full"
    asked = _ASKED.search(text)
    if prompt is not None:
        said += f"; the prompt alone is {prompt:,} tokens"
        if asked and asked.group(3):
            said += f" and {int(asked.group(3)):,} more were asked for the answer"
    elif asked:
        said += f"; this request needed {int(asked.group(1)):,}"
    too_long = prompt is None or size is None or prompt >= size
    return f"the request does not fit: {said}. " + fix_for(settings, prompt_too_long=too_long)


def fix_for(settings: Settings, *, prompt_too_long: bool) -> str:
    """What to change when a request does not fit: the answer's share matters only when
    the prompt itself fits."""
    bigger = (
        "raise the server's context (llama.cpp -c, Ollama OLLAMA_CONTEXT_LENGTH, "
        "vLLM --max-model-len)"
    )
    smaller = f"lower --chunk-chars (now {settings.chunk_chars:,})"
    if prompt_too_long and settings.strategy != "focused":
        return f"To fix it: {bigger}, {smaller}, or use --strategy focused."
    if prompt_too_long:
        return f"To fix it: {bigger}."
    return f"To fix it: lower --max-tokens (now {settings.max_tokens}), {bigger}, or {smaller}."


def attempts_text(n: int) -> str:
    """'1 attempt', '3 attempts'."""
    return f"{n} attempt{'s' if n != 1 else ''}"


def _body_text(exc: Any) -> str:
    """The error response's body as text, for `BackendStatusError.body`."""
    response = getattr(exc, "response", None)
    try:
        return str(response.text) if response is not None else ""
    except Exception:  # a streamed body not read: the parsed one stands in
        return json.dumps(getattr(exc, "body", None))


def _api_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return one_line(str(message))
    return one_line(getattr(exc, "message", "") or type(exc).__name__)


def _validation_message(exc: BaseException) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors()[:3]:
            where = ".".join(str(x) for x in err.get("loc", ())) or "answer"
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            msg = msg.removeprefix("Fix these problems and answer again:\n")
            parts.append(f"{where}: {msg}" if where != "answer" else msg)
        return one_line("; ".join(parts))
    return one_line(str(exc))
