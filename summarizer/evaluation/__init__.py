"""Scoring summaries against gold annotations: the gold format, name matching, metrics,
reports, and running a backend over a gold set."""

from summarizer.evaluation.gold import GoldDocument, load_gold
from summarizer.evaluation.metrics import Scores, score_document, score_set

__all__ = ["GoldDocument", "Scores", "load_gold", "score_document", "score_set"]
