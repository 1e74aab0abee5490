"""The whole command under faults, interruption and a sentinel key, against a real
loopback server: one record per input, nothing half-written, nothing leaked."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE
from openai_server import (
    OpenAIServer,
    Reply,
    Step,
    answer,
    cut_mid_response,
    drop,
    echo_key,
    faulty,
    half_json,
    hang,
    length_cut,
    status,
    truncated,
)

from summarizer import Summary

CLI = [sys.executable, "-m", "summarizer", "summarize"]
COPY = re.compile(r"\(Copy (\d+)\.\)")
SENTINEL_KEY = "sk-proj-SENTINEL-7d3e0b9a41c2"


def articles(folder: Path, n: int) -> Path:
    """`n` distinct articles: the reference text, each with its number appended."""
    folder.mkdir(parents=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"a{i:03}.txt").write_text(f"{text}\n\n(Copy {i}.)\n", encoding="utf-8")
    return folder


def copy_number(request: dict[str, Any]) -> int:
    found = COPY.search(json.dumps(request["messages"], ensure_ascii=False))
    assert found, "every request carries its article"
    return int(found.group(1))


def all_faults(good_answer: dict[str, Any]) -> list[Step]:
    return [
        status(429, "rate limited", retry_after="1"),
        status(429, "rate limited"),
        status(500),
        status(502, "bad gateway"),
        status(503, "overloaded"),
        hang(1.5),  # past the 1 s timeout below
        drop(),
        cut_mid_response(good_answer),
        truncated(good_answer),
        answer({"actors": "nobody", "meetings": 3}),  # schema-invalid
        length_cut(good_answer),
        half_json(good_answer),
    ]


def records(out: Path) -> dict[str, Path]:
    """Output file per input stem; fails on two records for one input."""
    found: dict[str, Path] = {}
    for path in out.iterdir():
        stem = path.name.removesuffix(".json").removesuffix(".error")
        assert stem not in found, f"two records for {stem}"
        found[stem] = path
    return found


def test_soak_300_articles_30_percent_faults(tmp_path: Path, good_answer: dict[str, Any]) -> None:
    n, retries, reasks = 300, 4, 2
    folder = articles(tmp_path / "in", n)
    out = tmp_path / "out"
    good = answer(good_answer, counted=True)  # usage as a server reports it
    mixed = faulty(good, all_faults(good_answer), rate=0.3, seed=20261127)
    doomed = 7  # this one's requests always fail: it must not hold up the others

    def step(request: dict[str, Any]) -> Reply:
        return status(500, "always")(request) if copy_number(request) == doomed else mixed(request)

    started = time.monotonic()
    with OpenAIServer(default=step) as server:
        command = [*CLI, str(folder), "--base-url", server.url, "--concurrency", "16"]
        command += ["--timeout", "1", "--max-retries", str(retries), "--max-reasks", str(reasks)]
        result = subprocess.run(
            [*command, "--output-dir", str(out), "-q"],
            capture_output=True,
            text=True,
            check=False,
        )
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr  # the doomed one failed
    assert "Traceback" not in result.stderr

    found = records(out)
    assert len(found) == n  # one record per input, no partial or temporary file
    summaries = {s: p for s, p in found.items() if not p.name.endswith(".error.json")}
    assert len(summaries) >= 297
    assert f"a{doomed:03}" not in summaries

    per_copy: dict[int, int] = {}
    for received in server.received:
        number = copy_number(received.json)
        per_copy[number] = per_copy.get(number, 0) + 1
    budget = 1 + retries + reasks
    assert max(per_copy.values()) <= budget
    for stem, path in summaries.items():
        summary = Summary.model_validate_json(path.read_text(encoding="utf-8"))
        assert summary.provenance.attempts == per_copy[int(stem[1:])] <= budget
    doomed_record = json.loads(found[f"a{doomed:03}"].read_text(encoding="utf-8"))
    assert "after 5 attempts" in doomed_record["error"]["message"]
    assert per_copy[doomed] == 1 + retries
    faulted = len(server.received) - n
    print(
        f"soak: {len(found)} records, {len(summaries)} summaries, "
        f"{len(server.received)} requests ({faulted} beyond one per input), {elapsed:.1f} s"
    )


def _start_slow_run(tmp_path: Path, server: OpenAIServer, n: int) -> tuple[Path, Path, list[str]]:
    folder = articles(tmp_path / "in", n)
    out = tmp_path / "out"
    command = [*CLI, str(folder), "--base-url", server.url, "--concurrency", "2"]
    command += ["--output-dir", str(out), "--no-cache"]
    return folder, out, command


def _wait_for_outputs(out: Path, count: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if out.exists() and len(list(out.glob("a*.json"))) >= count:
            return
        assert proc.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.05)
    raise AssertionError("no outputs appeared")


def _assert_complete(out: Path) -> list[str]:
    """Every output file is a whole summary; no temporary file is visible."""
    names = sorted(p.name for p in out.iterdir())
    for name in names:
        assert name.startswith("a") and name.endswith(".json"), name
        Summary.model_validate_json((out / name).read_text(encoding="utf-8"))
    return names


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_interrupted_run_keeps_what_finished_and_resumes(
    tmp_path: Path, good_answer: dict[str, Any], sig: signal.Signals
) -> None:
    n = 20
    with OpenAIServer(default=answer(good_answer, delay=0.3)) as server:
        _, out, command = _start_slow_run(tmp_path, server, n)
        proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        _wait_for_outputs(out, 4, proc)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
        if sig == signal.SIGINT:
            assert proc.returncode == 130
            assert "Traceback" not in stderr
            last = stderr.strip().splitlines()[-1]
            assert re.fullmatch(
                rf"summarizer: interrupted after \d+ of {n} inputs \(the same command resumes\)",
                last,
            ), stderr
        else:
            assert proc.returncode == -signal.SIGKILL
        leftovers = [p.name for p in out.iterdir() if p.name.startswith(".")]
        kept = [p for p in out.iterdir() if not p.name.startswith(".")]
        for path in kept:  # whole files only; a kill may leave a hidden temporary one
            Summary.model_validate_json(path.read_text(encoding="utf-8"))
        if sig == signal.SIGINT:
            assert leftovers == []  # Ctrl-C cleans up after itself
        assert 4 <= len(kept) < n

        sent_before = len(server.received)
        rerun = subprocess.run(command, capture_output=True, text=True, check=False)
        assert rerun.returncode == 0, rerun.stderr
        assert f"{len(kept)} skipped" in rerun.stderr.splitlines()[-1]
        assert len(server.received) - sent_before == n - len(kept)  # nothing redone
    assert len(_assert_complete(out)) == n  # and any leftover temporary file is gone


def test_sentinel_key_appears_nowhere(tmp_path: Path, good_answer: dict[str, Any]) -> None:
    folder = articles(tmp_path / "in", 12)
    out, fixtures, cache = tmp_path / "out", tmp_path / "fixtures", tmp_path / "cache"
    good = answer(good_answer)
    flaky = faulty(good, all_faults(good_answer), rate=0.3, seed=1)
    echoing = {0: echo_key(401), 1: echo_key(500)}

    def echo_in_answer(request: dict[str, Any]) -> Reply:
        """A good answer whose completion id quotes the key: it must not be recorded."""
        reply = good(request)
        body = json.loads(reply.body)
        body["id"] = "chatcmpl-{auth}"
        return Reply(200, {}, json.dumps(body).encode(), echo_auth=True)

    def step(request: dict[str, Any]) -> Reply:
        number = copy_number(request)  # some inputs meet an endpoint that quotes
        if number % 3 in echoing and number < 6:  # the key back in its error messages
            return echoing[number % 3](request)
        return echo_in_answer(request) if number % 3 == 2 else flaky(request)

    env = {**os.environ, "OPENAI_API_KEY": SENTINEL_KEY}
    console = ""
    with OpenAIServer(default=step) as server:
        command = [*CLI, str(folder), "--base-url", server.url, "--timeout", "1", "-v"]
        command += ["--max-retries", "2", "--output-dir", str(out)]
        # Recording bypasses the cache, so one run records and one fills the cache.
        for extra in (["--record", str(fixtures)], ["--cache-dir", str(cache), "--force"]):
            result = subprocess.run(
                [*command, *extra], capture_output=True, text=True, env=env, check=False
            )
            assert result.returncode == 1
            assert "bad credentials: Bearer ***" in result.stderr  # the echo came, masked
            assert "Traceback" in result.stderr  # -v prints them, masked too
            console += result.stdout + result.stderr
        seen = {r.headers.get("authorization") for r in server.received}
    assert seen == {f"Bearer {SENTINEL_KEY}"}  # the key was really used
    assert SENTINEL_KEY not in console
    written = [p for d in (out, fixtures, cache) for p in d.rglob("*") if p.is_file()]
    assert len(list(fixtures.rglob("*.json"))) >= 6 and len(list(cache.rglob("*.json"))) >= 6
    assert len(list(out.glob("*.error.json"))) >= 4
    for path in written:
        assert SENTINEL_KEY.encode() not in path.read_bytes(), path


def test_leftovers_of_dead_writers_go_and_those_of_live_ones_stay(tmp_path: Path) -> None:
    from summarizer.io.files import remove_leftovers

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)  # exited: its temporary file is a leftover
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        stale = tmp_path / f".a.json.pid{dead_pid}.x1.partial"
        pending = tmp_path / f".b.json.pid{live.pid}.x2.partial"
        for path in (stale, pending):
            path.write_text("{", encoding="utf-8")
        assert remove_leftovers(tmp_path) == 1
        assert not stale.exists() and pending.exists()
    finally:
        live.kill()
        live.wait()


def test_a_long_message_quoting_the_key_is_masked_before_it_is_shortened(
    article_text: str,
) -> None:
    from summarizer import summarize
    from summarizer.errors import BackendError

    key = "sk-proj-" + "LONGSENTINEL" * 12
    with (
        OpenAIServer(default=echo_key(401, pad=380)) as server,
        pytest.raises(BackendError) as caught,
    ):
        summarize(article_text, base_url=server.url, api_key=key, max_retries=0)
    message = str(caught.value)
    assert message.endswith("...") and len(message) == 400  # shortened, after masking
    assert "sk-proj-" not in message and "LONGSENTINEL" not in message


def one_at_a_time(folder: Path, url: str, *, max_time: float, out: Path) -> int:
    """The command in process, one request in flight, no cache."""
    from summarizer.cli.main import main

    return main(
        [str(a) for a in ("summarize", folder, "--base-url", url, "--concurrency", 1)]
        + ["--max-time", str(max_time), "--no-cache", "--output-dir", str(out), "-q"]
    )


def test_waiting_for_a_slot_does_not_count_against_max_time(
    tmp_path: Path, good_answer: dict[str, Any]
) -> None:
    folder = articles(tmp_path / "in", 3)
    with OpenAIServer(default=answer(good_answer, delay=1.0)) as server:
        # Each article needs 1 s; the last one also waits about 1 s for its slot.
        code = one_at_a_time(folder, server.url, max_time=1.8, out=tmp_path / "out")
    assert code == 0
    assert len(list((tmp_path / "out").glob("a*.json"))) == 3


def test_a_retry_after_a_long_wait_for_a_slot_still_fits_max_time(
    tmp_path: Path, good_answer: dict[str, Any]
) -> None:
    folder = articles(tmp_path / "in", 3)
    slow, failed = answer(good_answer, delay=1.0), set()

    def step(request: dict[str, Any]) -> Reply:
        number = copy_number(request)
        if number == 2 and number not in failed:  # the last one fails once, at once
            failed.add(number)
            return status(500)(request)
        return slow(request)

    with OpenAIServer(default=step) as server:
        # The last article waits about 1 s for its slot, then a retry pause and 1 s.
        code = one_at_a_time(folder, server.url, max_time=2.6, out=tmp_path / "out")
    assert code == 0
    assert failed == {2} and len(server.received) == 4
