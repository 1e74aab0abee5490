"""What a batch command found and did, for the caller to show or act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from summarizer.batch_api.job import BatchFile

__all__ = ["BatchReport"]


@dataclass
class BatchReport:
    """Counts are of inputs unless said otherwise; tokens are those of the answers
    used by this command (a later collect does not count them again)."""

    folder: Path
    job_id: str
    provider: str  # "openai", or "none" for a --dry-run job
    model: str
    total: int
    summarized: int = 0  # written by this command
    done_before: int = 0  # summary already in the folder
    cached: int = 0  # of `summarized`, taken from the summary cache
    failed: int = 0  # failed in this command
    failed_before: int = 0  # their error already in the folder
    # As the command leaves the job (the last pass over the inputs):
    waiting: int = 0  # on a batch running or just sent (without a provider: on --results)
    missing: int = 0  # their batch expired, was cancelled or failed; --resubmit sends them
    missing_why: list[str] = field(default_factory=list)
    sent_requests: int = 0  # request lines written by this command
    reasks: int = 0  # of them, re-asks of an answer that failed validation
    retries: int = 0  # of them, requests that failed in the batch and are sent again
    reasked_inputs: int = 0
    new_files: list[str] = field(default_factory=list)
    files: list[BatchFile] = field(default_factory=list)
    last_known: bool = False  # status: not asked now (no key, or another command runs)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failed_tokens: int = 0

    @property
    def finished(self) -> bool:
        """Every input has its summary or its error: nothing to wait for or resend."""
        return self.waiting == 0 and self.missing == 0

    @property
    def running(self) -> list[BatchFile]:
        return [f for f in self.files if f.running]
