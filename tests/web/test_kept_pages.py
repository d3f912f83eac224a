"""Pages made once per server and shared by its workers (web.kept_pages): /compare and
its downloads, kept in files of a folder the first process makes."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest
from flask import Flask

from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web import context as context_module
from iprkg.web.app import create_app
from iprkg.web.context import context_of
from iprkg.web.kept_pages import KeptPages, warm_up


def test_a_body_is_made_once_and_read_by_a_forked_process() -> None:
    pages = KeptPages(1024 * 1024)
    made: list[str] = []

    def make() -> bytes:
        made.append("x")
        return b"a page"

    assert pages.body("k", make) == b"a page" and pages.body("k", make) == b"a page"
    assert made == ["x"], "made once"
    pid = os.fork()
    if pid == 0:  # a worker: reads what its parent kept, makes nothing
        os._exit(0 if pages.body("k", lambda: b"made again") == b"a page" else 1)
    assert os.waitpid(pid, 0)[1] == 0


def test_past_the_limit_bodies_are_made_and_not_kept() -> None:
    pages = KeptPages(10)
    assert pages.body("big", lambda: b"eleven byte") == b"eleven byte"
    assert pages.body("big", lambda: b"made again!") == b"made again!"
    assert pages.body("small", lambda: b"ten bytes!") == b"ten bytes!"
    assert pages.body("small", lambda: b"not again") == b"ten bytes!"


def test_nothing_is_kept_at_zero_and_the_folder_goes_with_its_maker() -> None:
    assert KeptPages(0).folder is None
    pages = KeptPages(1024)
    folder = pages.folder
    assert folder is not None and folder.is_dir()
    del pages
    gc.collect()
    assert not folder.exists()


@pytest.mark.parametrize("path", ["/compare", "/compare/themes.json", "/compare/goals-grid.csv"])
def test_a_worker_sharing_the_folder_serves_compare_without_making_the_comparison(
    store: OxigraphStore, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = create_app({"TESTING": True, "IPRKG_STORE": store})
    made = first.test_client().get(path, headers={"Accept-Language": "en"})
    assert made.status_code == 200

    made_again: list[object] = []
    real = context_module.read_comparison

    def counted(*arguments: object) -> object:
        made_again.append(arguments)
        return real(*arguments)  # type: ignore[arg-type]

    second: Flask = create_app({"TESTING": True, "IPRKG_STORE": store})
    context_of(second).kept_pages = context_of(first).kept_pages
    monkeypatch.setattr(context_module, "read_comparison", counted)
    again = second.test_client().get(path, headers={"Accept-Language": "en"})
    assert again.status_code == 200 and made_again == []
    assert again.data == made.data and again.content_type == made.content_type
    assert "Accept-Language" in again.headers["Vary"], "names are in the page language"
    other = second.test_client().get(path, headers={"Accept-Language": "nb"})
    assert other.status_code == 200 and len(made_again) == 1, "another language is made"


def test_errors_are_not_kept(store: OxigraphStore) -> None:
    app = create_app({"TESTING": True, "IPRKG_STORE": store})
    client = app.test_client()
    assert client.get("/compare/themes.json?council=nobody").status_code == 400
    folder = context_of(app).kept_pages.folder
    assert folder is not None and list(Path(folder).iterdir()) == []


class Recording:
    """A stand-in for a test client that writes each GET to ``log``."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def get(self, path: str, headers: dict[str, str]) -> None:
        with self.log.open("a") as log:
            log.write(f"{path} {headers['Accept-Language']} {os.getpid()}\n")


def test_warm_up_makes_each_page_in_each_language_in_a_process_of_its_own(
    tmp_path: Path,
) -> None:
    log = tmp_path / "made"
    warm_up(lambda: Recording(log), ["/compare", "/compare/themes.json"], ["nb", "en"])
    deadline = time.monotonic() + 20
    lines: list[str] = []
    while time.monotonic() < deadline and len(lines) < 4:
        time.sleep(0.05)
        lines = log.read_text().splitlines() if log.exists() else []
    assert [line.rsplit(" ", 1)[0] for line in lines] == [
        "/compare nb",
        "/compare en",
        "/compare/themes.json nb",
        "/compare/themes.json en",
    ]
    assert {line.rsplit(" ", 1)[1] for line in lines} != {str(os.getpid())}, "not made here"
