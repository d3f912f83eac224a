"""The sample nginx configuration, docs/nginx/iprkg.conf, run for real in front of a real
``iprkg serve``: it caches with iprkg's validators, keeps the variants that ``Vary``
names apart, never caches POST, passes the forwarding headers, and revalidates an
expired entry with the app's 304.

nginx runs in the foreground from a temporary prefix, with the docs' file included as it
is but for its upstream address, listen port and cache path. Without nginx
(Debian: ``apt-get install nginx``) the tests that run it skip, and fail under CI; the
last test checks that docs/deploy.md shows the file as it is.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from support.live import PROJECT_ROOT, free_port, live
from support.processes import stop, unavailable

pytestmark = pytest.mark.slow

SAMPLE = PROJECT_ROOT / "docs" / "nginx" / "iprkg.conf"
DEPLOY_DOC = PROJECT_ROOT / "docs" / "deploy.md"
UPSTREAM = "server 127.0.0.1:8080;"
LISTEN = "listen 80;"
CACHE_PATH = "proxy_cache_path /var/cache/nginx/iprkg "
"""The strings of the sample that a test replaces, each found exactly once."""
STARTUP_SECONDS = 10
RESOURCE = "/council/nome-midt-telemark.ttl"
TURTLE = "text/turtle"
HTML = "text/html"


def nginx_binary() -> Path:
    """nginx on PATH or at /usr/sbin/nginx (Debian's, not on a user's PATH); a skip
    without it, a failure under CI."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None
    )
    if found is None:
        unavailable(
            "nginx is not installed (not on PATH nor at /usr/sbin/nginx): apt-get install nginx"
        )
    return Path(found)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes

    @property
    def cache_status(self) -> str:
        """nginx's X-Cache-Status ("" when absent)."""
        return self.headers.get("X-Cache-Status", "")

    @property
    def etag(self) -> str:
        return self.headers.get("ETag", "")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


def fetch(
    base: str,
    target: str,
    headers: Mapping[str, str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
) -> Answer:
    """One request to ``base`` (``http://host:port``) on a connection of its own."""
    where = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=dict(headers or {}))
        with connection.getresponse() as response:
            return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def sample_for(upstream: str, port: int, cache: Path) -> str:
    """The docs' configuration, proxying to ``upstream`` (host:port) from ``port``."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in (
        (UPSTREAM, f"server {upstream};"),
        (LISTEN, f"listen 127.0.0.1:{port};"),
        (CACHE_PATH, f"proxy_cache_path {cache} "),
    ):
        assert text.count(old) == 1, f"{SAMPLE} should hold {old!r} exactly once"
        text = text.replace(old, new)
    return text


def main_configuration(prefix: Path) -> str:
    """nginx.conf for a private nginx under ``prefix``: its logs and temporary files
    there, and the sample included in its http {} context."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # root's workers would be nobody
    temporary = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\n"
        f"error_log {prefix / 'error.log'} info;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"    access_log {prefix / 'access.log'};\n"
        f"{temporary}\n"
        f"    include {prefix / 'iprkg.conf'};\n"
        "}\n"
    )


@contextmanager
def nginx_in_front_of(binary: Path, upstream: str, prefix: Path) -> Iterator[str]:
    """A foreground nginx under ``prefix`` serving the sample before ``upstream``;
    yields its base URL, ``http://127.0.0.1:PORT``, and stops it on leaving."""
    port = free_port()
    (prefix / "iprkg.conf").write_text(sample_for(upstream, port, prefix / "cache"), "utf-8")
    (prefix / "nginx.conf").write_text(main_configuration(prefix), "utf-8")
    error_log = prefix / "error.log"
    command = [
        str(binary),
        "-p", str(prefix),
        "-e", str(error_log),
        "-c", str(prefix / "nginx.conf"),
        "-g", f"daemon off; pid {prefix / 'nginx.pid'};",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, process, error_log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process, timeout=10)


def wait_for_port(port: int, process: subprocess.Popen[bytes], error_log: Path) -> None:
    """Until something accepts on ``port``; fails with nginx's log if nginx exits."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    log = error_log.read_text("utf-8", "replace") if error_log.exists() else ""
    pytest.fail(f"nginx did not start (exit code {process.poll()}):\n{log}", pytrace=False)


def upstream_of(server_url: str) -> str:
    """host:port of a live server's ``/sparql`` URL."""
    return urllib.parse.urlsplit(server_url).netloc


@pytest.fixture(scope="module")
def nginx() -> Path:
    return nginx_binary()


@pytest.fixture(scope="module")
def iprkg(nginx: Path, built_dist: Path) -> Iterator[str]:
    """``iprkg serve`` on the built artefact, trusting one proxy; its host:port."""
    with live(
        ["--dist", str(built_dist), "--workers", "2"], settings={"IPRKG_PROXY_HOPS": "1"}
    ) as server:
        yield upstream_of(server.url)


@pytest.fixture
def proxy(nginx: Path, iprkg: str, tmp_path: Path) -> Iterator[str]:
    """nginx with the sample and an empty cache in front of ``iprkg``; its base URL."""
    with nginx_in_front_of(nginx, iprkg, tmp_path) as url:
        yield url


def test_a_second_get_is_a_cache_hit_with_the_same_etag(proxy: str) -> None:
    first = fetch(proxy, RESOURCE, {"Accept": TURTLE})
    second = fetch(proxy, RESOURCE, {"Accept": TURTLE})
    assert (first.status, first.cache_status) == (200, "MISS")
    assert (second.status, second.cache_status) == (200, "HIT")
    assert first.etag.startswith('"') and second.etag == first.etag
    assert second.body == first.body
    assert second.content_type.startswith(TURTLE)


def test_if_none_match_gets_304_through_nginx(proxy: str) -> None:
    tag = fetch(proxy, RESOURCE).etag
    assert tag
    unchanged = fetch(proxy, RESOURCE, {"If-None-Match": tag})
    assert (unchanged.status, unchanged.body, unchanged.etag) == (304, b"", tag)
    assert unchanged.cache_status == "HIT"
    other = fetch(proxy, RESOURCE, {"If-None-Match": '"some-other-build"'})
    assert (other.status, other.etag) == (200, tag) and other.body


def test_each_accept_gets_its_own_variant(proxy: str) -> None:
    turtle = fetch(proxy, "/ontology", {"Accept": TURTLE})
    html = fetch(proxy, "/ontology", {"Accept": HTML})
    assert turtle.content_type.startswith(TURTLE) and html.content_type.startswith(HTML)
    assert html.cache_status == "MISS", "a Turtle answer is no HTML one"
    assert html.body != turtle.body and html.etag != turtle.etag
    for asked in (turtle, html):
        again = fetch(proxy, "/ontology", {"Accept": asked.content_type.split(";")[0]})
        assert (again.content_type, again.body) == (asked.content_type, asked.body)
        assert again.cache_status == "HIT"


def test_gzip_is_kept_apart_from_identity(proxy: str) -> None:
    compressed = fetch(proxy, RESOURCE, {"Accept": TURTLE, "Accept-Encoding": "gzip"})
    plain = fetch(proxy, RESOURCE, {"Accept": TURTLE, "Accept-Encoding": "identity"})
    assert compressed.headers.get("Content-Encoding") == "gzip"
    assert plain.headers.get("Content-Encoding") is None
    assert plain.cache_status == "MISS" and plain.body.startswith(b"@prefix")


def test_sparql_by_get_is_cached_and_by_post_is_not(proxy: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class }"
    target = f"/sparql?{urllib.parse.urlencode({'query': query})}"
    accept = {"Accept": "application/sparql-results+json"}
    gets = [fetch(proxy, target, accept) for _ in range(2)]
    assert [(answer.status, answer.cache_status) for answer in gets] == [
        (200, "MISS"),
        (200, "HIT"),
    ]
    form = {**accept, "Content-Type": "application/x-www-form-urlencoded"}
    body = urllib.parse.urlencode({"query": query}).encode("ascii")
    posts = [fetch(proxy, "/sparql", form, "POST", body) for _ in range(2)]
    assert [answer.status for answer in posts] == [200, 200]
    assert [answer.body for answer in posts] == [gets[0].body] * 2
    assert {answer.cache_status for answer in posts} <= {"", "BYPASS", "MISS"}


def test_the_see_other_is_stored_and_errors_are_not(proxy: str) -> None:
    for target, status, second in [
        ("/council/nome-midt-telemark", 303, "HIT"),
        ("/council/no-such-council", 404, "MISS"),
    ]:
        answers = [fetch(proxy, target, {"Accept": TURTLE}) for _ in range(2)]
        assert answers[0].status == status
        assert [answer.cache_status for answer in answers] == ["MISS", second], target


def test_links_name_the_proxy_not_the_upstream(proxy: str, iprkg: str) -> None:
    landing = fetch(proxy, "/", {"Accept": HTML}).body.decode("utf-8")
    assert f"{proxy}/dumps/iprkg.ttl" in landing
    assert iprkg not in landing


def test_an_expired_entry_is_revalidated_with_the_apps_304(
    nginx: Path, built_dist: Path, tmp_path: Path
) -> None:
    max_age = 2  # nginx counts in whole seconds: an entry stays fresh 2 to 3 s
    settings = {"IPRKG_PROXY_HOPS": "1", "IPRKG_CACHE_MAX_AGE": str(max_age)}
    with (
        live(["--dist", str(built_dist), "--workers", "1"], settings=settings) as server,
        nginx_in_front_of(nginx, upstream_of(server.url), tmp_path) as proxy,
    ):
        fresh = [fetch(proxy, RESOURCE, {"Accept": TURTLE}) for _ in range(2)]
        assert [answer.cache_status for answer in fresh] == ["MISS", "HIT"]
        time.sleep(max_age + 1.1)
        revalidated = fetch(proxy, RESOURCE, {"Accept": TURTLE})
        assert (revalidated.status, revalidated.cache_status) == (200, "REVALIDATED")
        assert (revalidated.etag, revalidated.body) == (fresh[0].etag, fresh[0].body)
        assert fetch(proxy, RESOURCE, {"Accept": TURTLE}).cache_status == "HIT"


def test_the_deploy_doc_shows_the_tested_configuration() -> None:
    doc = DEPLOY_DOC.read_text(encoding="utf-8")
    section = doc.split("\n## Behind nginx\n", 1)
    assert len(section) == 2, f"{DEPLOY_DOC} has no section 'Behind nginx'"
    shown = re.search(r"```nginx\n(.*?)```", section[1].split("\n## ", 1)[0], re.DOTALL)
    assert shown, "the section 'Behind nginx' shows no ```nginx block"
    assert shown.group(1) == SAMPLE.read_text(encoding="utf-8")
