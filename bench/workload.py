"""What the servers are asked: the research mix, the resource mix, the pre-check, and
the comparison page's timings.

The research mix is every ``queries/*.rq`` and ``queries/compare/*.rq``, each with
``BASE <base>`` prepended so that every server gets the same absolute query text. The
resource mix (iprkg only) dereferences councils, strategies, municipalities and focus
areas as Turtle (``.ttl``), as HTML (``.html``) and by their bare IRI path, which
answers 303 See Other. A mix is written for wrk as a file of ``path<TAB>accept`` lines.
``/compare`` and each download it links to are timed on the first request after a
start and when warm (iprkg only).
"""

from __future__ import annotations

import html
import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from client import fetch
from datasets import Dataset
from servers import SPARQL_JSON, Running

ROOT = Path(__file__).resolve().parent.parent
QUERY_FOLDERS = (ROOT / "queries", ROOT / "queries" / "compare")
RESOURCE_CLASSES = ("RegionalCouncil", "Strategy", "Municipality", "FocusArea")
"""Classes (in the iprkg ontology) whose instances the resource mix dereferences."""
PER_CLASS = 6
"""Instances of each class in the resource mix, evenly spread over the sorted IRIs."""
COMPARE_PAGE = "/compare"
COMPARE_DOWNLOAD = re.compile(r'href="(/compare/[^"/]+\.(csv|json)(?:\?[^"]*)?)"')
"""A download the comparison page links to, e.g. ``/compare/themes.json``."""
DOWNLOAD_TYPES = {"csv": "text/csv", "json": "application/json"}
WARM_REQUESTS = 6
"""Requests after the first whose median is the warm time: a few, so that each worker
has answered the URL at least once."""
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass(frozen=True)
class Request:
    """One request of a mix: a name for reports, the server path and the Accept."""

    name: str
    path: str
    accept: str


@dataclass(frozen=True)
class Check:
    """The pre-check of one request on one server."""

    name: str
    status: int | None
    seconds: float
    rows: int | None
    error: str

    def as_dict(self) -> dict[str, object]:
        """The raw numbers, for the results file."""
        return {
            "ok": self.status is not None and 200 <= self.status < 400,
            "status": self.status,
            "seconds": round(self.seconds, 4),
            "rows": self.rows,
            "error": self.error,
        }


def research_mix(base: str, endpoint: str) -> list[Request]:
    """Every competency and comparison query, absolute, as GETs to ``endpoint``."""
    requests = []
    for folder in QUERY_FOLDERS:
        for path in sorted(folder.glob("*.rq")):
            text = f"BASE <{base}>\n" + path.read_text(encoding="utf-8")
            name = str(path.relative_to(ROOT / "queries").with_suffix(""))
            requests.append(Request(name, f"{endpoint}?query={quote(text, safe='')}", SPARQL_JSON))
    return requests


def resource_mix(dataset: Dataset) -> list[Request]:
    """Turtle, HTML and 303 requests for a spread of the dataset's own resources."""
    requests = []
    text = dataset.nt.read_text(encoding="utf-8")
    base = re.escape(dataset.base)
    for name in RESOURCE_CLASSES:
        typed = rf"^<{base}([^>]+)> {TYPE} <{base}ontology#{name}> \.$"
        pattern = re.compile(typed, re.MULTILINE)
        paths = sorted(set(pattern.findall(text)))
        step = max(1, len(paths) // PER_CLASS)
        for path in paths[::step][:PER_CLASS]:
            requests += [
                Request(f"{path}.ttl", f"/{path}.ttl", "text/turtle"),
                Request(f"{path}.html", f"/{path}.html", "text/html"),
                Request(f"{path} (303)", f"/{path}", "text/html"),
            ]
    return requests


def write_mix(requests: list[Request], path: Path) -> Path:
    """Write a mix as wrk's mix.lua reads it: one ``path<TAB>accept`` line a request."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{r.path}\t{r.accept}\n" for r in requests), encoding="ascii")
    return path


def result_rows(body: bytes) -> int | None:
    """The number of solutions in a SPARQL JSON result (1 for ASK), None if unreadable."""
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if "boolean" in document:
        return 1
    bindings = document.get("results", {}).get("bindings")
    return len(bindings) if isinstance(bindings, list) else None


def precheck(running: Running, requests: list[Request], timeout: float) -> list[Check]:
    """Send each request once, recording status, time and rows. After a timeout the
    server is restarted, so that the abandoned request does not slow what follows."""
    checks = []
    for request in requests:
        answer = fetch(running.port, request.path, request.accept, timeout)
        sparql = request.accept == SPARQL_JSON and answer.status == 200
        rows = result_rows(answer.body) if sparql else None
        error = answer.error or ("" if answer.ok else _error_text(answer.body))
        checks.append(Check(request.name, answer.status, answer.seconds, rows, error))
        if answer.error == "timeout":
            running.restarts.append(f"{request.name} timed out in the pre-check")
            running.restart(ready_timeout=timeout)
    return checks


def compare_timings(running: Running, timeout: float) -> dict[str, dict[str, object]]:
    """Time ``/compare`` (HTML) and each download it links to: the first request after
    the server's start (call this first thing after it) and the median of
    ``WARM_REQUESTS`` more, each on a connection of its own. Per path: status, bytes,
    first and warm seconds, or the error."""
    page = fetch(running.port, COMPARE_PAGE, "text/html", timeout)
    requests = [Request(COMPARE_PAGE, COMPARE_PAGE, "text/html")]
    for path, extension in COMPARE_DOWNLOAD.findall(page.body.decode("utf-8", "replace")):
        path = html.unescape(path)
        if all(path != known.path for known in requests):
            requests.append(Request(path, path, DOWNLOAD_TYPES[extension]))
    timings: dict[str, dict[str, object]] = {}
    for request in requests:
        first = page if request.path == COMPARE_PAGE else None
        first = first or fetch(running.port, request.path, request.accept, timeout)
        warm = [fetch(running.port, request.path, request.accept, timeout)
                for _ in range(WARM_REQUESTS)]  # fmt: skip
        failed = [answer for answer in (first, *warm) if answer.status != 200]
        timings[request.path] = {
            "status": (failed or [first])[0].status,
            "error": (failed or [first])[0].error,
            "bytes": len(first.body),
            "first_s": round(first.seconds, 4),
            "warm_s": round(statistics.median(answer.seconds for answer in warm), 4),
        }
    return timings


def _error_text(body: bytes) -> str:
    """The first line of an error body, short enough for a table."""
    lines = body.decode("utf-8", errors="replace").strip().splitlines()
    return lines[0][:80] if lines else ""
