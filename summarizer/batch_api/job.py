"""The state of a batch job: one JSON file in the job's folder, rewritten atomically
after every step, so any later command (or a rerun after kill -9) takes up from there.

It holds what shapes the requests (never the API key), the inputs, and for every
request file what became of it: uploaded as which file, sent as which batch, the
batch's last known status, and which output and error files are downloaded.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from summarizer.config import Settings
from summarizer.errors import ConfigurationError
from summarizer.io.files import write_atomic

__all__ = [
    "JOB_FILE",
    "STATE_DIR",
    "TERMINAL",
    "BatchFile",
    "BatchInput",
    "BatchJob",
    "JobSettings",
]

STATE_DIR = "batch"  # in the job's folder, beside the summaries
JOB_FILE = "job.json"  # in STATE_DIR
FORMAT = 1
# "refused": the provider would not take the file (our status, not OpenAI's).
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled", "refused"})


class JobSettings(BaseModel):
    """The settings that shape requests, kept so collecting rebuilds the very same ones
    (and so re-asks and the cache key match a live run's)."""

    model: str
    mode: str
    base_url: str | None = None
    temperature: float
    max_tokens: int | None
    chunk_chars: int
    max_reasks: int
    max_retries: int
    timeout: float
    published: dt.date | None = None
    cache_dir: str | None = None  # None: no cache (submitted with --no-cache)

    @classmethod
    def of(cls, s: Settings, published: dt.date | None) -> JobSettings:
        return cls(
            cache_dir=str(s.cache_dir) if s.cache_dir is not None else None,
            model=s.model,
            mode=s.mode,
            base_url=s.base_url,
            temperature=s.temperature,
            max_tokens=s.max_tokens,
            chunk_chars=s.chunk_chars,
            max_reasks=s.max_reasks,
            max_retries=s.max_retries,
            timeout=s.timeout,
            published=published,
        )


class BatchInput(BaseModel):
    path: str
    output: str  # the stem of NAME.json / NAME.error.json
    sha256: str | None = None  # None: unreadable when submitted (its error is written)


class BatchFile(BaseModel):
    """One request file and the provider batch made of it."""

    name: str
    round: int
    lines: int
    bytes: int
    file_id: str | None = None
    uploaded_at: int | None = None  # unix time, to bound the search for its batch
    batch_id: str | None = None
    status: str = "written"  # written, then the provider's: validating ... completed
    counts: dict[str, int] = Field(default_factory=dict)
    errors: list[str] = Field(default_factory=list)  # why a batch failed validation
    output_file_id: str | None = None
    error_file_id: str | None = None
    results: list[str] = Field(default_factory=list)  # downloaded, names in the folder

    @property
    def finished(self) -> bool:
        """Terminal at the provider and its results downloaded."""
        wanted = [i for i in (self.output_file_id, self.error_file_id) if i]
        return self.status in TERMINAL and len(self.results) >= len(wanted)

    @property
    def running(self) -> bool:
        """Sent as a batch that has not ended (or whose results are not yet in)."""
        return self.batch_id is not None and not self.finished


class BatchJob(BaseModel):
    summarizer_batch_job: int = FORMAT
    id: str = Field(default_factory=lambda: f"job-{secrets.token_hex(6)}")
    created: dt.datetime = Field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    provider: Literal["openai", "none"]  # none: --dry-run, results come with --results
    settings: JobSettings
    max_requests: int
    max_bytes: int
    inputs: list[BatchInput]
    files: list[BatchFile] = Field(default_factory=list)
    imported: list[str] = Field(default_factory=list)  # --results files copied in
    imported_sha256: list[str] = Field(default_factory=list)  # so one is not read twice
    submitted: bool = False  # every file of the first round is sent (or written)
    cancelled: bool = False  # by `batch cancel`: nothing more is sent until --resubmit

    @staticmethod
    def path_in(folder: Path) -> Path:
        return folder / JOB_FILE

    @classmethod
    def load(cls, folder: Path) -> BatchJob:
        path = cls.path_in(folder)
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
            return cls.model_validate(data)
        except FileNotFoundError:
            raise ConfigurationError(
                f"{str(folder)!r} holds no batch job ({JOB_FILE}); start one with "
                "`summarizer batch submit PATH... --output-dir DIR`"
            ) from None
        except (ValueError, ValidationError) as exc:
            raise ConfigurationError(f"{path} is not a batch job file: {exc}") from None

    def save(self, folder: Path) -> None:
        # Flushed to the disk before the rename: after a power cut the job file is
        # the old one or the new one, never empty. Private (0o600) whatever the umask:
        # settings.base_url may carry a password (https://user:token@host/v1).
        text = self.model_dump_json(indent=1) + "\n"
        write_atomic(self.path_in(folder), text, durable=True, private=True)

    @property
    def rounds(self) -> int:
        return max((f.round for f in self.files), default=0)

    def file(self, name: str) -> BatchFile:
        return next(f for f in self.files if f.name == name)
