"""``python -m support.w3c`` (with tests/ on PYTHONPATH): run the W3C query tests over HTTP and
rewrite docs/conformance.md above ``## Protocol tests``. Exits 1 if a result was not the
one tests/support/w3c/expected_failures.py expects (the document then lists it), 2 if the W3C
tests are not there."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph

from iprkg.core.settings import Settings
from support.w3c.conformance import GREEN, measured_records, render, write
from support.w3c.manifest import data_files, read_tests, suite_folder
from support.w3c.server import dataset_options, serving

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DOCUMENT = PROJECT_ROOT / "docs" / "conformance.md"


def main() -> int:
    external = Settings.load(root=PROJECT_ROOT).external
    if not suite_folder(external).is_dir():
        print(f"no W3C tests in {suite_folder(external)}; set IPRKG_EXTERNAL", file=sys.stderr)
        return 2
    tests = read_tests(external)
    with serving(dataset_options(data_files(tests)), PROJECT_ROOT) as endpoint:
        records = measured_records(tests, endpoint)
    date = datetime.now(UTC).date().isoformat()
    write(DOCUMENT, render(records, pyoxigraph.__version__, date))
    unexpected = [r for r in records if r.status not in GREEN]
    for record in unexpected:
        print(f"{record.status}: {record.test.id}: {record.reason}", file=sys.stderr)
    passed = sum(1 for r in records if r.status == "passed")
    print(f"wrote {DOCUMENT.relative_to(PROJECT_ROOT)}: {passed} of {len(records)} tests pass")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
