"""The manifest of an artefact: reading it, and the hash that identifies what it serves.

``content_hash`` is the sha256 of the sorted N-Triples dump: it changes exactly when the
published triples change, so the server can reuse it for ETag and ``dct:modified``. The
build writes the manifest (``iprkg.build.manifest``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_manifest(dist: Path) -> dict[str, Any]:
    """The manifest of the artefact published in ``dist``."""
    manifest: dict[str, Any] = json.loads((dist / MANIFEST_NAME).read_text(encoding="utf-8"))
    return manifest


def served_hash(manifest: Mapping[str, Any]) -> str:
    """What identifies everything a build serves: ``content_hash`` when nothing was
    harvested, else a sha256 over it and each harvested graph's hash (for ETags and the
    service description, which cover the harvested graphs too)."""
    harvested = manifest.get("harvested") or []
    if not harvested:
        return str(manifest["content_hash"])
    parts = [str(manifest["content_hash"]), *(f"{h['graph']} {h['sha256']}" for h in harvested)]
    return f"sha256:{sha256(chr(10).join(parts).encode('utf-8'))}"
