"""A server's process tree as Linux shows it in /proc: its processes, memory and CPU time.

A server may fork workers (iprkg serve under granian), so everything here is summed over
the root process and all its descendants, found through ``/proc/<pid>/task/*/children``.
Memory is measured twice: RSS counts a page shared by forked workers once per process;
PSS divides it among them, so the sum of PSS is the honest total.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """The root process id and those of all its living descendants."""
    found: list[int] = []
    pending = [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        for task in (PROC / str(pid) / "task").glob("*"):
            try:
                pending.extend(int(child) for child in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def _kilobytes(path: Path, fields: tuple[str, ...]) -> dict[str, int]:
    """The ``Name:  N kB`` fields of a /proc status-like file; missing ones are 0."""
    values = dict.fromkeys(fields, 0)
    try:
        text = path.read_text()
    except OSError:
        return values
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name in values:
            values[name] = int(rest.split()[0])
    return values


@dataclass(frozen=True)
class Memory:
    """Memory of a process tree in bytes."""

    pss: int
    rss: int
    processes: int


def tree_memory(root: int) -> Memory:
    """The summed PSS and RSS of the tree under ``root`` (smaps_rollup, so one read each)."""
    pss = rss = processes = 0
    for pid in descendants(root):
        values = _kilobytes(PROC / str(pid) / "smaps_rollup", ("Pss", "Rss"))
        pss += values["Pss"] * 1024
        rss += values["Rss"] * 1024
        processes += values["Rss"] > 0
    return Memory(pss=pss, rss=rss, processes=processes)


def tree_cpu_seconds(root: int) -> float:
    """User plus system CPU seconds used so far by the living processes under ``root``."""
    ticks = 0
    for pid in descendants(root):
        try:
            fields = (PROC / str(pid) / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / CLOCK_TICKS


class PeakMemory:
    """Samples a process tree's memory in a background thread and keeps the peaks.

    ``root`` is read at every sample, so a restarted server is followed by setting it.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.root: int | None = None
        self.peak_pss = 0
        self.peak_rss = 0
        self.peak_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)

    def start(self, root: int) -> None:
        """Follow the tree under ``root`` from now on."""
        self.root = root
        if not self._thread.is_alive():
            self._thread.start()

    def sample(self) -> None:
        """Take one sample now (also done every ``interval`` seconds by the thread)."""
        if self.root is None:
            return
        memory = tree_memory(self.root)
        self.peak_pss = max(self.peak_pss, memory.pss)
        self.peak_rss = max(self.peak_rss, memory.rss)
        self.peak_processes = max(self.peak_processes, memory.processes)
        self.samples += 1

    def reset(self) -> tuple[int, int]:
        """The peaks so far (PSS, RSS), which start again from zero."""
        peaks = (self.peak_pss, self.peak_rss)
        self.peak_pss = self.peak_rss = 0
        return peaks

    def stop(self) -> None:
        """Stop sampling; the peaks stay."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()
