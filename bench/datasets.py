"""The data the servers are measured on: bench/synth.py's project folders, built once.

``bench/work/synthetic-N`` is made by ``synth.py --councils N`` and built with
``IPRKG_ROOT=bench/work/synthetic-N iprkg build``; ``bench/work/real-data`` is made the
same way with ``--councils 0``, which copies the project's sources and adds nothing (the
real data alone). Every build reads the project's external reference folder
(``IPRKG_EXTERNAL``, as the project's own build does: theme names, the map), so the real
data here are the project's ``dist`` byte for byte. A build is reused while its inputs are
unchanged: the folder keeps ``bench-inputs.sha256``, a hash of N, synth.py, the project's
ontology/, shapes/ and data/ files and the external folder's file names and sizes, and a
build whose hash matches and whose ``dist/manifest.json`` exists is not made again
(``--rebuild`` forces it). The hash does not cover the iprkg code itself: the benchmark
measures serving, and the artefact format is the manifest's business.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYNTH = ROOT / "bench" / "synth.py"
BIN = ROOT / ".venv" / "bin"
INPUT_FOLDERS = ("ontology", "shapes", "data")
STAMP = "bench-inputs.sha256"
REAL_DATA = 0
"""The number of synthetic councils that stands for the real data alone."""


@dataclass
class Dataset:
    """One built project (the real data, or with synthetic councils): where it is and
    what its manifest says."""

    councils: int
    root: Path
    base: str
    triples: int
    content_hash: str
    build_seconds: float | None
    """None when an earlier build was reused."""
    oxigraph_load_seconds: float | None = None

    @property
    def name(self) -> str:
        """The folder's name, also used for logs: ``real-data`` or ``synthetic-N``."""
        return folder_name(self.councils)

    @property
    def label(self) -> str:
        """How reports name it (``label``)."""
        return label(self.councils)

    @property
    def dist(self) -> Path:
        """The built artefact."""
        return self.root / "dist"

    @property
    def nt(self) -> Path:
        """The whole dataset as N-Triples, which every server loads."""
        return self.dist / "iprkg.nt"

    @property
    def oxigraph_store(self) -> Path:
        """Oxigraph's on-disk store of the dataset."""
        return self.root / "oxigraph-store"


def folder_name(councils: int) -> str:
    """``real-data`` for 0 councils, else ``synthetic-N``."""
    return "real-data" if councils == REAL_DATA else f"synthetic-{councils}"


def label(councils: int) -> str:
    """How reports name the data with ``councils`` synthetic councils (0: the real data)."""
    return "real data" if councils == REAL_DATA else f"N = {councils} synthetic councils"


def external_folder() -> Path:
    """The project's external reference folder, as its settings resolve it: IPRKG_EXTERNAL
    (default ``../shared/external``) against the project root."""
    return (ROOT / os.environ.get("IPRKG_EXTERNAL", "../shared/external")).resolve()


def inputs_hash(councils: int) -> str:
    """The hash of everything a build is made from (see the module docstring)."""
    digest = hashlib.sha256(f"councils={councils}\n".encode())
    digest.update(SYNTH.read_bytes())
    for folder in INPUT_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    external = external_folder()
    digest.update(f"external={external}\n".encode())
    for path in sorted(external.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(external)}\0{path.stat().st_size}\n".encode())
    return digest.hexdigest()


def prepare(councils: int, work: Path, rebuild: bool) -> Dataset:
    """Make (or reuse) the built project with ``councils`` synthetic councils (0: the
    real data alone)."""
    root = work / folder_name(councils)
    stamp = root / STAMP
    wanted = inputs_hash(councils)
    build_seconds: float | None = None
    manifest_path = root / "dist" / "manifest.json"
    reusable = stamp.is_file() and stamp.read_text().strip() == wanted and manifest_path.is_file()
    if rebuild or not reusable:
        print(f"building the {label(councils)} in {root} …", file=sys.stderr, flush=True)
        stamp.unlink(missing_ok=True)
        started = time.perf_counter()
        python = str(BIN / "python")
        _run([python, str(SYNTH), "--councils", str(councils), "--out", str(root)], root)
        _run([str(BIN / "iprkg"), "build"], root)
        build_seconds = time.perf_counter() - started
        stamp.write_text(wanted + "\n")
    else:
        print(f"reusing the build of the {label(councils)} in {root}", file=sys.stderr, flush=True)
    manifest = json.loads(manifest_path.read_text())
    return Dataset(
        councils=councils,
        root=root,
        base=manifest["base"],
        triples=int(manifest["triples"]),
        content_hash=manifest["content_hash"],
        build_seconds=build_seconds,
    )


def _run(command: list[str], root: Path) -> None:
    """Run a build step with IPRKG_ROOT and IPRKG_EXTERNAL set; its output goes to our
    stderr."""
    environment = {**os.environ, "IPRKG_ROOT": str(root), "IPRKG_EXTERNAL": str(external_folder())}
    subprocess.run(command, check=True, env=environment, stdout=sys.stderr, cwd=ROOT)


def load_oxigraph(dataset: Dataset) -> None:
    """Load the dataset into a fresh Oxigraph store and optimise it, as Oxigraph advises
    for a read-only endpoint under load; the time of both is recorded."""
    shutil.rmtree(dataset.oxigraph_store, ignore_errors=True)
    oxigraph, location = str(BIN / "oxigraph"), str(dataset.oxigraph_store)
    started = time.perf_counter()
    for step in (["load", "--file", str(dataset.nt)], ["optimize"]):
        subprocess.run(
            [oxigraph, *step, "--location", location],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    dataset.oxigraph_load_seconds = time.perf_counter() - started
