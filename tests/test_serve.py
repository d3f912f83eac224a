"""``iprkg serve`` for real: a subprocess on a free loopback port, spoken to over HTTP."""

from __future__ import annotations

import json
import re
import selectors
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, iprkg_environment

ASK = "ASK { <council/nome-midt-telemark> a <ontology#RegionalCouncil> }"
STARTUP_SECONDS = 60


def listening_url(server: subprocess.Popen[str]) -> str:
    """Read the server's stderr until it says where it listens."""
    assert server.stderr is not None
    selector = selectors.DefaultSelector()
    selector.register(server.stderr, selectors.EVENT_READ)
    deadline, seen = time.monotonic() + STARTUP_SECONDS, []
    while time.monotonic() < deadline and server.poll() is None:
        if selector.select(timeout=1):
            line = server.stderr.readline()
            seen.append(line)
            found = re.search(r"listening at (http://\S+)", line)
            if found:
                return found.group(1)
    server.kill()
    pytest.fail(f"iprkg serve did not start: {''.join(seen)}{server.stderr.read()}")


@pytest.mark.slow
def test_iprkg_serve_answers_get_and_post_over_http(built_dist: Path) -> None:
    script = Path(sys.executable).parent / "iprkg"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "iprkg"]
    server = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", "0", "--dist", str(built_dist)],
        cwd=PROJECT_ROOT,
        env=iprkg_environment(PROJECT_ROOT),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = listening_url(server)
        assert url.startswith("http://127.0.0.1:")

        with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode({'query': ASK})}") as got:
            assert got.status == 200
            assert got.headers["Content-Type"] == "application/sparql-results+json"
            assert json.load(got)["boolean"] is True

        post = urllib.request.Request(
            url,
            data=ASK.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        )
        with urllib.request.urlopen(post) as posted:
            assert posted.read().decode().strip() == "true"

        update = urllib.request.Request(
            url, data=b"update=CLEAR+ALL", headers={"Accept": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update)
        assert refused.value.code == 403
        assert json.load(refused.value)["error"] == "update-refused"
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr is not None:
            server.stderr.close()


def test_iprkg_serve_without_a_build_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "iprkg", "serve", "--dist", str(tmp_path / "absent")],
        cwd=tmp_path,
        env=iprkg_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot read the artefact in ")
