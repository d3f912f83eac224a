"""iprkg.core.memory: what a process can measure of its own memory, give back, and keep
shared with the processes it forks."""

from __future__ import annotations

import gc
import mmap
from collections.abc import Iterator

import pytest

from iprkg.core import memory


def test_pages_made_its_own_are_counted_as_faults() -> None:
    # A fresh mapping, not a bytearray: malloc may hand back pages this process already
    # faulted in (after earlier tests in the same worker), which fault no more.
    size = 16 * 1024 * 1024
    with mmap.mmap(-1, size) as block:
        if hasattr(mmap, "MADV_NOHUGEPAGE"):
            block.madvise(mmap.MADV_NOHUGEPAGE)  # one fault per page, not per 2 MB
        before = memory.faulted_bytes()
        for offset in range(0, size, mmap.PAGESIZE):
            block[offset] = 1
        assert memory.faulted_bytes() - before >= size - mmap.PAGESIZE


def test_nothing_is_trimmed_without_growth(monkeypatch: pytest.MonkeyPatch) -> None:
    trims: list[int] = []
    monkeypatch.setattr(memory, "malloc_trim", lambda: trims.append)
    monkeypatch.setattr(memory, "resident_bytes", lambda: 1000)
    assert memory.trim_if_grown(999, limit=10) == 999
    assert memory.trim_if_grown(10, limit=10) == 1000, "the mark after a trim"
    assert trims == [0]


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
def test_freezing_keeps_the_heap_out_of_collections() -> None:
    memory.freeze()
    assert gc.get_freeze_count() > 0


@pytest.mark.skipif(memory.malloc_trim() is None, reason="no glibc here: nothing to tune")
def test_the_allocator_settings_are_accepted() -> None:
    memory.tune_allocator()  # mallopt answers 1 on success; a wrong parameter raises nothing
    assert memory._glibc().mallopt(-3, memory.MMAP_THRESHOLD) == 1  # type: ignore[union-attr]
