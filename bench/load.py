"""Load runs with wrk: a C, event-driven generator in its own process, which takes far
less CPU than a Python one would from the server it measures on a small machine."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIX_SCRIPT = ROOT / "bench" / "wrk" / "mix.lua"
MARKER = "BENCH-RESULT "


class WrkMissing(RuntimeError):
    """wrk is not installed."""


def wrk_path() -> str:
    """Where wrk is, or an error saying how to install it."""
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissing(
            "wrk not found: install it with `apt-get install -y wrk` (Debian, Ubuntu) or "
            "`brew install wrk` (macOS); `make bench` installs it where apt-get is at hand"
        )
    return found


def wrk_version() -> str:
    """wrk's version, e.g. ``debian/4.1.0-3+b2`` (it prints it with its usage, exiting 1)."""
    run = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True)
    words = (run.stdout or run.stderr).split()
    return words[1] if len(words) > 1 else "unknown"


def run_wrk(
    port: int, mix: Path, connections: int, seconds: float, timeout: float
) -> dict[str, float]:
    """One wrk run of ``mix`` at ``connections`` for ``seconds``; answers mix.lua's numbers.

    Threads are min(connections, 2): one per core of the machine this was tuned on, and
    ``-c1 -t1`` / ``-c8 -t2`` for the default levels.
    """
    threads = max(1, min(connections, 2))
    command = [
        wrk_path(),
        f"-c{connections}",
        f"-t{threads}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={max(1, round(timeout))}s",
        "-s",
        str(MIX_SCRIPT),
        f"http://127.0.0.1:{port}",
        "--",
        str(mix),
        str(threads),
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in run.stdout.splitlines():
        if line.startswith(MARKER):
            result: dict[str, float] = json.loads(line.removeprefix(MARKER))
            result.update(connections=connections, threads=threads)
            return result
    raise RuntimeError(f"wrk gave no result (exit {run.returncode}):\n{run.stdout}{run.stderr}")
