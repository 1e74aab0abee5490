"""`python -m summarizer` is the `summarizer` command."""

from .cli import run

run()
