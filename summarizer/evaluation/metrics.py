"""Scores of one prediction against one gold document, and of a whole set.

Counts are kept, not ratios, so a set's figures are micro-averages: every gold pair,
quote and proposal weighs the same whichever document it is in.

The predicted actors (of any kind) are first aligned one to one with the gold's actors,
and every item is scored through that alignment: a predicted actor stands for at most one,
so listing one man's name among another's aliases cannot make both of them right, and a
pair whose two ends are one actor is never a right pair. Items are then matched one to
one by maximum-weight assignments over the predictions in a canonical order, so that no
order of the predictions, duplicates included, changes a count. Attribute accuracies
(meeting mode, place, temporal status; proposal status) are over matched meetings and
proposals whose gold value is annotated.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields

from summarizer.article import Article
from summarizer.evaluation.gold import GoldDocument, GoldMeeting, GoldProposal, GoldStatement
from summarizer.evaluation.matching import assign, canonical
from summarizer.evaluation.names import entity, normal
from summarizer.schema import Actor, Meeting, Proposal, Span, Statement, Summary

__all__ = [
    "INFORMATIONAL",
    "Counts",
    "Scores",
    "gold_evidence",
    "score_document",
    "score_set",
    "summed",
]

# The schema has both; PLOVER's DEMAND covers what it calls requests and demands.
_SAME_KIND = {"demand": "request"}
# Figures that describe rather than score: no value is right, lower is tighter.
INFORMATIONAL = frozenset({"evidence_width"})


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
    date_ok: int = 0  # matched meetings whose gold gives a date
    date_n: int = 0
    quotes_n: int = 0  # gold quotations
    quotes_pred: int = 0  # predicted verbatim quotes
    quotes_found: int = 0  # matched one to one
    speaker_ok: int = 0
    proposals_tp: int = 0
    proposals_fp: int = 0
    proposals_fn: int = 0
    proposal_status_ok: int = 0
    proposal_status_n: int = 0
    proposal_date_ok: int = 0
    proposal_date_n: int = 0
    evidence_ok: int = 0  # pieces of matched items' evidence on the gold's evidence
    evidence_n: int = 0  # a piece: a predicted span's part in one sentence
    evidence_sentences: int = 0  # sentences the predicted items' evidence covers
    evidence_items: int = 0

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
            "meeting_date_accuracy": _ratio(c.date_ok, c.date_n),
            "quote_recall": _ratio(c.quotes_found, c.quotes_n),
            "quote_precision": _ratio(c.quotes_found, c.quotes_pred),
            "quote_speaker_accuracy": _ratio(c.speaker_ok, c.quotes_n),
            "proposals_precision": xp,
            "proposals_recall": xr,
            "proposals_f1": xf,
            "proposal_status_accuracy": _ratio(c.proposal_status_ok, c.proposal_status_n),
            "proposal_date_accuracy": _ratio(c.proposal_date_ok, c.proposal_date_n),
            "evidence_precision": _ratio(c.evidence_ok, c.evidence_n),
            "evidence_width": _ratio(c.evidence_sentences, c.evidence_items),
        }


def score_set(pairs: Iterable[tuple[GoldDocument, Summary | None]]) -> Scores:
    return summed(score_document(gold, predicted) for gold, predicted in pairs)


def summed(scores: Iterable[Scores]) -> Scores:
    """The scores of a set from its documents' (micro-averaged: counts add up)."""
    return Scores(sum((s.counts for s in scores), Counts()))


def score_document(gold: GoldDocument, predicted: Summary | None) -> Scores:
    """A missing prediction (the run failed on it) scores as an empty one."""
    doc = _Document(gold, predicted.actors if predicted else [])
    items: list[Meeting | Statement | Proposal] = []
    if "meetings" in gold.annotated:
        meetings = canonical(predicted.meetings if predicted else [])
        _score_meetings(doc, meetings)
        items += meetings
    if "statements" in gold.annotated:
        statements = canonical(predicted.statements if predicted else [])
        _score_quotes(doc, statements)
        items += statements
    if "proposals" in gold.annotated:
        proposals = canonical(predicted.proposals if predicted else [])
        _score_proposals(doc, proposals)
        items += proposals
    for item in items:
        doc.counts.evidence_items += 1
        doc.counts.evidence_sentences += len({i for s in item.evidence for i in doc.covered(s)})
    return Scores(doc.counts)


# Who an item names: a gold actor (its index), or a predicted person id that stands for
# no gold actor (a string never equals an index).
_Who = int | str


class _Document:
    """One gold document and one prediction's actors, aligned; the article's sentences."""

    def __init__(self, gold: GoldDocument, people: list[Actor]):
        self.gold, self.counts = gold, Counts()
        self.actors: list[list[str]] = []  # each actor's names, the main one first
        self._index: dict[str, int] = {}
        for person in gold.people:
            self._add([person.name, *person.aliases])
        for name in _item_names(gold):
            self.actor(name)
        self.align = _align(self.actors, people)
        self._sentences = [(s.start, s.end) for s in Article(gold.text).sentences]
        self._starts = [start for start, _ in self._sentences]

    def _add(self, names: list[str]) -> int:
        self.actors.append(names)
        for name in names:
            self._index.setdefault(normal(name), len(self.actors) - 1)
        return len(self.actors) - 1

    def actor(self, name: str) -> int:
        """The gold actor a gold name is; a name `people` does not list is its own actor."""
        found = self._index.get(normal(name))
        return self._add([name]) if found is None else found

    def who(self, pid: str) -> _Who:
        return self.align.get(pid, pid)

    def covered(self, span: Span) -> list[int]:
        """The sentences a span overlaps."""
        first = max(bisect.bisect_right(self._starts, span.start) - 1, 0)
        return [
            i
            for i in range(first, bisect.bisect_left(self._starts, span.end))
            if self._sentences[i][1] > span.start
        ]

    def pieces(self, spans: list[Span]) -> list[tuple[int, int]]:
        """Evidence cut at sentence ends, so that one span over the whole article counts
        once per sentence and cannot pass for precise; a span whose text is not the
        article's at its offsets is one piece that overlaps nothing."""
        out = []
        for span in {(s.start, s.end, s.text): s for s in spans}.values():
            if self.gold.text[span.start : span.end] != span.text:
                out.append((span.start, span.start))
                continue
            cut = [self._sentences[i] for i in self.covered(span)] or [(span.start, span.end)]
            out += [(max(a, span.start), min(b, span.end)) for a, b in cut]
        return out

    def on_gold(self, evidence: list[str], spans: list[Span]) -> tuple[int, int]:
        """(pieces that overlap the gold's evidence of the item, pieces); (0, 0) where the
        gold has no evidence for it."""
        stretches = gold_evidence(self.gold, evidence)
        if not stretches:
            return 0, 0
        pieces = self.pieces(spans)
        ok = sum(any(max(a, x) < min(b, y) for x, y in stretches) for a, b in pieces)
        return ok, len(pieces)

    def count_evidence(self, evidence: list[str], spans: list[Span]) -> None:
        ok, n = self.on_gold(evidence, spans)
        self.counts.evidence_ok += ok
        self.counts.evidence_n += n


def gold_evidence(gold: GoldDocument, evidence: list[str]) -> list[tuple[int, int]]:
    """Where an item's evidence strings first occur in the text; where the gold gives
    none, the document's labelled spans (PLOVER codes one event per sentence)."""
    found = [(at, at + len(e)) for e in evidence if e and (at := gold.text.find(e)) >= 0]
    return found or [(s.start, s.end) for s in gold.spans]


def _item_names(gold: GoldDocument) -> Iterable[str]:
    for m in gold.meetings:
        yield from m.participants
        yield from (n for n in (m.visitor, m.host) if n)
    yield from (s.speaker for s in gold.statements)
    for p in gold.proposals:
        yield from ([p.proposer] if p.proposer else [])
        yield from p.recipients


def _align(actors: list[list[str]], people: list[Actor]) -> dict[str, int]:
    """Predicted actor id -> gold actor, one to one. A main name equal to the actor's
    beats a main name that matches it otherwise, which beats a match through an alias
    only: "Sergey Lavrov" with the alias "Shaibani" is Lavrov, and al-Shaibani is no one."""
    gold = [entity(names) for names in actors]
    ranked = sorted(people, key=lambda p: p.id)  # ties go by id, never by list order

    def strength(i: int, p: Actor) -> tuple[int, ...] | None:
        if not gold[i].matches(entity([p.name, *p.aliases])):
            return None
        exact = bool(normal(p.name)) and normal(p.name) == normal(actors[i][0])
        return exact, gold[i].matches(entity([p.name]))

    return {ranked[j].id: i for i, j in assign(range(len(actors)), ranked, strength)}


# A pair of actors who met: (a, b, directed). Directed pairs are (visitor, host).
_Pair = tuple[_Who, _Who, bool]


def _pairs(participants: list[_Who], visitor: _Who | None, host: _Who | None) -> list[_Pair]:
    """The visitor and host as one directed pair; every other two participants unordered."""
    found = list(dict.fromkeys(participants))
    out: list[_Pair] = []
    if visitor is not None and host is not None:
        out.append((visitor, host, True))
    for i, a in enumerate(found):
        out += [(a, b, False) for b in found[i + 1 :] if {a, b} != {visitor, host}]
    return out


def _meeting_pairs(
    meetings: Sequence[GoldMeeting | Meeting], who: Callable[[str], _Who]
) -> list[_Pair]:
    """The pairs of every meeting, its names (gold) or ids (predicted) read by `who`."""
    return [
        p
        for m in meetings
        for p in _pairs(
            [who(n) for n in m.participants],
            who(m.visitor) if m.visitor else None,
            who(m.host) if m.host else None,
        )
    ]


def _pair_matches(gold: _Pair, pred: _Pair) -> bool:
    """Both ends gold actors, two of them: a pair of one actor is never right."""
    a, b, directed = gold
    x, y, pred_directed = pred
    if not (isinstance(x, int) and isinstance(y, int)) or x == y:
        return False
    return pred_directed and (a, b) == (x, y) if directed else {a, b} == {x, y}


def _score_meetings(doc: _Document, pred: list[Meeting]) -> None:
    c, gold = doc.counts, doc.gold.meetings
    actor, who = doc.actor, doc.who
    gold_pairs = _meeting_pairs(gold, actor)
    pred_pairs = _meeting_pairs(pred, who)
    matched = len(assign(gold_pairs, pred_pairs, lambda g, p: () if _pair_matches(g, p) else None))
    c.pairs_tp += matched
    c.pairs_fp += len(pred_pairs) - matched
    c.pairs_fn += len(gold_pairs) - matched

    def fit(g: GoldMeeting, p: Meeting) -> tuple[int, ...] | None:
        """Participants first; among meetings of the same people (a call, then a visit),
        the one its evidence points to, then the one that agrees on place, mode, time."""
        mine = {actor(n) for n in g.participants}
        hits = len(mine & {who(i) for i in p.participants})
        if hits < min(2, len(mine)):
            return None
        agree = (
            (g.mode is not None and g.mode == p.mode)
            + (g.place is not None and _same_place(g.place, p.place))
            + (g.status is not None and g.status == p.status)
            + (g.date is not None and g.date == p.date)
        )
        return hits, doc.on_gold(g.evidence, p.evidence)[0], agree

    for i, j in assign(gold, pred, fit):
        g, p = gold[i], pred[j]
        doc.count_evidence(g.evidence, p.evidence)
        if g.mode is not None:
            c.mode_n += 1
            c.mode_ok += p.mode == g.mode
        if g.place is not None:
            c.place_n += 1
            c.place_ok += _same_place(g.place, p.place)
        if g.status is not None:
            c.status_n += 1
            c.status_ok += p.status == g.status
        if g.date is not None:  # scored where the gold gives one
            c.date_n += 1
            c.date_ok += p.date == g.date


def _same_place(gold: str, pred: str | None) -> bool:
    if not pred:
        return False
    a, b = normal(gold), normal(pred)
    return bool(a and b) and (a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} ")


def _score_quotes(doc: _Document, statements: list[Statement]) -> None:
    """One to one, a right speaker preferred among the matchings that find the most
    quotes: a quote listed under two speakers finds it once, with the right one."""
    c = doc.counts
    said = [s for s in statements if s.quote is not None]
    quoted = [g for g in doc.gold.statements if g.quote is not None]
    c.quotes_n += len(quoted)
    c.quotes_pred += len(said)

    def value(g: GoldStatement, s: Statement) -> tuple[int, ...] | None:
        if s.quote is None or not _same_quote(g.quote or "", s.quote.text):
            return None
        return 1, doc.who(s.speaker) == doc.actor(g.speaker)

    matched = assign(quoted, said, value)
    c.quotes_found += len(matched)
    c.speaker_ok += sum(
        doc.who(said[j].speaker) == doc.actor(quoted[i].speaker) for i, j in matched
    )


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


def _score_proposals(doc: _Document, pred: list[Proposal]) -> None:
    """Right when the kind, the proposer and the set of recipients agree (recipients
    unchecked where the gold lists none): naming everyone as recipient is wrong."""
    c, gold = doc.counts, doc.gold.proposals

    def value(g: GoldProposal, p: Proposal) -> tuple[int, ...] | None:
        if g.kind is not None and _SAME_KIND.get(g.kind, g.kind) != _SAME_KIND.get(p.kind, p.kind):
            return None
        if g.proposer is not None and doc.who(p.proposer) != doc.actor(g.proposer):
            return None
        if g.recipients and {doc.actor(n) for n in g.recipients} != {
            doc.who(r) for r in p.recipients
        }:
            return None
        return 1, doc.on_gold(g.evidence, p.evidence)[0], g.status == p.status

    matched = assign(gold, pred, value)
    c.proposals_tp += len(matched)
    c.proposals_fp += len(pred) - len(matched)
    c.proposals_fn += len(gold) - len(matched)
    for i, j in matched:
        g, p = gold[i], pred[j]
        doc.count_evidence(g.evidence, p.evidence)
        if g.status is not None:
            c.proposal_status_ok += p.status == g.status
            c.proposal_status_n += 1
        if g.date is not None:
            c.proposal_date_ok += p.proposed_date == g.date
            c.proposal_date_n += 1
