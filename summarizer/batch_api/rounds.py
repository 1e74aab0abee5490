"""One pass of a job's inputs over the answers known so far.

Each input goes through the live pipeline (`summarize_inputs`) with `BatchAnswers` as
its transport: an input whose answers are all in is written (and cached); one that
stops at a request with no answer yet is counted as waiting or missing, and the
requests it needs sent go into the next round's files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from summarizer.article import Article
from summarizer.batch import (
    DirectorySink,
    Outcome,
    error_record,
    output_is_current,
    summarize_inputs,
)
from summarizer.batch_api.answers import BatchAnswers, ResultIndex
from summarizer.batch_api.job import STATE_DIR, BatchFile, BatchJob
from summarizer.batch_api.lines import RequestFiles, is_reask, submitted_ids
from summarizer.batch_api.report import BatchReport
from summarizer.config import Settings
from summarizer.errors import AnswerPending
from summarizer.io.cache import SummaryCache, cache_key, worth_caching
from summarizer.io.files import write_atomic
from summarizer.io.inputs import InputRef
from summarizer.io.web import WebArticle, page_provenance
from summarizer.schema import Summary

__all__ = ["ProgressCallback", "index_of", "run_inputs"]

ProgressCallback = Callable[[int, int], None]  # inputs handled so far, of how many


def index_of(job: BatchJob, state: Path, *, resubmit: bool = False) -> ResultIndex:
    """What the job's request and results files say about every request. A batch that
    ended gives each of its requests an outcome: its line in the batch's output or
    error file, or none (lost with the batch). Results files given with `--results`
    are outcomes of the latest sends; without a provider, a request their lines do
    not cover waits (or with `resubmit`, is resent)."""
    index = ResultIndex(unanswered_is_missing=resubmit and job.provider == "none")
    for file in job.files:
        keys = index.add_sent(submitted_ids(state / file.name))
        if job.provider == "none" or not file.finished:
            continue
        sent = set(keys)
        answered: set[str] = set()
        for name in file.results:
            answered |= index.add_results(state / name, file.batch_id or file.name, only=sent)
        where = f"batch {file.batch_id or file.name} {file.status}"
        if file.errors:
            where += f" ({file.errors[0]})"
        index.add_lost(sent - answered, where)
    for name in job.imported:
        index.add_results(state / name, f"results file {name}")
    return index


async def run_inputs(
    job: BatchJob,
    folder: Path,
    settings: Settings,
    index: ResultIndex,
    report: BatchReport,
    *,
    resubmit: bool,
    hold: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> dict[str, str]:
    """Run every input not yet finished (no summary or error of its text in the
    folder) through the pipeline over `index`; write what is finished, and the requests
    still to send into the next round's files (none while `hold` says why not, unless
    `resubmit`). Returns each readable input's content hash."""
    state = folder / STATE_DIR
    report.waiting = report.missing = report.failed_before = 0
    report.missing_why = []
    # Outputs written by this command's earlier passes are not "done before" it.
    written_before, failed_before = report.summarized, report.failed
    already = already_failed = 0
    sink = DirectorySink(folder, "json")
    current = output_is_current(folder, "json")
    cache = SummaryCache(settings.cache_dir) if settings.cache_dir is not None else None
    submitted = {i.path: i.sha256 for i in job.inputs}
    answers = BatchAnswers(index, settings.max_retries, submitted)
    next_round = job.rounds + 1
    writer = RequestFiles(state, f"requests-r{next_round}", job.max_requests, job.max_bytes)
    articles: dict[str, Article] = {}
    shas: dict[str, str] = {}

    def done_already(ref: InputRef, article: Article) -> bool:
        nonlocal already, already_failed
        shas[ref.name] = article.sha256
        if current(ref, article):
            already += 1
            return True
        if _failed_already(sink.paths(ref)[1], article):
            already_failed += 1
            return True
        hit = cache.find(settings, article) if cache is not None else None
        if hit is not None:
            sink.write(
                Outcome(ref, summary=page_provenance(hit, article), text=_page_text(article))
            )
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
                sink.write(Outcome(outcome.ref, summary=summary, text=outcome.text))
                if cache is not None and article is not None and worth_caching(summary):
                    cache.put(cache_key(settings, article), summary)
                report.summarized += 1
                report.prompt_tokens += summary.provenance.usage.prompt_tokens
                report.completion_tokens += summary.provenance.usage.completion_tokens
            elif isinstance(outcome.error, AnswerPending):
                _queue(outcome.error, writer, report, resubmit=resubmit, hold=hold)
            else:
                assert outcome.error is not None
                _write_error(sink, outcome, article)
                report.failed += 1
                report.failed_tokens += outcome.error.tokens
    except BaseException:
        writer.abort()
        raise
    report.done_before = already - written_before
    report.failed_before = already_failed - failed_before
    for name, lines, size in writer.close():
        job.files.append(BatchFile(name=name, round=next_round, lines=lines, bytes=size))
        report.new_files.append(name)
    job.save(state)
    return shas


def _page_text(article: Article) -> str | None:
    """A web page's extracted text, saved beside its summary (see `DirectorySink`)."""
    return article.text if isinstance(article, WebArticle) else None


def _write_error(sink: DirectorySink, outcome: Outcome, article: Article | None) -> None:
    """`NAME.error.json` as a live run writes it, plus the hash of the text that failed:
    a later collect leaves that input alone (the failure is final) unless its text
    changed."""
    _, bad = sink.paths(outcome.ref)
    record = {**error_record(outcome), "sha256": article.sha256 if article else None}
    write_atomic(bad, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    sink.paths(outcome.ref)[0].unlink(missing_ok=True)


def _failed_already(path: Path, article: Article) -> bool:
    try:
        return bool(json.loads(path.read_text(encoding="utf-8"))["sha256"] == article.sha256)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _provenance(summary: Summary, answers: BatchAnswers) -> Summary:
    used = answers.used.pop(summary.provenance.source.sha256, set())
    provenance = summary.provenance.model_copy(update={"batches": sorted(used)})
    return summary.model_copy(update={"provenance": provenance})


def _queue(
    pending: AnswerPending,
    writer: RequestFiles,
    report: BatchReport,
    *,
    resubmit: bool,
    hold: str | None,
) -> None:
    """Write the requests an input needs sent; count the input as waiting, or as
    missing when what it needs is sent only with `resubmit` (lost in an ended batch,
    changed since submit, or anything while the job is on `hold`)."""
    missing = False
    reasked = False
    for custom, body, why in pending.requests:
        if why == "waiting":
            continue
        held = why.startswith(("missing", "changed")) or hold is not None
        if held and not resubmit:
            missing = True
            reason = hold or why.removeprefix("missing: ")
            if reason not in report.missing_why and len(report.missing_why) < 3:
                report.missing_why.append(reason)
            continue
        if not writer.add(custom, body):
            continue
        report.sent_requests += 1
        if why == "retry":
            report.retries += 1
        elif is_reask(body):
            report.reasks += 1
            reasked = True
    if missing:
        report.missing += 1
    else:
        report.waiting += 1
    report.reasked_inputs += reasked
