"""Write eval/hand-annotated.jsonl: the hand annotations below, checked against the texts.

    python scripts/write_hand_gold.py

The annotations are written here by hand, as Python, so that a reviewer reads them in one
place; the script refuses a quote that is not verbatim in its article, and an actor's name
or alias that the article does not use.
"""

from __future__ import annotations

from pathlib import Path

from summarizer.article import Article
from summarizer.evaluation.gold import (
    GoldDocument,
    GoldMeeting,
    GoldPerson,
    GoldProposal,
    GoldStatement,
    dump_gold,
)

ROOT = Path(__file__).resolve().parent.parent
LAVROV, SHAIBANI, SHARAA = "Sergey Lavrov", "Asaad al-Shaibani", "Ahmad al-Sharaa"
RUSSIA = "Russia"
# The Russian president, whom the article never names: only "the phone call between our
# presidents" (Lavrov to al-Shaibani) mentions him, so that description is his name.
PRESIDENTS = "our presidents"
RUELL, HALVORSEN, VALDORIA = "Tomas Ruell", "Ines Halvorsen", "Valdoria"
DOYLE, VARGA, LUND = "Amara Doyle", "Elena Varga", "Pieter Lund"


def reference() -> GoldDocument:
    text = (ROOT / "examples/lavrov-shaibani-moscow.txt").read_text(encoding="utf-8")
    # Every quotation of the article, whole, as the words between the quotation marks.
    opening = {
        LAVROV: ["The talks are expected", "will overcome all", "I remember our meeting"],
        SHAIBANI: [
            "challenges and threats",
            "We are keen for Russia",
            "historical in nature",
            "there are certain factors",
            "Today, we represent",
            "Now, we are striving",
        ],
    }
    quotes = {
        speaker: [_quotation(text, start) for start in starts]
        for speaker, starts in opening.items()
    }
    return GoldDocument(
        id="lavrov-shaibani-moscow",
        text=text,
        origin="hand-annotated",
        note="the reference article; annotated by hand",
        people=[
            GoldPerson(name=LAVROV, aliases=["Lavrov"], kind="person"),
            GoldPerson(name=SHAIBANI, aliases=["al-Shaibani", "Shaibani"], kind="person"),
            GoldPerson(name=SHARAA, aliases=["al-Sharaa", "President Al-Sharaa"], kind="person"),
            # "Russia's invitation", "keen for Russia to stand with us": the state acts.
            GoldPerson(name=RUSSIA, kind="state"),
            GoldPerson(name=PRESIDENTS, kind="office"),
        ],
        meetings=[
            GoldMeeting(
                participants=[LAVROV, SHAIBANI],
                visitor=SHAIBANI,
                host=LAVROV,
                mode="in_person",
                place="Moscow",
                status="happened",
            ),
            GoldMeeting(
                participants=[LAVROV, SHAIBANI],
                mode="in_person",
                place="Türkiye",
                status="happened",
            ),
            # "the phone call between our presidents", Russia's and Syria's: Russia's is
            # not named (an office), Syria's is "Syrian President Ahmad al-Sharaa".
            GoldMeeting(participants=[PRESIDENTS, SHARAA], mode="phone", status="happened"),
        ],
        statements=[
            GoldStatement(speaker=speaker, quote=quote)
            for speaker, said in quotes.items()
            for quote in said
        ],
        proposals=[
            # "Lavrov also reiterated Russia's invitation to Syrian President Ahmad
            # al-Sharaa": the invitation is Russia's; Lavrov conveys it.
            GoldProposal(kind="invitation", proposer=RUSSIA, recipients=[SHARAA], status="made"),
            # "We are keen for Russia to stand with us on this path," he noted: al-Shaibani
            # speaks; what he asks is asked of Russia, not of Lavrov.
            GoldProposal(kind="request", proposer=SHAIBANI, recipients=[RUSSIA], status="made"),
        ],
    )


def _quotation(text: str, opening: str) -> str:
    """The quoted words that begin with `opening`, up to the closing quotation mark."""
    start = text.index(opening)
    return text[start : text.index('"', start)]


def phone_call() -> GoldDocument:
    return GoldDocument(
        id="ruell-halvorsen-call",
        text=(ROOT / "eval/articles/ruell-halvorsen-call.txt").read_text(encoding="utf-8"),
        origin="hand-annotated",
        note="written for this set: invented people and countries; annotated by hand",
        people=[
            GoldPerson(name=RUELL, aliases=["Ruell"], kind="person"),
            GoldPerson(name=HALVORSEN, aliases=["Halvorsen"], kind="person"),
            GoldPerson(name=VALDORIA, kind="state"),
        ],
        meetings=[
            GoldMeeting(participants=[RUELL, HALVORSEN], mode="phone", status="happened"),
            GoldMeeting(
                participants=[RUELL, HALVORSEN],
                visitor=HALVORSEN,
                host=RUELL,
                mode="in_person",
                place="Brennick",
                status="planned",
            ),
            GoldMeeting(
                participants=[RUELL, HALVORSEN], mode="in_person", place="Lisk", status="happened"
            ),
        ],
        statements=[
            GoldStatement(
                speaker=RUELL,
                quote="We have a great deal to discuss, from fishing rights to the new rail link,",
            ),
            GoldStatement(speaker=RUELL, quote="until the inspections are complete."),
            GoldStatement(
                speaker=HALVORSEN,
                quote="The people of both countries want the same thing: open roads and honest "
                "trade,",
            ),
        ],
        proposals=[
            GoldProposal(
                kind="invitation", proposer=RUELL, recipients=[HALVORSEN], status="accepted"
            ),
            # "Halvorsen asked Valdoria to reopen the border crossing": the state is asked
            # (Ruell, who declines, speaks for it).
            GoldProposal(
                kind="request", proposer=HALVORSEN, recipients=[VALDORIA], status="rejected"
            ),
        ],
    )


def fisheries() -> GoldDocument:
    ministers = [DOYLE, VARGA, LUND]
    return GoldDocument(
        id="port-avel-fisheries",
        text=(ROOT / "eval/articles/port-avel-fisheries.txt").read_text(encoding="utf-8"),
        origin="hand-annotated",
        note="written for this set: invented people and countries; annotated by hand",
        people=[
            GoldPerson(name=DOYLE, aliases=["Doyle"], kind="person"),
            GoldPerson(name=VARGA, aliases=["Varga"], kind="person"),
            GoldPerson(name=LUND, aliases=["Lund"], kind="person"),
        ],
        meetings=[
            GoldMeeting(
                participants=ministers,
                host=DOYLE,
                mode="in_person",
                place="Port Avel",
                status="happened",
            ),
            GoldMeeting(
                participants=ministers, mode="in_person", place="Brennick", status="planned"
            ),
        ],
        statements=[
            GoldStatement(speaker=DOYLE, quote="The islands are ready to give this effort a home,"),
            GoldStatement(speaker=VARGA, quote="Words are cheap; boats are not,"),
            GoldStatement(speaker=LUND, quote="a fixed number is a fiction in a changing sea."),
        ],
        proposals=[
            GoldProposal(kind="offer", proposer=DOYLE, recipients=[VARGA, LUND], status="made"),
            GoldProposal(kind="pledge", proposer=VARGA, recipients=[DOYLE, LUND], status="made"),
            GoldProposal(kind="demand", proposer=LUND, recipients=[DOYLE, VARGA], status="made"),
        ],
    )


def main() -> None:
    docs = [reference(), phone_call(), fisheries()]
    for doc in docs:
        for statement in doc.statements:
            if statement.quote is not None and statement.quote not in doc.text:
                raise SystemExit(f"{doc.id}: quote not in the text: {statement.quote!r}")
        article = Article(doc.text)
        for name in (n for actor in doc.people for n in [actor.name, *actor.aliases]):
            if not article.mentions(name):
                raise SystemExit(f"{doc.id}: actor name not in the text: {name!r}")
    out = ROOT / "eval/hand-annotated.jsonl"
    out.write_text(dump_gold(docs), encoding="utf-8")
    print(f"{len(docs)} documents in {out}")


if __name__ == "__main__":
    main()
