"""Provider batches without a provider: request files (`--dry-run`, for `vllm run-batch`)
and results files collected with `--results`, through the real pipeline."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, FIXTURES, assert_grounded

from summarizer import ConfigurationError, collect_batch, submit_batch, summarize_file
from summarizer.backends.recording import ORIGIN_FIELD, request_key
from summarizer.batch_api.lines import RequestFiles, custom_id, parse_result
from summarizer.cli.main import main
from summarizer.testing import completion_for, minimal_answer, request_schema

VLLM_RESULTS = FIXTURES / "batch" / "lavrov-shaibani-moscow.vllm-results.jsonl"
VLLM = {"model": "Qwen/Qwen2.5-7B-Instruct", "mode": "json_schema"}
INVENTED = "Zebulon Quartermaine"


def requests_of(folder: Path, round_: int = 1) -> list[dict[str, Any]]:
    lines = []
    for path in sorted((folder / "batch").glob(f"requests-r{round_}-*.jsonl")):
        lines += [json.loads(line) for line in path.read_text().splitlines()]
    return lines


def results_for(
    requests: list[dict[str, Any]], answer: Any, *, first: Any = None, tokens: int = 100
) -> str:
    """Result lines in vLLM's shape answering every request with `answer` (a first
    request, one without an assistant message, with `first` when given)."""
    out = []
    for i, request in enumerate(requests):
        reask = any(m["role"] == "assistant" for m in request["body"]["messages"])
        body = completion_for(request["body"], answer if reask or first is None else first)
        body["usage"] = {
            "prompt_tokens": tokens,
            "completion_tokens": 10,
            "total_tokens": tokens + 10,
        }
        body[ORIGIN_FIELD] = "hand-written"
        response = {"status_code": 200, "request_id": f"r{i}", "body": body}
        out.append(
            json.dumps(
                {
                    "id": f"vllm-{i}",
                    "custom_id": request["custom_id"],
                    "response": response,
                    "error": None,
                }
            )
        )
    return "\n".join(out) + "\n"


def inventing(answer: dict[str, Any]) -> dict[str, Any]:
    bad = dict(answer)
    bad["actors"] = [*answer["actors"], {"id": "a99", "kind": "person", "name": INVENTED}]
    return bad


# -- request files -------------------------------------------------------------------


def test_request_files_split_at_the_line_and_byte_limits(tmp_path: Path) -> None:
    body = {"messages": [{"role": "user", "content": "x" * 100}]}
    files = RequestFiles(tmp_path, "requests-r1", max_requests=2, max_bytes=10_000)
    for i in range(5):
        assert files.add(f"a-{i}", body)
    assert not files.add("a-0", body), "an id is written once per round"
    assert not list(tmp_path.glob("*.jsonl"))[2:], "a file appears only when complete"
    written = files.close()
    assert [(name, lines) for name, lines, _ in written] == [
        ("requests-r1-001.jsonl", 2),
        ("requests-r1-002.jsonl", 2),
        ("requests-r1-003.jsonl", 1),
    ]
    for name, _lines, size in written:
        path = tmp_path / name
        assert path.stat().st_size == size
        for line in path.read_text().splitlines():
            data = json.loads(line)
            assert set(data) == {"custom_id", "method", "url", "body"}
            assert data["url"] == "/v1/chat/completions" and data["method"] == "POST"

    small = RequestFiles(tmp_path, "small", max_requests=100, max_bytes=400)
    for i in range(3):
        small.add(f"b-{i}", body)
    sizes = [size for _, _, size in small.close()]
    assert len(sizes) == 3 and max(sizes) <= 400


def test_result_lines_of_openai_and_vllm_are_read_alike() -> None:
    completion = {"choices": [{"message": {"content": "{}"}}]}
    ok = parse_result(
        json.dumps(
            {
                "id": "batch_req_1",
                "custom_id": "a-b",
                "response": {"status_code": 200, "request_id": "r", "body": completion},
                "error": None,
            }
        ).encode()
    )
    assert ok is not None and ok.ok
    openai_error = parse_result(
        json.dumps(
            {
                "id": "batch_req_2",
                "custom_id": "a-c",
                "response": None,
                "error": {"code": "batch_expired", "message": "too late"},
            }
        ).encode()
    )
    assert openai_error is not None and not openai_error.ok
    assert (openai_error.status, openai_error.code) == (None, "batch_expired")
    server_error = parse_result(
        json.dumps(
            {
                "id": "x",
                "custom_id": "a-d",
                "response": {
                    "status_code": 500,
                    "request_id": "r",
                    "body": {"error": {"message": "boom", "type": "server_error", "code": None}},
                },
                "error": None,
            }
        ).encode()
    )
    assert server_error is not None and (server_error.status, server_error.code) == (
        500,
        "server_error",
    )
    vllm_error = parse_result(
        json.dumps(
            {
                "id": "vllm-1",
                "custom_id": "a-e",
                "response": {"status_code": 400, "request_id": "vllm-batch-1", "body": None},
                "error": "Invalid request",
            }
        ).encode()
    )
    assert (
        vllm_error is not None
        and vllm_error.status == 400
        and vllm_error.message == "Invalid request"
    )
    assert parse_result(b"not json") is None and parse_result(b'{"no": "id"}') is None


# -- dry run and results files -------------------------------------------------------


def test_dry_run_writes_the_live_request_and_the_vllm_results_fixture_is_current(
    tmp_path: Path,
) -> None:
    report = submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, **VLLM)
    assert report.provider == "none" and report.waiting == 1 and report.sent_requests == 1
    [request] = requests_of(tmp_path)
    sha = json.loads((tmp_path / "batch" / "job.json").read_text())["inputs"][0]["sha256"]
    assert request["custom_id"] == custom_id(sha, request_key("chat/completions", request["body"]))
    assert request["body"]["model"] == VLLM["model"]
    assert request["body"]["response_format"]["type"] == "json_schema"
    fixture_ids = [json.loads(line)["custom_id"] for line in VLLM_RESULTS.read_text().splitlines()]
    assert fixture_ids == [request["custom_id"]], (
        "the prompt or schema changed: rewrite fixtures/batch/ (see its README.md)"
    )


def test_a_vllm_results_file_is_collected_into_a_grounded_summary(tmp_path: Path) -> None:
    submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, **VLLM)
    report = collect_batch(tmp_path, results=[VLLM_RESULTS])
    assert report.finished and report.summarized == 1 and report.failed == 0
    data = json.loads((tmp_path / "lavrov-shaibani-moscow.json").read_text())
    from summarizer import Summary

    summary = Summary.model_validate(data)
    assert_grounded(summary, EXAMPLE.read_text())
    assert summary.provenance.backend == "openai-compatible (batch, hand-written)"
    assert summary.provenance.batches == ["results file imported-001.jsonl"]
    assert summary.provenance.model == VLLM["model"]
    assert {a.name for a in summary.actors} >= {"Sergey Lavrov", "Asaad al-Shaibani"}
    assert report.prompt_tokens == summary.provenance.usage.prompt_tokens > 0
    # The results file is copied in: the job stays whole if the user deletes it.
    assert (tmp_path / "batch" / "imported-001.jsonl").read_bytes() == VLLM_RESULTS.read_bytes()


def test_an_answer_that_invents_a_name_is_reasked_in_a_second_round(
    tmp_path: Path, good_answer: dict[str, Any]
) -> None:
    submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, **VLLM)
    round1 = tmp_path / "r1.jsonl"
    round1.write_text(results_for(requests_of(tmp_path), good_answer, first=inventing(good_answer)))
    report = collect_batch(tmp_path, results=[round1])
    assert not report.finished and report.summarized == 0 and report.waiting == 1
    assert (report.reasks, report.reasked_inputs, report.new_files) == (
        1,
        1,
        ["requests-r2-001.jsonl"],
    )
    assert not (tmp_path / "lavrov-shaibani-moscow.json").exists()
    [reask] = requests_of(tmp_path, 2)
    messages = reask["body"]["messages"]
    assert messages[-2]["role"] == "assistant" and INVENTED in json.dumps(messages[-2])
    assert INVENTED in messages[-1]["content"], "the re-ask says what was wrong"

    round2 = tmp_path / "r2.jsonl"
    round2.write_text(results_for([reask], good_answer))
    report = collect_batch(tmp_path, results=[round2])
    assert report.finished and report.summarized == 1
    data = json.loads((tmp_path / "lavrov-shaibani-moscow.json").read_text())
    assert INVENTED not in json.dumps(data)
    assert data["provenance"]["attempts"] == 2
    assert data["provenance"]["usage"]["prompt_tokens"] == 200, "both rounds' tokens count"


def test_reasks_stop_at_max_reasks_and_what_is_grounded_is_kept(
    tmp_path: Path, good_answer: dict[str, Any]
) -> None:
    submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, max_reasks=1, **VLLM)
    bad = inventing(good_answer)
    for round_ in (1, 2):
        results = tmp_path / f"r{round_}.jsonl"
        results.write_text(results_for(requests_of(tmp_path, round_), bad))
        report = collect_batch(tmp_path, results=[results])
    assert report.finished and not requests_of(tmp_path, 3)
    data = json.loads((tmp_path / "lavrov-shaibani-moscow.json").read_text())
    assert data["provenance"]["attempts"] == 2
    assert INVENTED not in json.dumps(data["actors"])
    assert any(INVENTED in d["problem"] for d in data["diagnostics"]), (
        "salvage says what it dropped"
    )


def test_a_long_article_sends_every_part_in_the_same_round(tmp_path: Path) -> None:
    long_text = "\n\n".join([EXAMPLE.read_text()] * 4)
    article = tmp_path / "in" / "long.txt"
    article.parent.mkdir()
    article.write_text(long_text)
    out = tmp_path / "out"
    submit_batch([str(article)], out, dry_run=True, chunk_chars=3000, **VLLM)
    parts = requests_of(out)
    assert len(parts) == 4, "one request per part, all in round 1"
    results = tmp_path / "r1.jsonl"
    # The smallest valid answer fits every part (the whole article's answer cites
    # sentences a part does not have).
    results.write_text(results_for(parts, minimal_answer(request_schema(parts[0]["body"]))))
    report = collect_batch(out, results=[results])
    assert report.finished and report.summarized == 1
    data = json.loads((out / "long.json").read_text())
    assert data["provenance"]["attempts"] == 4


def test_collect_is_idempotent_and_fills_the_cache_for_a_later_live_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit_batch([str(EXAMPLE)], tmp_path / "out", dry_run=True, **VLLM)
    collect_batch(tmp_path / "out", results=[VLLM_RESULTS])
    output = tmp_path / "out" / "lavrov-shaibani-moscow.json"
    before = (output.read_bytes(), output.stat().st_mtime_ns)
    again = collect_batch(tmp_path / "out")
    assert (again.summarized, again.done_before, again.sent_requests) == (0, 1, 0)
    assert (output.read_bytes(), output.stat().st_mtime_ns) == before, "nothing written twice"

    # A live run with the same settings (OpenAI's endpoint, as the job's) is served from
    # the cache: no request at all (the test setup refuses any connection off loopback).
    summary = summarize_file(EXAMPLE, api_key="sk-test", max_retries=0, **VLLM)
    assert summary.provenance.cached
    assert summary.provenance.batches == ["results file imported-001.jsonl"]


def test_an_input_already_summarized_or_cached_is_not_sent(tmp_path: Path) -> None:
    submit_batch([str(EXAMPLE)], tmp_path / "first", dry_run=True, **VLLM)
    collect_batch(tmp_path / "first", results=[VLLM_RESULTS])
    report = submit_batch([str(EXAMPLE)], tmp_path / "second", dry_run=True, **VLLM)
    assert (report.summarized, report.cached, report.sent_requests) == (1, 1, 0)
    assert (tmp_path / "second" / "lavrov-shaibani-moscow.json").exists()


def test_a_request_the_runner_refused_is_a_final_error(tmp_path: Path) -> None:
    submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, **VLLM)
    [request] = requests_of(tmp_path)
    refused = {
        "id": "vllm-1",
        "custom_id": request["custom_id"],
        "response": {"status_code": 400, "request_id": "x", "body": None},
        "error": "The prompt is too long for this model",
    }
    results = tmp_path / "r1.jsonl"
    results.write_text(json.dumps(refused) + "\n")
    report = collect_batch(tmp_path, results=[results])
    assert report.finished and report.failed == 1 and not report.new_files
    record = json.loads((tmp_path / "lavrov-shaibani-moscow.error.json").read_text())
    assert "HTTP 400" in record["error"]["message"]
    assert "too long" in record["error"]["message"]


def test_settings_a_batch_cannot_use_are_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"focused strategy .* live only"):
        submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, strategy="focused")
    with pytest.raises(ConfigurationError, match="local model answers live only"):
        submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, backend="local")
    with pytest.raises(ConfigurationError, match="--dry-run"):
        submit_batch([str(EXAMPLE)], tmp_path)  # no key, no base URL
    with pytest.raises(ConfigurationError, match="holds no batch job"):
        collect_batch(tmp_path / "nothing")


def test_the_cli_round_trip_with_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], good_answer: dict[str, Any]
) -> None:
    out = tmp_path / "out"
    assert (
        main(
            [
                "batch",
                "submit",
                str(EXAMPLE),
                "--output-dir",
                str(out),
                "--dry-run",
                "--model",
                VLLM["model"],
                "--mode",
                "json_schema",
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "1 request in round 1: run requests-r1-001.jsonl" in err
    assert main(["batch", "collect", str(out)]) == 3, "nothing answered yet"
    capsys.readouterr()
    assert main(["batch", "collect", str(out), "--results", str(VLLM_RESULTS)]) == 0
    assert "1 input: 1 summarized, 0 failed" in capsys.readouterr().err
    assert main(["batch", "submit", str(EXAMPLE), "--output-dir", str(out), "--dry-run"]) == 2
    assert "already holds batch job" in capsys.readouterr().err
    assert (
        main(
            [
                "batch",
                "submit",
                str(EXAMPLE),
                "--output-dir",
                str(tmp_path / "x"),
                "--strategy",
                "focused",
                "--dry-run",
            ]
        )
        == 2
    )
    assert "runs live only" in capsys.readouterr().err
    assert main(["batch", "status", str(out)]) == 0
    assert "1 summarized" in capsys.readouterr().err


def test_a_request_that_changed_since_submit_is_resent_only_when_asked(
    tmp_path: Path, good_answer: dict[str, Any]
) -> None:
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    shutil.copy(EXAMPLE, article)
    out = tmp_path / "out"
    submit_batch([str(article)], out, dry_run=True, **VLLM)
    article.write_text(EXAMPLE.read_text().replace("Moscow", "Moskva", 1))
    report = collect_batch(out)
    assert (report.missing, report.new_files) == (1, []), "paid-for answers are not dropped"
    assert "text changed since it was submitted" in report.missing_why[0]
    report = collect_batch(out, resubmit=True)
    assert report.new_files == ["requests-r2-001.jsonl"] and report.reasks == 0
    [request] = requests_of(out, 2)
    assert "Moskva" in json.dumps(request["body"])

    # The same text, but a request built differently (as after an upgrade): held too.
    other = tmp_path / "other"
    submit_batch([str(EXAMPLE)], other, dry_run=True, **VLLM)
    job_file = other / "batch" / "job.json"
    job = json.loads(job_file.read_text())
    job["settings"]["max_tokens"] = 1000
    job_file.write_text(json.dumps(job))
    report = collect_batch(other)
    assert report.missing == 1 and not report.new_files
    assert "request differs from the one sent" in report.missing_why[0]


def test_two_commands_on_one_job_at_once_are_refused(tmp_path: Path) -> None:
    import fcntl

    submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, **VLLM)
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a collect still running would
        with pytest.raises(ConfigurationError, match="another `summarizer batch` command"):
            collect_batch(tmp_path, results=[VLLM_RESULTS])
    finally:
        os.close(fd)
    assert collect_batch(tmp_path, results=[VLLM_RESULTS]).summarized == 1


def test_collect_can_lower_the_rounds_of_reasks(
    tmp_path: Path, good_answer: dict[str, Any]
) -> None:
    submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, **VLLM)
    results = tmp_path / "r1.jsonl"
    results.write_text(results_for(requests_of(tmp_path), inventing(good_answer)))
    report = collect_batch(tmp_path, results=[results], max_reasks=0)
    assert report.finished and report.summarized == 1 and not report.new_files
    data = json.loads((tmp_path / "lavrov-shaibani-moscow.json").read_text())
    assert data["provenance"]["attempts"] == 1 and data["diagnostics"]
    job = json.loads((tmp_path / "batch" / "job.json").read_text())
    assert job["settings"]["max_reasks"] == 0, "kept for the next collect"


def test_a_results_file_given_twice_is_read_once(
    tmp_path: Path, good_answer: dict[str, Any]
) -> None:
    submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, **VLLM)
    [request] = requests_of(tmp_path)
    failed = {
        "id": "x",
        "custom_id": request["custom_id"],
        "response": {
            "status_code": 500,
            "request_id": "r",
            "body": {"error": {"message": "boom", "type": "server_error", "code": None}},
        },
        "error": None,
    }
    results = tmp_path / "r1.jsonl"
    results.write_text(json.dumps(failed) + "\n")
    report = collect_batch(tmp_path, results=[results], max_retries=1)
    assert report.retries == 1 and report.new_files == ["requests-r2-001.jsonl"]
    again = collect_batch(tmp_path, results=[results])  # the same file, by mistake
    assert again.sent_requests == 0 and again.failed == 0 and again.waiting == 1
    job = json.loads((tmp_path / "batch" / "job.json").read_text())
    assert job["imported"] == ["imported-001.jsonl"]


def test_a_partial_results_file_leaves_the_rest_waiting_or_resent_on_request(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(3):
        (inputs / f"s{i}.txt").write_text(f"Envoys met for round {i} on Monday.\n\nTalks ended.\n")
    out = tmp_path / "out"
    submit_batch([str(inputs)], out, dry_run=True, **VLLM)
    requests = requests_of(out)
    results = tmp_path / "r1.jsonl"
    results.write_text(
        results_for(requests[:2], minimal_answer(request_schema(requests[0]["body"])))
    )
    report = collect_batch(out, results=[results])
    assert (report.summarized, report.waiting, report.new_files) == (2, 1, [])
    report = collect_batch(out, resubmit=True)
    assert report.new_files == ["requests-r2-001.jsonl"]
    assert [r["custom_id"] for r in requests_of(out, 2)] == [requests[2]["custom_id"]]


def test_leftovers_of_a_killed_command_are_removed(tmp_path: Path) -> None:
    submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, **VLLM)
    from summarizer.io.files import temporary

    fd, leftover = temporary(tmp_path / "batch" / "requests-r2-001.jsonl")
    os.close(fd)
    os.rename(leftover, leftover.replace(f"pid{os.getpid()}", "pid999999"))  # a dead writer
    collect_batch(tmp_path, results=[VLLM_RESULTS])
    assert [p.name for p in (tmp_path / "batch").iterdir() if p.name.startswith(".")] == []


def test_a_saved_web_page_is_batched_and_its_text_kept_urls_are_not(tmp_path: Path) -> None:
    from conftest import ROOT

    page = ROOT / "tests" / "web_pages" / "harbour-talks.html"
    out = tmp_path / "out"
    submit_batch([str(page)], out, dry_run=True, **VLLM)
    [request] = requests_of(out)
    results = tmp_path / "r1.jsonl"
    results.write_text(results_for([request], minimal_answer(request_schema(request["body"]))))
    assert collect_batch(out, results=[results]).summarized == 1
    data = json.loads((out / "harbour-talks.json").read_text())
    assert data["provenance"]["source"]["extractor"].startswith("trafilatura")
    text_file = out / data["provenance"]["source"]["text_file"]
    import hashlib

    assert (
        hashlib.sha256(text_file.read_bytes()).hexdigest() == data["provenance"]["source"]["sha256"]
    )
    with pytest.raises(ConfigurationError, match="save the pages first"):
        submit_batch(["https://example.invalid/story"], tmp_path / "u", dry_run=True, **VLLM)
