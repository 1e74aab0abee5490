"""Hostile and broken inputs, all in one run of the real command beside good ones.

Each bad input gets its defined outcome (a NAME.error.json record and one stderr line,
no traceback); the good inputs of the same run are summarized; the exit status is 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, FIXTURES, as_a_user, assert_grounded, error_lines

from summarizer import Summary
from summarizer.io.inputs import MAX_INPUT_BYTES


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Path]:
    text = EXAMPLE.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\r\n",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "invalid-utf8.txt": b"Ministers met in Caf\xe9 Paris on Thursday.",
        "utf16.txt": text.encode("utf-16"),  # with its byte-order mark
        "page.html": (
            b"<!DOCTYPE html>\n<html><head><title>News</title></head>"
            b"<body><nav>Home | World</nav><p>Lavrov met al-Shaibani.</p></body></html>"
        ),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    huge = paths["huge.txt"] = folder / "huge.txt"
    with huge.open("wb") as handle:
        line = b"The minister said nothing of note on that day. " * 20 + b"\n"
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(line)
    paths["unreadable.txt"] = folder / "unreadable.txt"
    paths["unreadable.txt"].write_text(text, encoding="utf-8")
    paths["unreadable.txt"].chmod(0)
    paths["loop.txt"] = folder / "loop.txt"
    os.symlink("loop.txt", paths["loop.txt"])  # a link to itself
    paths["no-articles"] = tmp_path / "no-articles"
    paths["no-articles"].mkdir()
    paths["missing.txt"] = folder / "missing.txt"
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        paths[f"{side}/same.txt"] = tmp_path / side / "same.txt"
        paths[f"{side}/same.txt"].write_text(text, encoding="utf-8")
    return paths


BAD = {  # input: (output record stem, words its one-line error must contain)
    "empty.txt": ("empty", "empty"),
    "blank.txt": ("blank", "only white space"),
    "binary.txt": ("binary", "binary data"),
    "invalid-utf8.txt": ("invalid-utf8", "not UTF-8 (byte 0xe9 at offset 20)"),
    "page.html": ("page", "an HTML page, not article text"),
    "huge.txt": ("huge", "too large for one article (52,4"),
    "unreadable.txt": ("unreadable", "permission denied"),
    "loop.txt": ("loop", "cannot read (Too many levels of symbolic links)"),
    "no-articles": ("no-articles", "folder holds no .txt or .md files"),
    "missing.txt": ("missing", "no such file"),
}


def test_bad_inputs_each_get_their_outcome_while_good_ones_succeed(
    tmp_path: Path, corpus: dict[str, Path]
) -> None:
    out = tmp_path / "out"
    good = [EXAMPLE, corpus["utf16.txt"], corpus["a/same.txt"], corpus["b/same.txt"]]
    inputs = [*good, *(corpus[name] for name in BAD), "-"]
    command = [sys.executable, "-m", "summarizer", "summarize", *map(str, inputs)]
    command += ["--output-dir", str(out), "--replay", str(FIXTURES)]
    result = subprocess.run(
        command,
        input=EXAMPLE.read_bytes(),
        capture_output=True,
        preexec_fn=as_a_user(),
        check=False,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith("summarizer: 15 inputs: 5 summarized, 10 failed")
    errors = error_lines(stderr)
    assert len(errors) == len(BAD)  # one line each, nothing else
    for name, (stem, words) in BAD.items():
        assert sum(words in line for line in errors) == 1, (name, errors)
        record = json.loads((out / f"{stem}.error.json").read_text(encoding="utf-8"))
        assert record["error"]["kind"] == "input" and words in record["error"]["message"]
        assert record["source"] == str(corpus[name])

    summaries = sorted(p.name for p in out.glob("*.json") if not p.name.endswith(".error.json"))
    assert len(summaries) == 5
    assert {"lavrov-shaibani-moscow.json", "utf16.json", "stdin.json"} <= set(summaries)
    same = [name for name in summaries if name.startswith("same-")]
    assert len(same) == 2  # one file each, named apart, neither overwritten
    text = EXAMPLE.read_text(encoding="utf-8")
    sources = set()
    for name in summaries:
        summary = Summary.model_validate_json((out / name).read_text(encoding="utf-8"))
        assert assert_grounded(summary, text) > 0  # UTF-16 decoded to the very same text
        sources.add(summary.provenance.source.path)
    assert sources == {str(EXAMPLE), str(corpus["utf16.txt"]), None} | {
        str(corpus["a/same.txt"]),
        str(corpus["b/same.txt"]),
    }
    assert len(list(out.iterdir())) == 5 + len(BAD)  # nothing else, no temporary files


def test_same_names_resume_under_the_same_output_names(
    tmp_path: Path, corpus: dict[str, Path]
) -> None:
    out = tmp_path / "out"
    args = [sys.executable, "-m", "summarizer", "summarize"]
    args += [str(corpus["b/same.txt"]), str(corpus["a/same.txt"]), "--output-dir", str(out)]
    args += ["--replay", str(FIXTURES)]
    first = subprocess.run(args, capture_output=True, text=True, check=True)
    names = sorted(p.name for p in out.iterdir())
    second = subprocess.run(args, capture_output=True, text=True, check=True)
    assert sorted(p.name for p in out.iterdir()) == names
    assert "2 skipped" in second.stderr.splitlines()[-1], (first.stderr, second.stderr)


def test_the_size_limit_can_be_raised(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(EXAMPLE.read_bytes() + b" " * MAX_INPUT_BYTES)
    base = [sys.executable, "-m", "summarizer", "summarize", str(big), "--replay", str(FIXTURES)]
    refused = subprocess.run(base, capture_output=True, text=True, check=False)
    assert refused.returncode == 1 and "too large for one article" in refused.stderr
    limit = str(big.stat().st_size)
    allowed = subprocess.run([*base, "--max-input-bytes", limit], capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stderr  # the trailing spaces do not change the text


def test_names_differing_only_in_case_are_written_apart() -> None:
    from summarizer.io.inputs import InputRef, distinct_outputs

    refs = distinct_outputs([InputRef("a/Report.txt"), InputRef("b/report.txt")])
    stems = [ref.stem for ref in refs]
    assert len({stem.casefold() for stem in stems}) == 2  # apart on case-blind file systems


def test_an_input_named_like_an_error_record_keeps_its_own_output(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("report.txt", "report.error.txt"):
        (folder / name).write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "summarizer",
            "summarize",
            str(folder),
            "--output-dir",
            str(out),
            "--replay",
            str(FIXTURES),
            "-q",
        ],
        check=True,
    )
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and "report.json" in names
    assert all(not n.endswith(".error.json") for n in names)


def test_the_same_file_twice_is_one_input(tmp_path: Path) -> None:
    copy = tmp_path / "a.txt"
    copy.write_bytes(EXAMPLE.read_bytes())
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "summarizer",
            "summarize",
            str(copy),
            str(tmp_path / "." / "a.txt"),
            str(tmp_path),
            "--replay",
            str(FIXTURES),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr.splitlines()[-1].startswith("summarizer: 1 input: 1 summarized")


def test_markdown_on_stdout_has_a_record_for_a_failed_input(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "summarizer",
            "summarize",
            str(EXAMPLE),
            str(tmp_path / "no.txt"),
            "--replay",
            str(FIXTURES),
            "--format",
            "markdown",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    titles = [line for line in result.stdout.splitlines() if line.startswith("# ")]
    assert titles == [f"# {EXAMPLE}", f"# {tmp_path / 'no.txt'}"] or titles == [
        f"# {tmp_path / 'no.txt'}",
        f"# {EXAMPLE}",
    ]
    assert f"**Failed:** {tmp_path / 'no.txt'}: no such file" in result.stdout
