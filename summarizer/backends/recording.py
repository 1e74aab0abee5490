"""Record and replay model exchanges at the HTTP transport, like an httpx cassette.

A fixture is one readable JSON file per request: the request body, the response body
and metadata (created, origin, backend, model, prompt and schema versions). The key is
a hash of the canonical request, so any change to model, messages, schema or sampling
parameters misses; a miss names what differs from the nearest fixture instead of
going to the network. Headers are never stored, so credentials never are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from summarizer.backends.layer import Layer
from summarizer.context import current_document
from summarizer.errors import FixtureWriteError, ReplayMissError
from summarizer.io.files import write_atomic
from summarizer.io.redaction import Redactor

__all__ = [
    "FORMAT",
    "ORIGIN_FIELD",
    "Fixture",
    "FixtureStore",
    "RecordingTransport",
    "ReplayTransport",
    "request_key",
]

FORMAT = 1
_SAMPLING = ("temperature", "top_p", "max_tokens", "max_completion_tokens", "seed", "n", "stop")

# The field a replayed chat completion carries to say whose answer it was ("recorded",
# "hand-written"); the SDK keeps unknown fields, so the caller reads it off the answer.
ORIGIN_FIELD = "summarizer_origin"


def _facts() -> Mapping[str, str]:
    """Facts about the current request that its body doesn't say (which article, which
    prompt version), from its document's context: the transports get only the request.
    Replay says whose answer it gave in the answer itself (`ORIGIN_FIELD`)."""
    context = current_document()
    return context.facts if context is not None else {}


# Pydantic appends a documentation link with its own version to every error; re-asks
# carry that text, and a library upgrade must not invalidate every fixture with a re-ask.
_VOLATILE = re.compile(
    r'\\n *For further information visit https://errors\.pydantic\.dev/[^\s"\\]*'
)


def request_key(path: str, body: dict[str, Any]) -> str:
    """Hash of the endpoint path and the canonical JSON body."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    canonical = _VOLATILE.sub("", canonical)  # on the JSON text, where newlines are escaped
    return hashlib.sha256(f"{path}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class Fixture:
    path: Path
    data: dict[str, Any]

    @property
    def key(self) -> str:
        return str(self.data["key"])

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self.data.get("meta", {}))

    @property
    def body(self) -> dict[str, Any]:
        return dict(self.data["request"]["body"])


class FixtureStore:
    """A folder of fixture files, indexed by key on first use."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._index: dict[str, Fixture] | None = None

    def _load(self) -> dict[str, Fixture]:
        if self._index is None:
            index: dict[str, Fixture] = {}
            for file in sorted(self.folder.glob("*.json")):
                try:
                    data = json.loads(file.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if isinstance(data, dict) and data.get("summarizer_fixture") == FORMAT:
                    index[str(data["key"])] = Fixture(file, data)
            self._index = index
        return self._index

    def get(self, key: str) -> Fixture | None:
        return self._load().get(key)

    def __len__(self) -> int:
        return len(self._load())

    def write(
        self,
        path: str,
        body: dict[str, Any],
        status: int,
        response: Any,
        *,
        origin: str = "recorded",
        note: str | None = None,
        facts: Mapping[str, str] | None = None,
    ) -> Path:
        """Store one exchange. `origin` is "recorded" for a backend that really ran,
        "hand-written" for an answer a person wrote; `note` says more; `facts` about
        the request go into the metadata."""
        facts = facts or {}
        key = request_key(path, body)
        data = {
            "summarizer_fixture": FORMAT,
            "key": key,
            "meta": {
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "origin": origin,
                "backend": facts.get("backend", "openai-compatible")
                if origin == "recorded"
                else "none",
                "model": body.get("model"),
                **{k: v for k, v in facts.items() if k != "backend"},
                **({"note": note} if note else {}),
            },
            "request": {"method": "POST", "path": path, "body": body},
            "response": {"status": status, "body": response},
        }
        label = _slug(facts.get("source", "")) or "request"
        target = self.folder / f"{label}-{key[:12]}.json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(target, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise FixtureWriteError(
                f"cannot write fixtures to {str(self.folder)!r}: {exc.strerror or exc}"
            ) from exc
        self._load()[key] = Fixture(target, data)
        return target

    def explain_miss(
        self, path: str, body: dict[str, Any], facts: Mapping[str, str] | None = None
    ) -> str:
        """Why nothing matched: the differences from the closest fixture (of the same
        article, when `facts` name it)."""
        facts = facts or {}
        fixtures = list(self._load().values())
        where = str(self.folder)
        if not fixtures:
            return f"no recorded response: {where} holds no fixtures"
        scored = [(_differences(f, path, body, facts), f) for f in fixtures]
        same_article = [
            (d, f) for d, f in scored if f.meta.get("article_sha256") == facts.get("article_sha256")
        ]
        diffs, nearest = min(same_article or scored, key=lambda pair: len(pair[0]))
        what = "; ".join(diffs) or (
            "same request, different key: the fixture was written by another version of "
            "summarizer; record it again"
        )
        return (
            f"no recorded response in {where} for this request; nearest {nearest.path.name}: {what}"
        )


def _differences(
    fixture: Fixture, path: str, body: dict[str, Any], facts: Mapping[str, str]
) -> list[str]:
    old, meta = fixture.body, fixture.meta
    out: list[str] = []

    def changed(label: str, a: Any, b: Any) -> None:
        if a != b:
            out.append(f"{label} (fixture {a}, now {b})")

    old_article, new_article = meta.get("article_sha256"), facts.get("article_sha256")
    if old_article and new_article and old_article != new_article:
        out.append("article text differs")
    if meta.get("prompt_version") and facts.get("prompt_version"):
        changed("prompt template changed", meta["prompt_version"], facts["prompt_version"])
    if meta.get("schema_version") and facts.get("schema_version"):
        changed("schema version changed", meta["schema_version"], facts["schema_version"])
    changed("model differs", old.get("model"), body.get("model"))
    if meta.get("mode") and facts.get("mode"):
        changed("mode differs", meta["mode"], facts["mode"])
    for name in ("tools", "tool_choice", "response_format"):
        if old.get(name) != body.get(name) and meta.get("mode") == facts.get("mode"):
            out.append(f"output schema changed ({name})")
    for name in _SAMPLING:
        changed(f"{name} differs", old.get(name), body.get(name))
    old_messages, new_messages = old.get("messages", []), body.get("messages", [])
    if len(old_messages) != len(new_messages):
        out.append(f"conversation has {len(new_messages)} messages, fixture {len(old_messages)}")
    elif old_messages != new_messages and not out:
        out.append("message text differs")
    if fixture.data["request"].get("path") != path:
        out.append(f"endpoint differs ({fixture.data['request'].get('path')} vs {path})")
    known = {"model", "messages", "tools", "tool_choice", "response_format", *_SAMPLING}
    for name in sorted((set(old) | set(body)) - known):
        changed(f"parameter {name} differs", old.get(name), body.get(name))
    return out


class ReplayTransport(httpx2.AsyncBaseTransport):
    """Answers from fixtures only; a request without one raises `ReplayMissError`."""

    def __init__(self, store: FixtureStore):
        self.store = store

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(await request.aread() or b"{}")
        path = _endpoint(request)
        fixture = self.store.get(request_key(path, body))
        if fixture is None:
            raise ReplayMissError(self.store.explain_miss(path, body, _facts()))
        response = fixture.data["response"]
        answer = response["body"]
        if isinstance(answer, dict):  # tell the caller whose answer this was
            answer = {**answer, ORIGIN_FIELD: str(fixture.meta.get("origin", "unknown"))}
        return httpx2.Response(int(response["status"]), json=answer, request=request)


class RecordingTransport(Layer):
    """Passes requests to the real transport and writes each successful exchange."""

    def __init__(
        self,
        store: FixtureStore,
        inner: httpx2.AsyncBaseTransport,
        *,
        origin: str = "recorded",
        note: str | None = None,
    ):
        super().__init__(inner)
        self.store = store
        self.origin = origin
        self.note = note

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        raw = await request.aread()
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        await response.aclose()
        if response.status_code == 200 and raw:
            # An endpoint that echoes the key (a debugging proxy, say) must not put it
            # in a fixture that gets committed.
            redact = Redactor(_bearer_token(request))
            try:
                answer = json.loads(redact(content.decode("utf-8")))
            except ValueError:
                answer = None
            if answer is not None:
                self.store.write(
                    _endpoint(request),
                    json.loads(raw),
                    200,
                    answer,
                    origin=self.origin,
                    note=self.note,
                    facts=_facts(),
                )
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx2.Response(
            response.status_code, headers=headers, content=content, request=request
        )


def _bearer_token(request: httpx2.Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _endpoint(request: httpx2.Request) -> str:
    """The API path without any deployment prefix: `/v1/chat/completions` -> `chat/completions`."""
    path = request.url.path
    for suffix in ("chat/completions", "completions", "embeddings"):
        if path.endswith(suffix):
            return suffix
    return path


def _slug(text: str) -> str:
    stem = Path(text).stem if text else ""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-")[:60]
