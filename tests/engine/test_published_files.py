"""The build's files as a store serves them: opened and checked once, read when asked
for, and the version opened even after the build is replaced (artefact.PublishedFiles)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from iprkg.artefact.artefact import StoreError, published_files, read_prefixes
from iprkg.artefact.manifest import read_manifest


@pytest.fixture
def dist(built_dist: Path, tmp_path: Path) -> Path:
    """A copy of the build, to change."""
    copy = tmp_path / "dist"
    shutil.copytree(built_dist, copy)
    return copy


def test_files_are_read_when_asked_and_stay_those_of_the_build_opened(
    dist: Path, tmp_path: Path
) -> None:
    manifest = read_manifest(dist)
    files = published_files(dist, manifest)
    dump = manifest["dumps"][0]
    assert hashlib.sha256(files[dump["path"]]).hexdigest() == dump["sha256"]
    assert set(files) >= {dump["path"], dump["gzip"]["path"], "manifest.json"}

    replaced = tmp_path / "replaced"
    (dist / dump["path"]).rename(replaced)  # a new build takes the name
    (dist / dump["path"]).write_bytes(b"another build")
    assert hashlib.sha256(files[dump["path"]]).hexdigest() == dump["sha256"]
    assert files.get("no such file") is None
    files.close()


def test_a_file_that_does_not_match_the_manifest_is_refused(dist: Path) -> None:
    manifest = read_manifest(dist)
    path = dist / manifest["dumps"][0]["path"]
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(StoreError, match=r"does not match manifest\.json; rebuild it"):
        published_files(dist, manifest)


def test_prefixes_are_read_from_the_head_of_the_json_ld_dump_else_from_all_of_it(
    dist: Path, tmp_path: Path
) -> None:
    dump = json.loads((dist / "iprkg.jsonld").read_bytes())
    bound = {k: v for k, v in sorted(dump["@context"].items()) if ":" in str(v)}
    assert read_prefixes(dist) == bound and "ipr" in bound
    other = tmp_path / "other"
    other.mkdir()
    reordered = {"@graph": dump.get("@graph", []), "@context": dump["@context"]}
    (other / "iprkg.jsonld").write_text(json.dumps(reordered))  # context last: read it all
    assert read_prefixes(other) == bound
    (other / "iprkg.jsonld").write_text("not JSON")
    assert read_prefixes(other) == {}
