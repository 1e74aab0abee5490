"""Structured, validated summaries of news articles: who met whom, what was said,
what was proposed. Start with `summarize(text)` or the `summarizer` command."""

from .api import asummarize, summarize, summarize_file, summarize_many
from .article import Article
from .client import Summarizer
from .config import Settings, resolve_settings
from .errors import (
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
from .markdown import render_markdown
from .schema import (
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
