"""Convert the PLOVER gold-standard records into summarizer's gold format, split once.

    python scripts/convert_plover.py [data/plover-gsr/PLOVER_GSR_CAMEO.json] [--out eval/]

Writes eval/plover-dev.jsonl and eval/plover-test.jsonl (CC BY-SA 4.0, see
eval/NOTICE.md). The split is fixed: within each event type, records sorted by the
sha256 of their id alternate between dev and test, so both halves have every type and
rerunning this script reproduces the files byte for byte (a test checks it).

Mapping (PLOVER codes one event per sentence; its actors are people, groups or states):
- CONSULT: a meeting of the source and target actors. Mode visit: the source visits the
  target (directed); host: the source hosts the target; phone: by phone; multilateral
  and third-party: in person. The LOC span, if any, is the place.
- AGREE: an offer ("offer" in the event text), an invitation ("invit") or else a pledge,
  by the source (when there is one) to the targets.
- DEMAND: a request by the source to the targets.
- REJECT: a proposal by the target, rejected by the source (status rejected).
- Every other event type: no meeting and no proposal.
A CONSULT sentence is scored on meetings only, AGREE/DEMAND/REJECT on proposals only
(PLOVER codes one event per sentence), the others on both (as negatives). Statements are
not annotated, temporal status neither (PLOVER sets every date to 2000-01-01).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from summarizer.evaluation.gold import (
    GoldDocument,
    GoldMeeting,
    GoldPerson,
    GoldProposal,
    GoldSpan,
    Part,
    dump_gold,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "data/plover-gsr/PLOVER_GSR_CAMEO.json"
_MARK = re.compile(r"\((SRC/TAR|SRC|TAR|EVT|LOC):\s*(.*?)\s*\)")
# PLOVER codes one event per sentence: an AGREE sentence may mention a visit it does not
# code ("X will visit Albania"). So a sentence's gold is exhaustive only for its own
# kind of event; the other event types are negatives for both.
_ANNOTATED: dict[str, list[Part]] = {
    "CONSULT": ["meetings"],
    "AGREE": ["proposals"],
    "DEMAND": ["proposals"],
    "REJECT": ["proposals"],
}
_MODES = {
    "visit": "in_person",
    "host": "in_person",
    "phone": "phone",
    "multilateral": "in_person",
    "third-party": "in_person",
}


def actors(record: dict[str, Any], side: str) -> list[str]:
    value = record.get(side)
    if not isinstance(value, list):
        return []  # "" for none; once (AGREE-0007) the context word "diplomatic", misplaced
    out = []
    for actor in value:
        name = actor.get("actorText") if isinstance(actor, dict) else actor
        if isinstance(name, str) and name.strip():
            out.append(name.strip())
    return list(dict.fromkeys(out))


def spans(record: dict[str, Any]) -> list[GoldSpan]:
    """PLOVER's (SRC: ..) (TAR: ..) (EVT: ..) (LOC: ..) markup as offsets into the text."""
    text = record["text"]
    info = record.get("textInfo")
    markup = (info.get("markup") if isinstance(info, dict) else info) or ""
    out, cursor = [], 0
    for label, words in _MARK.findall(markup):
        start = text.find(words, cursor) if words else -1
        if start < 0:
            continue
        out.append(GoldSpan(label=label, text=words, start=start, end=start + len(words)))
        cursor = start + len(words)
    return out


def convert(record: dict[str, Any]) -> GoldDocument:
    event = record["event"]
    source, target = actors(record, "source"), actors(record, "target")
    marks = spans(record)
    doc = GoldDocument(
        id=record["id"],
        text=record["text"],
        origin="plover-gsr",
        note=f"PLOVER {event}" + (f", mode {record['mode']}" if record.get("mode") else ""),
        annotated=_ANNOTATED.get(event, ["meetings", "proposals"]),
        people=[GoldPerson(name=n) for n in dict.fromkeys(source + target)],
        spans=marks,
    )
    one_each = len(source) == 1 and len(target) == 1
    if event == "CONSULT":
        mode = record.get("mode")
        visitor = host = None
        if mode == "visit" and one_each:
            visitor, host = source[0], target[0]
        elif mode == "host" and one_each:
            visitor, host = target[0], source[0]
        place = next((s.text for s in marks if s.label == "LOC"), None)
        if place:
            place = re.sub(r"^(?:to|in|at)\s+", "", place)
        doc.meetings.append(
            GoldMeeting(
                participants=list(dict.fromkeys(source + target)),
                visitor=visitor,
                host=host,
                mode=_MODES.get(mode) if mode else None,  # type: ignore[arg-type]
                place=place,
            )
        )
    elif event in ("AGREE", "DEMAND"):
        words = f"{record.get('eventText', '')} {record['text']}".lower()
        if event == "DEMAND":
            kind = "request"
        elif "invit" in words:
            kind = "invitation"
        elif "offer" in words:
            kind = "offer"
        else:
            kind = "pledge"
        doc.proposals.append(
            GoldProposal(
                kind=kind,  # type: ignore[arg-type]
                proposer=source[0] if len(source) == 1 else None,
                recipients=target,
                content=record.get("eventText"),
            )
        )
    elif event == "REJECT":
        doc.proposals.append(
            GoldProposal(
                proposer=target[0] if len(target) == 1 else None,
                recipients=source,
                status="rejected",
                content=record.get("eventText"),
            )
        )
    return doc


def split(records: list[dict[str, Any]]) -> tuple[list[GoldDocument], list[GoldDocument]]:
    by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[str] = set()
    for record in records:
        if record.get("event") != "DOCUMENT" and record.get("text"):
            # The source uses one id twice (COERCE-0004): the later record gets a "b".
            unique = record["id"] if record["id"] not in seen else record["id"] + "b"
            seen.add(unique)
            by_event[record["event"]].append({**record, "id": unique})
    dev: list[GoldDocument] = []
    test: list[GoldDocument] = []
    for event in sorted(by_event):
        ranked = sorted(by_event[event], key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())
        for i, record in enumerate(ranked):
            (dev if i % 2 == 0 else test).append(convert(record))
    return sorted(dev, key=lambda d: d.id), sorted(test, key=lambda d: d.id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=ROOT / "eval")
    args = parser.parse_args()
    records = json.loads(args.source.read_text(encoding="utf-8"))
    dev, test = split(records)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "plover-dev.jsonl").write_text(dump_gold(dev), encoding="utf-8")
    (args.out / "plover-test.jsonl").write_text(dump_gold(test), encoding="utf-8")
    print(f"{len(dev)} dev and {len(test)} test documents in {args.out}")


if __name__ == "__main__":
    main()
