"""The real thing: llama-cpp-python's OpenAI-compatible server, run with the bundled
model and a 2,048-token context on loopback, driven through the CLI as a user would.

CI sets SUMMARIZER_REAL_SERVER_TESTS=1: there a missing part is a failure, not a skip.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from conftest import EXAMPLE

REQUIRED = os.environ.get("SUMMARIZER_REAL_SERVER_TESTS") == "1"
CONTEXT = 2048
PARTS = ("llama_cpp", "fastapi", "uvicorn", "sse_starlette", "starlette_context")


def _missing() -> str | None:
    absent = [name for name in PARTS if importlib.util.find_spec(name) is None]
    if absent:
        return f"llama-cpp-python's server needs {', '.join(absent)}: pip install '.[server]'"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if (why := _missing()) is not None:
        if REQUIRED:
            pytest.fail(why)
        pytest.skip(why)
    from summarizer.backends.local import check_available

    model = check_available(None)
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "summarizer", "serve", "--model", str(model),
             "--n_ctx", str(CONTEXT), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if k != "SUMMARIZER_LLAMA_REPACK"},
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx2.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx2.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        # Repacked weights crash llama.cpp on AMX CPUs at the first request: the server
        # must have loaded its model without them (the requests below would crash there).
        assert "weight repacking off" in log.read_text(), log.read_text()[-2000:]
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _summarize(
    url: str, strategy: str, out: Path
) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", str(EXAMPLE), "--base-url", url,
         "--model", "smollm2", "--strategy", strategy, "--no-cache", "--output-dir", str(out)],
        capture_output=True, text=True, timeout=900,
        env={**os.environ, "OPENAI_API_KEY": ""},
    )  # fmt: skip
    return done, time.monotonic() - started


def _grounded(summary: dict[str, object], text: str) -> None:
    for statement in summary["statements"]:  # type: ignore[attr-defined]
        for span in statement["evidence"]:
            assert text[span["start"] : span["end"]] == span["text"]


def test_the_focused_strategy_summarizes_through_a_small_context(
    server: str, tmp_path: Path
) -> None:
    done, seconds = _summarize(server, "focused", tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / f"{EXAMPLE.stem}.json").read_text())
    assert summary["actors"] and summary["provenance"]["backend"] == "openai-compatible"
    assert summary["provenance"]["usage"]["prompt_tokens"] > 0
    _grounded(summary, EXAMPLE.read_text(encoding="utf-8"))
    print(f"focused: {seconds:.1f} s")


def test_the_single_strategy_summarizes_or_fails_fast_saying_why(
    server: str, tmp_path: Path
) -> None:
    """The schema and the article take ~1,500 of the 2,048 tokens: the answer may fit,
    a re-ask may not. Either a summary, or one line about the context, never a run of
    requests that cannot fit."""
    done, seconds = _summarize(server, "single", tmp_path)
    if done.returncode == 0:
        summary = json.loads((tmp_path / f"{EXAMPLE.stem}.json").read_text())
        _grounded(summary, EXAMPLE.read_text(encoding="utf-8"))
        assert summary["provenance"]["attempts"] <= 3, "no more answers than re-asks allow"
    else:
        error = json.loads((tmp_path / f"{EXAMPLE.stem}.error.json").read_text())
        message = error["error"]["message"]
        assert "context" in message or "cut off" in message, message
        assert error["error"]["type"] != "BackendTimeoutError", "not after a minute of tries"
    assert "Traceback" not in done.stderr
    print(f"single: exit {done.returncode} in {seconds:.1f} s; {done.stderr.strip()[-400:]}")
