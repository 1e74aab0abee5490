"""Provider batches against a real Files + Batches server on loopback: the state
machine, partial failures, re-ask and retry rounds, expiry, cancellation, kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from batch_server import INVENTED, BatchServer, Fault, completion, inventing, minimal
from conftest import ROOT

from summarizer import (
    BackendStatusError,
    batch_status,
    cancel_batch,
    collect_batch,
    submit_batch,
)
from summarizer.cli.main import main

KEY = "sk-batch-test-0123456789abcdef"


def articles(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"story-{i:04d}.txt"
        path.write_text(
            f"GENEVA (Agency) — Envoys met for the {i}th round of talks on Monday.\n\n"
            f"Officials said the round number {i} ended without an agreement.\n",
            encoding="utf-8",
        )
        paths.append(str(path))
    return paths


def options(server: BatchServer, **more: Any) -> dict[str, Any]:
    return {"base_url": server.url, "api_key": KEY, "max_retries": 1, "timeout": 10, **more}


def collect(folder: Path, **more: Any) -> Any:
    return collect_batch(folder, api_key=KEY, poll=0.01, max_poll=0.01, **more)


def outputs(folder: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


def test_submit_then_collect_with_wait_walks_the_state_machine(tmp_path: Path) -> None:
    with BatchServer() as server:
        paths = articles(tmp_path / "in", 5)
        report = submit_batch(paths, tmp_path / "out", **options(server))
        assert (report.sent_requests, report.waiting) == (5, 5)
        assert server.calls("POST", "/v1/files") == 1
        assert server.calls("POST", "/v1/batches") == 1
        [file] = report.files
        assert file.file_id in server.files and file.batch_id in server.batches
        assert file.status == "validating"

        seen: list[str] = []
        report = collect(
            tmp_path / "out", wait=True, on_poll=lambda job: seen.append(job.files[0].status)
        )
        assert seen == ["in_progress", "finalizing"], "each poll sees the next state"
        assert report.finished and report.summarized == 5 and report.failed == 0
        done = outputs(tmp_path / "out")
        assert len(done) == 5
        for summary in done.values():
            assert summary["provenance"]["batches"] == [file.batch_id]
            assert summary["provenance"]["backend"] == "openai-compatible (batch)"
        assert report.prompt_tokens > 0

        again = collect(tmp_path / "out")
        assert (again.summarized, again.done_before, again.sent_requests) == (0, 5, 0)


def test_the_key_is_never_written_to_the_jobs_folder(tmp_path: Path) -> None:
    with BatchServer() as server:
        submit_batch(articles(tmp_path / "in", 2), tmp_path / "out", **options(server))
        collect(tmp_path / "out", wait=True)
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_files_are_split_at_the_limits_and_each_becomes_a_batch(tmp_path: Path) -> None:
    with BatchServer() as server:
        report = submit_batch(
            articles(tmp_path / "in", 7), tmp_path / "out", max_requests=3, **options(server)
        )
        assert [f.lines for f in report.files] == [3, 3, 1]
        assert server.calls("POST", "/v1/batches") == 3
        uploaded = [server.file_bytes(f.file_id or "") for f in report.files]
        ids = [json.loads(line)["custom_id"] for data in uploaded for line in data.splitlines()]
        assert len(ids) == len(set(ids)) == 7
        assert collect(tmp_path / "out", wait=True).summarized == 7


def test_failures_in_the_batch_are_retried_reasked_or_final(tmp_path: Path) -> None:
    """One input's line fails with a 500 (retried next round), one with a 400 (final),
    one answer does not parse and one invents a name (both re-asked next round)."""
    paths = articles(tmp_path / "in", 6)
    seen: dict[str, int] = {}

    def answer(line: dict[str, Any]) -> dict[str, Any] | Fault:
        body = line["body"]
        text = json.dumps(body["messages"])
        first = len(body["messages"]) == 2
        seen[line["custom_id"]] = seen.get(line["custom_id"], 0) + 1
        if "round number 0 " in text and seen[line["custom_id"]] == 1:
            return Fault(500, "server_error", "The server had an error")
        if "round number 1 " in text:
            return Fault(400, "invalid_request_error", "This model's context is too small")
        if "round number 2 " in text and first:
            return completion(line, '{"abstract": "cut off')
        if "round number 3 " in text and first:
            return inventing(1.0)(line)
        return minimal(line)

    with BatchServer(answer) as server:
        submit_batch(paths, tmp_path / "out", **options(server))
        first = collect(tmp_path / "out")
        assert first.summarized == 0 and first.waiting == 6, "collect without --wait does not wait"
        report = collect(tmp_path / "out", wait=True)
        assert server.calls("POST", "/v1/batches") == 2, "one follow-up round"
        round2 = [f for f in report.files if f.round == 2]
        assert [f.lines for f in round2] == [3]
        assert (report.retries, report.reasks) == (1, 2)
        assert report.finished
    done = outputs(tmp_path / "out")
    assert "story-0001.error.json" in done
    assert "HTTP 400" in done["story-0001.error.json"]["error"]["message"]
    assert {n for n in done if not n.endswith(".error.json")} == {
        f"story-{i:04d}.json" for i in (0, 2, 3, 4, 5)
    }
    assert done["story-0000.json"]["provenance"]["attempts"] == 1
    assert done["story-0003.json"]["provenance"]["attempts"] == 2
    assert INVENTED["name"] not in json.dumps(done["story-0003.json"])
    assert len(done["story-0003.json"]["provenance"]["batches"]) == 2


def test_transient_failures_stop_after_max_retries(tmp_path: Path) -> None:
    with BatchServer(lambda line: Fault(503, "server_error", "overloaded")) as server:
        submit_batch(articles(tmp_path / "in", 1), tmp_path / "out", **options(server))
        report = collect(tmp_path / "out", wait=True)
        assert report.finished and report.failed == 1
        assert server.calls("POST", "/v1/batches") == 2, "the first try and one retry"
    record = json.loads((tmp_path / "out" / "story-0000.error.json").read_text())
    assert "after 2 tries" in record["error"]["message"]


def test_an_expired_batch_reports_what_is_missing_and_resubmits_just_that(
    tmp_path: Path,
) -> None:
    with BatchServer(plans=["expire"]) as server:
        submit_batch(articles(tmp_path / "in", 6), tmp_path / "out", **options(server))
        report = collect(tmp_path / "out", wait=True)
        assert (report.summarized, report.missing) == (3, 3)
        assert not report.finished
        assert any("batch_expired" in why for why in report.missing_why)
        assert server.calls("POST", "/v1/batches") == 1, "nothing resent without --resubmit"

        report = collect(tmp_path / "out", wait=True, resubmit=True)
        assert report.finished and report.summarized == 3 and report.done_before == 3
        resent = [f for f in report.files if f.round == 2]
        assert [f.lines for f in resent] == [3]
    assert len(outputs(tmp_path / "out")) == 6


def test_a_batch_that_failed_validation_is_reported_with_its_errors(tmp_path: Path) -> None:
    with BatchServer(plans=["fail"]) as server:
        submit_batch(articles(tmp_path / "in", 2), tmp_path / "out", **options(server))
        report = collect(tmp_path / "out", wait=True)
        assert report.missing == 2 and report.files[0].status == "failed"
        assert any("invalid_request" in why for why in report.missing_why)
        report = collect(tmp_path / "out", wait=True, resubmit=True)
        assert report.finished and report.summarized == 2


def test_cancel_stops_a_running_batch_and_collect_keeps_what_it_finished(
    tmp_path: Path,
) -> None:
    with BatchServer(plans=["stall"]) as server:
        submit_batch(articles(tmp_path / "in", 4), tmp_path / "out", **options(server))
        collect(tmp_path / "out")  # validating -> in_progress
        status = batch_status(tmp_path / "out", api_key=KEY)
        assert status.files[0].status == "in_progress" and status.waiting == 4
        report = cancel_batch(tmp_path / "out", api_key=KEY)
        assert report.files[0].status == "cancelling"
        report = collect(tmp_path / "out", wait=True)
        assert report.files[0].status == "cancelled"
        assert (report.summarized, report.missing) == (2, 2)
        report = collect(tmp_path / "out", wait=True, resubmit=True)
        assert report.finished and report.summarized == 2


def test_a_batch_created_by_a_killed_submit_is_found_not_made_twice(tmp_path: Path) -> None:
    with BatchServer(plans=["stall"]) as server:
        submit_batch(articles(tmp_path / "in", 2), tmp_path / "out", **options(server))
        # As if killed after the batch was created but before its id was written down.
        job_file = tmp_path / "out" / "batch" / "job.json"
        job = json.loads(job_file.read_text())
        batch_id = job["files"][0]["batch_id"]
        job["files"][0].update(batch_id=None, status="uploaded")
        job_file.write_text(json.dumps(job))
        collect(tmp_path / "out")
        assert server.calls("POST", "/v1/batches") == 1
        assert json.loads(job_file.read_text())["files"][0]["batch_id"] == batch_id


def test_kill_9_during_collect_loses_nothing_and_writes_nothing_twice(tmp_path: Path) -> None:
    n = 120
    with BatchServer() as server:
        submit_batch(articles(tmp_path / "in", n), tmp_path / "out", **options(server))
        command = [
            sys.executable,
            "-m",
            "summarizer",
            "batch",
            "collect",
            str(tmp_path / "out"),
            "--wait",
            "--poll",
            "0.01",
            "--api-key",
            KEY,
            "-q",
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        # Killed as soon as the first summaries are written: mid-collect.
        child = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while child.poll() is None and time.monotonic() < deadline:
            if len(list((tmp_path / "out").glob("story-*.json"))) >= 5:
                child.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
        child.wait()
        killed_with = len(list((tmp_path / "out").glob("story-*.json")))
        assert 0 < killed_with < n, f"the kill came too late ({killed_with} of {n} written)"
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert server.calls("POST", "/v1/batches") == 1
    written = sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_file())
    assert written == [f"story-{i:04d}.json" for i in range(n)]
    assert not list((tmp_path / "out").rglob("*.partial"))
    for name in written:
        json.loads((tmp_path / "out" / name).read_text())  # whole, not half-written


def test_the_cli_reports_batch_prices_and_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with BatchServer(plans=["stall"]) as server:
        paths = articles(tmp_path / "in", 2)
        base = ["--base-url", server.url, "--api-key", KEY]
        assert main(["batch", "submit", *paths, "--output-dir", str(tmp_path / "out"), *base]) == 0
        assert "2 requests in round 1 sent" in capsys.readouterr().err
        assert main(["batch", "collect", str(tmp_path / "out"), "--api-key", KEY]) == 3
        capsys.readouterr()
        assert main(["batch", "status", str(tmp_path / "out"), "--api-key", KEY]) == 0
        out = capsys.readouterr().out
        assert "requests-r1-001.jsonl" in out and "in_progress" in out
        server.plans.clear()
    with BatchServer() as server:
        base = ["--base-url", server.url, "--api-key", KEY]
        paths = articles(tmp_path / "in2", 2)
        assert main(["batch", "submit", *paths, "--output-dir", str(tmp_path / "o2"), *base]) == 0
        capsys.readouterr()
        code = main(
            ["batch", "collect", str(tmp_path / "o2"), "--wait", "--poll", "0.01", "--api-key", KEY]
        )
        err = capsys.readouterr().err
        assert code == 0, err
        assert "2 summarized" in err and "gpt-4o-mini batch prices (half the live price)" in err
        assert KEY not in err


def test_a_provider_refusal_is_one_line_without_the_key(tmp_path: Path) -> None:
    with BatchServer() as server:
        submit_batch(articles(tmp_path / "in", 1), tmp_path / "out", **options(server))
        job_file = tmp_path / "out" / "batch" / "job.json"
        job = json.loads(job_file.read_text())
        job["files"][0]["batch_id"] = "batch_unknown"
        job_file.write_text(json.dumps(job))
        with pytest.raises(BackendStatusError) as caught:
            collect(tmp_path / "out")
    assert "HTTP 404" in str(caught.value) and KEY not in str(caught.value)


def test_a_lost_answer_to_batch_creation_does_not_make_a_second_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer import BackendConnectionError
    from summarizer.batch_api.provider import Provider

    real_create = Provider.create
    calls = []

    async def create_then_drop(self: Provider, *args: Any) -> Any:
        calls.append(args)
        batch = await real_create(self, *args)
        if len(calls) == 1:  # made at the provider, but the answer never arrives
            raise BackendConnectionError("connection reset")
        return batch

    monkeypatch.setattr(Provider, "create", create_then_drop)
    with BatchServer(plans=["stall"]) as server:
        report = submit_batch(articles(tmp_path / "in", 2), tmp_path / "out", **options(server))
        assert server.calls("POST", "/v1/batches") == 1 and len(calls) == 1
        assert report.files[0].batch_id in server.batches


def test_a_batch_that_failed_then_a_500_is_retried_not_lost(tmp_path: Path) -> None:
    """Counts per send: a round that returned nothing does not shift later rounds."""
    faults = {"done": False}

    def answer(line: dict[str, Any]) -> dict[str, Any] | Fault:
        if "round number 0 " in json.dumps(line["body"]) and not faults["done"]:
            faults["done"] = True
            return Fault(500, "server_error", "The server had an error")
        return minimal(line)

    with BatchServer(answer, plans=["fail"]) as server:
        submit_batch(articles(tmp_path / "in", 2), tmp_path / "out", **options(server))
        assert collect(tmp_path / "out", wait=True).missing == 2
        report = collect(tmp_path / "out", wait=True, resubmit=True)
        assert report.finished and report.summarized == 2 and report.retries == 1
        assert [f.round for f in report.files] == [1, 2, 3]


def test_expired_requests_are_missing_even_with_no_retries_left(tmp_path: Path) -> None:
    with BatchServer(plans=["expire"]) as server:
        submit_batch(
            articles(tmp_path / "in", 4), tmp_path / "out", **options(server, max_retries=0)
        )
        report = collect(tmp_path / "out", wait=True)
        assert (report.summarized, report.missing, report.failed) == (2, 2, 0)
        assert collect(tmp_path / "out", wait=True, resubmit=True).finished


def test_a_failed_input_is_final_and_not_counted_again(tmp_path: Path) -> None:
    refuse = lambda line: Fault(400, "invalid_request_error", "too long")  # noqa: E731
    with BatchServer(refuse) as server:
        submit_batch(articles(tmp_path / "in", 1), tmp_path / "out", **options(server))
        first = collect(tmp_path / "out", wait=True)
        assert (first.failed, first.failed_before) == (1, 0)
        error_file = tmp_path / "out" / "story-0000.error.json"
        before = error_file.stat().st_mtime_ns
        again = collect(tmp_path / "out", wait=True)
        assert (again.failed, again.failed_before, again.failed_tokens) == (0, 1, 0)
        assert error_file.stat().st_mtime_ns == before, "not written twice"
        assert server.calls("POST", "/v1/batches") == 1


def test_wait_outlasts_a_provider_outage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer import BackendConnectionError
    from summarizer.batch_api.provider import Provider

    real_retrieve = Provider.retrieve
    outage = {"left": 2}

    async def flaky(self: Provider, batch_id: str) -> Any:
        if outage["left"]:
            outage["left"] -= 1
            raise BackendConnectionError("cannot reach the provider")
        return await real_retrieve(self, batch_id)

    monkeypatch.setattr(Provider, "retrieve", flaky)
    with BatchServer() as server:
        submit_batch(articles(tmp_path / "in", 2), tmp_path / "out", **options(server))
        with pytest.raises(BackendConnectionError):
            collect(tmp_path / "out")  # without --wait the outage is reported
        assert collect(tmp_path / "out", wait=True).finished


def test_cancel_holds_the_job_until_resubmit(tmp_path: Path) -> None:
    with BatchServer(plans=["complete", "stall"]) as server:
        submit_batch(
            articles(tmp_path / "in", 4), tmp_path / "out", max_requests=2, **options(server)
        )
        collect(tmp_path / "out", wait=False)
        job_file = tmp_path / "out" / "batch" / "job.json"
        # The first batch completes at the provider while the job still says otherwise:
        # cancelling it answers 409, which is read as "it has ended".
        first = json.loads(job_file.read_text())["files"][0]["batch_id"]
        for _ in range(3):
            server_status = server.batches[first]["status"]
            if server_status == "completed":
                break
            import openai

            openai.OpenAI(base_url=server.url, api_key=KEY).batches.retrieve(first)
        report = cancel_batch(tmp_path / "out", api_key=KEY)
        assert [f.status for f in report.files] == ["completed", "cancelling"]
        report = collect(tmp_path / "out", wait=True)
        assert report.missing == 1 and report.summarized == 3
        assert report.missing_why == ["the job was cancelled"]
        sent = server.calls("POST", "/v1/batches")
        assert collect(tmp_path / "out").sent_requests == 0
        assert server.calls("POST", "/v1/batches") == sent, "a cancelled job sends nothing"
        assert collect(tmp_path / "out", wait=True, resubmit=True).finished
