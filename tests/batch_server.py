"""A real OpenAI Files + Batches server on loopback, for tests and the batch benchmark.

It serves the part of the API that `openai.OpenAI(base_url=server.url)` calls for a
batch: `files.create / retrieve / content / delete / list` and `batches.create /
retrieve / cancel / list`. Uploads, inputs and outputs live on disk in a temporary
directory of the server's own (removed when the server closes), and every pass over a
file streams it: a 200 MB upload or 10,000 output lines are never held in memory. (The
SDK sends `open(path, "rb")` as multipart/form-data, the `purpose` field first, with a
content-length httpx2 takes from fstat, reading the file 64 KB at a time; a file-like
object without fileno/seek goes with transfer-encoding chunked. Both are read here.)

    with BatchServer(answer=minimal, plans=["expire"]) as server:
        client = openai.OpenAI(base_url=server.url, api_key="k", max_retries=0)

Run it as a process for a benchmark: `python tests/batch_server.py --port 0
[--reask-share 0.1] [--plan complete] [--seed 0]` prints `http://127.0.0.1:PORT/v1` as
its first line of stdout and serves until killed (SIGTERM or SIGINT clean up its files).

States. Each batch takes a plan when it is created: the next of `server.plans`, else
`server.default_plan`. Only `GET /v1/batches/{id}` moves a batch, one step per request,
so a client polling sees every state (the list endpoint and cancel never move one):

- "complete": validating -> in_progress -> finalizing -> completed. Entering in_progress
  answers the first half of the lines (so request_counts show progress), entering
  finalizing the rest; completed publishes the output and error files.
- "fail": validating -> failed, `errors` holding one `invalid_request` error on line 1;
  no files.
- "expire": validating -> in_progress (first half answered) -> expired; the rest go to
  the error file as `batch_expired` lines.
- "stall": validating -> in_progress (first half answered), and there it stays.

With `validate_lines` (the default) leaving validating first checks every line as
OpenAI does, whatever the plan; a bad input fails the batch with `errors.data` naming
each bad line (up to 1,000 of them): `invalid_json_line`, `missing_required_parameter`
(param `custom_id`, `method`, `url` or `body`), `invalid_request` (method not POST),
`url_mismatch`, `duplicate_custom_id`, `model_mismatch` (all lines must ask the same
model), `empty_file`, `too_many_tasks` (over 50,000 lines).

`POST /v1/batches/{id}/cancel` turns a validating, in_progress or finalizing batch to
"cancelling" (a cancelling one stays so); the next retrieve makes it "cancelled", with
the lines already answered in the output/error files and every line not yet answered in
the error file as a `batch_cancelled` line. Cancelling a completed, failed, expired or
cancelled batch answers 409 `Cannot cancel a batch with status '<status>'.`
(invalid_request_error): the status and text real OpenAI gives, as client code written
against it checks (litellm's batch tests catch `openai.ConflictError` with that text);
OpenAI's own reference documents only the 200. Note that the SDK retries a 409.

Lines. `answer(line)` gets each input line as parsed (`custom_id`, `method`, `url`,
`body`) and returns a `chat.completion` body (the line succeeds: status 200) or a
`Fault`. Output lines, in the shapes of OpenAI's Batch guide ("Retrieve the results",
"Batch expiration": platform.openai.com/docs/guides/batch) and of `BatchRequestOutput`
in OpenAI's OpenAPI spec:

    success (output file):
      {"id": "batch_req_<hex>", "custom_id": ..., "response": {"status_code": 200,
       "request_id": "req_<hex>", "body": {chat.completion}}, "error": null}
    Fault(status>0) (error file), an HTTP-level failure of the one request:
      {"id": ..., "custom_id": ..., "response": {"status_code": 500, "request_id": ...,
       "body": {"error": {"message": ..., "type": "server_error", "param": null,
       "code": ...}}}, "error": null}      # type invalid_request_error below 500
    Fault(status=0), batch_expired, batch_cancelled (error file), no request made:
      {"id": ..., "custom_id": ..., "response": null,
       "error": {"code": "batch_expired", "message": "This request could not be
       executed before the completion window expired."}}

The expired line is verbatim from the guide; the `batch_cancelled` code and message are
this server's (OpenAI documents none for cancelled requests). Each file's lines are in a
seeded random order (OpenAI: "the output line order may not match the input line
order"). request_counts: total lines; completed = 200s; failed = every line in the error
file, so completed + failed == total once a batch ends. `usage` sums the answers' usage.
An `answer` that raises makes its line a 500 Fault with code `answer_raised`, and the
traceback goes to `server.errors` (as does any other exception inside the server).

Test hooks: `received` (method, path with query, summary) of every request and
`calls(method, path_prefix)`; `batches` and `files` (the objects as served);
`file_bytes(id)`; `plans`, `default_plan`, `answer`, `validate_lines`; `errors`.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import itertools
import json
import math
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from summarizer.testing import completion_for, minimal_answer, request_mode, request_schema

__all__ = [
    "CANCELLED",
    "ENDPOINT",
    "EXPIRED",
    "INVENTED",
    "PLANS",
    "Answer",
    "BatchServer",
    "Fault",
    "Received",
    "completion",
    "inventing",
    "main",
    "minimal",
]

ENDPOINT = "/v1/chat/completions"
PLANS = ("complete", "fail", "expire", "stall")
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
EXPIRED = (
    "batch_expired",
    "This request could not be executed before the completion window expired.",
)
CANCELLED = ("batch_cancelled", "This request was not executed because the batch was cancelled.")
INVENTED = {"id": "a1", "name": "Zebulon Quartermaine", "kind": "person"}
MAX_LINES = 50_000
MAX_ERRORS = 1_000
CHUNK = 1 << 20


@dataclass(frozen=True)
class Fault:
    """A line that failed. `status` > 0: the request got this HTTP status and an OpenAI
    error body (`code`, `message`); `status` 0: it was never made (`response` null,
    `error` {code, message}, as for an expired request)."""

    status: int
    code: str
    message: str


Answer = Callable[[dict[str, Any]], dict[str, Any] | Fault]


class Received(NamedTuple):
    method: str
    path: str  # with the query string
    summary: str  # uploads: purpose, filename, bytes; batch creation: the JSON body


# The line the server is answering on this thread, and its size on disk: serializing a
# 15 KB body again to estimate its tokens took a third of the time of answering it.
_answering = threading.local()


def completion(line: dict[str, Any], answer: Any) -> dict[str, Any]:
    """A `chat.completion` body answering the batch line's request with `answer` (a
    JSON-able value, or JSON text) in the request's mode, with a usage block estimated
    as `FunctionBackend` does: 4 bytes of request, or of answer, a token (the request
    measured as the line's size in the input file when the server is answering it)."""
    body: dict[str, Any] = line.get("body") or {}
    text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    if request_mode(body) == "md_json":
        text = f"```json\n{text}\n```"
    result = completion_for(body, text)
    result["id"] = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    size = _answering.size if getattr(_answering, "line", None) is line else None
    if size is None:  # not the line the server is answering: measure the body
        size = len(json.dumps(body, ensure_ascii=False).encode())
    prompt = math.ceil(size / 4)
    answered = math.ceil(len(text.encode()) / 4)
    result["usage"] = {
        "prompt_tokens": prompt,
        "completion_tokens": answered,
        "total_tokens": prompt + answered,
    }
    return result


def minimal(line: dict[str, Any]) -> dict[str, Any]:
    """The default answer: the smallest answer the request's schema admits."""
    return completion(line, minimal_answer(request_schema(line.get("body") or {})))


def _picked(custom_id: str, share: float, seed: int) -> bool:
    digest = hashlib.sha256(f"{seed}:{custom_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def inventing(share: float, seed: int = 0) -> Answer:
    """Answers that invent a person for a share of first requests, so the client's
    grounding rejects the answer and re-asks.

    A first request of the single strategy has exactly two messages (system, user) and
    an `ArticleSummary` schema; for a share `share` of their custom_ids (picked by a hash
    of seed and custom_id, the same on every run) the answer is the minimal one plus the
    actor `INVENTED`, a name no article holds. Every other request, and every re-ask
    (more than two messages), gets the minimal answer."""

    def answer(line: dict[str, Any]) -> dict[str, Any] | Fault:
        body: dict[str, Any] = line.get("body") or {}
        obj = minimal_answer(request_schema(body))
        first = len(body.get("messages") or []) == 2
        if (
            first
            and isinstance(obj, dict)
            and isinstance(obj.get("actors"), list)
            and _picked(str(line.get("custom_id")), share, seed)
        ):
            obj = {**obj, "actors": [*obj["actors"], dict(INVENTED)]}
        return completion(line, obj)

    return answer


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 refuses connections when 16 open at once


class _Problem(Exception):
    """An error answered to the client in OpenAI's error shape."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


@dataclass
class _Staging:
    """Result lines appended to disk in the order answered, with each line's place, so
    the published file can take them in shuffled order without holding them."""

    path: Path
    spans: list[tuple[int, int]] = field(default_factory=list)
    size: int = 0

    def add(self, out: BinaryIO, obj: dict[str, Any]) -> None:
        data = json.dumps(obj, ensure_ascii=False).encode() + b"\n"
        out.write(data)
        self.spans.append((self.size, len(data)))
        self.size += len(data)

    def publish(self, target: Path, rng: random.Random) -> int:
        order = list(self.spans)
        rng.shuffle(order)
        with open(self.path, "rb") as src, open(target, "wb") as dst:
            for start, length in order:
                src.seek(start)
                dst.write(src.read(length))
        self.path.unlink(missing_ok=True)
        return self.size


@dataclass
class _Run:
    """The server's side of one batch: its plan and how far through the input it is."""

    plan: str
    ok: _Staging
    err: _Staging
    lock: threading.Lock = field(default_factory=threading.Lock)
    offset: int = 0  # bytes of the input consumed
    lines: int = 0  # lines of the input consumed
    total: int = 0
    completed: int = 0
    failed: int = 0
    input_tokens: int = 0
    output_tokens: int = 0


def _find_all(path: Path, pattern: bytes) -> list[int]:
    """Offsets of every occurrence of `pattern` in the file, read 1 MB at a time."""
    found: list[int] = []
    keep = len(pattern) - 1
    tail = b""
    base = 0  # file offset of the chunk read
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            window = tail + chunk
            at = window.find(pattern)
            while at >= 0:
                found.append(base - len(tail) + at)
                at = window.find(pattern, at + 1)
            tail = window[-keep:] if keep else b""
            base += len(chunk)
    return found


def _header_params(value: str) -> dict[str, str]:
    """`form-data; name="file"; filename="a.jsonl"` -> {"name": ..., "filename": ...},
    undoing httpx's HTML5 escapes (%22 for a quote, %XX for control characters)."""
    params: dict[str, str] = {}
    for key, quoted, bare in re.findall(r';\s*([\w*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))', value):
        text = quoted if quoted or not bare else bare.strip()
        if key.endswith("*") and "''" in text:  # RFC 5987: utf-8''name
            charset, _, encoded = text.partition("''")
            params[key[:-1].lower()] = unquote(encoded, encoding=charset or "utf-8")
            continue
        text = re.sub(r"%(22|[01][0-9A-Fa-f])", lambda m: chr(int(m.group(1), 16)), text)
        params.setdefault(key.lower(), text.replace("\\\\", "\\").replace('\\"', '"'))
    return params


@dataclass
class _Part:
    name: str
    filename: str | None
    start: int
    end: int


def _multipart_parts(path: Path, boundary: bytes) -> list[_Part]:
    """The parts of a multipart/form-data body on disk, by offsets: the delimiters are
    found by a streaming scan, each part's headers read from its first 64 KB."""
    delimiter = b"--" + boundary
    with open(path, "rb") as f:
        starts = [0] if f.read(len(delimiter)) == delimiter else []
        starts += [at + 2 for at in _find_all(path, b"\r\n" + delimiter)]
        parts: list[_Part] = []
        for here, following in itertools.pairwise(starts):
            f.seek(here + len(delimiter))
            line = f.readline(1024)  # the rest of the delimiter line (padding, CRLF)
            if line.startswith(b"--"):
                break
            begin = f.tell()
            end = following - 2  # the CRLF before the next delimiter is part of it
            head = f.read(min(65536, max(0, end - begin)))
            split = head.find(b"\r\n\r\n")
            if head.startswith(b"\r\n"):
                headers_text, content = "", begin + 2
            elif split >= 0:
                headers_text, content = head[:split].decode("utf-8", "replace"), begin + split + 4
            else:
                raise _Problem(400, "A multipart part's headers do not end.")
            headers: dict[str, str] = {}
            for header in headers_text.split("\r\n"):
                key, _, val = header.partition(":")
                headers[key.strip().lower()] = val.strip()
            params = _header_params(";" + headers.get("content-disposition", ""))
            parts.append(_Part(params.get("name", ""), params.get("filename"), content, end))
    return parts


def _copy_range(src: Path, dst: Path, start: int, end: int) -> None:
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fin.seek(start)
        left = end - start
        while left > 0:
            data = fin.read(min(CHUNK, left))
            if not data:
                break
            fout.write(data)
            left -= len(data)


def _line_problem(
    raw: bytes, number: int, seen: set[str], models: list[Any]
) -> dict[str, Any] | None:
    """The validation error of one input line, as OpenAI lists it in `errors.data`."""

    def error(code: str, message: str, param: str | None = None) -> dict[str, Any]:
        return {"code": code, "message": message, "param": param, "line": number}

    try:
        line = json.loads(raw)
    except ValueError:
        line = None
    if not isinstance(line, dict):
        return error("invalid_json_line", "This line is not parseable as valid JSON.")
    for name in ("custom_id", "method", "url", "body"):
        if line.get(name) in (None, ""):
            return error(
                "missing_required_parameter", f"Missing required parameter: '{name}'.", name
            )
    custom_id, body = line["custom_id"], line["body"]
    if not isinstance(custom_id, str):
        return error("invalid_request", "The custom_id must be a string.", "custom_id")
    if line["method"] != "POST":
        return error("invalid_request", "The method for this request must be 'POST'.", "method")
    if line["url"] != ENDPOINT:
        return error(
            "url_mismatch",
            "The URL provided for this request does not match the batch endpoint.",
            "url",
        )
    if not isinstance(body, dict):
        return error("invalid_request", "The body of this request must be an object.", "body")
    if custom_id in seen:
        return error(
            "duplicate_custom_id",
            "The custom_id for this request is a duplicate of another request. The "
            "custom_id parameter must be unique for each request in a batch.",
            "custom_id",
        )
    seen.add(custom_id)
    if not models:
        models.append(body.get("model"))
    elif body.get("model") != models[0]:
        return error(
            "model_mismatch",
            "The provided model for this request does not match the model of the other "
            "requests in the batch. Each batch must use a single model.",
            "body.model",
        )
    return None


class BatchServer:
    """OpenAI's Files and Batches API on 127.0.0.1; see the module docstring."""

    def __init__(
        self,
        answer: Answer | None = None,
        *,
        plans: Iterable[str] = (),
        default_plan: str = "complete",
        validate_lines: bool = True,
        seed: int = 0,
        port: int = 0,
    ) -> None:
        self.answer: Answer = answer or minimal
        self.plans: list[str] = list(plans)
        self.default_plan = default_plan
        self.validate_lines = validate_lines
        self.seed = seed
        self.received: list[Received] = []
        self.files: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.errors: list[str] = []
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()
        self.dir = Path(tempfile.mkdtemp(prefix="batch-server-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(self.dir), True)
        self.httpd = _Server(("127.0.0.1", port), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> BatchServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()
        self._cleanup()

    # Test hooks.

    def calls(self, method: str, path_prefix: str = "/v1/") -> int:
        with self._lock:
            return sum(
                1 for r in self.received if r.method == method and r.path.startswith(path_prefix)
            )

    def file_bytes(self, file_id: str) -> bytes:
        if file_id not in self.files:
            raise KeyError(file_id)
        return (self.dir / file_id).read_bytes()

    # Files.

    def _add_file(self, file_id: str, filename: str, purpose: str, size: int) -> dict[str, Any]:
        now = int(time.time())
        obj: dict[str, Any] = {
            "id": file_id,
            "object": "file",
            "bytes": size,
            "created_at": now,
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
            "status_details": None,
            "expires_at": now + 30 * 86400 if purpose.startswith("batch") else None,
        }
        with self._lock:
            self.files[file_id] = obj
        return obj

    def _file(self, file_id: str) -> dict[str, Any]:
        with self._lock:
            obj = self.files.get(file_id)
        if obj is None:
            raise _Problem(404, f"No such File object: {file_id}")
        return obj

    def upload(self, body: Path, content_type: str) -> dict[str, Any]:
        """Store the file part of a multipart body already on disk."""
        match = re.search(r'boundary="?([^";]+)"?', content_type)
        if not content_type.lower().startswith("multipart/form-data") or not match:
            raise _Problem(400, "Expected a multipart/form-data body with a boundary.")
        parts = _multipart_parts(body, match.group(1).encode("latin-1"))
        fields = {p.name: p for p in parts}
        purpose_part, file_part = fields.get("purpose"), fields.get("file")
        if purpose_part is None:
            raise _Problem(400, "Missing required parameter: 'purpose'.")
        if file_part is None:
            raise _Problem(400, "Missing required parameter: 'file'.")
        with open(body, "rb") as f:
            f.seek(purpose_part.start)
            purpose = f.read(min(256, purpose_part.end - purpose_part.start)).decode()
        file_id = f"file-{uuid.uuid4().hex[:24]}"
        _copy_range(body, self.dir / file_id, file_part.start, file_part.end)
        size = file_part.end - file_part.start
        return self._add_file(file_id, file_part.filename or "upload", purpose.strip(), size)

    def delete_file(self, file_id: str) -> dict[str, Any]:
        self._file(file_id)
        with self._lock:
            self.files.pop(file_id, None)
        (self.dir / file_id).unlink(missing_ok=True)
        return {"id": file_id, "object": "file", "deleted": True}

    # Batches.

    def create_batch(self, request: dict[str, Any]) -> dict[str, Any]:
        for name in ("input_file_id", "endpoint", "completion_window"):
            if not request.get(name):
                raise _Problem(400, f"Missing required parameter: '{name}'.")
        endpoint = request["endpoint"]
        if endpoint != ENDPOINT:
            raise _Problem(400, f"This server only batches {ENDPOINT}, not {endpoint!r}.")
        self._file(request["input_file_id"])
        batch_id = f"batch_{uuid.uuid4().hex[:24]}"
        now = int(time.time())
        batch: dict[str, Any] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": endpoint,
            "model": None,
            "errors": None,
            "input_file_id": request["input_file_id"],
            "completion_window": request["completion_window"],
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "in_progress_at": None,
            "expires_at": now + 86400,
            "finalizing_at": None,
            "completed_at": None,
            "failed_at": None,
            "expired_at": None,
            "cancelling_at": None,
            "cancelled_at": None,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "usage": _usage(0, 0),
            "metadata": request.get("metadata"),
        }
        with self._lock:
            plan = self.plans.pop(0) if self.plans else self.default_plan
            if plan not in PLANS:
                raise _Problem(500, f"unknown plan {plan!r}; plans are {PLANS}")
            self._runs[batch_id] = _Run(
                plan,
                _Staging(self.dir / f"{batch_id}.output.staging"),
                _Staging(self.dir / f"{batch_id}.error.staging"),
            )
            self.batches[batch_id] = batch
            return copy.deepcopy(batch)

    def _run(self, batch_id: str) -> _Run:
        with self._lock:
            run = self._runs.get(batch_id)
        if run is None:
            raise _Problem(404, f"No such Batch object: {batch_id}")
        return run

    def _snapshot(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self.batches[batch_id])

    def _update(self, batch_id: str, run: _Run | None = None, **fields: Any) -> None:
        with self._lock:
            batch = self.batches[batch_id]
            batch.update(fields)
            if run is not None:
                batch["request_counts"] = {
                    "total": run.total,
                    "completed": run.completed,
                    "failed": run.failed,
                }
                batch["usage"] = _usage(run.input_tokens, run.output_tokens)

    def retrieve_batch(self, batch_id: str) -> dict[str, Any]:
        """The batch, one step further along its plan."""
        run = self._run(batch_id)
        with run.lock:
            self._step(batch_id, run)
            return self._snapshot(batch_id)

    def cancel_batch(self, batch_id: str) -> dict[str, Any]:
        run = self._run(batch_id)
        with run.lock:
            status = self._snapshot(batch_id)["status"]
            if status in TERMINAL:
                raise _Problem(409, f"Cannot cancel a batch with status '{status}'.")
            if status != "cancelling":
                self._update(batch_id, status="cancelling", cancelling_at=int(time.time()))
            return self._snapshot(batch_id)

    def list_batches(self, query: dict[str, list[str]]) -> dict[str, Any]:
        with self._lock:
            ordered = [copy.deepcopy(b) for b in reversed(self.batches.values())]
        return _page(ordered, query)

    def _step(self, batch_id: str, run: _Run) -> None:
        batch = self._snapshot(batch_id)
        status, now = batch["status"], int(time.time())
        input_path = self.dir / batch["input_file_id"]
        if status == "validating":
            if not input_path.exists():
                self._fail(batch_id, [_error("invalid_file", "The input file was deleted.")])
            elif run.plan == "fail":
                scripted = "This batch fails validation by plan ('fail')."
                self._fail(batch_id, [_error("invalid_request", scripted, line=1)])
            else:
                total, model, errors = self._validate(input_path)
                if errors:
                    self._fail(batch_id, errors)
                else:
                    run.total = total
                    self._update(
                        batch_id, run, status="in_progress", in_progress_at=now, model=model
                    )
                    self._answer_lines(input_path, run, total // 2)
                    self._update(batch_id, run)
        elif status == "in_progress":
            if run.plan == "expire":
                self._drain(input_path, run, EXPIRED)
                self._finish(batch_id, run, status="expired", expired_at=now)
            elif run.plan != "stall":
                self._answer_lines(input_path, run, None)
                self._update(batch_id, run, status="finalizing", finalizing_at=now)
        elif status == "finalizing":
            self._finish(batch_id, run, status="completed", completed_at=now)
        elif status == "cancelling":
            if input_path.exists():
                self._drain(input_path, run, CANCELLED)
            self._finish(batch_id, run, status="cancelled", cancelled_at=now)

    def _fail(self, batch_id: str, errors: list[dict[str, Any]]) -> None:
        self._update(
            batch_id,
            status="failed",
            failed_at=int(time.time()),
            errors={"object": "list", "data": errors},
        )

    def _finish(self, batch_id: str, run: _Run, **fields: Any) -> None:
        """Publish the output and error files (shuffled) and end the batch."""
        rng = random.Random(f"{self.seed}:{batch_id}")
        ids: dict[str, str | None] = {"output_file_id": None, "error_file_id": None}
        for key, staging, kind in (
            ("output_file_id", run.ok, "output"),
            ("error_file_id", run.err, "error"),
        ):
            if staging.spans:
                file_id = f"file-{uuid.uuid4().hex[:24]}"
                size = staging.publish(self.dir / file_id, rng)
                self._add_file(file_id, f"{batch_id}_{kind}.jsonl", "batch_output", size)
                ids[key] = file_id
            else:
                staging.path.unlink(missing_ok=True)
        self._update(batch_id, run, **ids, **fields)

    def _validate(self, path: Path) -> tuple[int, Any, list[dict[str, Any]]]:
        """(lines, model, errors) of an input file, read a line at a time."""
        seen: set[str] = set()
        models: list[Any] = []
        errors: list[dict[str, Any]] = []
        total = 0
        with open(path, "rb") as f:
            for total, raw in enumerate(f, start=1):
                if not self.validate_lines:
                    continue
                problem = _line_problem(raw, total, seen, models)
                if problem is not None and len(errors) < MAX_ERRORS:
                    errors.append(problem)
        if self.validate_lines and total == 0:
            errors.append(_error("empty_file", "The batch input file is empty."))
        if self.validate_lines and total > MAX_LINES:
            message = f"The batch input file has {total} requests; at most {MAX_LINES}."
            errors.append(_error("too_many_tasks", message))
        return total, (models[0] if models else None), errors

    def _lines(self, path: Path, run: _Run, limit: int | None) -> Iterator[bytes]:
        """The input's lines from where the batch stopped, `limit` of them at most,
        moving the batch's place as they are taken."""
        with open(path, "rb") as f:
            f.seek(run.offset)
            while limit is None or limit > 0:
                raw = f.readline()
                if not raw:
                    return
                run.offset += len(raw)
                run.lines += 1
                if limit is not None:
                    limit -= 1
                yield raw

    def _answer_lines(self, path: Path, run: _Run, limit: int | None) -> None:
        with open(run.ok.path, "ab") as ok, open(run.err.path, "ab") as err:
            for raw in self._lines(path, run, limit):
                self._answer_one(raw, run, ok, err)
        run.total = max(run.total, run.lines)

    def _answer_one(self, raw: bytes, run: _Run, ok: BinaryIO, err: BinaryIO) -> None:
        try:
            line = json.loads(raw)
        except ValueError:
            line = None
        if not isinstance(line, dict):
            code, message = "invalid_json_line", "This line is not parseable as valid JSON."
            run.failed += 1
            run.err.add(err, _result_line(None, None, {"code": code, "message": message}))
            return
        custom_id = line.get("custom_id")
        try:
            _answering.line, _answering.size = line, len(raw)
            result = self.answer(line)
        except Exception as exc:
            with self._lock:
                self.errors.append(traceback.format_exc())
            result = Fault(500, "answer_raised", f"{type(exc).__name__}: {exc}")
        finally:
            _answering.line = None
        if isinstance(result, Fault):
            run.failed += 1
            if result.status <= 0:
                error = {"code": result.code, "message": result.message}
                run.err.add(err, _result_line(custom_id, None, error))
                return
            kind = "server_error" if result.status >= 500 else "invalid_request_error"
            body = {
                "error": {
                    "message": result.message,
                    "type": kind,
                    "param": None,
                    "code": result.code,
                }
            }
            run.err.add(err, _result_line(custom_id, _response(result.status, body), None))
            return
        run.completed += 1
        usage = result.get("usage") or {}
        run.input_tokens += int(usage.get("prompt_tokens") or 0)
        run.output_tokens += int(usage.get("completion_tokens") or 0)
        run.ok.add(ok, _result_line(custom_id, _response(200, result), None))

    def _drain(self, path: Path, run: _Run, reason: tuple[str, str]) -> None:
        """Every line not yet answered goes to the error file as never made."""
        code, message = reason
        with open(run.err.path, "ab") as err:
            for raw in self._lines(path, run, None):
                try:
                    line = json.loads(raw)
                except ValueError:
                    line = None
                custom_id = line.get("custom_id") if isinstance(line, dict) else None
                run.failed += 1
                run.err.add(err, _result_line(custom_id, None, {"code": code, "message": message}))
        run.total = max(run.total, run.lines)


def _error(code: str, message: str, line: int | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "param": None, "line": line}


def _usage(prompt: int, answered: int) -> dict[str, Any]:
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": answered,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + answered,
    }


def _response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"status_code": status, "request_id": f"req_{uuid.uuid4().hex[:24]}", "body": body}


def _result_line(
    custom_id: Any, response: dict[str, Any] | None, error: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        "id": f"batch_req_{uuid.uuid4().hex[:24]}",
        "custom_id": custom_id,
        "response": response,
        "error": error,
    }


def _page(ordered: list[dict[str, Any]], query: dict[str, list[str]]) -> dict[str, Any]:
    """A cursor page, newest first, as OpenAI's list endpoints (`limit`, `after`)."""
    try:
        limit = max(1, min(100, int(query.get("limit", ["20"])[0])))
    except ValueError as exc:
        raise _Problem(400, "limit must be an integer.") from exc
    after = query.get("after", [None])[0]
    if after is not None:
        ids = [item["id"] for item in ordered]
        ordered = ordered[ids.index(after) + 1 :] if after in ids else []
    data = ordered[:limit]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": len(ordered) > limit,
    }


def _handler(server: BatchServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

        def _body_chunks(self) -> Iterator[bytes]:
            """The request body, a chunk at a time (content-length or chunked)."""
            if "chunked" in self.headers.get("transfer-encoding", "").lower():
                while True:
                    size_line = self.rfile.readline(65537)
                    if not size_line:
                        raise ConnectionError("the body ended early")
                    size = int(size_line.split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                            pass  # trailers
                        return
                    yield from self._exactly(size)
                    self.rfile.readline(65537)  # the CRLF after the chunk
            else:
                yield from self._exactly(int(self.headers.get("content-length") or 0))

        def _exactly(self, size: int) -> Iterator[bytes]:
            while size > 0:
                data = self.rfile.read(min(CHUNK, size))
                if not data:
                    raise ConnectionError("the body ended early")
                size -= len(data)
                yield data

        def _json_body(self) -> dict[str, Any]:
            raw = b"".join(self._body_chunks())
            try:
                body = json.loads(raw or b"{}")
            except ValueError as exc:
                raise _Problem(400, "We could not parse the JSON body of your request.") from exc
            if not isinstance(body, dict):
                raise _Problem(400, "The request body must be a JSON object.")
            return body

        def _serve(self, method: str) -> None:
            url = urlsplit(self.path)
            route = url.path.rstrip("/")
            query = parse_qs(url.query)
            summary = ""
            body_read = False
            try:
                if method == "POST" and route == "/v1/files":
                    spool = server.dir / f"upload-{uuid.uuid4().hex}.part"
                    try:
                        with open(spool, "wb") as out:
                            for chunk in self._body_chunks():
                                out.write(chunk)
                        body_read = True
                        obj = server.upload(spool, self.headers.get("content-type", ""))
                    finally:
                        spool.unlink(missing_ok=True)
                    summary = (
                        f"purpose={obj['purpose']} filename={obj['filename']} bytes={obj['bytes']}"
                    )
                    self._send_json(200, obj)
                    return
                cancel = re.fullmatch(r"/v1/batches/([^/]+)/cancel", route)
                if method == "POST" and (route == "/v1/batches" or cancel):
                    request = self._json_body()
                    body_read = True
                    if cancel:
                        self._send_json(200, server.cancel_batch(cancel.group(1)))
                        return
                    summary = json.dumps(request, sort_keys=True)
                    self._send_json(200, server.create_batch(request))
                    return
                for _ in self._body_chunks():  # any other request's body, unread
                    pass
                body_read = True
                if method == "GET" and route == "/v1/files":
                    with server._lock:
                        files = [dict(f) for f in reversed(server.files.values())]
                    purpose = query.get("purpose", [None])[0]
                    files = [f for f in files if purpose in (None, f["purpose"])]
                    self._send_json(200, _page(files, query))
                    return
                match = re.fullmatch(r"/v1/files/([^/]+)(/content)?", route)
                if match and method == "GET" and match.group(2):
                    self._send_file(match.group(1))
                    return
                if match and method == "GET":
                    self._send_json(200, dict(server._file(match.group(1))))
                    return
                if match and method == "DELETE":
                    self._send_json(200, server.delete_file(match.group(1)))
                    return
                if method == "GET" and route == "/v1/batches":
                    self._send_json(200, server.list_batches(query))
                    return
                match = re.fullmatch(r"/v1/batches/([^/]+)", route)
                if match and method == "GET":
                    self._send_json(200, server.retrieve_batch(match.group(1)))
                    return
                raise _Problem(404, f"Invalid URL ({method} {url.path})")
            except _Problem as problem:
                summary = summary or f"{problem.status}: {problem.message}"
                if not body_read:
                    self.close_connection = True
                self._send_json(
                    problem.status,
                    {
                        "error": {
                            "message": problem.message,
                            "type": "invalid_request_error"
                            if problem.status < 500
                            else "server_error",
                            "param": None,
                            "code": problem.code,
                        }
                    },
                )
            except ConnectionError as exc:
                summary = f"connection: {exc}"
                self.close_connection = True
            except Exception as exc:
                with server._lock:
                    server.errors.append(traceback.format_exc())
                summary = f"500: {type(exc).__name__}: {exc}"
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self._send_json(
                        500,
                        {"error": {"message": summary, "type": "server_error", "code": None}},
                    )
            finally:
                with server._lock:
                    server.received.append(Received(method, self.path, summary))

        def _send_json(self, status: int, obj: dict[str, Any]) -> None:
            data = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _send_file(self, file_id: str) -> None:
            server._file(file_id)
            path = server.dir / file_id
            with open(path, "rb") as f:
                size = path.stat().st_size
                self.send_response(200)
                self.send_header("content-type", "application/octet-stream")
                self.send_header("content-length", str(size))
                self.end_headers()
                while data := f.read(CHUNK):
                    self.wfile.write(data)

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="OpenAI Files + Batches on loopback.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--reask-share",
        type=float,
        default=0.0,
        help="share of first requests answered with an invented person (re-asked)",
    )
    parser.add_argument("--plan", choices=PLANS, default="complete")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    answer = inventing(args.reask_share, args.seed) if args.reask_share > 0 else minimal

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    with BatchServer(answer, default_plan=args.plan, seed=args.seed, port=args.port) as server:
        print(server.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
