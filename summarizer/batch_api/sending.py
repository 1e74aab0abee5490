"""Sending a job's request files to the provider and following its batches."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.batch_api.job import TERMINAL, BatchFile, BatchJob
from summarizer.batch_api.provider import Provider, transient
from summarizer.errors import BackendError, BackendStatusError

if TYPE_CHECKING:
    from openai.types import Batch

__all__ = ["cancel", "refresh", "send"]


async def send(job: BatchJob, state: Path, provider: Provider) -> None:
    """Upload and create a batch for every file not yet sent, writing each id down
    as soon as it exists. Before a batch is made of a file already uploaded (by a run
    killed since, or an attempt whose answer was lost), the provider's batches are
    searched for one made of it: a file is never sent twice. A file the provider
    refuses (4xx) is marked so; its requests are missing, for `--resubmit`."""
    for file in job.files:
        if file.batch_id is not None or file.status == "refused":
            continue
        try:
            batch: Batch | None = None
            if file.file_id is None:
                file.uploaded_at = int(time.time())
                file.file_id = await provider.upload(state / file.name)
                file.status = "uploaded"
                job.save(state)
            else:
                batch = await provider.find(file.file_id, file.uploaded_at)
            tries = 0
            while batch is None:
                try:
                    batch = await provider.create(file.file_id, job.id, file.name)
                except BackendError as exc:
                    tries += 1
                    if not transient(exc) or tries > provider.settings.max_retries:
                        raise
                    await asyncio.sleep(min(2.0**tries, 30.0))
                    batch = await provider.find(file.file_id, file.uploaded_at)
        except BackendStatusError as exc:
            if transient(exc):
                raise
            file.status = "refused"
            file.errors = [str(exc)]
            job.save(state)
            continue
        _update(file, batch)
        job.save(state)


async def refresh(job: BatchJob, state: Path, provider: Provider, *, download: bool) -> None:
    """Each batch's status now; with `download`, the results of those that ended."""
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


async def cancel(job: BatchJob, state: Path, provider: Provider) -> None:
    """Cancel every batch of the job still running, including one made of a file
    whose batch id a killed run never wrote down; from then on the job sends nothing
    until `collect --resubmit`."""
    job.cancelled = True
    job.save(state)
    for file in job.files:
        if file.batch_id is None and file.file_id is not None and file.status != "refused":
            found = await provider.find(file.file_id, file.uploaded_at)
            if found is not None:
                _update(file, found)
                job.save(state)
        if file.batch_id is None or file.status in TERMINAL | {"cancelling"}:
            continue
        try:
            _update(file, await provider.cancel(file.batch_id))
        except BackendStatusError as exc:
            if exc.status not in (400, 409):
                raise
            _update(file, await provider.retrieve(file.batch_id))  # it ended meanwhile
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
