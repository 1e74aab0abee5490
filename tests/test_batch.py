"""Batches: bounded concurrency, the summary cache, resume, token budget, reporting."""

import asyncio
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, error_lines
from openai_server import OpenAIServer, answer

from summarizer.cli.main import main
from summarizer.cli.progress import Progress, Tally


def _articles(folder: Path, n: int) -> Path:
    """n distinct copies of the reference article (a marker paragraph at the end)."""
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"a{i:03}.txt").write_text(text + f"\n\n(Copy {i}.)\n", encoding="utf-8")
    return folder


def test_concurrency_is_bounded_and_results_stream(
    tmp_path: Path, good_answer: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _articles(tmp_path / "in", 12)
    with OpenAIServer(default=answer(good_answer, delay=0.3)) as server:
        code = main(["summarize", str(folder), "--base-url", server.url, "--concurrency", "4"])
    assert code == 0
    assert len(server.received) == 12
    assert server.max_in_flight == 4
    assert len(capsys.readouterr().out.splitlines()) == 12


def test_rerun_comes_from_the_cache_and_sends_nothing(
    tmp_path: Path, good_answer: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _articles(tmp_path / "in", 5)
    args = ["summarize", str(folder), "--cache-dir", str(tmp_path / "c")]
    with OpenAIServer(default=answer(good_answer, tokens=2000)) as server:
        assert main([*args, "--base-url", server.url]) == 0
        first = capsys.readouterr()
        assert main([*args, "--base-url", server.url]) == 0
        second = capsys.readouterr()
        assert main([*args, "--base-url", server.url, "--no-cache"]) == 0
    assert len(server.received) == 10  # 5, then 0, then 5 with --no-cache
    assert "5 summarized, 0 failed; 5 requests (0 re-asks); tokens 10,000 in" in first.err
    assert "5 summarized (5 from cache)" in second.err and "tokens 0 in" in second.err
    cached = [json.loads(line)["provenance"]["cached"] for line in second.out.splitlines()]
    assert cached == [True] * 5


def test_a_code_change_misses_the_cache(
    tmp_path: Path, good_answer: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache key holds a fingerprint of the package's sources: the same sources
    elsewhere hit, a changed one misses."""
    from summarizer import summarize_file
    from summarizer.io import cache

    package = Path(cache.__file__).parent.parent
    same, changed = tmp_path / "same", tmp_path / "changed"
    for copy in (same, changed):
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    salvage = changed / "grounding" / "salvage.py"
    salvage.write_text(salvage.read_text() + "\n# a fix that changes what is kept\n")
    with OpenAIServer(default=answer(good_answer)) as server:
        runs = []
        for source in (package, same, changed, changed):
            monkeypatch.setattr(cache, "_PACKAGE", source, raising=False)
            runs.append(summarize_file(EXAMPLE, base_url=server.url).provenance.cached)
    assert runs == [False, True, False, True]
    assert len(server.received) == 2


def test_output_dir_resumes_and_force_redoes(
    tmp_path: Path, good_answer: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    args = ["summarize", str(folder), "--output-dir", str(out), "--no-cache"]
    with OpenAIServer(default=answer(good_answer)) as server:
        assert main([*args, "--base-url", server.url]) == 0
        changed = folder / "a001.txt"
        changed.write_text(changed.read_text() + "\n(Revised.)\n")  # its output is stale now
        assert main([*args, "--base-url", server.url]) == 0
        assert len(server.received) == 4
        assert "2 skipped (output already there)" in capsys.readouterr().err
        assert main([*args, "--base-url", server.url, "--force"]) == 0
    assert len(server.received) == 7


def test_token_budget_stops_new_requests(
    tmp_path: Path, good_answer: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _articles(tmp_path / "in", 4)
    with OpenAIServer(default=answer(good_answer, tokens=2000)) as server:
        code = main(
            ["summarize", str(folder), "--base-url", server.url, "--concurrency", "1",
             "--max-total-tokens", "3000", "--no-cache"]
        )  # fmt: skip
    assert code == 1
    assert len(server.received) == 2
    errors = error_lines(capsys.readouterr().err)
    assert len(errors) == 2 and all("budget of 3,000 tokens is spent" in e for e in errors)


@pytest.mark.parametrize("via", ["cli", "python"])
def test_token_budget_holds_at_concurrency_16(
    tmp_path: Path, good_answer: dict[str, Any], via: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every document needs a re-ask, every request uses 3,000 tokens, 16 may be in
    flight. A request goes out only while the tokens used plus each in-flight request's
    reservation (its prompt estimate plus max_tokens, more than 3,000 here) are below the
    budget, so the run stays below the budget plus one request's use: in steps of 3,000,
    at the budget exactly (requests are refused only once it is reached)."""
    budget, per_request = 60_000, 3000
    folder = _articles(tmp_path / "in", 64)
    bad = json.loads(json.dumps(good_answer))
    bad["statements"][5].update(quote_id=None, quote="We will never stand with Russia")

    def step(request: dict[str, Any]) -> Any:
        first = len(request["messages"]) == 2  # system and article: not a re-ask
        return answer(bad if first else good_answer, delay=0.1, tokens=per_request)(request)

    options = {"concurrency": 16, "max_total_tokens": budget, "max_tokens": 500}
    with OpenAIServer(default=step) as server:
        if via == "cli":
            flags = [f"--{k.replace('_', '-')}={v}" for k, v in options.items()]
            main(["summarize", str(folder), "--base-url", server.url, "--no-cache", *flags])
            final = capsys.readouterr().err.splitlines()[-1]
            counted = sum(
                int(n.replace(",", "")) for n in re.findall(r"([\d,]+) (?:in|on)\b", final)
            )
        else:
            from summarizer import summarize_many

            async def collect() -> list[Any]:
                paths = sorted(folder.glob("*.txt"))
                run = summarize_many(paths, base_url=server.url, cache=False, **options)
                return [o async for o in run]

            outcomes = asyncio.run(collect())
            counted = sum(
                o.summary.provenance.usage.total_tokens if o.summary else o.error.tokens
                for o in outcomes
            )
    used = per_request * len(server.received)
    assert used == budget
    assert counted == used  # what was in flight is counted in the run's totals
    assert server.max_in_flight > 1


def test_progress_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    tally = Tally(total=3)
    piped, terminal = io.StringIO(), Terminal()
    with Progress(tally, stream=piped) as progress:
        progress.update()
    assert piped.getvalue() == ""
    with Progress(tally, stream=terminal) as progress:
        assert progress.enabled
        progress.update()


def test_final_line_prices_known_models() -> None:
    tally = Tally(total=2, done=2, prompt_tokens=1_000_000, completion_tokens=100_000)
    assert "about $0.2100 at gpt-4o-mini list prices" in tally.line("gpt-4o-mini", "openai")
    assert "local model, no cost" in tally.line("SmolLM2", "local")
    assert "$" not in tally.line("my-model", "openai")
    assert "replayed, no cost" in tally.line("gpt-4o-mini", "replay")


def test_cli_module_defers_heavy_imports() -> None:
    heavy = (
        "instructor",
        "openai",
        "rich",
        "llama_cpp",
        "summarizer.batch_api",
        "summarizer.report",
        "summarizer.corpus",
    )
    code = (
        f"import sys, summarizer.cli.main; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_package_root_loads_what_it_defers_on_first_use() -> None:
    code = (
        "import sys, summarizer; assert 'summarizer.batch_api' not in sys.modules; "
        "from summarizer import submit_batch, BatchReport, build_report, export_corpus; "
        "print(submit_batch.__name__, BatchReport.__module__, build_report.__name__, "
        "export_corpus.__name__, sorted(set(summarizer.__all__) - set(dir(summarizer))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    expected = "submit_batch summarizer.batch_api.report build_report export_corpus []"
    assert out.stdout.strip() == expected


def test_python_summarize_many_yields_every_outcome(
    tmp_path: Path, good_answer: dict[str, Any]
) -> None:
    import asyncio

    from summarizer import summarize_many

    folder = _articles(tmp_path / "in", 6)
    paths = [*sorted(folder.glob("*.txt")), tmp_path / "missing.txt"]

    async def collect(url: str) -> list[Any]:
        return [o async for o in summarize_many(paths, base_url=url, concurrency=3)]

    with OpenAIServer(default=answer(good_answer, delay=0.1)) as server:
        outcomes = asyncio.run(collect(server.url))
    assert len(outcomes) == 7 and server.max_in_flight == 3
    assert sum(o.summary is not None for o in outcomes) == 6
    assert [o.error.kind for o in outcomes if o.error] == ["input"]


def test_budget_counts_failures_and_spares_cached_inputs(
    tmp_path: Path, good_answer: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _articles(tmp_path / "in", 3)
    cache = ["--cache-dir", str(tmp_path / "c"), "--max-reasks", "1"]
    server = OpenAIServer(answer(good_answer, tokens=2000), default=answer("not JSON", tokens=2000))
    with server:
        assert main(["summarize", str(folder / "a000.txt"), "--base-url", server.url, *cache]) == 0
        code = main(
            ["summarize", str(folder), "--base-url", server.url, "--concurrency", "1",
             "--max-total-tokens", "3000", *cache]
        )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert len(server.received) == 3  # then one failing input, re-asked once: 4,000 tokens
    assert "1 summarized (1 from cache)" in err  # the cached input is not refused
    assert "4,000 on failed inputs" in err
    assert sum("budget of 3,000 tokens is spent" in line for line in error_lines(err)) == 1


def test_stale_markdown_output_is_redone(
    tmp_path: Path, good_answer: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _articles(tmp_path / "in", 1)
    out = tmp_path / "out"
    args = [
        "summarize",
        str(folder),
        "--output-dir",
        str(out),
        "--format",
        "markdown",
        "--no-cache",
    ]
    with OpenAIServer(default=answer(good_answer)) as server:
        assert main([*args, "--base-url", server.url]) == 0
        assert main([*args, "--base-url", server.url]) == 0  # same text: skipped
        article = folder / "a000.txt"
        article.write_text(article.read_text() + "\n(Revised.)\n")
        assert main([*args, "--base-url", server.url]) == 0  # changed text: redone
    assert len(server.received) == 2


def test_a_bug_on_one_input_does_not_sink_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarizer import batch
    from summarizer.io.inputs import read_article

    def flaky(ref: Any, stdin: Any = None, **limits: Any) -> Any:
        if ref.name.endswith("a001.txt"):
            raise RuntimeError("boom")
        return read_article(ref, stdin, **limits)

    monkeypatch.setattr(batch, "read_article", flaky)
    folder = _articles(tmp_path / "in", 3)
    from conftest import FIXTURES

    for p in folder.iterdir():  # the replayable text
        p.write_bytes(EXAMPLE.read_bytes())
    assert main(["summarize", str(folder), "--replay", str(FIXTURES)]) == 1
    err = error_lines(capsys.readouterr().err)
    assert err == [
        f"summarizer: error: {folder / 'a001.txt'}: unexpected RuntimeError: boom (please report)"
    ]
