"""Dates, times and sizes as people read them, in the page language: "4. desember 2026 kl. 16.26
UTC" on a Bokmål page, "4 December 2026, 16:26 UTC" on an English one (the styles of the
Language Council of Norway and of British English). Pages keep the ISO value in
``<time datetime>`` for machines; a value that is not ISO 8601 is shown as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

MONTHS = {
    "nb": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def readable_date(value: str | date, lang: str) -> str:
    """``value`` (ISO 8601 date or date-time) as a date: "4. desember 2026", "4 December 2026"."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    month = MONTHS["en" if lang == "en" else "nb"][day.month - 1]
    return f"{day.day} {month} {day.year}" if lang == "en" else f"{day.day}. {month} {day.year}"


def readable_time(value: str, lang: str) -> str:
    """An ISO 8601 date-time in UTC: "4. desember 2026 kl. 16.26 UTC", "4 December 2026,
    16:26 UTC"; a date alone as ``readable_date``."""
    text = str(value)
    if "T" not in text:
        return readable_date(text, lang)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    day = readable_date(moment.date(), lang)
    if lang == "en":
        return f"{day}, {moment:%H:%M} UTC"
    return f"{day} kl. {moment:%H.%M} UTC"


SIZE_UNITS = ("B", "kB", "MB", "GB")


def readable_size(count: int, lang: str) -> str:
    """A size in bytes as people read it, in decimal units: "177,2 kB" (nb), "177.2 kB" (en)."""
    value = float(count)
    unit = 0
    while value >= 1000 and unit < len(SIZE_UNITS) - 1:
        value /= 1000
        unit += 1
    text = f"{int(value)}" if unit == 0 else f"{value:.1f}"
    return f"{text.replace('.', ',') if lang != 'en' else text} {SIZE_UNITS[unit]}"
