"""One self-contained HTML page for a folder of summaries: who met whom, when, what
was proposed, and each article with its evidence highlighted."""

from summarizer.report.page import build_report, render_report

__all__ = ["build_report", "render_report"]
