"""``iprkg publish`` against a real Virtuoso: Debian's ``virtuoso-opensource`` (7.2).

The module starts ``virtuoso-t +foreground`` on a private database in a temporary folder,
with a ``virtuoso.ini`` written here that binds its SQL and HTTP ports to free loopback
ports, and prepares it through ``isql-vt`` as docs/deploy.md tells an operator to: a
user ``iprkg`` granted ``SPARQL_UPDATE``, and a Graph Store path that takes HTTP Basic
(Virtuoso's own ``/sparql-graph-crud-auth`` asks for Digest, which ``publish`` does not
send). Where ``virtuoso-t`` or ``isql-vt`` is absent the tests skip, saying so; under
``CI`` they fail (``apt-get install virtuoso-opensource``).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from iprkg.artefact.manifest import read_manifest
from support.live import free_port
from support.processes import stop, unavailable
from support.project import RunIprkg

pytestmark = pytest.mark.slow

STARTUP_SECONDS = 60
PUBLISHER = "iprkg"
PUBLISHER_PASSWORD = "publish-secret"  # a throwaway instance on loopback only
DBA_PASSWORD = "dba"  # a new database's; the instance is gone after the module
BASIC_PATH = "/sparql-graph-crud-basic"
"""The Graph Store path the module defines with Basic authentication."""
CAPPED_ROWS = 1000
"""ResultSetMaxRows of the capped instance: fewer than the dataset's triples."""


def virtuoso_tools() -> tuple[str, str]:
    """``virtuoso-t`` and ``isql-vt``; a skip without them, a failure under CI."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        absent = " and ".join(
            name for name, path in [("virtuoso-t", server), ("isql-vt", isql)] if path is None
        )
        unavailable(
            f"Virtuoso is not installed ({absent} not on PATH): "
            "apt-get install virtuoso-opensource (Debian) installs both"
        )
    return server, isql


def virtuoso_ini(folder: Path, http_port: int, sql_port: int, max_rows: int) -> str:
    """A minimal configuration: everything in ``folder``, both ports on loopback only."""
    return f"""\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {folder}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = {max_rows}
"""


@dataclass
class Virtuoso:
    """A running ``virtuoso-t``: its HTTP base URL, SQL port, process and log."""

    base: str
    sql_port: int
    process: subprocess.Popen[bytes]
    log: Path
    isql: str

    @property
    def query(self) -> str:
        return f"{self.base}/sparql"

    @property
    def anonymous_store(self) -> str:
        """Graph Store as the ``SPARQL`` user, who may not update unless granted."""
        return f"{self.base}/sparql-graph-crud"

    @property
    def digest_store(self) -> str:
        """Virtuoso's authenticated Graph Store, as installed: HTTP Digest."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def basic_store(self) -> str:
        return f"{self.base}{BASIC_PATH}"

    def written(self) -> str:
        return self.log.read_text(errors="replace")

    def sql(self, *statements: str) -> None:
        """Run the statements as dba through ``isql-vt``; fail on any SQL error (isql-vt
        exits 0 after one, and says ``*** Error``)."""
        script = "".join(f"{statement};\n" for statement in statements)
        result = subprocess.run(
            [self.isql, f"127.0.0.1:{self.sql_port}", "dba", DBA_PASSWORD, "VERBOSE=OFF"],
            input=script,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        said = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in said:
            pytest.fail(f"isql-vt failed (exit {result.returncode}) on:\n{script}\n{said}")


def start_virtuoso(folder: Path, max_rows: int) -> Virtuoso:
    """``virtuoso-t +foreground`` on a new database in ``folder``; waits until it is
    online (its log says so and the HTTP port takes connections)."""
    server, isql = virtuoso_tools()
    http_port, sql_port = free_port(), free_port()
    while sql_port == http_port:
        sql_port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, http_port, sql_port, max_rows))
    log = folder / "server.log"
    with log.open("wb") as written:
        process = subprocess.Popen(
            [server, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=written,
            stderr=subprocess.STDOUT,
        )
    virtuoso = Virtuoso(f"http://127.0.0.1:{http_port}", sql_port, process, log, isql)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if "Server online at" in virtuoso.written():
            try:
                socket.create_connection(("127.0.0.1", http_port), timeout=1).close()
                return virtuoso
            except OSError:
                pass
        time.sleep(0.1)
    exited = process.poll()
    stop(process)
    why = f"exited with code {exited}" if exited is not None else f"in {STARTUP_SECONDS} s"
    pytest.fail(
        f"virtuoso-t did not come online ({why}); its log:\n{virtuoso.written()}",
        pytrace=False,
    )


@pytest.fixture(autouse=True)
def no_store_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own IPRKG_STORE_* never reach a test's ``iprkg publish``."""
    for name in ("IPRKG_STORE_USER", "IPRKG_STORE_PASSWORD", "IPRKG_STORE_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def running(folder: Path, max_rows: int, *statements: str) -> Iterator[Virtuoso]:
    """A Virtuoso on a new database in ``folder`` with ``statements`` run as dba; stopped,
    and ``folder`` removed, afterwards."""
    try:
        server = start_virtuoso(folder, max_rows)
        try:
            server.sql(*statements)
            yield server
        finally:
            stop(server.process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


PUBLISHER_SETUP = (
    f"DB.DBA.USER_CREATE ('{PUBLISHER}', '{PUBLISHER_PASSWORD}')",
    f'GRANT SPARQL_UPDATE TO "{PUBLISHER}"',
    # Virtuoso's /sparql-graph-crud-auth, with Basic instead of Digest
    f"DB.DBA.VHOST_DEFINE (lpath=>'{BASIC_PATH}', ppath=>'/!sparql-graph-crud/', "
    "is_dav=>1, vsp_user=>'dba', sec=>'basic', realm=>'SPARQL', "
    "auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', opts=>vector ('noinherit', 1, 'exec_as_get', 1))",
)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Virtuoso as installed (ResultSetMaxRows 10000, as Debian's virtuoso.ini has it),
    plus the publisher and the Basic path."""
    yield from running(tmp_path_factory.mktemp("virtuoso"), 10000, *PUBLISHER_SETUP)


@pytest.fixture
def capped_virtuoso(tmp_path: Path) -> Iterator[Virtuoso]:
    """A Virtuoso whose answers are capped by ResultSetMaxRows = CAPPED_ROWS (it sends
    one row more); the SPARQL user (anonymous) may update."""
    yield from running(tmp_path / "virtuoso", CAPPED_ROWS, 'GRANT SPARQL_UPDATE TO "SPARQL"')


def publish(
    run_iprkg: RunIprkg,
    root: Path,
    dist: Path,
    store: str,
    virtuoso: Virtuoso,
    graph: str,
    *options: str,
    credentials: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    return run_iprkg(
        "publish",
        "--store",
        store,
        "--query-endpoint",
        virtuoso.query,
        "--graph",
        graph,
        "--dist",
        str(dist),
        *options,
        root=root,
        env=credentials,
    )


PUBLISHER_CREDENTIALS = {
    "IPRKG_STORE_USER": PUBLISHER,
    "IPRKG_STORE_PASSWORD": PUBLISHER_PASSWORD,
}


def count(virtuoso: Virtuoso, graph: str) -> int:
    """The triples in ``graph``, asked of /sparql independently of iprkg."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        virtuoso.query,
        data=urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        results = json.load(response)
    return int(results["results"]["bindings"][0]["n"]["value"])


def test_publish_with_basic_credentials_verifies_the_exact_dataset(
    built_dist: Path, virtuoso: Virtuoso, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    graph = "https://example.org/virtuoso/published"
    manifest = read_manifest(built_dist)
    triples = int(manifest["triples"])
    # twice: the second PUT replaces the first graph, and Virtuoso keeps every literal
    # as written (xsd:nonNegativeInteger too), so --exact passes as well
    for options in [(), ("--exact",)]:
        result = publish(
            run_iprkg,
            tmp_path,
            built_dist,
            virtuoso.basic_store,
            virtuoso,
            graph,
            *options,
            credentials=PUBLISHER_CREDENTIALS,
        )
        assert result.returncode == 0, result.stderr
        verified = f"verified {triples} triples, {manifest['content_hash']}"
        assert verified in result.stdout
        assert "rewritten" not in result.stdout
        assert f"verifying through {virtuoso.query}" in result.stderr
        assert PUBLISHER_PASSWORD not in result.stdout + result.stderr
        assert count(virtuoso, graph) == triples


def test_a_wrong_password_is_refused_and_leaves_no_graph(
    built_dist: Path, virtuoso: Virtuoso, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    graph = "https://example.org/virtuoso/wrong-password"
    wrong = {**PUBLISHER_CREDENTIALS, "IPRKG_STORE_PASSWORD": "not-the-password"}
    result = publish(
        run_iprkg, tmp_path, built_dist, virtuoso.basic_store, virtuoso, graph, credentials=wrong
    )
    assert result.returncode == 6, result.stderr
    assert "401" in result.stderr
    assert "IPRKG_STORE_PASSWORD" in result.stderr  # what to check
    assert "not-the-password" not in result.stdout + result.stderr
    assert result.stdout == ""
    assert count(virtuoso, graph) == 0


def test_the_anonymous_endpoint_without_the_grant_is_refused_and_leaves_no_graph(
    built_dist: Path, virtuoso: Virtuoso, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    graph = "https://example.org/virtuoso/anonymous"
    result = publish(run_iprkg, tmp_path, built_dist, virtuoso.anonymous_store, virtuoso, graph)
    assert result.returncode == 6, result.stderr
    assert "403" in result.stderr
    assert count(virtuoso, graph) == 0


def test_a_revoked_grant_refuses_the_upload_and_leaves_the_graph_as_it_was(
    built_dist: Path, virtuoso: Virtuoso, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    graph = "https://example.org/virtuoso/revoked"
    triples = int(read_manifest(built_dist)["triples"])
    virtuoso.sql('GRANT SPARQL_UPDATE TO "SPARQL"')
    try:
        granted = publish(
            run_iprkg, tmp_path, built_dist, virtuoso.anonymous_store, virtuoso, graph
        )
        assert granted.returncode == 0, granted.stderr
        assert count(virtuoso, graph) == triples
    finally:
        virtuoso.sql('REVOKE SPARQL_UPDATE FROM "SPARQL"')
    revoked = publish(run_iprkg, tmp_path, built_dist, virtuoso.anonymous_store, virtuoso, graph)
    assert revoked.returncode == 6, revoked.stderr
    assert "403" in revoked.stderr
    assert count(virtuoso, graph) == triples


def test_virtuosos_own_auth_endpoint_asks_for_digest_and_is_refused(
    built_dist: Path, virtuoso: Virtuoso, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    graph = "https://example.org/virtuoso/digest"
    anonymous = publish(run_iprkg, tmp_path, built_dist, virtuoso.digest_store, virtuoso, graph)
    assert anonymous.returncode == 6, anonymous.stderr
    assert "401" in anonymous.stderr
    assert "digest" in anonymous.stderr.lower()
    # Basic credentials get a 401 too (with no challenge): Digest only
    basic = publish(
        run_iprkg,
        tmp_path,
        built_dist,
        virtuoso.digest_store,
        virtuoso,
        graph,
        credentials=PUBLISHER_CREDENTIALS,
    )
    assert basic.returncode == 6, basic.stderr
    assert "401" in basic.stderr
    assert count(virtuoso, graph) == 0


def test_answers_capped_by_result_set_max_rows_are_read_in_parts_and_verified(
    built_dist: Path, capped_virtuoso: Virtuoso, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    graph = "https://example.org/virtuoso/capped"
    manifest = read_manifest(built_dist)
    triples = int(manifest["triples"])
    assert triples > CAPPED_ROWS  # else the cap would not bite
    result = publish(
        run_iprkg, tmp_path, built_dist, capped_virtuoso.anonymous_store, capped_virtuoso, graph
    )
    assert result.returncode == 0, result.stderr
    parts = re.search(r"read back in (\d+) parts by subject", result.stderr)
    assert parts, result.stderr
    assert int(parts.group(1)) >= triples // (CAPPED_ROWS + 1)
    assert f"verified {triples} triples, {manifest['content_hash']}" in result.stdout
    assert count(capped_virtuoso, graph) == triples
