"""Folders of summaries for the corpus tests and benchmarks, written by hand (not by a
model): every span is the article's text at its offsets, so they validate as a run's.

`write_sample(folder)` writes four short articles with what linking must get right:
"Sergey Lavrov", "Lavrov" and "Foreign Minister Sergey Lavrov" are one person; "Joe
Biden" and "Hunter Biden" are two, and a lone "Biden" is neither. `write_synthetic(folder,
n)` writes n generated summaries for measuring size and speed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path
from typing import Any

from summarizer.schema import Summary

NOTE = "hand-written test corpus"


def span(text: str, part: str) -> dict[str, Any]:
    start = text.index(part)
    return {"text": part, "start": start, "end": start + len(part)}


def summary(
    text: str,
    *,
    actors: list[dict[str, Any]],
    meetings: list[dict[str, Any]] = (),  # type: ignore[assignment]
    statements: list[dict[str, Any]] = (),  # type: ignore[assignment]
    proposals: list[dict[str, Any]] = (),  # type: ignore[assignment]
    published: dt.date | None = None,
    path: str | None = None,
) -> Summary:
    """A summary of `text`; items give their evidence as sentences of the text
    (`"evidence": "..."`) and quotes as `"quote": "..."`."""

    def spans(item: dict[str, Any]) -> dict[str, Any]:
        out = dict(item)
        out["evidence"] = [span(text, out["evidence"])]
        if isinstance(out.get("quote"), str):
            out["quote"] = span(text, out["quote"])
        return out

    return Summary.model_validate(
        {
            "abstract": text.split(". ")[0] + ".",
            "actors": actors,
            "meetings": [spans(m) for m in meetings],
            "statements": [spans(s) for s in statements],
            "proposals": [spans(p) for p in proposals],
            "provenance": {
                "source": {
                    "path": path,
                    "sha256": hashlib.sha256(text.encode()).hexdigest(),
                    "chars": len(text),
                    "published": published,
                },
                "backend": f"none ({NOTE})",
                "model": "none",
                "mode": "tools",
                "prompt_version": "none",
                "attempts": 1,
                "usage": {},
                "seconds": 0,
                "created_at": "2026-11-28T00:00:00Z",
            },
        }
    )


def write(folder: Path, name: str, text: str, made: Summary, *, with_text: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if with_text:
        (folder / f"{name}.source.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.json").write_text(made.model_dump_json(indent=2), encoding="utf-8")


LAVROV = {"id": "a1", "name": "Sergey Lavrov", "title": "Foreign Minister", "country": "RUS"}


def write_sample(folder: Path) -> dict[str, int]:
    """Four articles; returns the counts the tests check against."""
    text1 = (
        "Foreign Minister Sergey Lavrov met Syrian Foreign Minister Asaad al-Shaibani in "
        'Moscow on Thursday. "We are ready to help," Lavrov said. Lavrov invited '
        "President Ahmad al-Sharaa to the summit in October."
    )
    s1 = summary(
        text1,
        actors=[
            {**LAVROV, "aliases": ["Lavrov"]},
            {"id": "a2", "name": "Asaad al-Shaibani", "country": "SYR"},
            {"id": "a3", "name": "Ahmad al-Sharaa", "title": "President", "country": "SYR"},
        ],
        meetings=[
            {
                "participants": ["a1", "a2"],
                "mode": "in_person",
                "place": "Moscow",
                "date": dt.date(2025, 10, 2),
                "evidence": "Foreign Minister Sergey Lavrov met Syrian Foreign Minister Asaad "
                "al-Shaibani in Moscow on Thursday.",
            }
        ],
        statements=[
            {
                "speaker": "a1",
                "cue": "said",
                "content": "We are ready to help",
                "verbatim": True,
                "quote": "We are ready to help,",
                "evidence": '"We are ready to help," Lavrov said.',
            }
        ],
        proposals=[
            {
                "kind": "invitation",
                "proposer": "a1",
                "recipients": ["a3"],
                "content": "attend the summit in October",
                "status": "made",
                "evidence": "Lavrov invited President Ahmad al-Sharaa to the summit in October.",
            }
        ],
        published=dt.date(2025, 10, 3),
    )
    write(folder, "moscow-talks", text1, s1)

    text2 = (
        "Lavrov spoke by phone with Asaad al-Shaibani on Monday. Al-Shaibani accepted the "
        "invitation to visit Moscow."
    )
    s2 = summary(
        text2,
        actors=[
            {"id": "a1", "name": "Lavrov", "country": "RUS"},
            {"id": "a2", "name": "Asaad al-Shaibani", "aliases": ["Al-Shaibani"]},
        ],
        meetings=[
            {
                "participants": ["a1", "a2"],
                "mode": "phone",
                "date": dt.date(2025, 6, 9),
                "evidence": "Lavrov spoke by phone with Asaad al-Shaibani on Monday.",
            }
        ],
        proposals=[
            {
                "kind": "invitation",
                "proposer": "a1",
                "recipients": ["a2"],
                "content": "visit Moscow",
                "status": "accepted",
                "evidence": "Al-Shaibani accepted the invitation to visit Moscow.",
            }
        ],
        published=dt.date(2025, 6, 10),
    )
    write(folder, "phone-call", text2, s2)

    text3 = (
        "Joe Biden met Sergey Lavrov in Geneva in 2024. Hunter Biden was not there. "
        "Russia proposed new talks, which Washington rejected."
    )
    s3 = summary(
        text3,
        actors=[
            {"id": "a1", "name": "Joe Biden", "country": "USA"},
            {"id": "a2", "name": "Sergey Lavrov", "country": "RUS"},
            {"id": "a3", "name": "Hunter Biden", "country": "USA"},
            {"id": "a4", "kind": "state", "name": "Russia", "country": "RUS"},
            {"id": "a5", "kind": "state", "name": "Washington", "country": "USA"},
        ],
        meetings=[
            {
                "participants": ["a1", "a2"],
                "mode": "in_person",
                "place": "Geneva",
                "date": dt.date(2024, 6, 16),
                "evidence": "Joe Biden met Sergey Lavrov in Geneva in 2024.",
            }
        ],
        proposals=[
            {
                "kind": "proposal",
                "proposer": "a4",
                "recipients": ["a5"],
                "content": "new talks",
                "status": "rejected",
                "evidence": "Russia proposed new talks, which Washington rejected.",
            }
        ],
        published=dt.date(2024, 6, 17),
    )
    write(folder, "geneva", text3, s3)

    text4 = "Biden will meet Russian officials next month, the Kremlin said."
    s4 = summary(
        text4,
        actors=[
            {"id": "a1", "name": "Biden", "country": "USA"},
            {"id": "a2", "kind": "group", "name": "Russian officials", "country": "RUS"},
            {"id": "a3", "kind": "organisation", "name": "Kremlin", "country": "RUS"},
        ],
        meetings=[
            {
                "participants": ["a1", "a2"],
                "status": "planned",
                "evidence": "Biden will meet Russian officials next month, the Kremlin said.",
            }
        ],
        published=dt.date(2025, 11, 1),
    )
    write(folder, "planned", text4, s4, with_text=False)
    return {"documents": 4, "meetings": 4, "statements": 1, "proposals": 3, "actors": 13}


def write_synthetic(folder: Path, n: int, *, people: int = 400, seed: int = 0) -> None:
    """`n` summaries of generated one-paragraph articles: two of `people` invented
    people meet in each (a mode, a place, a date in 2024-2025), one speaks, one
    proposes something to the other."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    firsts = [
        "Anna",
        "Boris",
        "Carla",
        "Dmitri",
        "Elena",
        "Farid",
        "Grace",
        "Hiro",
        "Ines",
        "Jonas",
    ]
    lasts = [f"Person{i:03d}" for i in range(max(1, people // len(firsts)) + 1)]
    names = [f"{first} {last}" for last in lasts for first in firsts][:people]
    modes = ["in_person", "phone", "video", "unknown"]
    statuses = ["happened", "planned", "ongoing", "cancelled"]
    places = ["Geneva", "Doha", "Vienna", "Oslo", "Cairo"]
    for i in range(n):
        a, b = rng.sample(names, 2)
        place = rng.choice(places)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(730))
        text = (
            f'{a} met {b} in {place} on {day:%B %d}. "We talked for hours," {a} said. '
            f"{a} offered {b} a visit to {place}. Story {i}."
        )
        made = summary(
            text,
            actors=[{"id": "a1", "name": a}, {"id": "a2", "name": b}],
            meetings=[
                {
                    "participants": ["a1", "a2"],
                    "mode": rng.choice(modes),
                    "place": place,
                    "date": day,
                    "status": rng.choice(statuses),
                    "evidence": f"{a} met {b} in {place} on {day:%B %d}.",
                }
            ],
            statements=[
                {
                    "speaker": "a1",
                    "cue": "said",
                    "content": "We talked for hours",
                    "verbatim": True,
                    "quote": "We talked for hours,",
                    "evidence": f'"We talked for hours," {a} said.',
                }
            ],
            proposals=[
                {
                    "kind": "offer",
                    "proposer": "a1",
                    "recipients": ["a2"],
                    "content": f"a visit to {place}",
                    "evidence": f"{a} offered {b} a visit to {place}.",
                }
            ],
            published=day,
        )
        write(folder, f"story-{i:05d}", text, made)
