"""Scoring summaries against gold annotations: the gold format, name matching, metrics,
reports, and summarizing a gold set with a backend. What `summarizer eval` uses is
exported here."""

from summarizer.evaluation.gold import GoldDocument, load_gold
from summarizer.evaluation.gold_summaries import summarize_gold
from summarizer.evaluation.metrics import Scores, score_document, score_set
from summarizer.evaluation.predictions import load_predictions, prediction_line
from summarizer.evaluation.report import DocumentResult, Evaluation

__all__ = [
    "DocumentResult",
    "Evaluation",
    "GoldDocument",
    "Scores",
    "load_gold",
    "load_predictions",
    "prediction_line",
    "score_document",
    "score_set",
    "summarize_gold",
]
