"""Give memory back after a request that needed a lot of it.

A query's evaluation (joins, groups, the serialised answer) can take tens of megabytes
for a moment. glibc's allocator keeps what was freed for later, so a worker stays at
the high-water mark of the largest query it ever answered, and with several workers the
server's memory is the sum of their high-water marks. After a request during which the
worker's resident memory grew by more than ``TRIM_AFTER_BYTES``, ``malloc_trim(0)``
returns the freed pages to the system (a few milliseconds, after the answer is made).
Where there is no glibc (macOS, musl), nothing is done. Measured at 600 synthetic
councils after 25 s of the benchmark's resource mix: 374 MB PSS in all without, 337 MB
with (docs/performance.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Callable

from flask import Flask, g

TRIM_AFTER_BYTES = 8 * 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where there is none."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def resident_bytes() -> int:
    """This process's resident memory now (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def register(app: Flask) -> None:
    """Trim after each request of ``app`` that grew the process by TRIM_AFTER_BYTES."""
    trim = _malloc_trim()
    if trim is None or not resident_bytes():
        return

    def before() -> None:
        g.iprkg_resident = resident_bytes()

    def teardown(_: BaseException | None) -> None:
        before_bytes = g.get("iprkg_resident")
        if before_bytes is not None and resident_bytes() - before_bytes > TRIM_AFTER_BYTES:
            trim(0)

    app.before_request(before)
    app.teardown_request(teardown)
