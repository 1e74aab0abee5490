"""The provider's Files and Batches APIs, through the openai SDK (any endpoint that
implements them: OpenAI, or a compatible server at `--base-url`).

The few management calls of a job are retried by the same rule as live requests
(`is_transient`: 429, 5xx, timeouts, dropped connections), with tenacity; what still
fails becomes one `SummarizerError` line without the key.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from summarizer.backends.retry import is_transient
from summarizer.config import Settings
from summarizer.errors import BackendConnectionError, BackendError, BackendStatusError
from summarizer.io.files import temporary

if TYPE_CHECKING:
    import openai
    from openai.types import Batch

__all__ = ["Provider", "transient"]

T = TypeVar("T")
_CLOCK_SKEW = 600  # seconds: the provider's clock and ours may differ


class Provider:
    """One job's connection to the Files and Batches APIs."""

    def __init__(self, settings: Settings, transport: httpx2.AsyncBaseTransport | None = None):
        import openai

        self.settings = settings
        self._http = httpx2.AsyncClient(
            transport=transport or httpx2.AsyncHTTPTransport(), timeout=settings.timeout
        )
        self.client: openai.AsyncOpenAI = openai.AsyncOpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key or "not-needed",
            max_retries=0,  # tenacity, below
            timeout=settings.timeout,
            http_client=self._http,
        )

    async def __aenter__(self) -> Provider:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._http.aclose()

    async def upload(self, path: Path) -> str:
        """The file's id; the file is streamed from disk, not read into memory."""

        async def call() -> str:
            with path.open("rb") as handle:
                uploaded = await self.client.files.create(
                    file=(path.name, handle, "application/jsonl"), purpose="batch"
                )
            return uploaded.id

        return await self._call(f"uploading {path.name}", call)

    async def create(self, file_id: str, job_id: str, name: str) -> Batch:
        """One attempt, never retried here: an attempt whose answer was lost may have
        made the batch, and a blind retry would make a second one (paid twice). The
        caller looks for it with `find` before trying again."""
        return await self._call(
            f"creating the batch of {name}",
            lambda: self.client.batches.create(
                input_file_id=file_id,
                endpoint="/v1/chat/completions",
                completion_window="24h",
                metadata={"summarizer_job": job_id, "file": name},
            ),
            retry=False,
        )

    async def find(self, file_id: str, since: int | None = None) -> Batch | None:
        """The batch already made of `file_id`, if one was: the provider's batches are
        listed newest first, back to `since` (when the file was uploaded)."""

        async def call() -> Batch | None:
            async for batch in self.client.batches.list(limit=100):
                if batch.input_file_id == file_id:
                    return batch
                if since is not None and batch.created_at < since - _CLOCK_SKEW:
                    return None
            return None

        return await self._call("listing batches", call)

    async def retrieve(self, batch_id: str) -> Batch:
        return await self._call(
            f"asking about {batch_id}", lambda: self.client.batches.retrieve(batch_id)
        )

    async def cancel(self, batch_id: str) -> Batch:
        """A 409 (the batch has ended) is an answer, not a reason to try again."""
        return await self._call(
            f"cancelling {batch_id}",
            lambda: self.client.batches.cancel(batch_id),
            retry_conflict=False,
        )

    async def download(self, file_id: str, target: Path) -> None:
        """Streamed to a temporary file, renamed into place when whole."""

        async def call() -> None:
            fd, tmp = temporary(target)
            try:
                with os.fdopen(fd, "wb") as out:
                    async with self.client.files.with_streaming_response.content(
                        file_id
                    ) as response:
                        async for chunk in response.iter_bytes():
                            out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

        await self._call(f"downloading {file_id}", call)

    async def _call(
        self,
        what: str,
        call: Callable[[], Awaitable[T]],
        *,
        retry: bool = True,
        retry_conflict: bool = True,
    ) -> T:
        import openai

        def worth_retrying(exc: BaseException) -> bool:
            conflict = isinstance(exc, openai.APIStatusError) and exc.status_code == 409
            return is_transient(exc) and (retry_conflict or not conflict)

        retrying = AsyncRetrying(
            retry=retry_if_exception(worth_retrying),
            stop=stop_after_attempt(self.settings.max_retries + 1 if retry else 1),
            wait=wait_exponential_jitter(initial=1, max=30, jitter=1),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await call()
        except openai.APIStatusError as exc:
            raise BackendStatusError(
                f"HTTP {exc.status_code} from the batch API {what}: {_message(exc)}",
                status=exc.status_code,
                api_key=self.settings.api_key,
            ) from exc
        except openai.APIConnectionError as exc:
            where = self.settings.base_url or "the OpenAI API"
            raise BackendConnectionError(
                f"cannot reach {where} {what}", api_key=self.settings.api_key
            ) from exc
        except openai.OpenAIError as exc:
            raise BackendError(f"{what}: {exc}", api_key=self.settings.api_key) from exc
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover


def _message(exc: openai.APIStatusError) -> str:
    body: Any = exc.body
    inner = body.get("error", body) if isinstance(body, dict) else None
    if isinstance(inner, dict) and inner.get("message"):
        return str(inner["message"])
    return str(exc.message)


def transient(exc: BackendError) -> bool:
    """A failure of ours translated from one worth trying again (see `_call`)."""
    if isinstance(exc, BackendConnectionError):
        return True
    status = exc.status
    return status is not None and (status >= 500 or status in (408, 409, 429))
