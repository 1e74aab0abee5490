"""Replay of recorded fixtures: the offline path every other test stands on."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, FIXTURES, assert_grounded, error_lines

from summarizer import ReplayMissError, Summary, summarize_file
from summarizer.cli.main import main


def test_reference_article_replays_offline(
    capsys: pytest.CaptureFixture[str], article_text: str
) -> None:
    assert main(["summarize", str(EXAMPLE), "--replay", str(FIXTURES)]) == 0
    summary = Summary.model_validate_json(capsys.readouterr().out)
    people = {p.id: p.name for p in summary.actors}
    moscow = [m for m in summary.meetings if m.place == "Moscow"]
    assert len(moscow) == 1
    assert {people[pid] for pid in moscow[0].participants} == {"Sergey Lavrov", "Asaad al-Shaibani"}
    assert (people[moscow[0].visitor], people[moscow[0].host]) == (
        "Asaad al-Shaibani",
        "Sergey Lavrov",
    )
    invitation = [p for p in summary.proposals if p.kind == "invitation"]
    assert [people[r] for r in invitation[0].recipients] == ["Ahmad al-Sharaa"]
    assert assert_grounded(summary, article_text) > 20
    assert summary.provenance.backend == "replay (hand-written)"
    assert summary.provenance.source.path == str(EXAMPLE)


def test_reference_fixture_says_it_is_hand_written() -> None:
    metas = [json.loads(f.read_text())["meta"] for f in FIXTURES.glob("*.json")]
    reference = [m for m in metas if m["source"].endswith("lavrov-shaibani-moscow.txt")]
    default_model = [
        m for m in reference if m["model"] == "gpt-4o-mini"
    ]  # what the quick start hits
    assert len(default_model) == 1
    assert default_model[0]["origin"] == "hand-written"
    assert default_model[0]["backend"] == "none"
    assert "not the output of any model" in default_model[0]["note"]


def test_every_fixture_is_labelled_and_has_no_credentials() -> None:
    for file in FIXTURES.glob("*.json"):
        data = json.loads(file.read_text())
        assert data["meta"]["origin"] in ("recorded", "hand-written"), file
        assert "headers" not in data["request"], file
        assert "authorization" not in file.read_text().lower(), file


def test_miss_names_a_changed_prompt_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.extraction import prompts

    templates = tmp_path / "prompts"
    shutil.copytree(prompts._template_dir(), templates)
    system = templates / "system.j2"
    system.write_text(system.read_text() + "\nBe brief.\n")
    monkeypatch.setattr(prompts, "_template_dir", lambda: templates)
    prompts._environment.cache_clear()
    prompts.prompt_version.cache_clear()
    try:
        with pytest.raises(ReplayMissError, match="prompt template changed") as caught:
            summarize_file(EXAMPLE, replay=FIXTURES)
        assert "lavrov-shaibani-moscow" in str(caught.value)
    finally:
        prompts._environment.cache_clear()
        prompts.prompt_version.cache_clear()


def test_miss_names_a_different_model_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["summarize", str(EXAMPLE), "--replay", str(FIXTURES), "--model", "other-model"])
    err = capsys.readouterr().err
    assert code == 1
    assert "model differs (fixture gpt-4o-mini, now other-model)" in err
    assert len(error_lines(err)) == 1


def test_miss_on_unknown_article(tmp_path: Path) -> None:
    article = tmp_path / "other.txt"
    article.write_text("Ministers met in Paris on Monday.")
    with pytest.raises(ReplayMissError, match="article text differs"):
        summarize_file(article, replay=FIXTURES)


def test_fixture_recorded_from_a_real_server_replays(capsys: pytest.CaptureFixture[str]) -> None:
    """Recorded from llama.cpp's OpenAI-compatible server running SmolLM2-135M on loopback,
    with the focused strategy: the model chose among three speakers, and chose badly."""
    recorded = [json.loads(f.read_text())["meta"] for f in FIXTURES.glob("*.json")]
    from_server = [m for m in recorded if m["model"] == "smollm2-135m"]
    assert from_server and all(m["origin"] == "recorded" for m in from_server)
    args = ["--model", "smollm2-135m", "--strategy", "focused"]
    assert main(["summarize", str(EXAMPLE), "--replay", str(FIXTURES), *args]) == 0
    summary = Summary.model_validate_json(capsys.readouterr().out)
    assert summary.provenance.model == "smollm2-135m"
    assert summary.provenance.backend == "replay (recorded)"
    recorded_tokens = sum(
        json.loads(f.read_text())["response"]["body"]["usage"]["completion_tokens"]
        for f in FIXTURES.glob("*.json")
        if json.loads(f.read_text())["meta"]["model"] == "smollm2-135m"
    )
    assert summary.provenance.usage.completion_tokens == recorded_tokens > 0
    speakers = {
        p.name for p in summary.actors if any(s.speaker == p.id for s in summary.statements)
    }
    # What a 135M model does when it gets to choose: al-Shaibani's words go to the state
    # and the government named near them, never to the man himself.
    assert speakers == {"Sergey Lavrov", "Syria", "Syrian government"}


def test_request_key_ignores_pydantic_documentation_links() -> None:
    from summarizer.backends.recording import request_key

    def body(error: str) -> dict[str, object]:
        return {
            "model": "m",
            "messages": [{"role": "user", "content": f"Validation Error found:\n{error}\nRecall"}],
        }

    plain = body("1 validation error\n  Value error, bad quote")
    linked = body(
        "1 validation error\n  Value error, bad quote\n"
        "    For further information visit https://errors.pydantic.dev/2.14/v/value_error"
    )
    assert request_key("chat/completions", plain) == request_key("chat/completions", linked)
    assert request_key("chat/completions", plain) != request_key("chat/completions", body("other"))
