"""The docs name files that exist: every ``server/iprkg/…``, ``tests/…`` and ``queries/…``
path written in README.md, docs/*.md and queries/README.md is a file or folder of the
project, so that a module or test moved without its docs fails here, not in a reader's hands.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.project import PROJECT_ROOT

DOCUMENTS = sorted(
    [
        PROJECT_ROOT / "README.md",
        PROJECT_ROOT / "queries" / "README.md",
        *PROJECT_ROOT.glob("docs/*.md"),
    ]
)
PATH = re.compile(r"(?<![\w/.-])((?:server/iprkg|tests|queries)/[\w./-]*[\w/])")
"""A project path as the docs write it; a trailing ``::test`` or ``:line`` is not part of it."""


def named_paths(document: Path) -> list[str]:
    text = document.read_text(encoding="utf-8")
    return sorted({match.group(1).rstrip("/.") for match in PATH.finditer(text)})


def is_pattern(path: str) -> bool:
    """A path that stands for many (``queries/x.rq``, ``tests/…``), not a file."""
    return any(mark in path for mark in ("*", "{", "…", "NEW", "<")) or Path(path).stem == "x"


@pytest.mark.parametrize(
    "document", DOCUMENTS, ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix()
)
def test_every_path_the_docs_name_exists(document: Path) -> None:
    missing = [
        path
        for path in named_paths(document)
        if not is_pattern(path) and not (PROJECT_ROOT / path).exists()
    ]
    assert not missing, f"{document.name} names paths that do not exist: {missing}"


def test_the_check_finds_a_path_that_does_not_exist(tmp_path: Path) -> None:
    document = tmp_path / "doc.md"
    document.write_text("See `server/iprkg/store.py` and `tests/test_store.py::test_x`.\n")
    assert named_paths(document) == ["server/iprkg/store.py", "tests/test_store.py"]
    assert not (PROJECT_ROOT / "server/iprkg/store.py").exists()
