"""Pages whose making grows with the number of councils, made once per server and kept
on disk for all its workers.

``/compare`` and its downloads lay out every council against every theme and goal: at
600 councils a worker spends about a second on the comparison and a page, and the
largest download is 9 MB. The response cache keeps whole responses per worker, in
memory, and only up to half of its size each; so each worker would make each of them
again, and hold the comparison's objects, and the largest would be made on every
request. ``KeptPages`` keeps such a body in a file of a folder the first process makes
(a temporary folder, removed when that process ends), which the workers it forks
share: whichever worker makes a page first writes it, and every worker reads it from
then on (from the system's file cache: no process holds it in its memory).

``warm_up`` makes the pages every visitor starts from (``/compare`` and its downloads,
in both page languages) as ``iprkg serve`` starts, in a process of their own, forked
before the workers and ending when done, at the lowest CPU priority: the workers answer
from the start, no worker makes these pages or holds the comparison for them, and the
first visitor does not wait for them (at 600 councils, about six seconds of one core).

A body is kept under a key the view gives: everything the body depends on (the path,
the query arguments, the page language). Each process writes at most
``IPRKG_PAGE_CACHE_MB``; past that, bodies are made and not kept. A file is written
whole and then renamed into place, so a reader never sees half of one. With
``IPRKG_PAGE_CACHE_MB`` or ``IPRKG_QUERY_CACHE_MB`` at 0 nothing is kept.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import threading
import traceback
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


class KeptPages:
    """Bodies kept in files shared by a server's processes (see the module)."""

    def __init__(self, limit_bytes: int) -> None:
        self._limit = limit_bytes
        self._written = 0
        self._lock = threading.Lock()
        self.folder: Path | None = None
        if limit_bytes > 0:
            self.folder = Path(tempfile.mkdtemp(prefix="iprkg-pages-"))
            weakref.finalize(self, _remove, self.folder, os.getpid())

    def body(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The body kept under ``key``, else ``make()``, kept if there is room."""
        if self.folder is None:
            return make()
        path = self.folder / hashlib.sha256(key.encode("utf-8")).hexdigest()
        try:
            return path.read_bytes()
        except OSError:  # not kept yet (or the folder is gone: then it is never kept)
            pass
        body = make()
        with self._lock:
            if self._written + len(body) > self._limit:
                return body
            self._written += len(body)
        written = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            written.write_bytes(body)
            os.replace(written, path)
        except OSError:
            written.unlink(missing_ok=True)
        return body


def warm_up(client: Callable[[], Any], paths: Sequence[str], languages: Sequence[str]) -> None:
    """GET each of ``paths`` in each of ``languages`` with a test client from
    ``client()``, in a grandchild process (see the module): call while this process has
    one thread. The grandchild is reparented at once, so nobody waits for it."""
    first = os.fork()
    if first:
        os.waitpid(first, 0)
        return
    try:
        if os.fork() == 0:
            os.nice(19)
            made = client()
            for path in paths:
                for language in languages:
                    made.get(path, headers={"Accept-Language": language})
    except BaseException:  # a page it could not make is made when asked
        traceback.print_exc(file=sys.stderr)
    finally:
        os._exit(0)


def _remove(folder: Path, owner: int) -> None:
    """Remove ``folder`` when the process that made it ends (not its forked workers)."""
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)
