"""Memory a process gives back, and memory forked processes keep sharing.

* ``malloc_trim``: glibc's allocator keeps what was freed for later, so a process stays
  at the high-water mark of the largest thing it ever made (a query's joins, a big
  page). ``trim_if_grown`` returns the freed pages to the system after work that grew
  the process by more than ``TRIM_AFTER_BYTES`` (a few milliseconds). Where there is no
  glibc (macOS, musl) nothing is done.
* ``tune_allocator``: glibc serves a large allocation (a serialised answer, a page) from
  the heap once a block that size was freed (its mmap threshold rises to match), and
  keeps an arena per thread; so a worker answering big responses in several threads
  keeps several heaps at their high-water marks. A fixed mmap threshold gives every block
  over ``MMAP_THRESHOLD`` back to the system when freed, and two arenas per process bound
  how many heaps keep freed memory.
* ``freeze``: before a fork, ``gc.freeze()`` moves every object made so far out of the
  collector's reach. The collector writes to the header of each object it visits, and a
  write to a page shared with a forked process copies that page into the writer, so
  without it every collection in a worker copies the parent's heap page by page.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import resource
from collections.abc import Callable
from functools import cache

TRIM_AFTER_BYTES = 8 * 1024 * 1024
MMAP_THRESHOLD = 256 * 1024
ARENAS = 2
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
"""mallopt's parameters, from glibc's malloc.h."""
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@cache
def _glibc() -> ctypes.CDLL | None:
    """The C library if it is glibc (it has malloc_trim), else None."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
        library.malloc_trim.argtypes = [ctypes.c_size_t]
        library.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    except (OSError, AttributeError):
        return None
    return library


def malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where there is none."""
    library = _glibc()
    return None if library is None else library.malloc_trim


def tune_allocator() -> None:
    """Set glibc's mmap threshold and arena limit (see the module); call before threads
    start. Nothing where there is no glibc."""
    library = _glibc()
    if library is not None:
        library.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        library.mallopt(_M_ARENA_MAX, ARENAS)


def resident_bytes() -> int:
    """This process's resident memory now (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def faulted_bytes() -> int:
    """The pages this process has faulted in (minor faults: each page it allocated, or
    copied from a parent on writing to it), in bytes; a cheap measure of the memory it
    has made its own, which ``resident_bytes`` misses for pages shared at the fork.

    A page freed and touched again counts twice; a transparent huge page counts as one
    base page, so where the kernel maps them for every allocation this counts low."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt * _PAGE


def trim_if_grown(before: int, limit: int = TRIM_AFTER_BYTES) -> int:
    """Give freed memory back if this process grew by more than ``limit`` since it had
    ``before`` bytes resident (``resident_bytes``); answer the resident bytes after a
    trim, else ``before`` (the mark to measure the next growth from)."""
    trim = malloc_trim()
    if trim is None or not before or resident_bytes() - before <= limit:
        return before
    trim(0)
    return resident_bytes()


def freeze() -> None:
    """Collect, then keep every object made so far out of later collections: call just
    before forking processes that should share this one's heap."""
    gc.collect()
    gc.freeze()
