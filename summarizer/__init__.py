"""Structured, validated summaries of news articles: who met whom, what was said,
what was proposed. Start with `summarize(text)` or the `summarizer` command."""

from typing import TYPE_CHECKING, Any

from summarizer.api import (
    asummarize,
    parse_date,
    summarize,
    summarize_file,
    summarize_many,
)
from summarizer.article import Article
from summarizer.batch import (
    DirectorySink,
    Outcome,
    StdoutSink,
    output_is_current,
    summarize_inputs,
)
from summarizer.client import Summarizer
from summarizer.config import DEFAULT_MODEL, MODES, Settings, resolve_settings
from summarizer.errors import (
    BackendConnectionError,
    BackendError,
    BackendStatusError,
    BackendTimeoutError,
    BudgetExhaustedError,
    ConfigurationError,
    ContextTooLargeError,
    ContextTruncatedError,
    FixtureWriteError,
    InputError,
    InternalError,
    InvalidAnswerError,
    ReplayMissError,
    SummarizerError,
    ValidationFailedError,
)
from summarizer.io.inputs import MAX_INPUT_BYTES, InputRef, expand_paths
from summarizer.io.markdown import render_markdown
from summarizer.io.redaction import Redactor
from summarizer.schema import (
    SCHEMA_VERSION,
    Actor,
    ActorKind,
    Meeting,
    Proposal,
    Provenance,
    Span,
    Statement,
    Summary,
    json_schema,
)

if TYPE_CHECKING:
    from summarizer.batch_api import (
        BatchReport,
        batch_status,
        cancel_batch,
        collect_batch,
        submit_batch,
    )
    from summarizer.corpus.exports import export_corpus
    from summarizer.report import build_report

__version__ = "0.1.0"

# Loaded on first use: provider batches, the report and the exports import much that
# summarizing does not need, and every `summarizer` command starts by importing this.
_LAZY = {
    "BatchReport": "summarizer.batch_api",
    "batch_status": "summarizer.batch_api",
    "cancel_batch": "summarizer.batch_api",
    "collect_batch": "summarizer.batch_api",
    "submit_batch": "summarizer.batch_api",
    "export_corpus": "summarizer.corpus.exports",
    "build_report": "summarizer.report",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


# Besides the calls above, the pieces the `summarizer` command is built of, for programs
# that drive batches themselves: settings (DEFAULT_MODEL, MODES: the ways a schema is
# sent), inputs (expand_paths, InputRef, MAX_INPUT_BYTES), the batch runner
# (summarize_inputs, Outcome, output_is_current) and its sinks, parse_date, and the
# Redactor that keeps the key out of what is printed. Provider batches (OpenAI's Batch
# API, `vllm run-batch` files): submit_batch, collect_batch, batch_status, cancel_batch.
# A folder of summaries as a corpus: build_report (one HTML page), export_corpus
# (SQLite, CSV, GraphML).
__all__ = [
    "DEFAULT_MODEL",
    "MAX_INPUT_BYTES",
    "MODES",
    "SCHEMA_VERSION",
    "Actor",
    "ActorKind",
    "Article",
    "BackendConnectionError",
    "BackendError",
    "BackendStatusError",
    "BackendTimeoutError",
    "BatchReport",
    "BudgetExhaustedError",
    "ConfigurationError",
    "ContextTooLargeError",
    "ContextTruncatedError",
    "DirectorySink",
    "FixtureWriteError",
    "InputError",
    "InputRef",
    "InternalError",
    "InvalidAnswerError",
    "Meeting",
    "Outcome",
    "Proposal",
    "Provenance",
    "Redactor",
    "ReplayMissError",
    "Settings",
    "Span",
    "Statement",
    "StdoutSink",
    "Summarizer",
    "SummarizerError",
    "Summary",
    "ValidationFailedError",
    "__version__",
    "asummarize",
    "batch_status",
    "build_report",
    "cancel_batch",
    "collect_batch",
    "expand_paths",
    "export_corpus",
    "json_schema",
    "output_is_current",
    "parse_date",
    "render_markdown",
    "resolve_settings",
    "submit_batch",
    "summarize",
    "summarize_file",
    "summarize_inputs",
    "summarize_many",
]
