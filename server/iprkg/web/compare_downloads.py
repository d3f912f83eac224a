"""The comparison's downloads: each matrix as the grid the page shows, one line per cell, or
JSON, from the same ``Grid`` the page is drawn from, so that they cannot disagree.

* ``/compare/{themes,goals}-grid.csv``: the grid. Line 1 is the header: ``item``,
  ``itemName``, ``scheme``, ``named``, ``absent``, ``unknown`` (how many of the shown
  councils have each status), then one column per council, headed by its name. Line 2
  gives each council column's IRI (the leading columns are empty). Then one line per
  theme or goal in the page's order, each council's cell saying named, not named or
  unknown in the page's language.
* ``/compare/{themes,goals}.csv``: one line per cell (``LONG_COLUMNS``).
* ``/compare/{themes,goals}.json``: the councils and the cells.

docs/comparison.md describes them for readers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from iprkg.services.comparison import STATUSES, Matrix

if TYPE_CHECKING:
    from iprkg.web.compare_grid import Grid

LONG_COLUMNS = ("council", "councilName", "item", "itemName", "scheme", "status", "evidence")
GRID_COLUMNS = ("item", "itemName", "scheme", *STATUSES)
"""The grid's leading columns; the councils' columns follow."""


def cell_records(matrix: Matrix, grid: Grid) -> Iterator[dict[str, Any]]:
    """One record per cell, rows in the page's order, councils in column order: made one
    at a time as they are written (hundreds of councils make hundreds of thousands)."""
    for group in grid.groups:
        for row in group.rows:
            for column in grid.columns:
                cell = matrix.cell(row.item.iri, column.council)
                yield {
                    "council": column.council,
                    "councilName": column.full,
                    "item": row.item.iri,
                    "itemName": row.label,
                    "scheme": row.item.scheme,
                    "status": cell.status,
                    "evidence": list(cell.evidence),
                }


def long_csv(records: Iterable[dict[str, Any]]) -> str:
    """CSV with a header line; several evidence IRIs are separated by spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LONG_COLUMNS)
    for record in records:
        writer.writerow(
            [
                " ".join(record[name]) if name == "evidence" else record[name]
                for name in LONG_COLUMNS
            ]
        )
    return out.getvalue()


def long_json(kind: str, grid: Grid, records: Iterable[dict[str, Any]]) -> str:
    """``{"matrix", "councils", "cells"}``, indented by two spaces as ``json.dumps`` would
    write it, the cells written one by one as they come."""
    head = {
        "matrix": kind,
        "councils": [{"council": column.council, "name": column.full} for column in grid.columns],
    }
    out = io.StringIO()
    out.write(json.dumps(head, ensure_ascii=False, indent=2).removesuffix("\n}"))
    out.write(',\n  "cells": [')
    written = False
    for record in records:
        out.write(",\n    " if written else "\n    ")
        out.write(json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n    "))
        written = True
    out.write("\n  ]\n}" if written else "]\n}")
    return out.getvalue()


def grid_csv(grid: Grid) -> str:
    """The grid as the page shows it: header lines of names and IRIs, a line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*GRID_COLUMNS, *(column.full for column in grid.columns)])
    writer.writerow(["" for _ in GRID_COLUMNS] + [column.council for column in grid.columns])
    for group in grid.groups:
        for row in group.rows:
            writer.writerow(
                [row.item.iri, row.label, row.item.scheme]
                + [str(row.counts[status]) for status in STATUSES]
                + [cell.status_text for cell in row.cells]
            )
    return out.getvalue()
