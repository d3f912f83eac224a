"""The comparison's long downloads, written cell by cell (``web.compare_downloads``)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from iprkg.web.compare_downloads import long_json

COLUMNS = [SimpleNamespace(council=f"https://example.org/c{n}", full=f"Råd {n}") for n in (1, 2)]


@pytest.mark.parametrize("cells", [0, 1, 3])
def test_the_json_is_written_as_json_dumps_writes_the_whole_document(cells: int) -> None:
    records: list[dict[str, Any]] = [
        {"council": f"c{n}", "item": "t", "status": "named", "evidence": ["e", f"ø{n}"]}
        for n in range(cells)
    ]
    grid: Any = SimpleNamespace(columns=COLUMNS)
    written = long_json("themes", grid, iter(records))
    whole = {
        "matrix": "themes",
        "councils": [{"council": c.council, "name": c.full} for c in COLUMNS],
        "cells": records,
    }
    assert written == json.dumps(whole, ensure_ascii=False, indent=2)
