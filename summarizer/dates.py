"""Relative dates ("Thursday", "Oct. 15") made absolute with the publication date.

Without a publication date nothing is guessed: dates stay as written.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?\b"
)
_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}(?:\s+(?P<year>\d{{4}}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def find_dateline(text: str) -> dt.date | None:
    """A full date (with its year) near the top of the article: its dateline."""
    head = text[:300]
    iso = _ISO.search(head)
    if iso:
        return _safe(int(iso[1]), int(iso[2]), int(iso[3]))
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for m in pattern.finditer(head):
            month = _MONTHS.get(m["month"].lower())
            if month and m["year"]:
                return _safe(int(m["year"]), month, int(m["day"]))
    return None


def resolve(text: str, published: dt.date, *, future: bool = False) -> dt.date | None:
    """The date `text` names, read from `published`; weekdays count back (news reports
    the past) unless `future`, as for planned meetings and proposals."""
    lowered = text.lower()
    iso = _ISO.search(text)
    if iso:
        return _safe(int(iso[1]), int(iso[2]), int(iso[3]))
    for word, shift in (("today", 0), ("yesterday", -1), ("tomorrow", 1)):
        if re.search(rf"\b{word}\b", lowered):
            return published + dt.timedelta(days=shift)
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.search(text)
        month = _MONTHS.get(m["month"].lower()) if m else None
        if m and month:
            year = int(m["year"]) if m["year"] else published.year
            found = _safe(year, month, int(m["day"]))
            if found and not m["year"] and future and found < published:
                found = _safe(year + 1, month, int(m["day"]))
            return found
    for i, name in enumerate(_WEEKDAYS):
        if re.search(rf"\b{name}\b", lowered):
            delta = (published.weekday() - i) % 7
            if future:
                return published + dt.timedelta(days=(i - published.weekday()) % 7 or 7)
            return published - dt.timedelta(days=delta)
    return None


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
