"""Atomic publication: ``dist`` is never half-written, and a failed build leaves it as it was.

Layout, for ``dist`` at ``<parent>/dist``::

    <parent>/dist -> .dist-builds/<build id>      a symlink, replaced atomically
    <parent>/.dist-builds/<build id>/             finished builds, files read-only
    <parent>/.dist-builds/.tmp-*/                 a build being written (or one killed)
    <parent>/.dist-builds/.lock                   serialises concurrent builds

A build is written into a fresh ``.tmp-*`` folder, fsynced, renamed to its build id (the
sha256 of its manifest, so the same sources give the same folder), and then ``dist`` is
switched to it by ``os.replace`` of a new symlink: readers see the old build or the new
one, never a mix. The build before is kept; older builds and leftovers of killed builds
are pruned. A real ``dist/`` folder (from before this scheme) is moved into
``.dist-builds/`` and kept as the previous build; only that one-time move leaves a moment
without ``dist``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from iprkg.artefact.manifest import MANIFEST_NAME

STAGING_PREFIX = ".tmp-"
LOCK_NAME = ".lock"
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
FOLDER_MODE = 0o755


class PublishError(Exception):
    """``dist`` cannot be replaced (for instance, it is a plain file)."""


@dataclass(frozen=True)
class Publication:
    """Where a build went."""

    dist: Path
    build: Path
    previous: Path | None
    reused: bool
    """True when an identical build was already on disk and only the link moved."""


def builds_folder(dist: Path) -> Path:
    """Where the builds behind ``dist`` are kept: ``.<name>-builds`` beside it."""
    return dist.parent / f".{dist.name}-builds"


def publish(
    files: Mapping[str, bytes],
    build_id: str,
    dist: Path,
    progress: Callable[[str], None] = lambda _: None,
    verify: Callable[[Path], None] | None = None,
) -> Publication:
    """Write ``files`` as build ``build_id`` and point ``dist`` at it, atomically.

    ``verify``, if given, is called with the written build folder before ``dist`` moves to
    it; if it raises, ``dist`` stays as it was, a build it wrote is removed, and the error
    goes on."""
    if dist.exists() and not dist.is_dir() and not dist.is_symlink():
        raise PublishError(f"{dist} exists and is neither a folder nor a symlink; remove it")
    builds = builds_folder(dist)
    builds.mkdir(parents=True, exist_ok=True)
    with locked(builds / LOCK_NAME):
        target = builds / build_id
        reused = is_same_build(target, files)
        if not reused:
            progress(f"publishing {dist.name} → {builds.name}/{build_id}…")
            write_build(builds, target, files)
        if verify is not None:
            try:
                verify(target)
            except BaseException:
                shown = dist.resolve() if dist.is_symlink() else None
                if not reused and target.resolve() != shown:
                    shutil.rmtree(target, ignore_errors=True)
                raise
        previous = adopt_current(dist, builds)
        point(dist, target)
        if previous is None or previous.resolve() == target.resolve():
            previous = newest_other_build(builds, target)
        prune(builds, keep={target} if previous is None else {target, previous})
    return Publication(dist, target, previous, reused)


@contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (other builds wait)."""
    with lock_path.open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def is_same_build(target: Path, files: Mapping[str, bytes]) -> bool:
    """True when ``target`` already holds this build (same manifest, same file names)."""
    manifest = target / MANIFEST_NAME
    return (
        manifest.is_file()
        and manifest.read_bytes() == files.get(MANIFEST_NAME)
        and sorted(p.name for p in target.iterdir()) == sorted(files)
    )


def write_build(builds: Path, target: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` into a staging folder, then rename it to ``target``."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=builds))
    try:
        staging.chmod(FOLDER_MODE)  # mkdtemp makes it private; a server may run as another user
        for name, content in files.items():
            write_file(staging / name, content)
        fsync_folder(staging)
        if target.exists():  # a damaged copy of this build: move it out of the way
            target.rename(Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=builds)) / "old")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_folder(builds)


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` durably and make the file read-only: builds are immutable."""
    with path.open("xb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())
    path.chmod(READ_ONLY)


def fsync_folder(folder: Path) -> None:
    """Make renames inside ``folder`` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def adopt_current(dist: Path, builds: Path) -> Path | None:
    """The build ``dist`` shows now, moving a real ``dist/`` folder into ``builds``."""
    if dist.is_symlink():
        current = dist.resolve()
        return current if current.parent == builds.resolve() and current.is_dir() else None
    if dist.is_dir():
        adopted = Path(tempfile.mkdtemp(prefix="adopted-", dir=builds))
        adopted.rmdir()
        dist.rename(adopted)
        return adopted
    return None


def point(dist: Path, target: Path) -> None:
    """Make ``dist`` a symlink to ``target`` (relative), replacing any old link atomically.

    Call with the build lock held: other builds' temporary links are then all stale.
    """
    for stale in dist.parent.glob(f".{dist.name}.link-*"):  # left by killed builds
        stale.unlink()
    link = dist.parent / f".{dist.name}.link-{os.getpid()}"
    link.symlink_to(os.path.relpath(target, dist.parent))
    os.replace(link, dist)
    fsync_folder(dist.parent)


def newest_other_build(builds: Path, target: Path) -> Path | None:
    """The most recently written finished build other than ``target``, if any."""
    others = [
        entry
        for entry in builds.iterdir()
        if entry.is_dir()
        and not entry.is_symlink()
        and not entry.name.startswith(STAGING_PREFIX)
        and entry != target
    ]
    return max(others, key=lambda entry: entry.stat().st_mtime, default=None)


def prune(builds: Path, keep: set[Path]) -> None:
    """Remove every build and staging leftover in ``builds`` except ``keep``."""
    kept = {path.resolve() for path in keep}
    for entry in builds.iterdir():
        if entry.name == LOCK_NAME or entry.resolve() in kept:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
