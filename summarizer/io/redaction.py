"""Keeping the API key out of everything the tool prints or logs.

Error messages are redacted where they are made (`backends.failures.translate_error`);
this covers what is formatted later: log records of instructor, the SDK and httpx under
`-v`, and the tracebacks `-v` prints, whose exception chains may quote an endpoint's answer.
"""

from __future__ import annotations

import logging

__all__ = ["MASK", "Redactor"]


MASK = "***"
_MIN_SECRET = 8  # shorter "keys" (placeholders like "x") would mask ordinary words


class Redactor(logging.Filter):
    """Replaces each secret with `***`: call it on text, or add it to a log handler."""

    def __init__(self, *secrets: str | None):
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= _MIN_SECRET}, key=len)[::-1]

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        clean = self(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self(record.exc_text)
        return True
