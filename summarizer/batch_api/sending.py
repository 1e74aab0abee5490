"""Sending a job's request files to the provider and following its batches."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.batch_api.job import TERMINAL, BatchFile, BatchJob
from summarizer.batch_api.provider import Provider

if TYPE_CHECKING:
    from openai.types import Batch

__all__ = ["cancel", "refresh", "send"]


async def send(job: BatchJob, state: Path, provider: Provider) -> None:
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
    """Cancel every batch of the job still running."""
    for file in job.files:
        if file.batch_id is not None and file.status not in TERMINAL | {"cancelling"}:
            _update(file, await provider.cancel(file.batch_id))
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
