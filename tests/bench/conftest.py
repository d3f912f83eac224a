"""The benchmark's own modules (bench/, not a package: its scripts import each other by
name) for the tests of its report, importable while a test module runs."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from support.project import PROJECT_ROOT

BENCH = PROJECT_ROOT / "bench"


@pytest.fixture(scope="module")
def report() -> Iterator[ModuleType]:
    """bench/report.py, imported with bench/ on sys.path; afterwards the path and the
    bench modules it imported are gone again."""
    before = set(sys.modules)
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("report")
    finally:
        sys.path.remove(str(BENCH))
        for name in set(sys.modules) - before:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(BENCH)):
                del sys.modules[name]
