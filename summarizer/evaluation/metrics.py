"""Scores of one prediction against one gold document, and of a whole set.

Counts are kept, not ratios, so a set's figures are micro-averages: every gold pair,
quote and proposal weighs the same whichever document it is in. Pairs, quotes and
proposals are matched one to one by a maximum matching, so the order of a prediction's
items never changes a score; meetings are paired by shared participants first, then by
agreeing attributes. Attribute accuracies (meeting mode, place, temporal status;
proposal status) are over matched meetings and proposals whose gold value is annotated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from ..schema import Meeting, Person, Proposal, Span, Summary
from .gold import GoldDocument, GoldMeeting, GoldProposal
from .names import Entity, entity, normal

T = TypeVar("T")
U = TypeVar("U")

# The schema has both; PLOVER's DEMAND covers what it calls requests and demands.
_SAME_KIND = {"demand": "request"}


@dataclass
class Counts:
    pairs_tp: int = 0
    pairs_fp: int = 0
    pairs_fn: int = 0
    mode_ok: int = 0
    mode_n: int = 0
    place_ok: int = 0
    place_n: int = 0
    status_ok: int = 0
    status_n: int = 0
    quotes_n: int = 0
    quotes_found: int = 0
    speaker_ok: int = 0
    proposals_tp: int = 0
    proposals_fp: int = 0
    proposals_fn: int = 0
    proposal_status_ok: int = 0
    proposal_status_n: int = 0
    spans_valid: int = 0
    spans_n: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    if tp + fp + fn == 0:
        return None, None, None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else 0.0
    return (p if p is not None else 0.0), (r if r is not None else 0.0), f


@dataclass
class Scores:
    """The metrics of a document or a set; None where nothing was there to score."""

    counts: Counts = field(default_factory=Counts)

    def metrics(self) -> dict[str, float | None]:
        c = self.counts
        pp, pr, pf = _f1(c.pairs_tp, c.pairs_fp, c.pairs_fn)
        xp, xr, xf = _f1(c.proposals_tp, c.proposals_fp, c.proposals_fn)
        return {
            "pairs_precision": pp,
            "pairs_recall": pr,
            "pairs_f1": pf,
            "meeting_mode_accuracy": _ratio(c.mode_ok, c.mode_n),
            "meeting_place_accuracy": _ratio(c.place_ok, c.place_n),
            "meeting_status_accuracy": _ratio(c.status_ok, c.status_n),
            "quote_recall": _ratio(c.quotes_found, c.quotes_n),
            "quote_speaker_accuracy": _ratio(c.speaker_ok, c.quotes_n),
            "proposals_precision": xp,
            "proposals_recall": xr,
            "proposals_f1": xf,
            "proposal_status_accuracy": _ratio(c.proposal_status_ok, c.proposal_status_n),
            "grounding_rate": _ratio(c.spans_valid, c.spans_n),
        }


def score_set(pairs: Iterable[tuple[GoldDocument, Summary | None]]) -> Scores:
    return summed(score_document(gold, predicted) for gold, predicted in pairs)


def summed(scores: Iterable[Scores]) -> Scores:
    """The scores of a set from its documents' (micro-averaged: counts add up)."""
    return Scores(sum((s.counts for s in scores), Counts()))


def score_document(gold: GoldDocument, predicted: Summary | None) -> Scores:
    """A missing prediction (the run failed on it) scores as an empty one."""
    c = Counts()
    people = _GoldPeople(gold)
    by_id = {p.id: p for p in predicted.people} if predicted else {}

    def who(pid: str | None) -> Entity | None:
        person: Person | None = by_id.get(pid) if pid else None
        return entity([person.name, *person.aliases]) if person else None

    if "meetings" in gold.annotated:
        _score_meetings(c, gold.meetings, predicted.meetings if predicted else [], people, who)
    if "statements" in gold.annotated:
        _score_quotes(c, gold, predicted, people, who)
    if "proposals" in gold.annotated:
        _score_proposals(c, gold.proposals, predicted.proposals if predicted else [], people, who)
    if predicted is not None:
        for span in _spans(predicted):
            c.spans_n += 1
            c.spans_valid += gold.text[span.start : span.end] == span.text
    return Scores(c)


class _GoldPeople:
    """Gold names to entities, with the aliases the gold lists for them."""

    def __init__(self, gold: GoldDocument):
        self.known = {
            normal(n): [p.name, *p.aliases] for p in gold.people for n in [p.name, *p.aliases]
        }

    def __call__(self, name: str) -> Entity:
        return entity(self.known.get(normal(name), [name]))


# A pair of people who met: (a, b, directed). Directed pairs are (visitor, host).
_Pair = tuple[Entity, Entity, bool]


def _pairs(
    participants: list[Any], visitor: Any, host: Any, resolve: Callable[[Any], Entity | None]
) -> list[_Pair]:
    """The visitor and host as one directed pair; every other two participants unordered."""
    found = [(p, e) for p in dict.fromkeys(participants) if (e := resolve(p)) is not None]
    out: list[_Pair] = []
    if visitor is not None and host is not None:
        v, h = resolve(visitor), resolve(host)
        if v is not None and h is not None:
            out.append((v, h, True))
    for i, (p, a) in enumerate(found):
        for q, b in found[i + 1 :]:
            if {p, q} != {visitor, host}:
                out.append((a, b, False))
    return out


def _pair_matches(gold: _Pair, pred: _Pair) -> bool:
    a, b, directed = gold
    x, y, pred_directed = pred
    if directed:
        return pred_directed and a.matches(x) and b.matches(y)
    return (a.matches(x) and b.matches(y)) or (a.matches(y) and b.matches(x))


def _match(gold: list[T], pred: list[U], same: Callable[[T, U], bool]) -> list[tuple[T, U]]:
    """A maximum one-to-one matching (augmenting paths), so that neither list's order
    changes a score: a greedy match could give a prediction to the wrong gold item and
    leave the right one unmatched."""
    edges = [[j for j, p in enumerate(pred) if same(g, p)] for g in gold]
    owner: dict[int, int] = {}  # pred index -> gold index

    def place(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or place(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        place(i, set())
    return sorted(((gold[i], pred[j]) for j, i in owner.items()), key=lambda m: gold.index(m[0]))


def _best_pairs(gold: list[T], pred: list[U], score: Callable[[T, U], float]) -> list[tuple[T, U]]:
    """One to one, best-scoring pairs first (ties in list order); pairs scoring 0 never."""
    scored = sorted(
        ((score(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for value, i, j in scored:
        if value <= 0 or i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((gold[i], pred[j]))
    return out


def _score_meetings(
    c: Counts,
    gold: list[GoldMeeting],
    pred: list[Meeting],
    people: _GoldPeople,
    who: Callable[[str | None], Entity | None],
) -> None:
    gold_pairs = [p for m in gold for p in _pairs(m.participants, m.visitor, m.host, people)]
    pred_pairs = [p for m in pred for p in _pairs(m.participants, m.visitor, m.host, who)]
    matched = len(_match(gold_pairs, pred_pairs, _pair_matches))
    c.pairs_tp += matched
    c.pairs_fp += len(pred_pairs) - matched
    c.pairs_fn += len(gold_pairs) - matched

    def fit(g: GoldMeeting, p: Meeting) -> float:
        """Participants first; among meetings of the same people (a call, then a visit),
        the one that also agrees on place, mode and time."""
        mine = [people(n) for n in g.participants]
        theirs = [e for e in (who(pid) for pid in p.participants) if e is not None]
        hits = sum(any(a.matches(b) for b in theirs) for a in mine)
        if hits < min(2, len(mine)):
            return 0.0
        agree = (
            (g.mode is not None and g.mode == p.mode)
            + (g.place is not None and _same_place(g.place, p.place))
            + (g.status is not None and g.status == p.status)
        )
        return hits * 10 + agree

    for g, p in _best_pairs(gold, pred, fit):
        if g.mode is not None:
            c.mode_n += 1
            c.mode_ok += p.mode == g.mode
        if g.place is not None:
            c.place_n += 1
            c.place_ok += _same_place(g.place, p.place)
        if g.status is not None:
            c.status_n += 1
            c.status_ok += p.status == g.status


def _same_place(gold: str, pred: str | None) -> bool:
    if not pred:
        return False
    a, b = normal(gold), normal(pred)
    return bool(a and b) and (a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} ")


def _score_quotes(
    c: Counts,
    gold: GoldDocument,
    predicted: Summary | None,
    people: _GoldPeople,
    who: Callable[[str | None], Entity | None],
) -> None:
    statements = [s for s in (predicted.statements if predicted else []) if s.quote is not None]
    quoted = [g for g in gold.statements if g.quote is not None]
    c.quotes_n += len(quoted)
    matched = _match(
        quoted,
        statements,
        lambda g, s: s.quote is not None and _same_quote(g.quote or "", s.quote.text),
    )
    c.quotes_found += len(matched)
    for g, s in matched:
        speaker = who(s.speaker)
        c.speaker_ok += speaker is not None and people(g.speaker).matches(speaker)


def _same_quote(gold: str, pred: str) -> bool:
    """The same quotation, word for word: the shorter runs on inside the longer and
    covers at least half of it, or they share most of their words."""
    a, b = normal(gold).split(), normal(pred).split()
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    if 2 * len(short) >= len(long):
        n = len(short)
        if any(long[i : i + n] == short for i in range(len(long) - n + 1)):
            return True
    x, y = set(a), set(b)
    return len(x & y) / len(x | y) >= 0.6


def _score_proposals(
    c: Counts,
    gold: list[GoldProposal],
    pred: list[Proposal],
    people: _GoldPeople,
    who: Callable[[str | None], Entity | None],
) -> None:
    def same(g: GoldProposal, p: Proposal) -> bool:
        if g.kind is not None and _SAME_KIND.get(g.kind, g.kind) != _SAME_KIND.get(p.kind, p.kind):
            return False
        if g.proposer is not None:
            proposer = who(p.proposer)
            if proposer is None or not people(g.proposer).matches(proposer):
                return False
        if g.recipients:
            theirs = [e for e in (who(r) for r in p.recipients) if e is not None]
            if not any(people(n).matches(e) for n in g.recipients for e in theirs):
                return False
        return True

    matched = _match(gold, pred, same)
    c.proposals_tp += len(matched)
    c.proposals_fp += len(pred) - len(matched)
    c.proposals_fn += len(gold) - len(matched)
    for g, p in matched:
        if g.status is not None:
            c.proposal_status_n += 1
            c.proposal_status_ok += p.status == g.status


def _spans(summary: Summary) -> Iterable[Span]:
    for m in summary.meetings:
        yield from m.evidence
    for s in summary.statements:
        yield from s.evidence
        if s.quote is not None:
            yield s.quote
    for p in summary.proposals:
        yield from p.evidence
