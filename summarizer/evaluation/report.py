"""An evaluation as a readable table or as JSON: per document, then the totals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from summarizer.evaluation.metrics import Scores, summed
from summarizer.schema import Summary

__all__ = ["DocumentResult", "Evaluation", "Spent"]


_LABELS = {
    "pairs_precision": "participant pairs: precision",
    "pairs_recall": "participant pairs: recall",
    "pairs_f1": "participant pairs: F1",
    "meeting_mode_accuracy": "meeting mode: accuracy",
    "meeting_place_accuracy": "meeting place: accuracy",
    "meeting_status_accuracy": "meeting temporal status: accuracy",
    "meeting_date_accuracy": "meeting date: accuracy",
    "quote_recall": "quotes found (recall)",
    "quote_precision": "quotes: precision",
    "quote_speaker_accuracy": "quote speaker: accuracy",
    "proposals_precision": "proposals: precision",
    "proposals_recall": "proposals: recall",
    "proposals_f1": "proposals: F1",
    "proposal_status_accuracy": "proposal status: accuracy",
    "proposal_date_accuracy": "proposal date: accuracy",
    "evidence_precision": "evidence: precision",
    "evidence_width": "evidence: sentences per item",
}
_SUPPORT = {  # the count each figure is out of
    "pairs_precision": lambda c: c.pairs_tp + c.pairs_fp,
    "pairs_recall": lambda c: c.pairs_tp + c.pairs_fn,
    "pairs_f1": lambda c: c.pairs_tp + c.pairs_fn,
    "meeting_mode_accuracy": lambda c: c.mode_n,
    "meeting_place_accuracy": lambda c: c.place_n,
    "meeting_status_accuracy": lambda c: c.status_n,
    "meeting_date_accuracy": lambda c: c.date_n,
    "quote_recall": lambda c: c.quotes_n,
    "quote_precision": lambda c: c.quotes_pred,
    "quote_speaker_accuracy": lambda c: c.quotes_n,
    "proposals_precision": lambda c: c.proposals_tp + c.proposals_fp,
    "proposals_recall": lambda c: c.proposals_tp + c.proposals_fn,
    "proposals_f1": lambda c: c.proposals_tp + c.proposals_fn,
    "proposal_status_accuracy": lambda c: c.proposal_status_n,
    "proposal_date_accuracy": lambda c: c.proposal_date_n,
    "evidence_precision": lambda c: c.evidence_n,  # pieces: a span's part in one sentence
    "evidence_width": lambda c: c.evidence_items,
}


@dataclass
class DocumentResult:
    id: str
    scores: Scores
    error: str | None = None  # the run failed on it, or no prediction was given


@dataclass
class Spent:
    """What the summaries cost and what grounding did to the answers behind them: the
    price of a score, beside it."""

    requests: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0
    completion_tokens: int = 0
    grounding: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("dropped item", "dropped value", "resolved", "kept as described"), 0
        )
    )

    def add(self, summary: Summary | None) -> None:
        if summary is None:
            return
        usage = summary.provenance.usage
        self.requests += usage.requests
        self.reasks += usage.reasks
        self.prompt_tokens += usage.prompt_tokens
        self.cached_tokens += usage.cached_tokens
        self.completion_tokens += usage.completion_tokens
        for d in summary.diagnostics:
            self.grounding[d.action] = self.grounding.get(d.action, 0) + 1

    def as_text(self) -> str:
        g = self.grounding
        cached = f" ({self.cached_tokens:,} cached)" if self.cached_tokens else ""
        return (
            f"cost: {self.requests:,} requests ({self.reasks:,} re-asks); tokens "
            f"{self.prompt_tokens:,} in{cached}, {self.completion_tokens:,} out\n"
            f"grounding: {g['dropped item']} items dropped, {g['dropped value']} values "
            f"dropped, {g['resolved']} names resolved, {g['kept as described']} actors kept "
            "as described\n"
        )


@dataclass
class Evaluation:
    gold: str
    documents: list[DocumentResult] = field(default_factory=list)
    model: str | None = None
    spent: Spent = field(default_factory=Spent)

    @property
    def total(self) -> Scores:
        return summed(d.scores for d in self.documents)

    def as_json(self) -> dict[str, Any]:
        total = self.total
        return {
            "gold": self.gold,
            "model": self.model,
            "documents": len(self.documents),
            "failed": [d.id for d in self.documents if d.error],
            "totals": total.metrics(),
            "counts": asdict(total.counts),
            "spent": asdict(self.spent),
            "per_document": [
                {
                    "id": d.id,
                    "error": d.error,
                    "metrics": d.scores.metrics(),
                    "counts": asdict(d.scores.counts),
                }
                for d in self.documents
            ],
        }

    def as_text(self) -> str:
        lines = [
            f"{self.gold}: {len(self.documents)} document{'s' if len(self.documents) != 1 else ''}"
            + (f", {self.model}" if self.model else "")
        ]
        width = max([len(d.id) for d in self.documents] + [8])
        header = (
            f"{'document':<{width}}  pairs tp/fp/fn  quotes tp/fp/fn  speakers"
            "  proposals tp/fp/fn  evidence"
        )
        lines += ["", header, "-" * len(header)]
        for d in self.documents:
            c = d.scores.counts
            quotes = (c.quotes_found, c.quotes_pred - c.quotes_found, c.quotes_n - c.quotes_found)
            row = (
                f"{d.id:<{width}}  {_tally(c.pairs_tp, c.pairs_fp, c.pairs_fn):>14}"
                f"  {_tally(*quotes):>15}  {_of(c.speaker_ok, c.quotes_n):>8}"
                f"  {_tally(c.proposals_tp, c.proposals_fp, c.proposals_fn):>18}"
                f"  {_of(c.evidence_ok, c.evidence_n):>8}"
            )
            lines.append(row + (f"  failed: {d.error}" if d.error else ""))
        lines += ["", f"{'totals (micro-averaged)':<36}  value   out of", "-" * 52]
        total = self.total
        for key, value in total.metrics().items():
            shown = "   n/a" if value is None else f"{value:6.3f}"
            lines.append(f"{_LABELS[key]:<36}  {shown}  {_SUPPORT[key](total.counts):>6}")
        lines += ["", self.spent.as_text().rstrip("\n")]
        failed = sum(1 for d in self.documents if d.error)
        if failed:
            lines.append(f"\n{failed} document(s) had no prediction and scored as empty.")
        return "\n".join(lines) + "\n"


def _of(ok: int, n: int) -> str:
    return f"{ok}/{n}" if n else "-"


def _tally(tp: int, fp: int, fn: int) -> str:
    return f"{tp}/{fp}/{fn}"
