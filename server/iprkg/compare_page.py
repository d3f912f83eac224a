"""The comparison page at ``/compare`` and its downloads.

Two heatmaps, themes x councils and goals x councils (``comparison``), drawn on the
server as inline SVG, so the page works without JavaScript; every cell is a link to its
evidence and has a ``<title>``; a table under each heatmap says the same in text.
Named, absent and unknown differ by colour, pattern and symbol.

Parameters, on the page and on the downloads alike:

* ``council`` (repeatable): the councils to show, by IRI; none means all;
* ``like``: a council's IRI; the columns are then sorted by similarity to it
  (``similar-councils.rq``: Jaccard over the themes and goals named).

An IRI that is not a council is ignored and named in a message on the page; the
downloads answer 400 for it. Downloads, one per matrix, at stable URLs:
``/compare/themes.csv``, ``/compare/themes.json``, ``/compare/goals.csv``,
``/compare/goals.json``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from iprkg.comparison import STATUSES, Comparison, Matrix, current_comparison
from iprkg.errors import BadRequest, NotFound
from iprkg.labels import current_labels
from iprkg.pages import Alternate, page_language, resource_url, translate
from iprkg.strategy_pages import SDG_COLOURS

blueprint = Blueprint("compare", __name__)

CELL_WIDTH = 34
CELL_HEIGHT = 26
LABEL_WIDTH = 280
HEADER_HEIGHT = 150
RIGHT_MARGIN = 130
"""Room for the last column's slanted name."""
MATRICES = ("themes", "goals")
DOWNLOADS = {"csv": "text/csv", "json": "application/json"}


@dataclass(frozen=True)
class Selection:
    councils: list[str]
    """The councils to show, in column order."""
    chosen: list[str]
    """The councils asked for (empty: all)."""
    like: str | None
    ignored: list[str]
    """Asked-for IRIs that are not councils."""

    def query(self) -> str:
        """The selection as a query string (with the reader's language, if chosen)."""
        arguments = [("council", council) for council in self.chosen]
        if self.like:
            arguments.append(("like", self.like))
        if request.args.get("lang") in ("nb", "en"):
            arguments.append(("lang", request.args["lang"]))
        return urlencode(arguments)


def selection(comparison: Comparison) -> Selection:
    """The councils and order asked for by ``?council=`` and ``?like=``."""
    known = set(comparison.councils)
    asked = request.args.getlist("council")
    chosen = [council for council in dict.fromkeys(asked) if council in known]
    ignored = [council for council in asked if council not in known]
    like = request.args.get("like") or None
    if like is not None and like not in known:
        ignored.append(like)
        like = None
    councils = comparison.ordered(chosen or comparison.councils, like)
    return Selection(councils, chosen, like, ignored)


@dataclass(frozen=True)
class SvgCell:
    x: int
    y: int
    status: str
    href: str
    title: str


@dataclass(frozen=True)
class Heatmap:
    """A matrix laid out as SVG: positions in pixels, texts in the page language."""

    kind: str
    width: int
    height: int
    columns: list[tuple[int, str, str, str]]
    """(x of the column's centre, council IRI, short name, full name)."""
    rows: list[tuple[int, str, str, str]]
    """(y of the row's centre, item IRI, label, colour swatch or '')."""
    cells: list[SvgCell]
    label_width: int = LABEL_WIDTH
    header_height: int = HEADER_HEIGHT


def heatmap(matrix: Matrix, lang: str) -> Heatmap:
    labels = current_labels()
    columns = [
        (
            LABEL_WIDTH + index * CELL_WIDTH + CELL_WIDTH // 2,
            council,
            short_name(labels.label(council, lang)),
            labels.label(council, lang),
        )
        for index, council in enumerate(matrix.councils)
    ]
    rows = []
    cells = []
    for row_index, item in enumerate(matrix.items):
        y = HEADER_HEIGHT + row_index * CELL_HEIGHT
        rows.append(
            (
                y + CELL_HEIGHT // 2,
                item.iri,
                item_label(item.iri, item.code, item.scheme, lang),
                SDG_COLOURS.get(item.number, "") if item.scheme == "UN" else "",
            )
        )
        for column_index, council in enumerate(matrix.councils):
            cell = matrix.cell(item.iri, council)
            target = cell.evidence[0] if cell.evidence else council
            status = status_name(cell.status)
            evidence = ", ".join(labels.label(iri, lang) for iri in cell.evidence)
            title = f"{labels.label(council, lang)} · {rows[-1][2]}: {status}"
            if evidence:
                title += f" ({translate('kilde', 'evidence')}: {evidence})"
            cells.append(
                SvgCell(
                    LABEL_WIDTH + column_index * CELL_WIDTH,
                    y,
                    cell.status,
                    resource_url(target),
                    title,
                )
            )
    width = LABEL_WIDTH + len(matrix.councils) * CELL_WIDTH + RIGHT_MARGIN
    height = HEADER_HEIGHT + len(matrix.items) * CELL_HEIGHT + 8
    return Heatmap(matrix.kind, width, height, columns, rows, cells)


LONG_NAMES = re.compile(
    r"\b(interkommunale politiske råd|interkommunalt politisk råd( for)?"
    r"|inter-municipal political council( for)?)\b",
    re.IGNORECASE,
)
"""The form of cooperation spelled out in a council's name; ``IPR`` in column heads."""


def short_name(name: str) -> str:
    """``name`` with the form of cooperation shortened to IPR, as the councils write it
    themselves ("Nome og Midt-Telemark IPR"); the full name stays in the ``<title>``."""
    return " ".join(LONG_NAMES.sub("IPR", name).split())


def item_label(iri: str, code: str, scheme: str, lang: str) -> str:
    """A theme's or goal's display name; themes without a label here show their scheme and
    code (``LOS: samferdsel``, ``EU: TRAN``)."""
    labels = current_labels()
    if scheme == "UN":
        return f"{code}. {labels.label(iri, lang)}"
    if labels.has_label(iri):
        return f"{scheme}: {labels.label(iri, lang)}"
    return f"{scheme}: {code}"


def status_name(status: str) -> str:
    """The status in the page language."""
    names = {
        "named": translate("nevnt", "named"),
        "absent": translate("ikke nevnt", "not named"),
        "unknown": translate("ukjent", "unknown"),
    }
    return names.get(status, status)


@blueprint.route("/compare")
def compare_page() -> str:
    """The heatmaps, the selection form, the similarity ranking and the downloads."""
    comparison = current_comparison()
    chosen = selection(comparison)
    lang = page_language()
    matrices = {kind: getattr(comparison, kind).restricted(chosen.councils) for kind in MATRICES}
    query = chosen.query()
    downloads = {
        kind: [
            Alternate(
                media_type,
                f"{request.script_root}/compare/{kind}.{ext}" + (f"?{query}" if query else ""),
                ext.upper(),
            )
            for ext, media_type in DOWNLOADS.items()
        ]
        for kind in MATRICES
    }
    return render_template(
        "compare/compare.html",
        comparison=comparison,
        selection=chosen,
        matrices=matrices,
        heatmaps={kind: heatmap(matrix, lang) for kind, matrix in matrices.items()},
        similar=comparison.similar_to(chosen.like) if chosen.like else [],
        downloads=downloads,
        statuses=STATUSES,
        alternates=[],
    )


@blueprint.route("/compare/<kind>.<extension>")
def download(kind: str, extension: str) -> Response:
    """A matrix as CSV (one line per cell) or JSON, with the page's selection."""
    if kind not in MATRICES or extension not in DOWNLOADS:
        raise NotFound(f"no such download: /compare/{kind}.{extension}")
    comparison = current_comparison()
    chosen = selection(comparison)
    if chosen.ignored:
        raise BadRequest(f"not a council here: {', '.join(chosen.ignored)}")
    matrix: Matrix = getattr(comparison, kind).restricted(chosen.councils)
    records = cell_records(matrix, page_language())
    if extension == "csv":
        return Response(as_csv(records), mimetype="text/csv")
    document = {
        "matrix": kind,
        "councils": [
            {"council": council, "name": current_labels().label(council, page_language())}
            for council in matrix.councils
        ],
        "cells": records,
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(text, mimetype="application/json")


CSV_COLUMNS = ("council", "councilName", "item", "itemName", "scheme", "status", "evidence")


def cell_records(matrix: Matrix, lang: str) -> list[dict[str, Any]]:
    """One record per cell, rows in the matrix's order, councils in column order."""
    labels = current_labels()
    records = []
    for item in matrix.items:
        for council in matrix.councils:
            cell = matrix.cell(item.iri, council)
            records.append(
                {
                    "council": council,
                    "councilName": labels.label(council, lang),
                    "item": item.iri,
                    "itemName": item_label(item.iri, item.code, item.scheme, lang),
                    "scheme": item.scheme,
                    "status": cell.status,
                    "evidence": list(cell.evidence),
                }
            )
    return records


def as_csv(records: list[dict[str, Any]]) -> str:
    """CSV with a header line; several evidence IRIs are separated by spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow(
            [" ".join(record[name]) if name == "evidence" else record[name] for name in CSV_COLUMNS]
        )
    return out.getvalue()
