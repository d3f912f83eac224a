"""The machine and software a benchmark ran on, for the results file."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from load import wrk_version

PACKAGES = ("iprkg", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "granian")


def _cpu_model() -> str:
    """lscpu's model name (or /proc/cpuinfo's, without lscpu)."""
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        text = Path("/proc/cpuinfo").read_text()
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() in ("model name", "model name\t"):
            return value.strip()
    return platform.processor() or "unknown"


def _memory_gb() -> float:
    """MemTotal from /proc/meminfo, in GB (10⁹ bytes)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024 / 1e9
    return 0.0


def _version(package: str) -> str:
    """An installed package's version, or 'not installed'."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def iprkg_settings() -> dict[str, str]:
    """The values of iprkg's settings as ``iprkg settings`` shows them here."""
    command = [str(Path(sys.executable).parent / "iprkg"), "settings"]
    text = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    pairs = (line.partition("=") for line in text.splitlines() if line[:1].isupper())
    return {name: value for name, _, value in pairs}


def describe() -> dict[str, object]:
    """CPU model, cores, memory, kernel, Python and the versions of what is measured."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": {**{name: _version(name) for name in PACKAGES}, "wrk": wrk_version()},
        "iprkg_settings": iprkg_settings(),
    }
