"""The scorer cannot be fooled: aliases do not merge people, a quote counts once and
with its right speaker, extra quotes cost precision, recipients are a set, evidence over
the whole article is not precise, and no order of the predictions changes a count."""

from __future__ import annotations

import random
from typing import Any

import pytest
from conftest import ROOT

from summarizer.evaluation.gold import GoldDocument, load_gold
from summarizer.evaluation.metrics import INFORMATIONAL, Counts, score_document
from summarizer.evaluation.predictions import gold_as_summary
from summarizer.schema import Span, Statement, Summary

HAND = ROOT / "eval/hand-annotated.jsonl"
Metrics = dict[str, float | None]

SHORT = (
    "Foreign Minister Ana Lind met Prime Minister Olu Bade in Lagos on Monday. The police "
    "said the talks went well.\n\n"
    '"We will sign the accord next week," Lind said. "We will sign the accord next week," '
    "Bade said too. Bade will call King Harald on Friday.\n\n"
    'A resident said "the roads are closed." Lind invited Bade to Oslo. Bade asked the police '
    "to reopen the roads. Bade later asked the police again to reopen the roads, and the "
    "police agreed. The police promised to keep order."
)


def short_gold() -> GoldDocument:
    """Kinds, descriptions as actors' names, a name `people` does not list, one quote by two
    speakers, two proposals that differ in status and evidence only."""
    return GoldDocument.model_validate(
        {
            "id": "short",
            "text": SHORT,
            "origin": "test",
            "people": [
                {"name": "Ana Lind", "aliases": ["Lind"], "kind": "person"},
                {"name": "Olu Bade", "aliases": ["Bade"], "kind": "person"},
                {"name": "the police", "kind": "organisation"},
                {"name": "A resident", "kind": "group"},
            ],
            "meetings": [
                {
                    "participants": ["Ana Lind", "Olu Bade"],
                    "visitor": "Ana Lind",
                    "host": "Olu Bade",
                    "mode": "in_person",
                    "place": "Lagos",
                    "status": "happened",
                    "evidence": [
                        "Foreign Minister Ana Lind met Prime Minister Olu Bade in Lagos on Monday."
                    ],
                },
                {
                    "participants": ["Bade", "King Harald"],  # not listed in `people`
                    "mode": "phone",
                    "status": "planned",
                    "evidence": ["Bade will call King Harald on Friday."],
                },
            ],
            "statements": [
                {"speaker": "Ana Lind", "quote": "We will sign the accord next week,"},
                {"speaker": "Olu Bade", "quote": "We will sign the accord next week,"},
                {"speaker": "A resident", "quote": "the roads are closed."},
            ],
            "proposals": [
                {
                    "kind": "invitation",
                    "proposer": "Lind",
                    "recipients": ["Olu Bade"],
                    "status": "made",
                    "evidence": ["Lind invited Bade to Oslo."],
                },
                {
                    "kind": "request",
                    "proposer": "Olu Bade",
                    "recipients": ["the police"],
                    "status": "made",
                    "evidence": ["Bade asked the police to reopen the roads."],
                },
                {
                    "kind": "request",
                    "proposer": "Olu Bade",
                    "recipients": ["the police"],
                    "status": "accepted",
                    "evidence": ["Bade later asked the police again to reopen the roads"],
                },
                {"kind": "pledge", "proposer": "the police", "evidence": ["promised to keep"]},
            ],
        }
    )


def lavrov(evidence: bool = False) -> GoldDocument:
    """The reference article; with `evidence`, the stretches that report each meeting and
    proposal (the hand set has none)."""
    doc = load_gold(HAND)[0]
    if evidence:
        stretches = [
            ["In his meeting with al-Shaibani in Moscow"],
            ["I remember our meeting in Türkiye, where we discussed prospects for cooperation."],
            ["including the phone call between our presidents"],
        ]
        for meeting, found in zip(doc.meetings, stretches, strict=True):
            meeting.evidence = found
        doc.proposals[0].evidence = ["Lavrov also reiterated Russia's invitation"]
        doc.proposals[1].evidence = ["We are keen for Russia to stand with us on this path"]
    return doc


def metrics(gold: GoldDocument, summary: Summary) -> Metrics:
    return score_document(gold, summary).metrics()


def ids(summary: Summary) -> dict[str, str]:
    return {p.name: p.id for p in summary.actors}


def changed(before: Metrics, after: Metrics) -> set[str]:
    """The scores that moved (informational figures aside); each may only have fallen."""
    moved = {k for k in before if k not in INFORMATIONAL and after[k] != before[k]}
    assert all((before[k] or 0) > (after[k] or 0) for k in moved)
    return moved


def retarget(summary: Summary, old: str, new: str) -> Summary:
    """Every reference to person `old` made to `new`, and `old` dropped."""
    data: dict[str, Any] = summary.model_dump(mode="json")
    swap = lambda pid: new if pid == old else pid  # noqa: E731
    for m in data["meetings"]:
        m["participants"] = [swap(p) for p in m["participants"]]
        m["visitor"], m["host"] = swap(m["visitor"]), swap(m["host"])
    for s in data["statements"]:
        s["speaker"], s["addressee"] = swap(s["speaker"]), swap(s["addressee"])
    for p in data["proposals"]:
        p["proposer"], p["recipients"] = swap(p["proposer"]), [swap(r) for r in p["recipients"]]
    data["actors"] = [p for p in data["actors"] if p["id"] != old]
    return Summary.model_validate(data)


def test_an_alias_does_not_merge_two_people() -> None:
    gold = lavrov()
    summary = gold_as_summary(gold)
    who = ids(summary)
    merged = retarget(summary, who["Asaad al-Shaibani"], who["Sergey Lavrov"])
    next(p for p in merged.actors if p.id == who["Sergey Lavrov"]).aliases.append("Shaibani")
    scores = metrics(gold, merged)
    assert scores["quote_speaker_accuracy"] == 3 / 9  # Lavrov's three, not al-Shaibani's six
    assert scores["proposals_precision"] == scores["proposals_recall"] == 1 / 2
    # The visit is Lavrov -> Lavrov, Türkiye no pair: only the presidents' call is right.
    assert scores["pairs_precision"] == 1 / 2 and scores["pairs_recall"] == 1 / 3


def test_every_gold_name_as_everyones_alias_makes_no_wrong_item_right() -> None:
    gold = lavrov()
    summary = gold_as_summary(gold)
    every = [n for p in gold.people for n in [p.name, *p.aliases]]
    for person in summary.actors:
        person.aliases = every
    assert metrics(gold, summary) == metrics(gold, gold_as_summary(gold))
    who = ids(summary)
    for statement in summary.statements:
        statement.speaker = who["Sergey Lavrov"]
    for proposal in summary.proposals:
        proposal.proposer, proposal.recipients = who["Ahmad al-Sharaa"], [who["Sergey Lavrov"]]
    visit = summary.meetings[0]
    visit.visitor, visit.host = visit.host, visit.visitor
    scores = metrics(gold, summary)
    assert scores["quote_speaker_accuracy"] == 3 / 9
    assert scores["proposals_recall"] == 0.0
    assert scores["pairs_recall"] == 2 / 3  # the Türkiye meeting's and the call's pairs


@pytest.mark.parametrize("wrong_first", [True, False], ids=["wrong-first", "wrong-last"])
def test_a_quote_under_two_speakers_counts_once_with_the_right_one(wrong_first: bool) -> None:
    gold = lavrov()
    summary = gold_as_summary(gold)
    wrong = summary.statements[0].model_copy(update={"speaker": ids(summary)["Asaad al-Shaibani"]})
    summary.statements = (
        [wrong, *summary.statements] if wrong_first else [*summary.statements, wrong]
    )
    scores = metrics(gold, summary)
    assert scores["quote_speaker_accuracy"] == scores["quote_recall"] == 1.0
    assert scores["quote_precision"] == 9 / 10


def test_an_invented_quote_lowers_quote_precision_only() -> None:
    gold = lavrov()
    summary = gold_as_summary(gold)
    words = "Another task is to reunite the Syrian people"
    start = gold.text.index(words)
    quote = Span(text=words, start=start, end=start + len(words))
    summary.statements.append(
        Statement(
            speaker=ids(summary)["Sergey Lavrov"],
            cue="said",
            content=words,
            verbatim=True,
            quote=quote,
            evidence=[quote],
        )
    )
    assert changed(metrics(gold, gold_as_summary(gold)), metrics(gold, summary)) == {
        "quote_precision"
    }


def test_naming_everyone_as_recipient_is_wrong() -> None:
    gold = lavrov()
    summary = gold_as_summary(gold)
    for proposal in summary.proposals:
        proposal.recipients = [p.id for p in summary.actors]
    scores = metrics(gold, summary)
    assert scores["proposals_precision"] == scores["proposals_recall"] == 0.0


def test_recipients_are_a_set_and_unchecked_where_the_gold_lists_none() -> None:
    gold = short_gold()
    summary = gold_as_summary(gold)
    police = ids(summary)["the police"]
    for proposal in summary.proposals:  # the same sets, in another order and repeated
        proposal.recipients = [*reversed(proposal.recipients), *proposal.recipients]
    pledge = next(p for p in summary.proposals if p.kind == "pledge")
    pledge.recipients = [police]  # the gold lists no recipient for the pledge
    assert metrics(gold, summary)["proposals_f1"] == 1.0
    request = next(p for p in summary.proposals if p.kind == "request")
    request.recipients = [police, ids(summary)["Ana Lind"]]  # one recipient too many
    assert metrics(gold, summary)["proposals_recall"] == 3 / 4


def test_evidence_over_the_whole_article_lowers_evidence_precision() -> None:
    gold = lavrov(evidence=True)
    summary = gold_as_summary(gold)
    before = metrics(gold, summary)
    assert before["evidence_precision"] == 1.0
    whole = Span(text=gold.text, start=0, end=len(gold.text))
    for item in [*summary.meetings, *summary.proposals]:
        item.evidence = [whole]
    after = metrics(gold, summary)
    assert changed(before, after) == {"evidence_precision"}
    assert (after["evidence_precision"] or 0) < 0.5
    assert (after["evidence_width"] or 0) > (before["evidence_width"] or 0)


def test_evidence_off_the_text_or_elsewhere_lowers_evidence_precision() -> None:
    gold = lavrov(evidence=True)
    summary = gold_as_summary(gold)
    moscow = summary.meetings[0]
    moscow.evidence = [Span(text="In his meeting", start=0, end=14)]  # not the text at 0:14
    words = "Another task is to reunite the Syrian people"
    start = gold.text.index(words)
    summary.proposals[0].evidence = [Span(text=words, start=start, end=start + len(words))]
    assert metrics(gold, summary)["evidence_precision"] == 3 / 5


def test_descriptions_name_actors_and_match_only_themselves() -> None:
    gold = short_gold()
    perfect = gold_as_summary(gold)
    assert {v for k, v in metrics(gold, perfect).items() if k not in INFORMATIONAL} - {None} == {
        1.0
    }
    resident = next(p for p in perfect.actors if p.name == "A resident")
    resident.name = "a passenger"
    assert metrics(gold, perfect)["quote_speaker_accuracy"] == 2 / 3


def test_a_name_people_does_not_list_is_an_actor_of_its_own() -> None:
    gold = short_gold()
    summary = gold_as_summary(gold)
    harald = next(p for p in summary.actors if p.name == "King Harald")
    harald.name = "King Olav"
    assert metrics(gold, summary)["pairs_recall"] == 1 / 2


def test_gold_against_itself_is_perfect_in_any_order() -> None:
    for gold in [short_gold(), lavrov(evidence=True)]:
        summary = gold_as_summary(gold)
        for seed in range(10):
            scores = metrics(gold, shuffled(summary, random.Random(seed)))
            assert {v for k, v in scores.items() if k not in INFORMATIONAL} - {None} == {1.0}


def shuffled(summary: Summary, rng: random.Random) -> Summary:
    out = summary.model_copy(deep=True)
    for items in (out.actors, out.meetings, out.statements, out.proposals):
        rng.shuffle(items)
    for meeting in out.meetings:
        rng.shuffle(meeting.participants)
    for proposal in out.proposals:
        rng.shuffle(proposal.recipients)
    return out


def noisy(gold: GoldDocument) -> Summary:
    """The gold's own summary with duplicated and wrong items: a quote under another
    speaker, a meeting in another mode, a proposal with another status, a second person
    of the same name, each twice."""
    summary = gold_as_summary(gold)
    people = summary.actors
    twin = people[0].model_copy(update={"id": f"a{len(people) + 1}"})
    people.append(twin)
    other = people[1].id
    for s in list(summary.statements):
        summary.statements += [s.model_copy(update={"speaker": other})] * 2 + [s]
    summary.statements.append(summary.statements[0].model_copy(update={"speaker": twin.id}))
    for m in list(summary.meetings):
        changed = m.model_copy(update={"mode": "video", "status": "cancelled"})
        summary.meetings += [changed, changed, m]
    summary.meetings.append(
        summary.meetings[0].model_copy(
            update={"participants": [twin.id, other], "visitor": twin.id, "host": other}
        )
    )
    for p in list(summary.proposals):
        summary.proposals += [p.model_copy(update={"status": "rejected"}), p, p]
    summary.proposals.append(summary.proposals[0].model_copy(update={"proposer": twin.id}))
    return Summary.model_validate(summary.model_dump())


@pytest.mark.parametrize("which", ["short", "lavrov", "ruell", "port-avel"])
def test_no_order_of_the_predictions_changes_a_count(which: str) -> None:
    docs = {"short": short_gold(), "lavrov": lavrov(evidence=True)}
    hand = load_gold(HAND)
    docs |= {"ruell": hand[1], "port-avel": hand[2]}
    gold = docs[which]
    summary = noisy(gold)
    expected = score_document(gold, summary).counts
    assert expected != Counts() and expected.quotes_pred > expected.quotes_found
    rng = random.Random(which)
    for _ in range(50):
        assert score_document(gold, shuffled(summary, rng)).counts == expected


def test_dates_are_scored_where_the_gold_gives_them() -> None:
    """A meeting's or a proposal's ISO date counts only where the gold has one; gold
    files without dates are written back without the key."""
    import datetime as dt

    data = short_gold().model_dump(mode="json")
    assert all("date" not in m for m in data["meetings"])  # unannotated: no key at all
    data["meetings"][0]["date"] = "2025-03-03"
    data["proposals"][0]["date"] = "2025-03-10"
    gold = GoldDocument.model_validate(data)
    perfect = gold_as_summary(gold)
    scores = score_document(gold, perfect).metrics()
    assert scores["meeting_date_accuracy"] == 1.0 and scores["proposal_date_accuracy"] == 1.0
    wrong = perfect.model_copy(deep=True)
    wrong.meetings[0].date = dt.date(2025, 3, 4)  # the day after
    wrong.proposals[0].proposed_date = None
    scores = score_document(gold, wrong).metrics()
    assert scores["meeting_date_accuracy"] == 0.0 and scores["proposal_date_accuracy"] == 0.0
    assert score_document(short_gold(), wrong).metrics()["meeting_date_accuracy"] is None
