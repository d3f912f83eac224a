"""docs/conformance.md: the query-evaluation results, per folder, with every failure's reason.

``write`` rewrites the document above ``## Protocol tests`` and keeps that section and
everything after it as they are (the protocol tests write their own part).

The counts follow from the expected-failures table whenever the tests are green: each
test must pass unless the table lists it, and then must fail. So tests/e2e/test_w3c_query.py
checks the document against ``expected_records`` (the table) without running anything
twice, while ``python -m support.w3c`` runs the tests for real (``measured_records``) and writes
what happened, unexpected results included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from support.w3c.expected_failures import EXPECTED_FAILURES
from support.w3c.manifest import SUITES, W3cTest
from support.w3c.runner import Outcome, run

PROTOCOL_HEADING = "## Protocol tests"
PROTOCOL_PLACEHOLDER = f"{PROTOCOL_HEADING}\n\nsee tests/e2e/test_w3c_protocol.py\n"
DATE_LINE = re.compile(r"^Generated on (\d{4}-\d{2}-\d{2}) ", re.MULTILINE)

PASSED = "passed"
EXPECTED_FAILURE = "expected failure"
SKIPPED = "skipped"
UNEXPECTED_FAILURE = "unexpected failure"
UNEXPECTED_PASS = "unexpected pass"
GREEN = {PASSED, EXPECTED_FAILURE, SKIPPED}


@dataclass(frozen=True)
class Record:
    """What became of one test: a status above, and why (for anything but a pass)."""

    test: W3cTest
    status: str
    reason: str = ""


def judged(test: W3cTest, outcome: Outcome) -> Record:
    """The record of a test that ran, held against the expected-failures table."""
    expected = EXPECTED_FAILURES.get(test.iri)
    if expected is None:
        if outcome.passed:
            return Record(test, PASSED)
        return Record(test, UNEXPECTED_FAILURE, outcome.detail)
    if outcome.passed:
        return Record(test, UNEXPECTED_PASS, f"passes now; remove it from the table ({expected})")
    return Record(test, EXPECTED_FAILURE, expected)


def measured_records(tests: Iterable[W3cTest], endpoint: str) -> list[Record]:
    """Run every test against ``endpoint``."""
    return [
        Record(test, SKIPPED, test.not_run) if test.not_run else judged(test, run(test, endpoint))
        for test in tests
    ]


def expected_records(tests: Iterable[W3cTest]) -> list[Record]:
    """What a green run records: the table's tests fail, the others pass."""
    records = []
    for test in tests:
        if test.not_run:
            records.append(Record(test, SKIPPED, test.not_run))
        elif test.iri in EXPECTED_FAILURES:
            records.append(Record(test, EXPECTED_FAILURE, EXPECTED_FAILURES[test.iri]))
        else:
            records.append(Record(test, PASSED))
    return records


def render(records: Sequence[Record], pyoxigraph_version: str, date: str) -> str:
    """The document above ``## Protocol tests``."""
    folders: dict[str, list[Record]] = {}
    for record in records:
        folders.setdefault(record.test.folder, []).append(record)
    passed = count(records, PASSED)
    run = len(records) - count(records, SKIPPED)
    policy = [r for r in records if r.status == EXPECTED_FAILURE and r.reason.startswith("policy")]
    lines = [
        "# SPARQL 1.1 conformance",
        "",
        "How the endpoint (`iprkg serve`) does on the W3C SPARQL 1.1 test suites, over HTTP.",
        "",
        f"Generated on {date} with pyoxigraph {pyoxigraph_version} by `make conformance`;",
        "do not edit above *Protocol tests* by hand. tests/e2e/test_w3c_query.py fails when the",
        "counts here no longer match tests/support/w3c/expected_failures.py or the installed pyoxigraph.",
        "",
        "## Query evaluation tests",
        "",
        f"**{passed} of {run} tests pass ({percent(passed, run)})**; "
        f"{count(records, EXPECTED_FAILURE)} are expected failures, each listed below with "
        f"its reason; {count(records, SKIPPED)} skipped. Leaving out the {len(policy)} "
        f"federated queries the endpoint refuses by design, {passed} of {run - len(policy)} "
        f"pass ({percent(passed, run - len(policy))}).",
        "",
        *HOW,
        "",
        "| folder | passed | total | expected failures |",
        "|---|---:|---:|---:|",
    ]
    for folder, rows in folders.items():
        lines.append(
            f"| {folder} | {count(rows, PASSED)} | {len(rows)} | {count(rows, EXPECTED_FAILURE)} |"
        )
    lines.append(
        f"| **all** | **{passed}** | **{len(records)}** | **{count(records, EXPECTED_FAILURE)}** |"
    )
    lines += failures_table("Expected failures", records, {EXPECTED_FAILURE})
    lines += failures_table("Skipped", records, {SKIPPED})
    lines += failures_table(
        "Unexpected results (fix them, or the table)",
        records,
        {UNEXPECTED_FAILURE, UNEXPECTED_PASS},
    )
    lines += ["", *REGENERATE, "", ""]
    return "\n".join(lines)


HOW = [
    f"The suites are {', '.join(f'`{s}`' for s in SUITES)}, every test of types",
    "`mf:QueryEvaluationTest`, `mf:CSVResultFormatTest`, `mf:PositiveSyntaxTest11` and",
    "`mf:NegativeSyntaxTest11`; only tests the manifests mark `dawgt:Rejected` or",
    "`dawgt:Withdrawn` are skipped. The update, entailment, service-description and graph",
    "store suites are not query evaluation; the protocol suite is below.",
    "",
    "One `iprkg serve` process holds every test's data, each file a named graph named by",
    "its `file:` URI. Each query goes by POST `application/sparql-query`, its dataset given",
    "with the protocol's `default-graph-uri` (qt:data) and `named-graph-uri` (qt:graphData)",
    "unless it has FROM of its own, with `BASE <query file URI>` in front when it has none.",
    "The answer is asked for in the expected result's format (SPARQL XML, JSON, CSV or TSV;",
    "Turtle for graphs), parsed with rdflib and compared as a bag, blank nodes matched by",
    "one bijection across all rows (graphs: `rdflib.compare.isomorphic`); row order is not",
    "compared. Literals compare by lexical form, except xsd:integer, decimal, float, double",
    "and boolean, which compare by value: Oxigraph's store keeps those as values and writes",
    "them in canonical form, and Oxigraph's own harness normalises them too. CSV answers",
    "compare as strings. Positive syntax tests must be answered (200), negative ones",
    "refused as malformed (400, error `bad-query`).",
]

REGENERATE = [
    "To regenerate: `make conformance`, that is",
    "`PYTHONPATH=tests .venv/bin/python -m support.w3c`: it starts `iprkg serve` with the test data",
    "(the W3C tests from IPRKG_EXTERNAL, default `../shared/external`), runs every test and",
    "rewrites this document above *Protocol tests*.",
]


def failures_table(title: str, records: Sequence[Record], statuses: set[str]) -> list[str]:
    chosen = [r for r in records if r.status in statuses]
    if not chosen:
        return []
    lines = ["", f"### {title}", "", "| test | reason |", "|---|---|"]
    for record in chosen:
        reason = " ".join(record.reason.split()).replace("|", "\\|")
        lines.append(f"| `{record.test.id}` | {reason} |")
    return lines


def count(records: Iterable[Record], status: str) -> int:
    return sum(1 for r in records if r.status == status)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def query_part(document: str) -> str:
    """The part of the document this module writes: all before ``## Protocol tests``."""
    return document.split(PROTOCOL_HEADING, 1)[0]


def protocol_part(document: str) -> str:
    """``## Protocol tests`` and all after it; the placeholder if there is none yet."""
    heading = document.find(PROTOCOL_HEADING)
    return PROTOCOL_PLACEHOLDER if heading < 0 else document[heading:]


def generated_date(document: str) -> str | None:
    found = DATE_LINE.search(document)
    return found.group(1) if found else None


def write(path: Path, query_section: str) -> None:
    """Replace the part above ``## Protocol tests`` in ``path``, keeping the rest."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(query_section + protocol_part(existing), encoding="utf-8")
