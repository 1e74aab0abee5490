"""`python -m summarizer` is the `summarizer` command."""

from summarizer.cli.main import run

run()
