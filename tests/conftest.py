"""Offline by construction: any connection beyond loopback fails the test."""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "lavrov-shaibani-moscow.txt"
FIXTURES = ROOT / "fixtures"
ANSWER = FIXTURES / "hand-written" / "lavrov-shaibani-moscow.answer.json"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _is_local(host: Any) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _guard(address: Any) -> None:
    if isinstance(address, tuple) and not _is_local(address[0]):
        raise RuntimeError(f"test tried to reach the network: {address!r}")


def _connect(self: socket.socket, address: Any) -> None:
    _guard(address)
    return _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _guard(address)
    return _real_connect_ex(self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_local(host if not isinstance(host, bytes) else host.decode()):
        raise RuntimeError(f"test tried to resolve a network host: {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "SUMMARIZER_MODEL",
        "SUMMARIZER_LLAMA_REPACK",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "summary-cache"))
    # What one test's server taught about its context must not carry into the next.
    from summarizer.backends import window

    monkeypatch.setattr(window, "_WINDOWS", {})


@pytest.fixture
def article_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def good_answer() -> dict[str, Any]:
    """The hand-written answer for the reference article (not a model's output)."""
    return dict(json.loads(ANSWER.read_text(encoding="utf-8")))


def assert_grounded(summary: Any, text: str) -> int:
    """Every span is the article's text at its offsets, and every name occurs in it
    (but an actor's kept as described, which diagnostics say). Returns how many spans
    were checked."""
    from summarizer.article import Article

    article = Article(text)
    items = (*summary.meetings, *summary.statements, *summary.proposals)
    spans = [span for item in items for span in item.evidence]
    spans += [s.quote for s in summary.statements if s.quote is not None]
    for span in spans:
        assert text[span.start : span.end] == span.text, span
    described = {
        d.item for d in getattr(summary, "diagnostics", []) if d.action == "kept as described"
    }
    for span in (s for d in getattr(summary, "diagnostics", []) for s in d.evidence):
        assert text[span.start : span.end] == span.text, span
    for person in summary.actors:
        for name in person.aliases:
            assert article.mentions(name), name
        if not any(article.mentions(n) for n in (person.name,)):
            assert any(person.name in d.problem for d in summary.diagnostics if d.item in described)
    return len(spans)


def error_lines(stderr: str) -> list[str]:
    """The one-line errors of a run, without its final summary line."""
    return [line for line in stderr.splitlines() if line.startswith("summarizer: error:")]


_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _PR_CAPBSET_DROP = 1, 2, 24


def _without_root_file_access() -> None:
    """Run as root, a child would read a chmod-000 file anyway: drop the two
    capabilities that let root ignore file permissions (root keeps everything else)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def as_a_user() -> Callable[[], None] | None:
    """A `preexec_fn` under which file permissions apply to the child, root or not."""
    import os

    return _without_root_file_access if os.geteuid() == 0 else None
