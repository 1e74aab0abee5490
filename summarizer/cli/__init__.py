"""The `summarizer` command: `main` parses and runs, `run` is the console entry point."""

from summarizer.cli.main import main, run

__all__ = ["main", "run"]
