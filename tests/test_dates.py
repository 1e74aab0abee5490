import datetime as dt
import json

import pytest
from conftest import EXAMPLE, FIXTURES

from summarizer import summarize
from summarizer.cli.main import main
from summarizer.grounding.dates import find_date, find_dateline, resolve

THURSDAY = dt.date(2025, 10, 2)


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("Thursday", False, dt.date(2025, 10, 2)),
        ("on Monday", False, dt.date(2025, 9, 29)),
        ("next Monday", True, dt.date(2025, 10, 6)),
        ("Oct. 15", True, dt.date(2025, 10, 15)),
        ("15 October", False, dt.date(2025, 10, 15)),
        ("Jan. 5", True, dt.date(2026, 1, 5)),  # planned, and January is past: next year
        ("January 5, 2024", False, dt.date(2024, 1, 5)),
        ("yesterday", False, dt.date(2025, 10, 1)),
        ("2025-12-01", False, dt.date(2025, 12, 1)),
        ("in January of this year", False, None),
        ("soon", False, None),
    ],
)
def test_relative_dates_resolve_from_the_publication_date(
    text: str, future: bool, expected: dt.date | None
) -> None:
    assert resolve(text, THURSDAY, future=future) == expected


def test_dateline_is_found_near_the_top() -> None:
    assert find_dateline("MOSCOW, Oct. 2, 2025 (Agency) - Lavrov said ...") == THURSDAY
    assert find_dateline("Lavrov said Thursday.") is None


def test_cli_date_fills_iso_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(EXAMPLE), "--replay", str(FIXTURES), "--date", "2025-10-02"]) == 0
    data = json.loads(capsys.readouterr().out)
    moscow = next(m for m in data["meetings"] if m["place"] == "Moscow")
    assert (moscow["date_text"], moscow["date"]) == ("Thursday", "2025-10-02")
    invitation = next(p for p in data["proposals"] if p["kind"] == "invitation")
    assert invitation["proposed_date"] == "2025-10-15"
    assert data["provenance"]["source"]["published"] == "2025-10-02"


def test_without_a_date_dates_stay_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(EXAMPLE), "--replay", str(FIXTURES)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(m["date"] is None for m in data["meetings"])


def test_bad_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(EXAMPLE), "--replay", str(FIXTURES), "--date", "2/10/25"]) == 2
    assert "is not YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TALLINN, March 4, 2024 — Kallas met Nauseda in Vilnius on Friday.", "Friday"),
        ("LIMA, Peru, Aug. 9 (AP) — The ministers will meet in Quito on Sept. 2.", "Sept. 2"),
        ("NAIROBI (Reuters) - Ruto hosted Museveni on Monday.", "Monday"),
        ("The talks in Accra on Oct. 3 ended without a deal.", "Oct. 3"),
    ],
)
def test_a_dateline_dates_the_story_not_the_meeting(text: str, expected: str) -> None:
    assert find_date(text) == expected


def test_a_meeting_after_a_dateline_is_dated_from_it() -> None:
    """The dateline gives the publication date; the meeting's "Friday" counts back from it."""
    text = (
        "TALLINN, March 4, 2024 — Estonian Prime Minister Kaja Aru met Lithuanian President "
        "Gitanas Nausas in Vilnius on Friday to discuss air defence."
    )
    summary = summarize(text, cache=False)
    [meeting] = summary.meetings
    assert meeting.date_text == "Friday" and str(meeting.date) == "2024-03-01"


@pytest.mark.parametrize(
    ("clause", "mode"),
    [
        (
            "Aru met Nausas in Riga on Friday, two weeks after a phone call between them",
            "in_person",
        ),
        ("Aru and Nausas spoke by phone on Friday", "phone"),
        ("Aru held a video call with Nausas ahead of the summit", "video"),
    ],
)
def test_a_mode_word_in_a_time_adjunct_names_another_event(clause: str, mode: str) -> None:
    from summarizer.extraction.meeting_roles import mode_from_words

    assert mode_from_words(clause) == mode
