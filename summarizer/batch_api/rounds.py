"""One pass of a job's inputs over the answers known so far.

Each input goes through the live pipeline (`summarize_inputs`) with `BatchAnswers` as
its transport: an input whose answers are all in is written (and cached); one that
stops at a request with no answer yet is counted as waiting or missing, and the
requests it needs sent go into the next round's files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from summarizer.article import Article
from summarizer.batch import DirectorySink, Outcome, output_is_current, summarize_inputs
from summarizer.batch_api.answers import BatchAnswers, ResultIndex
from summarizer.batch_api.job import STATE_DIR, BatchFile, BatchJob
from summarizer.batch_api.lines import RequestFiles, key_of, submitted_ids
from summarizer.batch_api.report import BatchReport
from summarizer.config import Settings
from summarizer.errors import AnswerPending
from summarizer.io.cache import SummaryCache, cache_key
from summarizer.io.inputs import InputRef
from summarizer.schema import Summary

__all__ = ["ProgressCallback", "index_of", "run_inputs"]

ProgressCallback = Callable[[int, int], None]  # inputs handled so far, of how many


def index_of(job: BatchJob, state: Path) -> ResultIndex:
    """What the job's request and results files say about every request."""
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


async def run_inputs(
    job: BatchJob,
    folder: Path,
    settings: Settings,
    index: ResultIndex,
    report: BatchReport,
    *,
    resubmit: bool,
    on_progress: ProgressCallback | None = None,
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
    handled = 0
    try:
        async for outcome in summarize_inputs(
            refs,
            settings,
            published=job.settings.published,
            done_already=done_already,
            transport=answers,
        ):
            article = articles.pop(outcome.ref.name, None)
            handled += 1
            if on_progress is not None:
                on_progress(handled, len(refs))
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


def _is_reask(body: dict[str, object]) -> bool:
    """A re-ask carries the failed answer back as an assistant message."""
    messages = body.get("messages")
    return isinstance(messages, list) and any(
        isinstance(m, dict) and m.get("role") == "assistant" for m in messages
    )
