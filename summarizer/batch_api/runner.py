"""A batch job from start to finish: submit, status, collect (with re-ask and retry
rounds), cancel.

Every input goes through the live pipeline (`summarize_inputs`) with `BatchAnswers` as
its transport. Submitting runs it with no answers: each input stops at its first
request, which becomes a line of the first round. Collecting runs it again with the
answers downloaded so far: an input whose answers all validate is written as
`NAME.json` (and cached); one whose answer failed validation stops at instructor's
re-ask request, which becomes a line of the next round, up to `max_reasks` rounds;
a request that failed in the batch (5xx, 429) is sent again, up to `max_retries`.

The job's folder holds the summaries (`NAME.json`, `NAME.error.json`, as `summarize
--output-dir` writes them) and `batch/`: the job file, the request files, the
downloaded results. Every step is written down before the next one starts, so a
command killed at any point is taken up by the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import os
import shutil
from collections.abc import Callable, Coroutine, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, Unpack

from summarizer.article import Article
from summarizer.batch import DirectorySink, Outcome, output_is_current, summarize_inputs
from summarizer.batch_api.answers import BatchAnswers, ResultIndex
from summarizer.batch_api.job import TERMINAL, BatchFile, BatchInput, BatchJob, JobSettings
from summarizer.batch_api.lines import (
    MAX_FILE_BYTES,
    MAX_FILE_REQUESTS,
    RequestFiles,
    key_of,
    submitted_ids,
)
from summarizer.batch_api.provider import Provider
from summarizer.batch_api.report import BatchReport
from summarizer.config import Options, Settings, resolve_settings
from summarizer.errors import AnswerPending, ConfigurationError
from summarizer.io.cache import SummaryCache, cache_key
from summarizer.io.files import remove_leftovers
from summarizer.io.inputs import InputRef, expand_paths
from summarizer.schema import Summary

if TYPE_CHECKING:
    from openai.types import Batch

__all__ = [
    "FOCUSED_LIVE_ONLY",
    "abatch_status",
    "acancel_batch",
    "acollect_batch",
    "asubmit_batch",
    "batch_settings",
]

STATE_DIR = "batch"
FOCUSED_LIVE_ONLY = (
    "the focused strategy asks many small questions, each after the answer to the last: "
    "it runs live only (`summarizer summarize`); batches use the single strategy"
)
PollCallback = Callable[[BatchJob], None]
P = ParamSpec("P")
T = TypeVar("T")


def _one_command_at_a_time(
    position: int,
) -> Callable[[Callable[P, Coroutine[Any, Any, T]]], Callable[P, Coroutine[Any, Any, T]]]:
    """Hold an exclusive lock on the job's folder while the command runs: two commands
    at once (a cron job and a hand-run collect) would send the same round twice."""

    def wrap(command: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, Coroutine[Any, Any, T]]:
        @functools.wraps(command)
        async def locked(*args: P.args, **kwargs: P.kwargs) -> T:
            given = args[position] if len(args) > position else kwargs.get("output_dir")
            folder = Path(str(given))
            if position == 1:  # submit makes the folder
                _make_folders(folder, folder / STATE_DIR)
            with _folder_lock(folder):
                return await command(*args, **kwargs)

        return locked

    return wrap


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # no such folder: the command says so itself
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigurationError(
                f"another `summarizer batch` command is working on {str(folder)!r}; "
                "run this one when it has finished"
            ) from None
        yield
    finally:
        os.close(fd)


def batch_settings(*, dry_run: bool = False, **options: Unpack[Options]) -> Settings:
    """Settings for a batch: an endpoint's, with the single strategy. Without
    `dry_run`, an endpoint with a Files and Batches API must be configured."""
    if options.get("strategy") == "focused":
        raise ConfigurationError(FOCUSED_LIVE_ONLY)
    if options.get("backend") == "local" or options.get("model_path") is not None:
        raise ConfigurationError(
            "the local model answers live only (`summarizer summarize`); a batch goes to "
            "a provider, or with --dry-run to a file for `vllm run-batch`"
        )
    if options.get("record") is not None or options.get("replay") is not None:
        raise ConfigurationError("--record and --replay apply to live runs, not batches")
    options = {**options, "backend": "openai", "strategy": "single"}
    settings = resolve_settings(**options, injected=True)
    if not dry_run and settings.api_key is None and settings.base_url is None:
        raise ConfigurationError(
            "no endpoint configured: set OPENAI_API_KEY (or --api-key) for OpenAI's Batch "
            "API, --base-url for another server with one, or use --dry-run to write the "
            "request files only (for `vllm run-batch` or another runner)"
        )
    return settings


def _job_settings(
    job: BatchJob, *, api_key: str | None, cache: bool, cache_dir: str | Path | None
) -> Settings:
    """The settings the job was submitted with (the key from today's environment)."""
    js = job.settings
    return resolve_settings(
        model=js.model,
        backend="openai",
        strategy="single",
        base_url=js.base_url,
        api_key=api_key,
        mode=js.mode,
        timeout=js.timeout,
        max_retries=js.max_retries,
        max_reasks=js.max_reasks,
        temperature=js.temperature,
        max_tokens=js.max_tokens,
        chunk_chars=js.chunk_chars,
        cache=cache,
        cache_dir=cache_dir,
        injected=True,
    )


@_one_command_at_a_time(1)
async def asubmit_batch(
    paths: Iterable[str],
    output_dir: str | Path,
    *,
    dry_run: bool = False,
    published: dt.date | None = None,
    max_requests: int = MAX_FILE_REQUESTS,
    max_bytes: int = MAX_FILE_BYTES,
    settings: Settings | None = None,
    **options: Unpack[Options],
) -> BatchReport:
    """Write one request per input (per part, for long articles) into request files
    split at `max_requests` lines and `max_bytes`, and unless `dry_run`, upload them
    and create a batch of each. Inputs whose summary is already in the folder, or in
    the cache, are not sent. A submit killed midway is finished by running it again."""
    folder = Path(output_dir)
    state = folder / STATE_DIR
    settings = settings or batch_settings(dry_run=dry_run, **options)
    if settings.strategy != "single":
        raise ConfigurationError(FOCUSED_LIVE_ONLY)
    refs = expand_paths(list(paths))
    if any(ref.is_stdin for ref in refs):
        raise ConfigurationError("a batch reads files: stdin (-) cannot be resubmitted later")
    _make_folders(folder, state)
    if BatchJob.path_in(state).exists():
        job = BatchJob.load(state)
        if job.submitted or [i.path for i in job.inputs] != [r.name for r in refs]:
            raise ConfigurationError(
                f"{str(folder)!r} already holds batch job {job.id}: `summarizer batch "
                "collect` it, or submit into another folder"
            )
    else:
        job = BatchJob(
            provider="none" if dry_run else "openai",
            settings=JobSettings.of(settings, published),
            max_requests=max_requests,
            max_bytes=max_bytes,
            inputs=[BatchInput(path=r.name, output=r.stem) for r in refs],
        )
        report = _report(job, folder, settings)
        shas = await _run_inputs(job, folder, settings, ResultIndex(), report, resubmit=False)
        job.inputs = [replace_sha(i, shas.get(i.path)) for i in job.inputs]
        job.save(state)
        if job.provider == "none":
            job.submitted = True
            job.save(state)
        return await _finish_submit(job, folder, settings, report)
    return await _finish_submit(job, folder, settings, _report(job, folder, settings))


def replace_sha(entry: BatchInput, sha: str | None) -> BatchInput:
    return entry.model_copy(update={"sha256": sha})


async def _finish_submit(
    job: BatchJob, folder: Path, settings: Settings, report: BatchReport
) -> BatchReport:
    if job.provider == "openai":
        async with Provider(settings) as provider:
            await _send(job, folder / STATE_DIR, provider)
        job.submitted = True
        job.save(folder / STATE_DIR)
    report.files = list(job.files)
    return report


@_one_command_at_a_time(0)
async def acollect_batch(
    output_dir: str | Path,
    *,
    wait: bool = False,
    results: Iterable[str | Path] = (),
    resubmit: bool = False,
    poll: float = 30.0,
    max_poll: float = 600.0,
    api_key: str | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    on_poll: PollCallback | None = None,
) -> BatchReport:
    """Bring a job as far as it goes now: download what finished, write the summaries
    and errors of inputs whose answers are in, and send the next round (re-asks,
    retries; with `resubmit`, requests lost in an expired or cancelled batch).
    `results` are results files produced elsewhere (`vllm run-batch -o`), copied into
    the job. With `wait`, poll (from `poll` seconds, backing off to `max_poll`) until
    every round is in. Idempotent: a second run, or one after a kill, loses nothing
    and writes nothing twice."""
    folder = Path(output_dir)
    state = folder / STATE_DIR
    job = BatchJob.load(state)
    settings = _job_settings(job, api_key=api_key, cache=cache, cache_dir=cache_dir)
    _make_folders(folder, state)
    _import(job, state, results)
    if job.provider == "openai" and settings.api_key is None and settings.base_url is None:
        raise ConfigurationError(
            "this job was sent to OpenAI: set OPENAI_API_KEY (or --api-key) to collect it"
        )
    report = _report(job, folder, settings)
    provider = Provider(settings) if job.provider == "openai" else None
    delay = poll
    try:
        while True:
            if provider is not None:
                await _send(job, state, provider)
                await _refresh(job, state, provider, download=True)
                if wait and any(_running(f) for f in job.files):
                    if on_poll is not None:
                        on_poll(job)
                    await asyncio.sleep(delay)
                    delay = min(delay * 1.5, max_poll)
                    continue
            sent_before = len(job.files)
            await _run_inputs(job, folder, settings, _index(job, state), report, resubmit=resubmit)
            resubmit = False  # what was lost is sent once per command
            if provider is not None:
                await _send(job, state, provider)
            new_round = len(job.files) > sent_before
            if not (wait and provider is not None and new_round):
                break
            delay = poll
    finally:
        if provider is not None:
            await provider.__aexit__(None, None, None)
    report.files = list(job.files)
    return report


@_one_command_at_a_time(0)
async def abatch_status(output_dir: str | Path, *, api_key: str | None = None) -> BatchReport:
    """The job's batches as the provider reports them now, and its inputs' outputs."""
    folder = Path(output_dir)
    state = folder / STATE_DIR
    job = BatchJob.load(state)
    settings = _job_settings(job, api_key=api_key, cache=False, cache_dir=None)
    if job.provider == "openai" and (settings.api_key or settings.base_url):
        async with Provider(settings) as provider:
            await _refresh(job, state, provider, download=False)
    report = _report(job, folder, settings)
    for entry in job.inputs:
        good = folder / f"{entry.output}.json"
        if good.exists():
            report.done_before += 1
        elif (folder / f"{entry.output}.error.json").exists():
            report.failed += 1
        else:
            report.waiting += 1
    report.files = list(job.files)
    return report


@_one_command_at_a_time(0)
async def acancel_batch(output_dir: str | Path, *, api_key: str | None = None) -> BatchReport:
    """Cancel the job's running batches. What they finished is still collected;
    `collect --resubmit` sends what they did not."""
    folder = Path(output_dir)
    state = folder / STATE_DIR
    job = BatchJob.load(state)
    if job.provider != "openai":
        raise ConfigurationError("this job was written with --dry-run: nothing was sent to cancel")
    settings = _job_settings(job, api_key=api_key, cache=False, cache_dir=None)
    async with Provider(settings) as provider:
        for file in job.files:
            if file.batch_id is not None and file.status not in TERMINAL | {"cancelling"}:
                _update(file, await provider.cancel(file.batch_id))
                job.save(state)
    report = _report(job, folder, settings)
    report.files = list(job.files)
    return report


def _make_folders(folder: Path, state: Path) -> None:
    try:
        state.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write to {str(folder)!r} ({exc.strerror or exc}); give a folder you can "
            "write to"
        ) from exc
    remove_leftovers(state)


def _report(job: BatchJob, folder: Path, settings: Settings) -> BatchReport:
    return BatchReport(
        folder=folder,
        job_id=job.id,
        provider=job.provider,
        model=settings.model,
        total=len(job.inputs),
    )


def _running(file: BatchFile) -> bool:
    return file.batch_id is not None and not file.finished


def _import(job: BatchJob, state: Path, results: Iterable[str | Path]) -> None:
    """Copy results files made elsewhere into the job, so it stays whole if they go."""
    for given in results:
        source = Path(given)
        if not source.is_file():
            raise ConfigurationError(f"results file {str(source)!r} does not exist")
        name = f"imported-{len(job.imported) + 1:03d}.jsonl"
        tmp = state / f".{name}.partial"
        shutil.copyfile(source, tmp)
        tmp.replace(state / name)
        job.imported.append(name)
        job.save(state)


def _index(job: BatchJob, state: Path) -> ResultIndex:
    index = ResultIndex()
    for file in job.files:
        for name in file.results:
            index.add_results(state / name, label=file.batch_id or file.name)
    for name in job.imported:
        index.add_results(state / name, label=f"results file {name}")
    for file in job.files:
        # Without a provider, a request waits until a results file answers it.
        running = job.provider == "none" or not file.finished
        where = f"batch {file.batch_id or file.name} {file.status}"
        if file.errors:
            where += f" ({file.errors[0]})"
        index.add_sent(
            (key_of(i) for i in submitted_ids(state / file.name)), running=running, where=where
        )
    return index


async def _run_inputs(
    job: BatchJob,
    folder: Path,
    settings: Settings,
    index: ResultIndex,
    report: BatchReport,
    *,
    resubmit: bool,
) -> dict[str, str]:
    """Run every input not yet summarized through the pipeline over `index`; write
    what is finished, and the requests still to send into the next round's files.
    Returns each readable input's content hash."""
    state = folder / STATE_DIR
    report.waiting = report.missing = 0
    report.missing_why = []
    # Outputs written by this command's earlier passes are not "done before" it.
    written_before = report.summarized
    already = 0
    sink = DirectorySink(folder, "json")
    current = output_is_current(folder, "json")
    cache = SummaryCache(settings.cache_dir) if settings.cache_dir is not None else None
    answers = BatchAnswers(index, settings.max_retries)
    next_round = job.rounds + 1
    writer = RequestFiles(state, f"requests-r{next_round}", job.max_requests, job.max_bytes)
    articles: dict[str, Article] = {}
    shas: dict[str, str] = {}

    def done_already(ref: InputRef, article: Article) -> bool:
        nonlocal already
        shas[ref.name] = article.sha256
        if current(ref, article):
            already += 1
            return True
        hit = cache.find(settings, article) if cache is not None else None
        if hit is not None:
            sink.write(Outcome(ref, summary=hit))
            report.summarized += 1
            report.cached += 1
            return True
        articles[ref.name] = article
        return False

    refs = [InputRef(i.path, output=i.output) for i in job.inputs]
    try:
        async for outcome in summarize_inputs(
            refs,
            settings,
            published=job.settings.published,
            done_already=done_already,
            transport=answers,
        ):
            article = articles.pop(outcome.ref.name, None)
            if outcome.skipped:
                continue
            if outcome.summary is not None:
                summary = _provenance(outcome.summary, answers)
                sink.write(Outcome(outcome.ref, summary=summary))
                if cache is not None and article is not None and not summary.diagnostics:
                    cache.put(cache_key(settings, article), summary)
                report.summarized += 1
                report.prompt_tokens += summary.provenance.usage.prompt_tokens
                report.completion_tokens += summary.provenance.usage.completion_tokens
            elif isinstance(outcome.error, AnswerPending):
                _queue(outcome.error, writer, report, resubmit=resubmit)
            else:
                assert outcome.error is not None
                sink.write(outcome)
                report.failed += 1
                report.failed_tokens += outcome.error.tokens
    except BaseException:
        writer.abort()
        raise
    report.done_before = already - written_before
    for name, lines, size in writer.close():
        job.files.append(BatchFile(name=name, round=next_round, lines=lines, bytes=size))
        report.new_files.append(name)
    job.save(state)
    return shas


def _provenance(summary: Summary, answers: BatchAnswers) -> Summary:
    used = answers.used.pop(summary.provenance.source.sha256, set())
    provenance = summary.provenance.model_copy(update={"batches": sorted(used)})
    return summary.model_copy(update={"provenance": provenance})


def _queue(
    pending: AnswerPending, writer: RequestFiles, report: BatchReport, *, resubmit: bool
) -> None:
    """Write the requests an input needs sent; count the input as waiting or missing."""
    missing = False
    reasked = False
    for custom, body, why in pending.requests:
        if why == "waiting":
            continue
        if why.startswith("missing") and not resubmit:
            missing = True
            reason = why.removeprefix("missing: ")
            if reason not in report.missing_why and len(report.missing_why) < 3:
                report.missing_why.append(reason)
            continue
        if not writer.add(custom, body):
            continue
        report.sent_requests += 1
        if why == "retry":
            report.retries += 1
        elif _is_reask(body):
            report.reasks += 1
            reasked = True
    if missing:
        report.missing += 1
    else:
        report.waiting += 1
    report.reasked_inputs += reasked


async def _send(job: BatchJob, state: Path, provider: Provider) -> None:
    """Upload and create a batch for every file not yet sent, writing each id down
    as soon as it exists. A file uploaded by a killed run whose batch id was never
    written is looked up among the provider's batches before a new one is made."""
    for file in job.files:
        if file.batch_id is not None:
            continue
        batch: Batch | None = None
        if file.file_id is None:
            file.file_id = await provider.upload(state / file.name)
            file.status = "uploaded"
            job.save(state)
        else:
            batch = await provider.find(file.file_id)
        if batch is None:
            batch = await provider.create(file.file_id, job.id, file.name)
        _update(file, batch)
        job.save(state)


async def _refresh(job: BatchJob, state: Path, provider: Provider, *, download: bool) -> None:
    for file in job.files:
        if file.batch_id is None or file.finished:
            continue
        if file.status not in TERMINAL:
            _update(file, await provider.retrieve(file.batch_id))
            job.save(state)
        if download and file.status in TERMINAL:
            for kind, file_id in (("output", file.output_file_id), ("errors", file.error_file_id)):
                name = f"{kind}-{file.batch_id}.jsonl"
                if file_id and name not in file.results:
                    await provider.download(file_id, state / name)
                    file.results.append(name)
                    job.save(state)


def _update(file: BatchFile, batch: Batch) -> None:
    file.batch_id = batch.id
    file.status = batch.status
    counts = batch.request_counts
    if counts is not None:
        file.counts = {
            "total": counts.total,
            "completed": counts.completed,
            "failed": counts.failed,
        }
    errors = batch.errors.data if batch.errors is not None and batch.errors.data else []
    file.errors = [
        f"line {e.line}: {e.code}: {e.message}" if e.line is not None else f"{e.code}: {e.message}"
        for e in errors
    ][:5]
    file.output_file_id = batch.output_file_id
    file.error_file_id = batch.error_file_id


def _is_reask(body: dict[str, object]) -> bool:
    """A re-ask carries the failed answer back as an assistant message."""
    messages = body.get("messages")
    return isinstance(messages, list) and any(
        isinstance(m, dict) and m.get("role") == "assistant" for m in messages
    )
