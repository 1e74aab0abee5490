"""Relative dates ("Thursday", "last Friday", "Oct. 15") made absolute with the
publication date.

Without a publication date nothing is guessed: dates stay as written. Written by hand
rather than with dateparser: news needs a handful of forms, each with a rule about
direction (a bare weekday is in the past unless the item is planned), and dateparser's
search mode guesses languages and reads words such as "May" or "March" in any sentence
as dates; its import alone costs more than the whole of this module's work.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["DATE_EXPRESSION", "find_date", "find_dateline", "resolve"]


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
_DAYS = "|".join(_WEEKDAYS)
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
# A date as news writes it, for finding one in a sentence: "last Thursday", "on Oct. 15",
# "March 3, 2025", "15 October", "yesterday". Weeks and months name no single day.
DATE_EXPRESSION = re.compile(
    rf"\b(?:(?:last|next|this)\s+)?(?:{_DAYS})\b"
    rf"|\b(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?"
    rf"|\b\d{{1,2}}\s+(?:{_MONTH_NAMES})\b(?:\s+\d{{4}}\b)?"
    r"|\b(?:today|yesterday|tomorrow)\b"
    r"|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)


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
        for m in pattern.finditer(text):  # "Article 5 ... on March 3": not the first
            month = _MONTHS.get(m["month"].lower())
            if month is None:
                continue
            year = int(m["year"]) if m["year"] else published.year
            found = _safe(year, month, int(m["day"]))
            if found and not m["year"] and future and found < published:
                found = _safe(year + 1, month, int(m["day"]))
            return found
    for i, name in enumerate(_WEEKDAYS):
        day = re.search(rf"\b(?:(last|next|this)\s+)?{name}\b", lowered)
        if day is None:
            continue
        back = (published.weekday() - i) % 7
        ahead = (i - published.weekday()) % 7
        if day[1] == "last":  # the most recent one before the publication day
            return published - dt.timedelta(days=back or 7)
        if day[1] == "next":
            return published + dt.timedelta(days=ahead or 7)
        if future:
            return published + dt.timedelta(days=ahead or 7)
        return published - dt.timedelta(days=back)
    return None


# A wire story's dateline: "OSLO, May 14, 2025 —", "WASHINGTON (AP) —", "ROME, June 2
# (Reuters) -". It dates the story, not what the story reports.
DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z.'\- ]{1,40}(?:,\s*[A-Z][A-Za-z.'\- ]{1,30})?"
    r"(?:,\s*[^\u2014\u2013\n]{3,25}?)?\s*(?:\([^)\n]{1,30}\)\s*)?(?:\u2014|\u2013|--|-)\s+"
)


def find_date(text: str) -> str | None:
    """The first date expression in `text`, as written ("last Thursday", "Oct. 15"), not
    counting a dateline that opens it."""
    head = DATELINE.match(text)
    m = DATE_EXPRESSION.search(text, head.end() if head else 0)
    return m.group().strip() if m else None


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
