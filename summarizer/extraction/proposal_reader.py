"""Proposals, read from a `Reading`: the kind from the cue word, proposer and recipients
from the roles around it, the status from its sentence or a later answer."""

from __future__ import annotations

import re
from typing import get_args

from summarizer.article import Sentence
from summarizer.extraction.candidates import ActorCandidate
from summarizer.extraction.cues import (
    ANSWER_TO,
    proposal_status,
)
from summarizer.extraction.reading import Reading, closed, one_of
from summarizer.grounding.dates import find_date
from summarizer.grounding.draft import DraftMeeting, DraftProposal
from summarizer.schema import ProposalStatus

__all__ = ["read_proposals"]

_PROPOSAL_STATUSES: tuple[ProposalStatus, ...] = get_args(ProposalStatus)


async def read_proposals(
    doc: Reading, meetings: list[DraftMeeting] | None = None
) -> list[DraftProposal]:
    """Kind from the cue word, proposer and recipient from the roles around it,
    status from the words of the sentence (or the model, when it is offered
    choices); a proposal without a proposer is left out, and so is one without a
    recipient, except a pledge."""
    proposals: list[DraftProposal] = []
    seen: set[tuple[str, str, str, int]] = set()
    for sentence in doc.article.sentences:
        for kind, start, end in doc.roles.proposals(sentence):
            proposer, recipient = doc.roles.proposal_roles(sentence, start, end)
            if proposer is None:
                sides = _both_sides(doc, sentence, start, meetings or [])
                if len(sides) >= 2:
                    proposals += _of_both_sides(doc, sentence, kind, end, recipient, sides)
                continue
            if proposer is recipient:
                continue
            cue = doc.article.text[start:end].lower()
            if recipient is None and kind != "pledge" and not cue.startswith("call"):
                # A pledge may bind its maker to no one ("vowed to rebuild"), and a
                # call for something may be put to no one ("called for calm"); any
                # other proposal whose addressee the wording does not give is left
                # out rather than put to no one.
                continue
            to = (
                doc.roles.coordinated(recipient, end, sentence.end) if recipient is not None else []
            )
            to = [r for r in to if r is not proposer]
            key = (kind, proposer.name, ",".join(r.name for r in to), sentence.number)
            if key in seen:
                continue
            seen.add(key)
            status: ProposalStatus = proposal_status(sentence.text)
            if doc.choices > 1:
                model = closed("Status", status=(one_of(_PROPOSAL_STATUSES), ...))
                variables = {
                    "passage": sentence.text,
                    "people": [proposer.name, *(r.name for r in to)],
                }
                status = (await doc.ask("focused_proposal.j2", variables, model)).status
            # "a Chinese and Russian proposal", "Egypt and Qatar proposed": one each
            also = doc.roles.joined_before(proposer, sentence.start, start)
            for maker in [proposer, *(o for o in also if o not in to and o.name in doc.ids)]:
                proposals.append(
                    DraftProposal(
                        kind=kind,  # type: ignore[arg-type]
                        proposer=doc.ids[maker.name],
                        recipients=[doc.ids[r.name] for r in to],
                        content=sentence.text,
                        proposed_date_text=find_date(sentence.text),
                        status=status,
                        evidence=[sentence.number],
                    )
                )
    proposals = _responses_joined(proposals)
    _answers_later(doc, proposals)
    return proposals


def _answers_later(doc: Reading, proposals: list[DraftProposal]) -> None:
    """ "Kim asked Trump for relief. Trump denied the request.": a later sentence
    whose subject answers "the request" sets the status of the latest proposal put
    to that subject, or to the state the subject speaks for."""
    for sentence in doc.article.sentences:
        answer = ANSWER_TO.search(sentence.text)
        if answer is None:
            continue
        who = doc.roles.subject_before(sentence.start + answer.start(), sentence.start)
        if who is None or who.name not in doc.ids:
            continue
        # the one asked, or the state they speak for ("offered Indonesia ...";
        # "Minister Siregar accepted the offer")
        answering = {doc.ids[who.name]} | {
            doc.ids[p.name]
            for p in doc.people
            if p.kind == "state" and who.country and p.country == who.country
        }
        asked = [
            p
            for p in proposals
            if answering & set(p.recipients)
            and p.status == "made"
            and max(p.evidence) < sentence.number
        ]
        if asked:
            latest = max(asked, key=lambda p: max(p.evidence))
            latest.status = proposal_status(answer.group())
            latest.evidence.append(sentence.number)


def _responses_joined(proposals: list[DraftProposal]) -> list[DraftProposal]:
    """ "Lund urged Ethiopia and Eritrea to withdraw. ... Ethiopia rejected Lund's
    proposal": the answer is the status of the proposal it answers, not a second
    proposal. An answer (accepted, rejected, pending) joins the latest earlier proposal
    of the same proposer whose recipients include all of its own and that was only
    made; its sentence becomes more evidence."""
    kept: list[DraftProposal] = []
    for p in proposals:
        if p.status != "made" and p.recipients:
            answered = next(
                (
                    q
                    for q in reversed(kept)
                    if q.proposer == p.proposer
                    and q.status == "made"
                    and set(p.recipients) <= set(q.recipients)
                    and q.evidence[0] < p.evidence[0]
                ),
                None,
            )
            if answered is not None:
                answered.status = p.status
                answered.evidence.extend(n for n in p.evidence if n not in answered.evidence)
                continue
        kept.append(p)
    return kept


# "Both sides committed to ...", "The two leaders called on ...": each side of the
# meeting just reported.
_BOTH_SIDES = re.compile(
    r"(?:both sides|both leaders|both ministers|the two (?:sides|leaders|ministers|"
    r"presidents|delegations|governments|officials|secretaries)|the leaders|the ministers)"
    r"(?:\s+(?:also|jointly|further))?\s*$",
    re.IGNORECASE,
)


def _both_sides(
    doc: Reading, sentence: Sentence, cue: int, meetings: list[DraftMeeting]
) -> list[ActorCandidate]:
    """The participants of the latest meeting reported up to this sentence, when the
    subject of the cue is "both sides" or "the two leaders"."""
    if not _BOTH_SIDES.search(doc.article.text[sentence.start : cue]):
        return []
    held = [m for m in meetings if min(m.evidence) <= sentence.number and len(m.participants) >= 2]
    if not held:
        return []
    latest = max(held, key=lambda m: min(m.evidence))
    return [doc.by_id[i] for i in latest.participants if i in doc.by_id]


def _of_both_sides(
    doc: Reading,
    sentence: Sentence,
    kind: str,
    end: int,
    recipient: ActorCandidate | None,
    sides: list[ActorCandidate],
) -> list[DraftProposal]:
    """One proposal of each side: to whom the sentence names, or, for a pledge that
    names no one, to the other sides ("Both sides committed to launching talks")."""
    to = doc.roles.coordinated(recipient, end, sentence.end) if recipient is not None else []
    if kind == "pledge":
        to = []  # what both commit to binds each to the other, whoever else is named
    elif not to:
        return []
    return [
        DraftProposal(
            kind=kind,  # type: ignore[arg-type]
            proposer=doc.ids[side.name],
            recipients=[
                doc.ids[r.name] for r in (to or sides) if r is not side and r.name in doc.ids
            ],
            content=sentence.text,
            proposed_date_text=find_date(sentence.text),
            status=proposal_status(sentence.text),
            evidence=[sentence.number],
        )
        for side in sides
    ]
