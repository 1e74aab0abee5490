import datetime as dt
import json

import pytest
from conftest import EXAMPLE, FIXTURES

from summarizer.cli.main import main
from summarizer.grounding.dates import find_dateline, resolve

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
