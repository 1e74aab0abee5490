"""The openai SDK and instructor, wired once per client, and the model calls of one
article: each with its own retry policy, their attempts and usage added up."""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx2

from summarizer.backends.failures import translate_error
from summarizer.backends.reasks import answer_cap, bounded, cut_off_reask, echo_limit
from summarizer.backends.recording import ORIGIN_FIELD
from summarizer.backends.retry import caused_by, retrying
from summarizer.config import PLACEHOLDER_KEY, Settings
from summarizer.errors import ContextTooLargeError, SummarizerError, ValidationFailedError
from summarizer.extraction.prompts import render
from summarizer.grounding.draft import ArticleSummary
from summarizer.schema import Usage

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    import openai
    from instructor import AsyncInstructor
    from openai._types import RequestOptions

    from summarizer.backends.transports import Stack
    from summarizer.backends.window import Window

__all__ = [
    "ArticleCalls",
    "connect",
]

T = TypeVar("T")
_SHORT_ANSWER = 256  # tokens: enough for any focused answer, a bound for a looping model


def connect(
    settings: Settings, stack: Stack, *, max_connections: int = 100
) -> tuple[AsyncInstructor, httpx2.AsyncClient]:
    """An instructor client over the openai SDK over the transport `stack`, and the
    HTTP client to close when done."""
    import instructor
    import openai

    # Instructor logs each failed attempt at ERROR. Where the application has set up no
    # logging, Python would print those raw on stderr; our errors say it once, in one
    # line. Configured logging still receives them.
    logging.getLogger("instructor").addHandler(logging.NullHandler())
    _speed_up_instructor()
    s = settings
    limits = httpx2.Limits(max_connections=max_connections)
    http = httpx2.AsyncClient(transport=stack.outer, timeout=s.timeout, limits=limits)
    openai_client = openai.AsyncOpenAI(
        # The local backend and replay answer in the transport; this URL is a label.
        base_url=s.base_url or ("http://local.invalid/v1" if s.backend == "local" else None),
        api_key=s.api_key or PLACEHOLDER_KEY,
        max_retries=0,  # tenacity owns retries: one policy, one place
        timeout=s.timeout,
        http_client=http,
    )
    modes = {
        "tools": instructor.Mode.TOOLS,
        "json": instructor.Mode.JSON,
        "json_schema": instructor.Mode.JSON_SCHEMA,
        "md_json": instructor.Mode.MD_JSON,
    }
    mode = modes[s.mode]
    client = instructor.AsyncInstructor(
        client=openai_client,
        create=instructor.patch(
            create=_chat_completions(openai_client, stack.window),
            mode=mode,
        ),
        mode=mode,
        provider=instructor.Provider.OPENAI,
    )
    return client, http


class ArticleCalls:
    """The model calls made for one article: each with its own retry policy bounded by
    the article's `deadline`, their attempts and token usage added up for provenance,
    and whose answers replay gave."""

    def __init__(
        self,
        client: AsyncInstructor,
        settings: Settings,
        deadline: asyncio.Timeout | None = None,
    ):
        self.client = client
        self.settings = settings
        self.deadline = deadline
        self.attempts = 0
        self.usage = Usage()
        self.model: str | None = None
        self.origin: str | None = None  # whose answers replay gave: recorded, hand-written

    async def ask(self, template: str, variables: dict[str, Any], model: type[Any]) -> Any:
        """One focused question: a single user message from a template."""
        content = render(template, **variables)
        return await self.ask_messages([{"role": "user", "content": content}], model, short=True)

    async def ask_messages(
        self, messages: list[dict[str, str]], model: type[T], *, short: bool = False
    ) -> T:
        s = self.settings
        sampling: dict[str, Any] = {"temperature": s.temperature}
        if s.max_tokens:
            sampling["max_tokens"] = min(s.max_tokens, _SHORT_ANSWER) if short else s.max_tokens
        if s.repeat_penalty is not None:
            sampling["extra_body"] = {"repeat_penalty": s.repeat_penalty}
        model = _prepared(model)
        reasks_left = s.max_reasks
        last_cut: _CutOff | None = None
        while True:
            try:
                return await self._create(messages, model, sampling, reasks_left)
            except _CutOff as cut:
                # Asked again as it was, the answer would stop at the same place: ask
                # for a shorter one. One budget of re-asks for the whole question.
                reasks_left -= cut.tries
                if reasks_left < 0:
                    raise cut.final() from None
                messages = cut_off_reask(messages, cut.completion, cut.used)
                last_cut = cut
                self.usage = self.usage.model_copy(update={"reasks": self.usage.reasks + 1})
            except ContextTooLargeError as error:
                # The shorter answer could not be asked for within the context: as if
                # the re-asks had run out, the last complete answer is kept, if any.
                final = last_cut.final() if last_cut is not None else None
                if not isinstance(final, ValidationFailedError) or not final.last_answer:
                    raise
                final.args = (f"{final}; asked again shorter, it did not fit: {error}",)
                raise final from error

    async def _create(
        self,
        messages: list[dict[str, str]],
        model: type[T],
        sampling: dict[str, Any],
        reasks: int,
    ) -> T:
        from instructor.core.exceptions import IncompleteOutputException
        from instructor.core.hooks import Hooks

        s = self.settings
        policy = retrying(s, self.deadline, max_reasks=reasks)
        answers: list[Any] = []  # every completion of this call, failed ones included
        hooks = Hooks()
        hooks.on("completion:response", answers.append)
        # No instructor `context`: instructor would render the messages, article and
        # all, through Jinja. Drafts find their article in the `DocumentContext`.
        try:
            answer, completion = await self.client.create_with_completion(
                model=s.model,
                messages=messages,  # type: ignore[arg-type]
                response_model=model,
                max_retries=policy,
                hooks=hooks,
                **sampling,
            )
        except asyncio.CancelledError:  # the deadline: count the attempt cut short
            self.attempts += int(policy.statistics.get("attempt_number", 1))
            raise
        except Exception as exc:
            self._count_requests(answers)
            started_attempts = policy.statistics.get("attempt_number", 1)
            attempts = int(getattr(exc, "n_attempts", 0) or started_attempts)
            self.attempts += attempts
            cut = caused_by(exc, IncompleteOutputException)
            last = getattr(cut, "last_completion", None) if cut is not None else None
            # Instructor passes a cut answer on bare, but keeps the call's running total
            # in the usage of its last completion.
            self._count(getattr(exc, "total_usage", None) or getattr(last, "usage", None))
            error = translate_error(exc, s, self.attempts, self.usage.total_tokens)
            failed = getattr(exc, "failed_attempts", None) or []
            if isinstance(error, ContextTooLargeError) and failed:
                # A re-ask the context cannot hold: as if the re-asks had run out, the
                # last answer's grounded part can still be kept (see `salvage`).
                from summarizer.grounding.salvage import answer_json

                raise ValidationFailedError(
                    f"the re-ask did not fit: {error}",
                    attempts=self.attempts,
                    tokens=self.usage.total_tokens,
                    last_answer=answer_json(failed[-1].completion),
                ) from exc
            if cut is not None:
                used = getattr(getattr(last, "usage", None), "completion_tokens", None)
                # Each answer that arrived spent a re-ask (the cut one too); transient
                # retries did not.
                raise _CutOff(error, last, used, len(answers), answers[:-1]) from exc
            raise error from exc
        self.attempts += int(policy.statistics.get("attempt_number", 1))
        self._count_requests(answers)
        self._count(getattr(answer, "_total_usage", None) or getattr(completion, "usage", None))
        self.model = self.model or getattr(completion, "model", None)
        extra = getattr(completion, "model_extra", None) or {}
        if isinstance(origin := extra.get(ORIGIN_FIELD), str):  # a replayed answer
            self.origin = origin if self.origin in (None, origin) else "mixed"
        return answer

    def _count(self, used: Any) -> None:
        self.usage = self.usage.model_copy(
            update={
                "prompt_tokens": self.usage.prompt_tokens
                + (getattr(used, "prompt_tokens", 0) or 0),
                "completion_tokens": self.usage.completion_tokens
                + (getattr(used, "completion_tokens", 0) or 0),
                "total_tokens": self.usage.total_tokens + (getattr(used, "total_tokens", 0) or 0),
            }
        )

    def _count_requests(self, answers: list[Any]) -> None:
        """Completions of one question: the first answers it, each later one a re-ask;
        and the prompt tokens each says the server's cache served."""
        cached = 0
        for completion in answers:
            details = getattr(getattr(completion, "usage", None), "prompt_tokens_details", None)
            cached += int(getattr(details, "cached_tokens", 0) or 0)
        u = self.usage
        self.usage = u.model_copy(
            update={
                "requests": u.requests + len(answers),
                "reasks": u.reasks + max(0, len(answers) - 1),
                "cached_tokens": u.cached_tokens + cached,
            }
        )


class _CutOff(Exception):
    """An answer stopped at its token limit: `error` to raise if no re-ask is left;
    `tries` is how many answers the call got (each one a re-ask spent, the cut one
    included; a retry after a transport failure is not one)."""

    def __init__(
        self,
        error: SummarizerError,
        completion: Any,
        used: int | None,
        tries: int,
        earlier: list[Any],
    ):
        super().__init__(str(error))
        self.error, self.completion, self.used = error, completion, used
        self.tries, self.earlier = tries, earlier

    def final(self) -> SummarizerError:
        """The error to raise when no re-ask is left: with the last complete answer
        before the cut one, when there was one, so that its grounded part is kept."""
        from summarizer.grounding.salvage import answer_json

        for completion in reversed(self.earlier):
            if (answer := answer_json(completion)) is not None:
                return ValidationFailedError(
                    str(self.error),
                    attempts=getattr(self.error, "attempts", None),
                    tokens=self.error.tokens,
                    last_answer=answer,
                )
        return self.error


def _chat_completions(
    client: openai.AsyncOpenAI, window: Window | None = None
) -> Callable[..., Awaitable[Any]]:
    """`client.chat.completions.create` as the SDK's documented low-level `post`.

    Touching `client.chat` imports every resource module of the SDK (assistants,
    files, evals...): about 0.3 s before the first request of a run, for one endpoint.
    The request still goes through the SDK's client: same headers, auth, timeouts and
    error classes, and the answer is the SDK's `ChatCompletion`. Re-asks are kept small
    here (`reasks.bounded`), within the server's context `window` where it is known, and
    their answers to twice the answer they correct (`reasks.answer_cap`)."""
    from openai.types.chat import ChatCompletion

    async def create(
        *,
        extra_body: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        timeout: float | None = None,
        **body: Any,
    ) -> ChatCompletion:
        if isinstance(body.get("messages"), list):
            cap = answer_cap(body["messages"])
            if cap is not None and isinstance(body.get("max_tokens"), int):
                body["max_tokens"] = min(body["max_tokens"], cap)
            limit = echo_limit(window.tokens if window is not None else None)
            body["messages"] = bounded(body["messages"], limit)
        options: dict[str, Any] = {"security": {"bearer_auth": True}}
        if extra_body:
            options["extra_json"] = extra_body
        if extra_headers:
            options["headers"] = extra_headers
        if timeout is not None:
            options["timeout"] = timeout
        return await client.post(
            "/chat/completions",
            body=body,
            cast_to=ChatCompletion,
            options=cast("RequestOptions", options),
        )

    return create


def _prepared(model: type[T]) -> type[T]:
    """Instructor wraps a plain pydantic model in a new subclass on every call, and
    building a pydantic class costs about 1 ms plus a schema each time. Wrapped once
    here, the class is reused (and instructor's own schema cache then hits)."""
    if model is not ArticleSummary:
        return model  # the focused strategy's models are made per question anyway
    global _PREPARED
    if _PREPARED is None:
        try:
            from instructor.v2.core.function_calls import response_schema
        except ImportError:
            return model
        _PREPARED = response_schema(ArticleSummary)
    return cast("type[T]", _PREPARED)


_PREPARED: Any = None


def _speed_up_instructor() -> None:
    """Instructor 1.17 re-checks the response model for async validators several times
    per call, walking every field (about 1 ms each for our schema). The answer depends
    only on the class, so a class that passed once is not walked again. A pure
    memoisation of instructor's own check; skipped if instructor's layout differs."""
    try:
        from instructor.v2.core import patch as patch_module
        from instructor.v2.core import retry as retry_module
        from instructor.v2.validation import async_validators as validators
    except ImportError:
        return
    original = validators.reject_async_validators
    if getattr(original, "_summarizer_memo", False):
        return
    passed: weakref.WeakSet[type] = weakref.WeakSet()

    def remembered(response_model: Any) -> None:
        if isinstance(response_model, type):
            if response_model in passed:
                return
            original(response_model)
            passed.add(response_model)
        else:
            original(response_model)

    remembered._summarizer_memo = True  # type: ignore[attr-defined]
    for module in (validators, patch_module, retry_module):
        if getattr(module, "reject_async_validators", None) is original:
            setattr(module, "reject_async_validators", remembered)  # noqa: B010
