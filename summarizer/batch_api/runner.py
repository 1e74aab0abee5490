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
import hashlib
import os
import shutil
from collections.abc import Callable, Coroutine, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, Unpack

from summarizer.batch_api.answers import ResultIndex
from summarizer.batch_api.job import (
    STATE_DIR,
    BatchInput,
    BatchJob,
    JobSettings,
)
from summarizer.batch_api.lines import MAX_FILE_BYTES, MAX_FILE_REQUESTS
from summarizer.batch_api.provider import Provider, transient
from summarizer.batch_api.report import BatchReport
from summarizer.batch_api.rounds import ProgressCallback, index_of, run_inputs
from summarizer.batch_api.sending import cancel, refresh, send
from summarizer.config import Options, Settings, resolve_settings
from summarizer.errors import BackendError, ConfigurationError
from summarizer.io.files import remove_leftovers, temporary
from summarizer.io.inputs import expand_paths

if TYPE_CHECKING:
    pass

__all__ = [
    "FOCUSED_LIVE_ONLY",
    "abatch_status",
    "acancel_batch",
    "acollect_batch",
    "asubmit_batch",
    "batch_settings",
]

FOCUSED_LIVE_ONLY = (
    "the focused strategy asks many small questions, each after the answer to the last: "
    "it runs live only (`summarizer summarize`); batches use the single strategy"
)
PollCallback = Callable[[BatchJob], None]  # while waiting: the job as last seen
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
def _folder_lock(folder: Path, *, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on `folder` while the block runs; yields whether it is held.
    When another process holds it: a ConfigurationError, or with `wait=False`, False."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield True
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # no such folder: the command says so itself
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                yield False
                return
            raise ConfigurationError(
                f"another `summarizer batch` command is working on {str(folder)!r}; "
                "run this one when it has finished"
            ) from None
        yield True
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
    if options.get("context") is not None:
        # Requests are written once and answered hours later: none is fitted to a
        # window, which a live run learns as it goes and a batch could not repeat.
        raise ConfigurationError(
            "--context applies to live runs, not batches: set --max-tokens to what the "
            "server's context leaves after the prompt"
        )
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
    on_progress: ProgressCallback | None = None,
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
    if any(ref.is_url for ref in refs):
        # Collect reads every input again, hours later; a page may have changed by then.
        raise ConfigurationError(
            "a batch reads files, read again when collected: save the pages first "
            "(`summarizer summarize URL --output-dir DIR` keeps NAME.source.txt), or "
            "give saved .html files"
        )
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
        shas = await run_inputs(
            job, folder, settings, ResultIndex(), report, resubmit=False, on_progress=on_progress
        )
        job.inputs = [_with_sha(i, shas.get(i.path)) for i in job.inputs]
        job.save(state)
        if job.provider == "none":
            job.submitted = True
            job.save(state)
        return await _finish_submit(job, folder, settings, report)
    # A submit killed midway: finished with the job's settings (the key from today's).
    settings = _job_settings(job, api_key=settings.api_key, cache=False, cache_dir=None)
    return await _finish_submit(job, folder, settings, _report(job, folder, settings))


def _with_sha(entry: BatchInput, sha: str | None) -> BatchInput:
    return entry.model_copy(update={"sha256": sha})


async def _finish_submit(
    job: BatchJob, folder: Path, settings: Settings, report: BatchReport
) -> BatchReport:
    if job.provider == "openai":
        async with Provider(settings) as provider:
            await send(job, folder / STATE_DIR, provider)
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
    cache: bool | None = None,
    cache_dir: str | Path | None = None,
    max_reasks: int | None = None,
    max_retries: int | None = None,
    on_poll: PollCallback | None = None,
    on_progress: ProgressCallback | None = None,
) -> BatchReport:
    """Bring a job as far as it goes now: download what finished, write the summaries
    and errors of inputs whose answers are in, and send the next round (re-asks and
    retries). `resubmit` also sends what an expired, cancelled, failed or refused batch
    did not answer, what changed since submit, and lifts a cancel. `results` are results
    files produced elsewhere (`vllm run-batch -o`), copied into the job (a file already
    given is not read twice). With `wait`, poll (from `poll` seconds, backing off to
    `max_poll`), handling each batch as it ends, until every round is in; the provider
    being unreachable for a while only delays the next poll. `max_reasks` and
    `max_retries` replace the job's own from now on; the cache is the job's unless
    `cache`/`cache_dir` say otherwise. Idempotent: a second run, or one after a kill,
    loses nothing, sends nothing twice and writes nothing twice."""
    folder = Path(output_dir)
    state = folder / STATE_DIR
    job = BatchJob.load(state)
    _change_limits(job, state, max_reasks=max_reasks, max_retries=max_retries)
    if cache is False:
        cache_dir = None
    elif cache_dir is None:
        cache_dir = job.settings.cache_dir
    settings = _job_settings(job, api_key=api_key, cache=cache_dir is not None, cache_dir=cache_dir)
    _make_folders(folder, state)
    _import(job, state, results)
    if job.provider == "openai" and settings.api_key is None and settings.base_url is None:
        raise ConfigurationError(
            "this job was sent to OpenAI: set OPENAI_API_KEY (or --api-key) to collect it"
        )
    if resubmit and job.cancelled:
        job.cancelled = False
        job.save(state)
    report = _report(job, folder, settings)
    provider = Provider(settings) if job.provider == "openai" else None
    delay = poll
    handled: set[str] = set()  # files whose results a pass has read
    try:
        while True:
            if provider is not None:
                try:
                    if not job.cancelled:
                        await send(job, state, provider)
                    await refresh(job, state, provider, download=True)
                except BackendError as exc:
                    if not (wait and transient(exc)):
                        raise
                    await asyncio.sleep(delay)  # the provider is away: poll again later
                    delay = min(delay * 1.5, max_poll)
                    continue
                ended = {f.name for f in job.files if f.finished}
                if wait and any(f.running for f in job.files) and ended <= handled:
                    if on_poll is not None:
                        on_poll(job)
                    await asyncio.sleep(delay)
                    delay = min(delay * 1.5, max_poll)
                    continue
                handled |= ended
            sent_before = len(job.files)
            hold = "the job was cancelled" if job.cancelled else None
            index = index_of(job, state, resubmit=resubmit)
            await run_inputs(
                job,
                folder,
                settings,
                index,
                report,
                resubmit=resubmit,
                hold=hold,
                on_progress=on_progress,
            )
            resubmit = False  # what was lost is sent once per command
            if provider is not None and not job.cancelled:
                await send(job, state, provider)
            more = len(job.files) > sent_before or any(f.running for f in job.files)
            if not (wait and provider is not None and more):
                break
            delay = poll
    finally:
        if provider is not None:
            await provider.__aexit__(None, None, None)
    report.files = list(job.files)
    return report


def _change_limits(
    job: BatchJob, state: Path, *, max_reasks: int | None, max_retries: int | None
) -> None:
    update = {
        k: v for k, v in (("max_reasks", max_reasks), ("max_retries", max_retries)) if v is not None
    }
    if not update:
        return
    if any(v < 0 for v in update.values()):
        raise ConfigurationError("max retries and max re-asks must be 0 or more")
    job.settings = job.settings.model_copy(update=update)
    job.save(state)


async def abatch_status(output_dir: str | Path, *, api_key: str | None = None) -> BatchReport:
    """The job's batches as the provider reports them now, and its inputs' outputs.
    While another command works on the job (a `collect --wait`), the statuses it
    last wrote down, without asking the provider."""
    folder = Path(output_dir)
    state = folder / STATE_DIR
    job = BatchJob.load(state)
    settings = _job_settings(job, api_key=api_key, cache=False, cache_dir=None)
    reachable = job.provider == "openai" and (settings.api_key or settings.base_url)
    report = _report(job, folder, settings)
    with _folder_lock(folder, wait=False) as mine:
        if reachable and mine:
            async with Provider(settings) as provider:
                await refresh(job, state, provider, download=False)
        report.last_known = not (reachable and mine)
    for entry in job.inputs:
        good = folder / f"{entry.output}.json"
        if good.exists():
            report.done_before += 1
        elif (folder / f"{entry.output}.error.json").exists():
            report.failed_before += 1
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
        await cancel(job, state, provider)
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


def _import(job: BatchJob, state: Path, results: Iterable[str | Path]) -> None:
    """Copy results files made elsewhere into the job, so it stays whole if they go;
    a file already imported (the same bytes) is not imported again."""
    for given in results:
        source = Path(given)
        if not source.is_file():
            raise ConfigurationError(f"results file {str(source)!r} does not exist")
        digest = hashlib.sha256()
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() in job.imported_sha256:
            continue
        name = f"imported-{len(job.imported) + 1:03d}.jsonl"
        fd, tmp = temporary(state / name)
        os.close(fd)
        shutil.copyfile(source, tmp)
        os.replace(tmp, state / name)
        job.imported.append(name)
        job.imported_sha256.append(digest.hexdigest())
        job.save(state)
