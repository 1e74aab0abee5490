"""Small-context servers: every request fitted to the server's context, re-asks that
stay small, answers cut at the context and prompts cut silently caught. Against a
real HTTP server on loopback that answers as llama.cpp, vLLM, LM Studio and Ollama do."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import ANSWER, EXAMPLE
from openai_server import OpenAIServer, Reply, Step, answer, status
from test_long import answer_from_the_chunk

import summarizer
from summarizer import ContextTooLargeError, ContextTruncatedError, ValidationFailedError
from summarizer.backends.reasks import MAX_ECHO
from summarizer.backends.window import content_chars
from summarizer.testing import FunctionBackend, completion_for

GOOD = json.loads(ANSWER.read_text(encoding="utf-8"))


def reply(
    obj: dict[str, Any] | str,
    *,
    prompt: int = 0,
    completion: int = 0,
    finish: str | None = None,
) -> Step:
    """An answer reporting the usage a real server would."""

    def step(request: dict[str, Any]) -> Reply:
        body = completion_for(request, obj)
        if finish is not None:
            body["choices"][0]["finish_reason"] = finish
        body["usage"] = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
        return Reply(200, {}, json.dumps(body).encode())

    return step


def runaway(n: int) -> str:
    """What a small model writes when it loops: ids until the context ends, unfinished."""
    return '{"abstract": "Talks.", "actors": [' + ", ".join(f'"a{i}"' for i in range(n))


CONTEXT_ROUTES: dict[str, dict[str, dict[str, Any]]] = {
    "llama.cpp": {"/props": {"default_generation_settings": {"n_ctx": 8192}, "total_slots": 1}},
    "vLLM": {"/v1/models": {"data": [{"id": "m", "max_model_len": 8192}]}},
    "LM Studio": {
        "/api/v0/models": {"data": [{"id": "m", "state": "loaded", "loaded_context_length": 8192}]}
    },
    "Ollama ps": {"/api/ps": {"models": [{"name": "m:latest", "context_length": 8192}]}},
    "Ollama show": {
        "/api/show": {
            "parameters": "temperature 0.7\nnum_ctx 8192",
            "model_info": {"general.architecture": "llama", "llama.context_length": 131072},
        }
    },
}


@pytest.mark.parametrize("server_kind", CONTEXT_ROUTES)
def test_the_servers_context_is_asked_once_and_every_answer_fitted_to_it(
    server_kind: str, article_text: str
) -> None:
    routes = CONTEXT_ROUTES[server_kind]
    with OpenAIServer(routes=routes, default=answer(GOOD)) as server:
        for _ in range(2):
            summary = summarizer.summarize(
                article_text, base_url=server.url, model="m", cache=False, max_tokens=4096
            )
            assert summary.actors
        probes = list(server.probes)
    assert len(probes) <= 8 and sum(p.split()[1] in routes for p in probes) == 1, probes
    bodies = [r.json for r in server.received]
    assert len(bodies) == 2
    for body in bodies:
        prompt_at_least = content_chars(body) / 4  # the example's prompt: ~1,480 tokens
        assert 32 <= body["max_tokens"] <= 8192 - prompt_at_least, body["max_tokens"]


def test_context_given_by_hand_wins_and_nothing_is_asked(article_text: str) -> None:
    with OpenAIServer(routes=CONTEXT_ROUTES["llama.cpp"], default=answer(GOOD)) as server:
        summarizer.summarize(article_text, base_url=server.url, cache=False, context=6000)
    assert server.probes == []
    sent = server.received[0].json
    assert sent["max_tokens"] <= 6000 - content_chars(sent) / 4


def test_a_prompt_that_cannot_fit_is_refused_unsent(article_text: str) -> None:
    routes = {"/props": {"default_generation_settings": {"n_ctx": 1024}}}
    with (
        OpenAIServer(routes=routes, default=answer(GOOD)) as server,
        pytest.raises(ContextTooLargeError) as caught,
    ):
        summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert server.received == [], "nothing sent"
    text = str(caught.value)
    assert "does not fit" in text and "1,024 tokens" in text and "llama.cpp /props" in text
    assert "--strategy focused" in text and "--chunk-chars" in text
    assert "--max-tokens" not in text, "a smaller answer cannot make the prompt fit"


def test_a_400_for_the_answers_share_is_sent_once_more_fitted_and_the_window_learned(
    article_text: str,
) -> None:
    """vLLM and OpenAI refuse prompt + max_tokens beyond the context; the 400 says how
    many tokens the prompt took, so the second request asks for exactly what is left."""
    message = (
        "This model's maximum context length is 4096 tokens. However, you requested 5596 "
        "tokens (1500 in the messages, 4096 in the completion)."
    )
    with OpenAIServer(status(400, message), default=answer(GOOD)) as server:
        summarizer.summarize(article_text, base_url=server.url, cache=False, max_retries=0)
        first = [r.json["max_tokens"] for r in server.received]
        summarizer.summarize(article_text, base_url=server.url, cache=False, max_retries=0)
    assert first == [4096, 4096 - 1500 - 16]
    later = server.received[2].json
    assert len(server.received) == 3, "the next article is fitted before it is sent"
    assert later["max_tokens"] <= 4096 - content_chars(later) / 4


def test_a_prompt_longer_than_the_context_fails_at_once_with_the_fix() -> None:
    """llama-cpp-python's 400 when the messages alone overflow: one request, one line."""
    message = (
        "This model's maximum context length is 4096 tokens. However, you requested 8216 "
        "tokens (4120 in the messages, 4096 in the completion). Please reduce the length of "
        "the messages or completion."
    )
    with (
        OpenAIServer(default=status(400, message)) as server,
        pytest.raises(ContextTooLargeError) as caught,
    ):
        summarizer.summarize(EXAMPLE.read_text(), base_url=server.url, cache=False)
    assert len(server.received) == 1, "final at once: no retry, no backoff, no refit"
    text = str(caught.value)
    assert "context is 4,096 tokens; the prompt alone is 4,120 tokens" in text
    assert "--max-tokens" not in text and "raise the server's context" in text
    assert "--chunk-chars" in text
    assert caught.value.status == 400 and "\n" not in text


def test_llama_server_400_names_its_numbers_in_fields(article_text: str) -> None:
    body = {
        "error": {
            "code": 400,
            "message": "the request exceeds the available context size, try increasing it",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": 5000,
            "n_ctx": 4096,
        }
    }
    step: Step = lambda request: Reply(400, {}, json.dumps(body).encode())  # noqa: E731
    with OpenAIServer(default=step) as server, pytest.raises(ContextTooLargeError) as caught:
        summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert len(server.received) == 1
    assert "context is 4,096 tokens; the prompt alone is 5,000 tokens" in str(caught.value)


def test_a_reask_after_a_runaway_answer_carries_a_bounded_excerpt(article_text: str) -> None:
    long_answer = runaway(20_000)  # ~190,000 characters, unfinished
    with OpenAIServer(answer(long_answer), answer(long_answer), default=answer(GOOD)) as server:
        summary = summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert summary.actors and len(long_answer) > 150_000
    first, second, third = (r.raw for r in server.received)
    # JSON escaping of the excerpt's quotes may double its bytes; the answer was 190 KB.
    assert len(second) - len(first) < 2 * MAX_ECHO + 1000, "the re-ask grew by an excerpt"
    assert len(third) - len(first) < 2 * MAX_ECHO + 1000, "and not again with each re-ask"
    assert content_chars(json.loads(third)) - content_chars(json.loads(first)) < MAX_ECHO + 500
    messages = json.loads(third)["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert len(messages[2]["content"]) <= MAX_ECHO
    assert messages[2]["content"].endswith(f"{len(long_answer):,} characters in all]")
    # JSON that stops before its end was cut, whatever the server said: asked shorter.
    assert "cut off" in messages[3]["content"] and "shorter" in messages[3]["content"]


def test_a_short_failed_answer_is_echoed_whole_as_instructor_does(article_text: str) -> None:
    bad = {**GOOD, "actors": [{"id": "a1", "name": "Nobody Inthetext", "aliases": []}]}
    with OpenAIServer(answer(bad), default=answer(GOOD)) as server:
        summarizer.summarize(article_text, base_url=server.url, cache=False)
    messages = server.received[1].json["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool"]
    assert "Nobody Inthetext" in messages[2]["tool_calls"][0]["function"]["arguments"]


def test_an_answer_that_ran_to_the_end_of_the_context_is_cut_off_and_asked_shorter(
    article_text: str,
) -> None:
    """llama.cpp's servers stop at the context's end and still say 'tool_calls'."""
    routes = {"/props": {"default_generation_settings": {"n_ctx": 8192}}}
    ran_out = reply(runaway(900), prompt=1490, completion=8192 - 1490, finish="tool_calls")
    with OpenAIServer(ran_out, routes=routes, default=answer(GOOD)) as server:
        summary = summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert summary.actors and len(server.received) == 2
    messages = server.received[1].json["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert "cut off after 6,702 tokens" in messages[3]["content"]
    assert "shorter" in messages[3]["content"]
    assert len(messages[2]["content"]) <= 8192 * 3.5 / 4, "a quarter of the context at most"


def test_a_cut_off_answer_with_no_reask_left_fails_saying_so(article_text: str) -> None:
    cut = reply(runaway(50), prompt=1490, completion=300, finish="length")
    with OpenAIServer(default=cut) as server, pytest.raises(ValidationFailedError) as caught:
        summarizer.summarize(
            article_text, base_url=server.url, cache=False, max_reasks=0, max_tokens=300
        )
    assert len(server.received) == 1, "not sent again unchanged"
    assert "cut off after 300 tokens" in str(caught.value)


def test_a_server_that_cut_the_prompt_silently_fails_the_input_in_one_line(
    article_text: str,
) -> None:
    """Ollama keeps what fits, answers 200 and counts only what it kept."""
    with (
        OpenAIServer(default=reply(GOOD, prompt=512, completion=300)) as server,
        pytest.raises(ContextTruncatedError) as caught,
    ):
        summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert len(server.received) == 1, "final: the same request would be cut the same way"
    sent = content_chars(server.received[0].json)
    text = str(caught.value)
    assert f"kept 512 of about {round(sent / 4):,} prompt tokens" in text
    assert "OLLAMA_CONTEXT_LENGTH" in text and "\n" not in text
    assert isinstance(caught.value, ContextTooLargeError)


def test_an_honest_usage_report_passes_the_truncation_check(article_text: str) -> None:
    with OpenAIServer(default=reply(GOOD, prompt=1487, completion=344)) as server:
        summary = summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert summary.provenance.usage.prompt_tokens == 1487


def test_long_articles_are_split_into_parts_that_fit_the_context() -> None:
    text = "\n\n".join(
        f"Report number {n} from the wire.\n\n{EXAMPLE.read_text().strip()}" for n in range(9)
    )
    assert 18_000 < len(text) < 24_000, "one part at the default --chunk-chars"
    wide = FunctionBackend(answer_from_the_chunk)
    summarizer.summarize(text, transport=wide)
    narrow = FunctionBackend(answer_from_the_chunk)
    summary = summarizer.summarize(text, transport=narrow, context=4096)
    assert len(wide.calls) == 1 and len(narrow.calls) >= 3
    for call in narrow.calls:
        assert content_chars(call.body) / 3.5 + call.body["max_tokens"] <= 4096
    assert summary.statements, "the parts were merged"


def test_a_context_too_small_for_any_part_is_refused_before_sending() -> None:
    text = "\n\n".join(f"Paragraph {n}. " + "Lavrov spoke. " * 40 for n in range(20))
    backend = FunctionBackend(answer_from_the_chunk)
    with pytest.raises(ContextTooLargeError) as caught:
        summarizer.summarize(text, transport=backend, context=1200)
    assert backend.calls == []
    assert "leaves room for" in str(caught.value) and "--strategy focused" in str(caught.value)


def test_a_reask_the_context_cannot_hold_keeps_the_grounded_part_of_the_last_answer(
    article_text: str,
) -> None:
    """As when the re-asks run out: salvage, not a lost article."""
    invented = json.loads(json.dumps(GOOD))
    invented["actors"].append({"id": "a99", "kind": "person", "name": "Nobody Inthetext"})
    message = (
        "This model's maximum context length is 2048 tokens. However, you requested 6200 "
        "tokens (2104 in the messages, 4096 in the completion)."
    )
    with OpenAIServer(answer(invented), default=status(400, message)) as server:
        summary = summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert len(server.received) == 2, "the re-ask was sent once, not retried"
    assert "Nobody Inthetext" not in {a.name for a in summary.actors}
    assert summary.actors and summary.diagnostics


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://127.0.0.1:8080/v1", 600.0),
        ("http://localhost:11434/v1", 600.0),
        ("http://[::1]:8000/v1", 600.0),
        ("https://api.example.com/v1", 120.0),
    ],
)
def test_a_server_on_this_machine_gets_the_whole_max_time_per_request(
    base_url: str, expected: float
) -> None:
    """A local model is slow, not lost; it goes on generating a request the client gave
    up on, so a retry after a timeout would queue behind it."""
    settings = summarizer.resolve_settings(base_url=base_url, api_key="k", cache=False)
    assert settings.timeout == expected
    given = summarizer.resolve_settings(base_url=base_url, timeout=30, cache=False)
    assert given.timeout == 30


def test_context_option_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from summarizer.cli.main import main

    with pytest.raises(SystemExit):
        main(["summarize", "--help"])
    assert "--context TOKENS" in capsys.readouterr().out
    code = main(["summarize", str(EXAMPLE), "--base-url", "http://127.0.0.1:9/v1",
                 "--context", "100"])  # fmt: skip
    assert code == 2 and "context of 100 tokens is too small" in capsys.readouterr().err


def test_a_cut_off_last_answer_leaves_the_grounded_part_of_the_answer_before_it(
    article_text: str,
) -> None:
    invented = json.loads(json.dumps(GOOD))
    invented["actors"].append({"id": "a99", "kind": "person", "name": "Nobody Inthetext"})
    first = reply(invented, prompt=1500, completion=100)
    cut = reply(runaway(50), prompt=4000, completion=300, finish="length")
    with OpenAIServer(first, cut) as server:
        summary = summarizer.summarize(article_text, base_url=server.url, cache=False, max_reasks=1)
    assert len(server.received) == 2
    usage = summary.provenance.usage
    assert (usage.prompt_tokens, usage.completion_tokens) == (5500, 400), "each answer once"
    assert summary.actors and "Nobody Inthetext" not in {a.name for a in summary.actors}
    assert summary.diagnostics


def test_an_unfinished_string_with_raw_newlines_is_a_cut_and_tells_the_window(
    article_text: str,
) -> None:
    """llama-cpp-python at the end of its context: 'tool_calls', total = n_ctx, and the
    arguments stop inside a string that has raw newlines in it."""
    stopped = reply('{"abstract": "Talks.\n\nmore', prompt=2108, completion=1988)
    with OpenAIServer(stopped, default=answer(GOOD)) as server:
        summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert len(server.received) == 2
    again = server.received[1].json
    assert "cut off after 1,988 tokens" in again["messages"][-1]["content"]
    assert again["max_tokens"] <= 4096 - content_chars(again) / 4, "fitted to 2108 + 1988"


def test_a_question_longer_than_the_context_is_refused_by_the_transport_unsent() -> None:
    """The focused strategy's questions are not split: one that cannot fit is refused
    before it is sent, with the numbers; those sent before it fitted."""
    long_sentence = "Minister Ana Ruiz met Minister Omar Said in Lima, " + "and they talked " * 60
    article = f"{long_sentence}.\n\n{long_sentence}.\n\nThey said nothing more."
    backend = FunctionBackend(lambda messages, schema: {})
    with pytest.raises(ContextTooLargeError) as caught:
        summarizer.summarize(article, transport=backend, strategy="focused", context=512)
    for call in backend.calls:
        assert content_chars(call.body) / 4 + call.body["max_tokens"] <= 512
    text = str(caught.value)
    assert "its prompt is about" in text and "context is 512" in text
    assert "--strategy focused" not in text, "it is the focused strategy already"


def test_a_reasks_answer_may_take_twice_the_answer_it_corrects(article_text: str) -> None:
    """A model that loops on the re-ask stops at twice its first answer, not at the end
    of the context."""
    bad = {**GOOD, "actors": [*GOOD["actors"], {"id": "a99", "name": "Nobody Inthetext"}]}
    with OpenAIServer(answer(bad), default=answer(GOOD)) as server:
        summarizer.summarize(article_text, base_url=server.url, cache=False, max_tokens=8000)
    first, again = (r.json for r in server.received)
    echoed = len(first["messages"]) + 2 == len(again["messages"])
    answer_chars = len(again["messages"][2]["tool_calls"][0]["function"]["arguments"])
    assert first["max_tokens"] == 8000 and echoed
    assert again["max_tokens"] == max(1024, 2 * answer_chars // 3) < 8000


def test_documents_that_start_together_wait_for_one_probe(tmp_path: Any) -> None:
    import asyncio

    paths = []
    for i in range(4):
        path = tmp_path / f"a{i}.txt"
        path.write_text(EXAMPLE.read_text() + f"\n\n(Copy {i}.)\n", encoding="utf-8")
        paths.append(path)

    async def run(url: str) -> list[Any]:
        outcomes = summarizer.summarize_many(paths, base_url=url, cache=False, concurrency=4)
        return [o async for o in outcomes]

    with OpenAIServer(routes=CONTEXT_ROUTES["llama.cpp"], default=answer(GOOD)) as server:
        outcomes = asyncio.run(run(server.url))
    assert all(o.summary is not None for o in outcomes)
    assert [p for p in server.probes if p.endswith("/props")] == ["GET /props"]
    for received in server.received:
        body = received.json
        assert body["max_tokens"] <= 8192 - content_chars(body) / 4, "every one fitted"


def test_vllms_newer_400_names_the_input_tokens_and_is_refitted(article_text: str) -> None:
    message = (
        "'max_tokens' or 'max_completion_tokens' is too large: 4096. This model's maximum "
        "context length is 6144 tokens and your request has 3800 input tokens "
        "(4096 > 6144 - 3800)."
    )
    with OpenAIServer(status(400, message), default=answer(GOOD)) as server:
        summarizer.summarize(article_text, base_url=server.url, cache=False, max_retries=0)
    assert [r.json["max_tokens"] for r in server.received] == [4096, 6144 - 3800 - 16]


def test_a_recording_made_against_a_small_context_replays(article_text: str, tmp_path: Any) -> None:
    """Fixtures hold the request as the client built it: replay knows no window."""
    routes = {"/props": {"default_generation_settings": {"n_ctx": 5000}}}
    with OpenAIServer(routes=routes, default=answer(GOOD)) as server:
        live = summarizer.summarize(
            article_text, base_url=server.url, cache=False, record=tmp_path / "fx"
        )
    assert server.received[0].json["max_tokens"] < 4096, "the server got it fitted"
    replayed = summarizer.summarize(article_text, replay=tmp_path / "fx", cache=False)
    assert replayed.actors == live.actors


def test_a_stray_bracket_is_a_json_error_not_a_cut(article_text: str) -> None:
    broken = json.dumps(GOOD) + "}"
    with OpenAIServer(reply(broken, prompt=1500, completion=900), default=answer(GOOD)) as server:
        summarizer.summarize(article_text, base_url=server.url, cache=False)
    reask = server.received[1].json["messages"]
    assert "cut off" not in json.dumps(reask[-1]) and "Invalid JSON" in json.dumps(reask[-1])
    from summarizer.backends.window import window_for

    assert window_for(server.url, "gpt-4o-mini", None).tokens is None, "no window learned"


def test_json_schema_mode_does_not_count_the_schema_in_the_prompt(article_text: str) -> None:
    """The schema constrains decoding there: a 3,072-token window holds the example;
    as tools (in the prompt) it does not."""
    with OpenAIServer(default=answer(GOOD)) as server:
        with pytest.raises(ContextTooLargeError):
            summarizer.summarize(article_text, base_url=server.url, cache=False, context=3072)
        assert server.received == []
        summary = summarizer.summarize(
            article_text, base_url=server.url, cache=False, context=3072, mode="json_schema"
        )
    assert summary.actors and len(server.received) == 1
    assert (
        server.received[0].json["max_tokens"] <= 3072 - content_chars(server.received[0].json) / 4
    )


def test_a_low_prompt_count_that_a_known_context_holds_twice_over_is_a_cache_not_a_cut(
    article_text: str,
) -> None:
    """Some Ollama releases count only the prompt tokens they had not cached."""
    routes = {"/api/ps": {"models": [{"name": "m", "context_length": 32768}]}}
    with OpenAIServer(routes=routes, default=reply(GOOD, prompt=40, completion=300)) as server:
        summary = summarizer.summarize(article_text, base_url=server.url, model="m", cache=False)
    assert summary.actors


def test_a_context_given_by_hand_is_that_clients_own(article_text: str) -> None:
    with OpenAIServer(routes=CONTEXT_ROUTES["llama.cpp"], default=answer(GOOD)) as server:
        summarizer.summarize(article_text, base_url=server.url, cache=False, context=6000)
        assert server.probes == []
        summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert "GET /props" in server.probes, "the next client asks the server itself"


def test_a_recorded_cut_answer_keeps_what_the_server_said(article_text: str, tmp_path: Any) -> None:
    routes = {"/props": {"default_generation_settings": {"n_ctx": 8192}}}
    ran_out = reply(runaway(900), prompt=1490, completion=8192 - 1490, finish="tool_calls")
    with OpenAIServer(ran_out, routes=routes, default=answer(GOOD)) as server:
        summarizer.summarize(article_text, base_url=server.url, cache=False, record=tmp_path)
    fixtures = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    cut = [f for f in fixtures if f["response"]["body"]["choices"][0]["finish_reason"] == "length"]
    assert len(cut) == 1
    choice = cut[0]["response"]["body"]["choices"][0]
    assert choice["summarizer_reported_finish_reason"] == "tool_calls"


def _counter(field: str, chars_per_token: float, answer: str = "count") -> Any:
    """A server's tokenizer route: counts the text in `field` at that density."""

    def route(body: dict[str, Any]) -> dict[str, Any] | None:
        if field not in body:
            return None
        n = max(1, round(len(body[field]) / chars_per_token))
        return {"count": n} if answer == "count" else {"tokens": list(range(n))}

    return route


TOKENIZERS = {
    "llama-cpp-python": {"/extras/tokenize/count": _counter("input", 3.0)},
    "llama-server": {"/tokenize": _counter("content", 3.0, answer="tokens")},
    "vLLM": {"/tokenize": _counter("prompt", 3.0)},
}


@pytest.mark.parametrize("server_kind", TOKENIZERS)
def test_a_moderate_cut_is_caught_with_the_servers_tokenizer(
    server_kind: str, article_text: str
) -> None:
    """1,200 prompt tokens would pass the estimate (6 characters a token); the server's
    own tokenizer counts ~2,000 in the messages, so the prompt was cut."""
    routes = TOKENIZERS[server_kind]
    with (
        OpenAIServer(routes=routes, default=reply(GOOD, prompt=1200, completion=300)) as server,
        pytest.raises(ContextTruncatedError) as caught,
    ):
        summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert len(server.received) == 1
    assert "kept 1,200 of" in str(caught.value) and "(counted by the server)" in str(caught.value)
    tokenize = [p for p in server.probes if "tokenize" in p]
    assert len(tokenize) >= 2, "found once with a sample, then asked for the prompt"


def test_the_servers_tokenizer_overrules_the_estimate(article_text: str) -> None:
    """A dense tokenizer (7 characters a token) is no cut the estimate would suspect."""
    routes = {"/extras/tokenize/count": _counter("input", 7.0)}
    with OpenAIServer(routes=routes, default=reply(GOOD, prompt=900, completion=300)) as server:
        summary = summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert summary.actors and any("tokenize" in p for p in server.probes)


def test_a_retry_after_a_server_error_spends_no_reask_before_a_cut(article_text: str) -> None:
    cut = reply(runaway(50), prompt=1490, completion=300, finish="length")
    with OpenAIServer(status(500), cut, default=answer(GOOD)) as server:
        summary = summarizer.summarize(
            article_text, base_url=server.url, cache=False, max_reasks=1, max_retries=2
        )
    assert summary.actors and len(server.received) == 3
    assert "cut off" in server.received[2].json["messages"][-1]["content"]


@pytest.mark.parametrize("entry", ["summarize", "summarize_many", "cli"])
def test_every_entry_point_bounds_a_reask_by_the_servers_window(
    entry: str, article_text: str, tmp_path: Any
) -> None:
    """The window the server reported bounds a re-ask's excerpt of a runaway answer to a
    quarter of the context however the article came in: one typed transport stack."""
    import asyncio
    import os
    import subprocess
    import sys

    routes = {"/props": {"default_generation_settings": {"n_ctx": 8192}}}
    ran_out = reply(runaway(3000), prompt=1490, completion=8192 - 1490, finish="tool_calls")
    path = tmp_path / "article.txt"
    path.write_text(article_text, encoding="utf-8")
    with OpenAIServer(ran_out, routes=routes, default=answer(GOOD)) as server:
        if entry == "summarize":
            summarizer.summarize(article_text, base_url=server.url, cache=False)
        elif entry == "summarize_many":

            async def run() -> list[Any]:
                outcomes = summarizer.summarize_many([path], base_url=server.url, cache=False)
                return [o async for o in outcomes]

            assert asyncio.run(run())[0].summary is not None
        else:
            done = subprocess.run(
                [sys.executable, "-m", "summarizer", "summarize", str(path), "--no-cache",
                 "--base-url", server.url, "-q"],
                capture_output=True, text=True, env={**os.environ, "OPENAI_API_KEY": ""},
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
    assert len(server.received) == 2
    excerpt = server.received[1].json["messages"][2]["content"]
    assert len(excerpt) > 1000 and len(excerpt) <= 8192 * 3.5 / 4, len(excerpt)


def test_the_stack_finds_its_layers_by_type_under_every_wrapper(tmp_path: Any) -> None:
    from summarizer.backends.budget import BudgetedTransport, TokenBudget
    from summarizer.backends.fitting import FittingTransport
    from summarizer.backends.recording import RecordingTransport
    from summarizer.backends.transports import BoundedTransport, make_transport
    from summarizer.backends.window import Window
    from summarizer.config import resolve_settings

    settings = resolve_settings(base_url="http://127.0.0.1:9/v1", record=tmp_path, env={})
    window = Window(tokens=8192, source="--context")
    stack = make_transport(settings, max_in_flight=4, budget=TokenBudget(10_000), window=window)
    kinds = [type(layer) for layer in stack.layers()]
    assert kinds[:4] == [BudgetedTransport, BoundedTransport, RecordingTransport, FittingTransport]
    assert stack.window is window and stack.find(FittingTransport) is not None
    bare = make_transport(settings)
    assert bare.window is None and bare.find(FittingTransport) is None


def test_a_size_shown_by_cut_answers_is_a_hypothesis_until_corroborated() -> None:
    """A cut answer may have stopped at the context's end, or come from a flaky server:
    one is a hypothesis; a second, to a prompt of another length, at the same total
    makes it the size; an answer that took more than a size shows it wrong."""
    from summarizer.backends.window import CUT_ANSWERS, Window

    window = Window()
    window.learn_answer(1487, 4096, cut=True)
    assert window.tokens is None, "one cut answer proves nothing"
    window.learn_answer(1487, 4096, cut=True)
    assert window.tokens is None, "the same prompt cut at the same place: not a context"
    window.learn_answer(2100, 4096, cut=True)
    assert (window.tokens, window.source) == (4096, CUT_ANSWERS)

    flaky = Window()
    flaky.learn_answer(1500, 1900, cut=False)  # a whole answer took 1,900 tokens
    flaky.learn_answer(1500, 1600, cut=True)  # half of one: the context holds 1,900
    flaky.learn_answer(1400, 1600, cut=True)
    assert flaky.tokens is None and flaky.cut is None

    wrong = Window()
    wrong.learn_answer(1200, 1700, cut=True)
    wrong.learn_answer(1300, 1700, cut=True)
    assert wrong.tokens == 1700
    wrong.learn_answer(1500, 2400, cut=False)  # no answer outgrows the context
    assert wrong.tokens is None and wrong.held == 2400

    told = Window(tokens=1700, source="llama.cpp /props")
    told.learn_answer(1500, 2400, cut=False)
    assert told.tokens == 1700, "what the server said is not overruled by a count"


def test_half_json_answers_from_a_flaky_server_leave_the_window_alone(
    article_text: str,
) -> None:
    """Malformed answers that say they finished, before and among whole ones: each is
    re-asked, and no window learned from them shrinks the requests after them."""
    from openai_server import half_json

    from summarizer.backends.window import window_for

    halves = [half_json(GOOD), half_json(GOOD)]
    with OpenAIServer(*halves, answer(GOOD, counted=True), default=answer(GOOD, counted=True)) as s:
        for _ in range(3):
            assert summarizer.summarize(article_text, base_url=s.url, cache=False).actors
        window = window_for(s.url, summarizer.resolve_settings(base_url=s.url, env={}).model, None)
    assert window.tokens is None
    firsts = [r.json for r in s.received if len(r.json["messages"]) == 2]  # not re-asks
    assert len(firsts) == 3 and len(s.received) == 5
    assert {b["max_tokens"] for b in firsts} == {4096}, "no request shrunk"


def test_a_reask_the_known_window_cannot_hold_is_not_sent(article_text: str) -> None:
    """llama-cpp-python's server counts with its own tokenizer and refuses a prompt
    longer than its context with a 400. A re-ask's excerpt of JSON is denser than prose,
    so the estimate says it fits: where the server's tokenizer is known, the request is
    counted with it first, and not sent; the grounded part of the answer is kept."""
    size = 8192

    def tokens(text: str) -> int:
        return int(len(text) / 1.6)  # denser than the estimate's 3.5 characters a token

    def step(request: dict[str, Any]) -> Reply:
        text = "\n".join(str(m.get("content") or "") for m in request["messages"])
        text += "".join(
            c["function"]["arguments"]
            for m in request["messages"]
            for c in m.get("tool_calls") or []
        )
        if tokens(text) + int(request.get("max_tokens") or 0) > size:
            message = f"This model's maximum context length is {size} tokens. However, you "
            message += f"requested {tokens(text)} tokens (context_length_exceeded)"
            return Reply(400, {}, json.dumps({"error": {"message": message}}).encode())
        return reply(bad, prompt=tokens(text), completion=900)(request)

    # Every actor with a name the article lacks: a whole re-ask's worth of excerpt.
    bad = {**GOOD, "actors": [*GOOD["actors"]] + [
        {"id": f"x{i}", "name": f"Nobody Inthetext{i}", "aliases": []} for i in range(60)
    ]}  # fmt: skip
    routes = {
        "/props": {"default_generation_settings": {"n_ctx": size}},
        "/extras/tokenize/count": lambda body: {"count": tokens(body["input"])},
    }
    with OpenAIServer(routes=routes, default=step) as server:
        summary = summarizer.summarize(article_text, base_url=server.url, cache=False)
    assert len(server.received) == 1, "the re-ask that could not fit was not sent"
    assert summary.actors, "the grounded part of the answer is kept"
    assert len([d for d in summary.diagnostics if "Nobody Inthetext" in d.problem]) == 60
    assert "POST /extras/tokenize/count" in server.probes
