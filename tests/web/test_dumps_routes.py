"""The dumps at stable URLs (``server/iprkg/web/dumps_routes.py``): every file of the build,
byte for byte, with its media type; ``.gz`` as a download; nothing else."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from iprkg.artefact.artefact import DatasetFile
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web.app import create_app

# Spelled out, not taken from the registry: the tests pin what goes over the wire.
PLAIN = {
    "iprkg.ttl": "text/turtle; charset=utf-8",
    "iprkg.nt": "application/n-triples",
    "iprkg.jsonld": "application/ld+json",
    "iprkg.rdf": "application/rdf+xml",
}
GZIPPED = [f"{name}.gz" for name in PLAIN]


@pytest.mark.parametrize(("name", "content_type"), PLAIN.items())
def test_a_plain_dump_is_the_built_file_in_its_media_type(
    client: FlaskClient, built_dist: Path, name: str, content_type: str
) -> None:
    response = client.get(f"/dumps/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert "Content-Encoding" not in response.headers
    assert "Content-Disposition" not in response.headers
    assert response.data == (built_dist / name).read_bytes()


@pytest.mark.parametrize("name", PLAIN)
def test_a_plain_dump_is_gzipped_on_the_fly_when_the_client_accepts_it(
    client: FlaskClient, built_dist: Path, name: str
) -> None:
    response = client.get(f"/dumps/{name}", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.vary
    assert gzip.decompress(response.data) == (built_dist / name).read_bytes()


@pytest.mark.parametrize("name", GZIPPED)
@pytest.mark.parametrize("accept_encoding", [None, "gzip"])
def test_a_gz_dump_is_a_download_never_compressed_again(
    client: FlaskClient, built_dist: Path, name: str, accept_encoding: str | None
) -> None:
    headers = {} if accept_encoding is None else {"Accept-Encoding": accept_encoding}
    response = client.get(f"/dumps/{name}", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/gzip"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert "Content-Encoding" not in response.headers
    assert response.data == (built_dist / name).read_bytes()
    assert gzip.decompress(response.data) == (built_dist / name.removesuffix(".gz")).read_bytes()


def test_the_manifest_is_served_as_json(client: FlaskClient, built_dist: Path) -> None:
    response = client.get("/dumps/manifest.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.json == json.loads((built_dist / "manifest.json").read_text("utf-8"))


def test_every_file_the_manifest_lists_is_served(client: FlaskClient, built_dist: Path) -> None:
    manifest = json.loads((built_dist / "manifest.json").read_text("utf-8"))
    names = [d["path"] for d in manifest["dumps"]] + [d["gzip"]["path"] for d in manifest["dumps"]]
    assert sorted(names) == sorted([*PLAIN, *GZIPPED])
    for name in names:
        assert client.get(f"/dumps/{name}").status_code == 200, name


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/iprkg.trig",
        "/dumps/nope",
        "/dumps/",
        "/dumps/../manifest.json",
        "/dumps/..%2Fmanifest.json",
        "/dumps/%2e%2e%2fdist%2fmanifest.json",
        "/dumps/iprkg.ttl%00",
        "/dumps/IPRKG.TTL",
        "/dumps/iprkg.ttl/",
        "/dumps/%C3%A6.ttl",
    ],
)
def test_any_other_name_is_a_404_and_never_a_file_outside(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert b"@prefix" not in response.data
    assert b'"content_hash"' not in response.data


def test_head_answers_the_headers_of_get(client: FlaskClient) -> None:
    got = client.get("/dumps/iprkg.nt")
    head = client.head("/dumps/iprkg.nt")
    assert head.status_code == 200
    assert head.data == b""
    for header in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
        assert head.headers[header] == got.headers[header]


def test_served_rdf_files_have_no_dumps(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    store = OxigraphStore.from_files([DatasetFile(data)], "https://w3id.org/iprkg/")
    client = create_app({"TESTING": True, "IPRKG_STORE": store}).test_client()
    for name in [*PLAIN, *GZIPPED, "manifest.json", "data.ttl"]:
        assert client.get(f"/dumps/{name}").status_code == 404, name
