"""Dates, times and sizes for people (server/iprkg/web/dates.py)."""

from __future__ import annotations

import pytest

from iprkg.web.dates import readable_date, readable_size, readable_time


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("2026-12-04T16:26:09Z", "nb", "4. desember 2026 kl. 16.26 UTC"),
        ("2026-12-04T16:26:09Z", "en", "4 December 2026, 16:26 UTC"),
        ("2026-01-31T23:59:00+01:00", "nb", "31. januar 2026 kl. 22.59 UTC"),
        ("2026-05-17", "nb", "17. mai 2026"),
        ("not a date", "en", "not a date"),
        ("2026-13-45T00:00:00Z", "nb", "2026-13-45T00:00:00Z"),
    ],
)
def test_times_in_the_page_language(value: str, lang: str, expected: str) -> None:
    assert readable_time(value, lang) == expected


def test_dates_in_the_page_language() -> None:
    assert readable_date("2022-01-01", "nb") == "1. januar 2022"
    assert readable_date("2035-12-31", "en") == "31 December 2035"
    assert readable_date("2035", "en") == "2035"


@pytest.mark.parametrize(
    ("count", "lang", "expected"),
    [
        (0, "nb", "0 B"),
        (999, "en", "999 B"),
        (177165, "nb", "177,2 kB"),
        (177165, "en", "177.2 kB"),
        (4_500_000, "en", "4.5 MB"),
    ],
)
def test_sizes_in_the_page_language(count: int, lang: str, expected: str) -> None:
    assert readable_size(count, lang) == expected
