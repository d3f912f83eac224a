"""``iprkg serve`` for real: a subprocess on a free loopback port, spoken to over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from support.live import serving
from support.project import iprkg_environment

ASK = "ASK { <council/nome-midt-telemark> a <ontology#RegionalCouncil> }"


@pytest.mark.slow
def test_iprkg_serve_answers_get_and_post_over_http(built_dist: Path) -> None:
    with serving(["--dist", str(built_dist)]) as url:
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
