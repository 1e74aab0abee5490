"""Structured, validated summaries of news articles: who met whom, what was said,
what was proposed. Start with `summarize(text)` or the `summarizer` command."""

from summarizer.api import asummarize, summarize, summarize_file, summarize_many
from summarizer.article import Article
from summarizer.client import Summarizer
from summarizer.config import Settings, resolve_settings
from summarizer.errors import (
    BackendConnectionError,
    BackendError,
    BackendStatusError,
    BackendTimeoutError,
    BudgetExhaustedError,
    ConfigurationError,
    InputError,
    InternalError,
    InvalidAnswerError,
    ReplayMissError,
    SummarizerError,
    ValidationFailedError,
)
from summarizer.io.markdown import render_markdown
from summarizer.schema import (
    SCHEMA_VERSION,
    Meeting,
    Person,
    Proposal,
    Provenance,
    Span,
    Statement,
    Summary,
    json_schema,
)

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "BackendConnectionError",
    "BackendError",
    "BackendStatusError",
    "BackendTimeoutError",
    "BudgetExhaustedError",
    "ConfigurationError",
    "InputError",
    "InternalError",
    "InvalidAnswerError",
    "Meeting",
    "Person",
    "Proposal",
    "Provenance",
    "ReplayMissError",
    "Settings",
    "Span",
    "Statement",
    "Summarizer",
    "SummarizerError",
    "Summary",
    "ValidationFailedError",
    "__version__",
    "asummarize",
    "json_schema",
    "render_markdown",
    "resolve_settings",
    "summarize",
    "summarize_file",
    "summarize_many",
]
