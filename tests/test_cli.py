"""The command line: inputs, outputs, exit codes and one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, FIXTURES, as_a_user, error_lines

from summarizer import Summary
from summarizer.cli.main import main

REPLAY = ["--replay", str(FIXTURES)]


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": b"",
        "blank": b"  \n\t\n",
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "latin1": "Caf\u00e9 ministers met in Paris.".encode("latin-1"),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_bytes(data)
    paths["missing"] = tmp_path / "missing.txt"
    return paths


def test_bad_inputs_fail_alone_and_the_good_one_is_summarized(
    tmp_path: Path, bad_inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "summarize",
            str(EXAMPLE),
            *map(str, bad_inputs.values()),
            "--output-dir",
            str(out),
            *REPLAY,
        ]
    )
    stderr = capsys.readouterr().err
    err = error_lines(stderr)
    assert code == 1
    assert (
        stderr.strip().splitlines()[-1].startswith("summarizer: 6 inputs: 1 summarized, 5 failed")
    )
    Summary.model_validate_json((out / "lavrov-shaibani-moscow.json").read_text())
    expected = {
        "empty": "empty",
        "blank": "only white space",
        "binary": "binary data",
        "latin1": "not UTF-8 (byte 0xe9 at offset 3)",
        "missing": "no such file",
    }
    for name, words in expected.items():
        record = json.loads((out / f"{name}.error.json").read_text())
        assert record["error"]["kind"] == "input"
        assert words in record["error"]["message"]
        assert not (out / f"{name}.json").exists()
        assert sum(words in line for line in err) == 1
    assert len(err) == 5  # one line per bad input, no tracebacks
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["lavrov-shaibani-moscow.json", *(f"{n}.error.json" for n in expected)]
    )


def test_one_input_prints_one_json_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(EXAMPLE), *REPLAY]) == 0
    out = capsys.readouterr().out
    Summary.model_validate_json(out)
    assert out.startswith("{\n")


def test_several_inputs_print_json_lines_with_error_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(EXAMPLE.read_bytes())
    code = main(["summarize", str(EXAMPLE), str(copy), str(tmp_path / "nope.txt"), *REPLAY])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert len(lines) == 3  # in the order they finished
    summaries = [Summary.model_validate(x) for x in lines if "error" not in x]
    assert len(summaries) == 2  # the same text replays whatever its path
    errors = [x for x in lines if "error" in x]
    assert errors[0]["error"]["message"].endswith("no such file")


def test_folder_expands_to_its_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "b.md").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "c.json").write_text("{}")
    assert main(["summarize", str(tmp_path), "--format", "jsonl", *REPLAY]) == 0
    sources = [
        json.loads(line)["provenance"]["source"]["path"]
        for line in capsys.readouterr().out.splitlines()
    ]
    assert sorted(Path(s).name for s in sources) == ["a.txt", "b.md"]


def test_markdown_brief(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(EXAMPLE), "--format", "markdown", *REPLAY]) == 0
    out = capsys.readouterr().out
    assert "## Who met whom" in out and "## Who said what" in out and "## What was proposed" in out
    assert "**Asaad al-Shaibani** visited **Sergey Lavrov** (in person, in Moscow" in out
    assert "“We are keen for Russia to stand with us on this path” (quote)" in out
    assert "Invitation from **Russia** to **Ahmad al-Sharaa**" in out
    # the presidents' phone call, one of them never named
    assert "- **President of Russia** (“our presidents”) and **Ahmad al-Sharaa** (phone" in out
    assert "### States" in out and "### Unnamed office-holders" in out
    assert "via replay (hand-written)" in out


def test_stdin_and_python_dash_m(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    result = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", "-", *REPLAY],
        input=EXAMPLE.read_bytes(),
        capture_output=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = Summary.model_validate_json(result.stdout)
    assert summary.provenance.source.path is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url", "localhost:8080"], "is not an http(s) URL such as http://localhost"),
        (["--base-url", "http//example.test/v1"], "is not an http(s) URL"),
        (["--base-url", "http://"], "is not an http(s) URL"),
        (["--base-url", "ftp://example.test/v1"], "is not an http(s) URL"),
        (["--output-dir", "/proc/summaries"], "give --output-dir a folder you can write to"),
        (["--base-url", "http://localhost:99999/v1"], "has no valid port (1 to 65535)"),
        (["--temperature", "nan"], "temperature must be between 0 and 2, not nan"),
        (["--temperature", "-5"], "temperature must be between 0 and 2, not -5.0"),
        (["--replay", str(EXAMPLE)], "is a file, not a folder"),
        (
            ["--replay", "/nonexistent/fixtures"],
            "replay folder '/nonexistent/fixtures' does not exist",
        ),
        (["--backend", "openai"], "no endpoint configured"),
        (["-", "-", "--replay", str(FIXTURES)], "stdin (-) can be given only once"),
    ],
)
def test_configuration_errors_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summarize", str(EXAMPLE), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1  # no final line: nothing ran


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "yaml"], "argument --mode: invalid choice: 'yaml' (choose from 'tools'"),
        (["--concurrency", "0"], "--concurrency: must be a positive whole number, not 0"),
        (["--concurrency", "-3"], "--concurrency: must be a positive whole number, not -3"),
        (["--concurrency", "many"], "--concurrency: must be a positive whole number, not 'many'"),
        (["--max-retries", "-1"], "--max-retries: must be 0 or more, not -1"),
        (["--timeout", "0"], "--timeout: must be a positive number of seconds, not 0"),
        (["--record", "a", "--replay", "b"], "not allowed with argument"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["summarize", str(EXAMPLE), *args])
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_unwritable_output_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["summarize", str(EXAMPLE), "--output-dir", str(blocker / "out"), *REPLAY]) == 2
    assert "cannot write to output folder" in capsys.readouterr().err


def test_read_only_output_folder_exits_2_before_any_work(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    command = [sys.executable, "-m", "summarizer", "summarize", str(EXAMPLE), *REPLAY]
    result = subprocess.run(
        [*command, "--output-dir", str(folder)],
        capture_output=True,
        text=True,
        preexec_fn=as_a_user(),
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"summarizer: error: cannot write to output folder {str(folder)!r} (Permission denied); "
        "give --output-dir a folder you can write to\n"
    )
    assert list(folder.iterdir()) == []


def test_verbose_adds_the_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["summarize", str(tmp_path / "nope.txt"), *REPLAY, "-v"]) == 1
    assert "Traceback" in capsys.readouterr().err
    assert main(["summarize", str(tmp_path / "nope.txt"), *REPLAY]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_blank_stdin_is_named_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"  \n")))
    assert main(["summarize", "-", *REPLAY]) == 1
    assert error_lines(capsys.readouterr().err) == [
        "summarizer: error: standard input: only white space"
    ]


def test_closed_pipe_is_not_a_traceback() -> None:
    command = f"{sys.executable} -m summarizer summarize {EXAMPLE} --replay {FIXTURES} --format markdown | head -c 10"
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=False)
    assert result.stdout == "# " + str(EXAMPLE)[:8]
    assert "Traceback" not in result.stderr
