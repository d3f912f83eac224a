"""``iprkg.core.http``: the one client of ``serve --backend``, ``publish`` and ``harvest``.

A small HTTP/1.1 server in a thread (keep-alive, so kept connections can be counted)
answers by path; the callers' own behaviour is tested with real stores in
tests/engine/test_remote_store.py and tests/remote/.
"""

from __future__ import annotations

import gzip
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from iprkg import __version__
from iprkg.core import http
from iprkg.core.http import Client, NoAnswer

PACKED = gzip.compress(b"\n" * 100_000)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    connections = 0
    requests: list[tuple[str, dict[str, str], bytes]]
    drop: set[int]
    """Numbers (from 1) of the requests to close the connection on, unanswered."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: Server

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.answer()

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.requests.append((self.path, dict(self.headers), body))
        if len(self.server.requests) in self.server.drop:
            self.close_connection = True
            return
        if self.path.startswith("/hop/"):
            left = int(self.path.rsplit("/", 1)[1])
            self.reply(302, b"", {"Location": f"/hop/{left - 1}" if left else "/here"})
        elif self.path == "/to-file":
            self.reply(302, b"", {"Location": "file:///etc/passwd"})
        elif self.path == "/packed":
            self.reply(200, PACKED, {"Content-Encoding": "gzip", "Content-Type": "text/plain"})
        else:
            self.reply(
                200,
                f"{self.path} {len(body)}".encode(),
                {"Content-Type": "Text/Plain; charset=utf-8"},
            )

    def reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server(("127.0.0.1", 0), Handler)
    running.requests, running.drop = [], set()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        running.server_close()
        thread.join(timeout=10)


def test_every_request_names_iprkg_and_asks_for_the_body_as_sent(server: Server) -> None:
    with Client(10, agent="(harvest)") as client:
        answer = client.exchange("GET", f"{server.url}/x", {"Accept": "text/turtle"})
    assert (answer.status, answer.reason, answer.media_type) == (200, "OK", "text/plain")
    [(_, headers, _)] = server.requests
    assert headers["User-Agent"] == f"iprkg/{__version__} (harvest)"
    assert headers["Accept-Encoding"] == "identity"
    assert headers["Accept"] == "text/turtle"


def test_a_compressed_body_is_read_as_sent_and_bounded(server: Server) -> None:
    with Client(10) as client, client.open("GET", f"{server.url}/packed") as body:
        assert body.read_at_most(10_000) == PACKED, "not unpacked on the way"
    with Client(10) as client, client.open("GET", f"{server.url}/packed") as body:
        assert len(body.read_at_most(10)) == 11, "one byte more than the limit tells it"


def test_redirects_are_followed_only_when_asked_and_only_so_far(server: Server) -> None:
    with Client(10) as client:
        with client.open("GET", f"{server.url}/hop/0") as body:
            assert (body.status, body.url) == (302, f"{server.url}/hop/0")
        with client.open("GET", f"{server.url}/hop/3", redirects=http.MAX_REDIRECTS) as body:
            assert (body.status, body.url, body.read()) == (200, f"{server.url}/here", b"/here 0")
        with client.open("GET", f"{server.url}/hop/20", redirects=http.MAX_REDIRECTS) as body:
            assert (body.status, body.url) == (302, f"{server.url}/hop/10")
        with client.open("GET", f"{server.url}/to-file", redirects=http.MAX_REDIRECTS) as body:
            assert (body.status, body.header("Location")) == (302, "file:///etc/passwd")
        with (
            pytest.raises(ValueError, match="GET and HEAD only"),
            client.open("POST", server.url, redirects=1),
        ):
            pass


def test_a_body_sent_in_chunks_tells_its_progress(server: Server) -> None:
    body = b"x" * (3 * http.CHUNK_BYTES + 5)
    told: list[int] = []
    with Client(10, keep_alive=False) as client:
        answer = client.exchange("POST", f"{server.url}/up", body=body, sent=told.append)
    assert answer.body == f"/up {len(body)}".encode()
    assert told == [http.CHUNK_BYTES, 2 * http.CHUNK_BYTES, 3 * http.CHUNK_BYTES, len(body)]
    [(_, headers, _)] = server.requests
    assert headers["Content-Length"] == str(len(body)) and "Transfer-Encoding" not in headers


def test_connections_are_kept_or_not_and_never_shared_with_another_process(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Client(10) as client:
        for _ in range(3):
            client.exchange("GET", server.url)
        assert server.connections == 1
        monkeypatch.setattr(os, "getpid", lambda: -1)  # as in a forked worker
        client.exchange("GET", server.url)
        assert server.connections == 2
    with Client(10, keep_alive=False) as client:
        for _ in range(2):
            client.exchange("GET", server.url)
    assert server.connections == 4


def test_a_repeatable_request_is_tried_again_when_a_kept_connection_drops(server: Server) -> None:
    server.drop = {2, 4}
    with Client(10) as client:
        client.exchange("GET", server.url)
        with client.open("POST", f"{server.url}/q", body=b"q", repeatable=True) as body:
            assert body.read() == b"/q 1"
        with pytest.raises(NoAnswer) as caught, client.open("POST", f"{server.url}/q", body=b"q"):
            pass
    assert caught.value.connected and not caught.value.timed_out
    assert [path for path, _, _ in server.requests] == ["/", "/q", "/q", "/q"]


def test_no_connection_is_told_apart_in_the_os_words() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with Client(10) as client, pytest.raises(NoAnswer) as caught:
        client.exchange("GET", f"http://127.0.0.1:{port}/")
    failure = caught.value
    assert (failure.connected, failure.timed_out) == (False, False)
    assert failure.reason == "Connection refused"
    assert str(failure) == "[Errno 111] Connection refused"


def test_a_silent_server_times_out() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        with Client(0.3) as client, pytest.raises(NoAnswer) as caught:
            client.exchange("GET", url)
    assert (caught.value.connected, caught.value.timed_out) == (True, True)
    assert caught.value.reason == "timed out"
