"""The JSON Lines of a batch: request files split at the provider's limits, and the
result lines that come back, OpenAI's shape, which vLLM's `run-batch` writes too.

A request line is `{"custom_id", "method", "url", "body"}`; the custom id is the input's
content hash and the request's own hash (16 hex digits each), so any result line leads
back to the request it answers without keeping a table of ids. A result line is
`{"id", "custom_id", "response": {"status_code", "request_id", "body"} | null,
"error": {"code", "message"} | null}`, in any order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import InputError
from summarizer.io.files import temporary

__all__ = [
    "ENDPOINT",
    "MAX_FILE_BYTES",
    "MAX_FILE_REQUESTS",
    "RequestFiles",
    "ResultLine",
    "article_of",
    "custom_id",
    "is_reask",
    "key_of",
    "read_results",
    "submitted_ids",
]

ENDPOINT = "/v1/chat/completions"
# OpenAI's limits per input file: 50,000 requests and 200 MB.
MAX_FILE_REQUESTS = 50_000
MAX_FILE_BYTES = 200 * 1_000_000
_ID_LENGTH = 16
_LINE_START = '{"custom_id": "'


def custom_id(article_sha256: str, request_key: str) -> str:
    """`<article hash>-<request hash>`: whose request it is, and which one."""
    return f"{article_sha256[:_ID_LENGTH]}-{request_key[:_ID_LENGTH]}"


def key_of(custom: str) -> str:
    """The request hash a custom id carries (the index key of results)."""
    return custom.rpartition("-")[2]


def article_of(custom: str) -> str:
    """The article hash a custom id carries (as `custom_id` shortens it)."""
    return custom.partition("-")[0]


@dataclass
class _Part:
    name: str
    handle: Any
    tmp: str
    lines: int = 0
    bytes: int = 0


@dataclass
class RequestFiles:
    """Writes request lines into `prefix-001.jsonl`, `prefix-002.jsonl`... in `folder`,
    starting a new file before one would pass `max_requests` lines or `max_bytes`.
    Each file appears under its name only when complete (`close`), so a killed run
    leaves no half file that looks whole. A request id is written once per round."""

    folder: Path
    prefix: str
    max_requests: int = MAX_FILE_REQUESTS
    max_bytes: int = MAX_FILE_BYTES
    done: list[tuple[str, int, int]] = field(default_factory=list)  # name, lines, bytes
    _part: _Part | None = None
    _seen: set[str] = field(default_factory=set)

    def add(self, custom: str, body: dict[str, Any]) -> bool:
        """Write one request; False when this id is already in this round."""
        if custom in self._seen:
            return False
        line = (
            json.dumps(
                {"custom_id": custom, "method": "POST", "url": ENDPOINT, "body": body},
                ensure_ascii=False,
                separators=(", ", ": "),
            )
            + "\n"
        ).encode()
        if len(line) > self.max_bytes:
            raise InputError(
                f"one request is {len(line):,} bytes, more than a batch file may hold "
                f"({self.max_bytes:,}); lower --chunk-chars"
            )
        part = self._part
        if part is not None and (
            part.lines >= self.max_requests or part.bytes + len(line) > self.max_bytes
        ):
            self._finish()
            part = None
        if part is None:
            part = self._part = self._open()
        part.handle.write(line)
        part.lines += 1
        part.bytes += len(line)
        self._seen.add(custom)
        return True

    def close(self) -> list[tuple[str, int, int]]:
        """Finish the last file; the files written, as (name, lines, bytes)."""
        if self._part is not None:
            self._finish()
        return self.done

    def abort(self) -> None:
        if self._part is not None:
            self._part.handle.close()
            Path(self._part.tmp).unlink(missing_ok=True)
            self._part = None

    def _open(self) -> _Part:
        name = f"{self.prefix}-{len(self.done) + 1:03d}.jsonl"
        fd, tmp = temporary(self.folder / name)
        return _Part(name, os.fdopen(fd, "wb"), tmp)

    def _finish(self) -> None:
        part = self._part
        assert part is not None
        part.handle.flush()
        os.fsync(part.handle.fileno())
        part.handle.close()
        os.replace(part.tmp, self.folder / part.name)
        self.done.append((part.name, part.lines, part.bytes))
        self._part = None


def is_reask(body: dict[str, Any]) -> bool:
    """A re-ask carries the failed answer back as an assistant message."""
    messages = body.get("messages")
    return isinstance(messages, list) and any(
        isinstance(m, dict) and m.get("role") == "assistant" for m in messages
    )


def submitted_ids(path: Path) -> Iterator[str]:
    """The custom ids of a request file we wrote, without parsing its bodies."""
    start = len(_LINE_START)
    with path.open("rb") as handle:
        for raw in handle:
            line = raw[: start + 2 * _ID_LENGTH + 8].decode("utf-8", "replace")
            if line.startswith(_LINE_START):
                yield line[start : line.index('"', start)]


@dataclass(frozen=True)
class ResultLine:
    """One line of an output or error file, read for what collecting needs."""

    custom_id: str
    status: int | None  # the HTTP status of the request, None when it never ran
    body: dict[str, Any] | None  # the chat completion, for a 200
    code: str | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200 and isinstance(self.body, dict) and "choices" in self.body


def read_results(path: Path) -> Iterator[tuple[int, ResultLine]]:
    """Each line of a results file with its byte offset; lines that are not results
    (blank, not JSON, no custom id) are skipped."""
    with path.open("rb") as handle:
        offset = 0
        for raw in handle:
            at, offset = offset, offset + len(raw)
            parsed = parse_result(raw)
            if parsed is not None:
                yield at, parsed


def parse_result(raw: bytes) -> ResultLine | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("custom_id"), str):
        return None
    response = data.get("response") if isinstance(data.get("response"), dict) else None
    error = data.get("error")
    status = response.get("status_code") if response else None
    body = response.get("body") if response else None
    code: str | None = None
    message = ""
    if isinstance(error, dict):  # OpenAI: {"code", "message"}
        code, message = error.get("code"), str(error.get("message") or "")
    elif isinstance(error, str) and error:  # vLLM: the message alone
        message = error
    elif isinstance(body, dict) and isinstance(body.get("error"), dict):
        inner = body["error"]
        code, message = inner.get("code") or inner.get("type"), str(inner.get("message") or "")
    return ResultLine(
        custom_id=data["custom_id"],
        status=status if isinstance(status, int) else None,
        body=body if isinstance(body, dict) else None,
        code=str(code) if code else None,
        message=message,
    )
