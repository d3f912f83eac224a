"""HTTP caching on every answer (``server/iprkg/web/caching.py``): ETag and Last-Modified from
the build, 304 on revalidation, Cache-Control, gzip, HEAD."""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from iprkg.artefact.artefact import DatasetFile
from iprkg.core.settings import Settings, SettingsError
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web.app import create_app
from support.project import DEFAULT_BASE, project_settings

ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 40"
GET_URLS = [
    f"/sparql?query={SELECT.replace(' ', '+')}",
    f"/sparql?query={ASK.replace(' ', '+')}",
    "/sparql",
    "/catalog",
    "/.well-known/void",
    "/dumps/iprkg.ttl",
    "/dumps/iprkg.ttl.gz",
    "/dumps/manifest.json",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.fixture(scope="module")
def manifest(built_dist: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((built_dist / "manifest.json").read_text("utf-8"))
    return loaded


def built_time(manifest: dict[str, Any]) -> datetime:
    return datetime.strptime(manifest["built"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@pytest.mark.parametrize("url", GET_URLS)
def test_every_get_has_validators_from_the_build_and_a_max_age(
    client: FlaskClient, manifest: dict[str, Any], url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    build = manifest["content_hash"].removeprefix("sha256:")[:16]
    etag, weak = response.get_etag()
    assert etag is not None and etag.startswith(f"{build}-") and not weak
    assert parsedate_to_datetime(response.headers["Last-Modified"]) == built_time(manifest)
    assert response.headers["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize("url", GET_URLS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_revalidation_with_the_etag_gets_304(client: FlaskClient, url: str, method: str) -> None:
    etag = client.get(url).headers["ETag"]
    response = client.open(url, method=method, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag


@pytest.mark.parametrize("url", GET_URLS)
def test_revalidation_by_date_gets_304_unless_the_build_is_newer(
    client: FlaskClient, manifest: dict[str, Any], url: str
) -> None:
    built = built_time(manifest)
    same = client.get(url, headers={"If-Modified-Since": format_datetime(built, usegmt=True)})
    assert same.status_code == 304
    earlier = format_datetime(built - timedelta(seconds=1), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200


def test_if_none_match_wins_over_if_modified_since(
    client: FlaskClient, manifest: dict[str, Any]
) -> None:
    headers = {
        "If-None-Match": '"another-representation"',
        "If-Modified-Since": format_datetime(built_time(manifest), usegmt=True),
    }
    assert client.get("/catalog", headers=headers).status_code == 200


def test_a_stale_etag_gets_the_full_answer(client: FlaskClient) -> None:
    response = client.get("/catalog", headers={"If-None-Match": '"0000-0000"'})
    assert response.status_code == 200
    assert response.data


@pytest.mark.parametrize(
    ("url", "headers_a", "headers_b"),
    [
        ("/catalog", {"Accept": "text/turtle"}, {"Accept": "application/ld+json"}),
        ("/.well-known/void", {}, {"Accept": "application/n-triples"}),
        (f"/sparql?query={SELECT.replace(' ', '+')}", {}, {"Accept": "text/csv"}),
        ("/dumps/iprkg.ttl", {}, {"Accept-Encoding": "gzip"}),
        ("/catalog", {}, {"Accept-Encoding": "gzip"}),
    ],
)
def test_each_representation_has_its_own_etag(
    client: FlaskClient, url: str, headers_a: dict[str, str], headers_b: dict[str, str]
) -> None:
    a, b = client.get(url, headers=headers_a), client.get(url, headers=headers_b)
    assert a.headers["ETag"] != b.headers["ETag"]
    assert (
        client.get(url, headers={**headers_b, "If-None-Match": a.headers["ETag"]}).status_code
        == 200
    )
    assert (
        client.get(url, headers={**headers_a, "If-None-Match": a.headers["ETag"]}).status_code
        == 304
    )


def test_the_same_request_gets_the_same_etag(client: FlaskClient) -> None:
    assert client.get("/catalog").headers["ETag"] == client.get("/catalog").headers["ETag"]


@pytest.mark.parametrize(
    "url",
    [
        "/catalog",
        "/.well-known/void",
        "/dumps/iprkg.nt",
        f"/sparql?query={SELECT.replace(' ', '+')}",
    ],
)
def test_gzip_when_accepted(client: FlaskClient, url: str) -> None:
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.vary and "Accept" in zipped.vary
    assert gzip.decompress(zipped.data) == plain.data
    assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data)
    assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'


@pytest.mark.parametrize("accept_encoding", ["", "identity", "gzip;q=0", "br"])
def test_no_gzip_unless_accepted(client: FlaskClient, accept_encoding: str) -> None:
    response = client.get("/catalog", headers={"Accept-Encoding": accept_encoding})
    assert "Content-Encoding" not in response.headers
    assert response.data.startswith(b"@prefix")
    assert "Accept-Encoding" in response.vary


def test_gzip_by_wildcard(client: FlaskClient) -> None:
    assert (
        client.get("/catalog", headers={"Accept-Encoding": "*"}).headers["Content-Encoding"]
        == "gzip"
    )


def test_small_answers_are_not_compressed(client: FlaskClient) -> None:
    response = client.get("/robots.txt", headers={"Accept-Encoding": "gzip"})
    assert len(response.data) < 512
    assert "Content-Encoding" not in response.headers


def test_head_is_get_without_the_body(client: FlaskClient) -> None:
    for encoding in ("", "gzip"):
        got = client.get("/catalog", headers={"Accept-Encoding": encoding})
        head = client.head("/catalog", headers={"Accept-Encoding": encoding})
        assert head.status_code == 200 and head.data == b""
        for name in ("ETag", "Last-Modified", "Content-Type", "Content-Length", "Cache-Control"):
            assert head.headers[name] == got.headers[name]
        assert head.headers.get("Content-Encoding") == got.headers.get("Content-Encoding")


def test_a_see_other_is_fresh_for_the_max_age_without_validators(client: FlaskClient) -> None:
    """The redirect from a thing's IRI to its description is fixed by the build: caches,
    and the server's own response cache, may keep it."""
    for accept in ("text/html", "text/turtle"):
        response = client.get("/council/nome-midt-telemark", headers={"Accept": accept})
        assert response.status_code == 303
        assert response.cache_control.public and response.cache_control.max_age
        assert "Accept" in response.vary
        assert response.headers.get("ETag") is None
        assert response.last_modified is None


@pytest.mark.parametrize("url", ["/nothing-here", "/dumps/nope", "/catalog?format=nope"])
def test_errors_are_not_given_validators(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code >= 400
    assert "ETag" not in response.headers
    assert "Last-Modified" not in response.headers


def test_posted_queries_are_not_given_validators(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": ASK})
    assert response.status_code == 200
    assert "ETag" not in response.headers


def test_max_age_is_a_setting(store: OxigraphStore, project_root: Path) -> None:
    settings = Settings.load(environ={"IPRKG_CACHE_MAX_AGE": "60"}, root=project_root)
    app = create_app({"TESTING": True, "IPRKG_STORE": store, "IPRKG_SETTINGS": settings})
    assert app.test_client().get("/catalog").headers["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("value", ["-1", "an hour", "1.5", ""])
def test_a_bad_max_age_is_refused(project_root: Path, value: str) -> None:
    with pytest.raises(SettingsError, match="IPRKG_CACHE_MAX_AGE"):
        project_settings(project_root, cache_max_age=value)


def test_other_data_get_a_representation_etag_and_no_date(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    store = OxigraphStore.from_files([DatasetFile(data)], DEFAULT_BASE)
    client = create_app({"TESTING": True, "IPRKG_STORE": store}).test_client()
    response = client.get("/sparql", query_string={"query": SELECT})
    etag = response.headers["ETag"]
    assert "Last-Modified" not in response.headers
    assert (
        client.get(
            "/sparql", query_string={"query": SELECT}, headers={"If-None-Match": etag}
        ).status_code
        == 304
    )


@pytest.mark.slow
def test_a_real_server_revalidates_and_compresses(live_server: str) -> None:
    request = urllib.request.Request(
        f"{live_server}/.well-known/void", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request) as got:
        assert got.headers["Content-Encoding"] == "gzip"
        etag = got.headers["ETag"]
        body = gzip.decompress(got.read())
    assert body.startswith(b"@prefix")
    again = urllib.request.Request(
        f"{live_server}/.well-known/void",
        headers={"Accept-Encoding": "gzip", "If-None-Match": etag},
    )
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(again)
    not_modified.value.close()
    assert not_modified.value.code == 304
    head = urllib.request.Request(f"{live_server}/dumps/iprkg.nt.gz", method="HEAD")
    with urllib.request.urlopen(head) as headers_only:
        assert headers_only.headers["Content-Type"] == "application/gzip"
        assert headers_only.headers["Content-Encoding"] is None
        assert headers_only.read() == b""
