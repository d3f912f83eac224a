"""A server's process tree as Linux shows it in /proc: its processes, memory and CPU time.

A server may fork workers (iprkg serve under granian), so everything here is summed over
the root process and all its descendants, found through ``/proc/<pid>/task/*/children``,
and any other process of the session it leads.
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
    """The root process id and those of all its living descendants, and every other
    process of the session the root leads (each server is started in a session of its
    own): a process a server forks and lets go, such as iprkg's warm-up of its kept
    pages, is reparented out of the tree but stays in the session, and is counted."""
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
    seen = set(found)
    return found + [pid for pid in session_members(root) if pid not in seen]


def session_members(leader: int) -> list[int]:
    """The processes whose session id is ``leader``."""
    members = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[3]) == leader:  # session (field 6 of /proc/<pid>/stat)
            members.append(int(entry.name))
    return members


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
    """Samples the summed memory of one or more process trees in a background thread and
    keeps the peaks (a server and the companions it needs, such as nginx and Oxigraph).

    ``roots`` is read at every sample, so a restarted server is followed by setting it.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.roots: list[int] = []
        self.peak_pss = 0
        self.peak_rss = 0
        self.peak_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)

    def start(self, roots: list[int]) -> None:
        """Follow the trees under ``roots`` from now on."""
        self.roots = list(roots)
        if not self._thread.is_alive():
            self._thread.start()

    def sample(self) -> None:
        """Take one sample now (also done every ``interval`` seconds by the thread)."""
        roots = self.roots
        if not roots:
            return
        trees = [tree_memory(root) for root in roots]
        self.peak_pss = max(self.peak_pss, sum(memory.pss for memory in trees))
        self.peak_rss = max(self.peak_rss, sum(memory.rss for memory in trees))
        self.peak_processes = max(self.peak_processes, sum(memory.processes for memory in trees))
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
