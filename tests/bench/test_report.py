"""bench/report.py: docs/performance.md shows the results file it names, as the report
writes it from that file alone; and the targets judge hand-made measurements."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from support.project import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results"
IPRKG, NO_CACHE, BEHIND_NGINX = "iprkg", "iprkg-nocache", "iprkg-nginx"


def test_the_docs_results_section_is_the_report_of_the_results_file_it_names(
    report: ModuleType,
) -> None:
    if not [path for path in RESULTS.glob("*.json") if not path.name.startswith("soak-")]:
        pytest.skip("no benchmark results in bench/results yet: `make bench` writes them")
    section, source = report.docs_results(report.DOCS.read_text(encoding="utf-8"))
    assert source is not None, f"{report.DOCS} names no bench/results/*.json in its section"
    assert (PROJECT_ROOT / source).is_file(), f"{report.DOCS} names {source}, which is missing"
    expected = report.docs_section(report.load(PROJECT_ROOT / source), source)
    assert section == expected, (
        f"{report.DOCS} differs from its results file: python bench/report.py {source} --docs"
    )


def wrk_run(throughput: float, p99: float, errors: int = 0, connections: int = 8) -> dict:
    """A load run as bench/wrk/mix.lua reports it."""
    return {
        "requests": int(throughput * 3),
        "errors": errors,
        "timeouts": 0,
        "throughput_rps": throughput,
        "latency_mean_ms": p99 / 2,
        "latency_p50_ms": p99 / 2,
        "latency_p99_ms": p99,
        "latency_max_ms": p99,
        "connections": connections,
    }


def check(status: int) -> dict:
    """A pre-check of one query."""
    return {"ok": status == 200, "status": status, "seconds": 0.1, "rows": 1, "error": ""}


@pytest.fixture
def results(report: ModuleType) -> dict[str, Any]:
    """A small results document: the real data's per-query runs of five servers, and
    N = 600 with pre-checks, cold starts and one memory peak; no /compare timings and no
    rdflib-endpoint."""
    real = {
        IPRKG: {"a": wrk_run(1000, 2), "b": wrk_run(1000, 2)},  # 10x Oxigraph, 2x nginx
        NO_CACHE: {"a": wrk_run(100, 50), "b": wrk_run(100, 50)},  # 1x; slower p99 on "a"
        "oxigraph": {"a": wrk_run(100, 40), "b": wrk_run(100, 60)},
        "oxigraph-nginx": {"a": wrk_run(500, 1), "b": wrk_run(500, 1)},
        BEHIND_NGINX: {"a": wrk_run(450, 1), "b": wrk_run(450, 1)},  # 0.9x nginx
    }
    synthetic = {
        IPRKG: {"cold_start_s": 0.5, "peak_pss_bytes": 250_000_000,
                "precheck": {"research": {"a": check(200), "b": check(200)}}},
        NO_CACHE: {"cold_start_s": 1.2,
                   "precheck": {"research": {"a": check(200), "b": check(503)}}},
    }  # fmt: skip
    servers = [IPRKG, NO_CACHE, "oxigraph", "oxigraph-nginx", BEHIND_NGINX]
    return report.derive({
        "started": "2026-12-01T00:00:00Z",
        "elapsed_s": 60,
        "machine": {"cpu": "a CPU", "cores": 2, "memory_gb": 4.0, "kernel": "6", "python": "3",
                    "versions": {"iprkg": "0"}},
        "settings": {"connections": [1, 8], "duration_s": 3, "warmup_s": 1,
                     "per_query_duration_s": 3, "per_query_warmup_s": 1,
                     "per_query_connections": 8, "wrk_timeout_s": 30, "precheck_timeout_s": 120,
                     "servers": servers, "labels": {key: key for key in servers}},
        "load_mix": {"left_out": {}, "decided_at": 600, "note": "Every query."},
        "sizes": [
            {"councils": 0, "triples": 100, "left_out": {},
             "servers": {key: {"per_query": runs} for key, runs in real.items()}},
            {"councils": 600, "triples": 1000, "left_out": {}, "servers": synthetic},
        ],
    })  # fmt: skip


def verdicts(results: dict[str, Any], target: str) -> tuple[bool | None, bool | None]:
    """Whether iprkg and iprkg without its caches pass the target that starts so."""
    row = next(row for row in results["targets"] if row["target"].startswith(target))
    return row[IPRKG]["passes"], row[NO_CACHE]["passes"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("throughput ≥ 1.5× Oxigraph", (True, False)),
        ("throughput ≥ 1.0× Oxigraph + nginx cache", (True, False)),
        ("p99 ≤ Oxigraph's on every query", (True, False)),
        ("every research query answers", (True, False)),
        ("cold start < 1 s", (True, False)),
        ("peak memory under load", (True, None)),
        ("/compare and its downloads < 100 ms", (None, None)),
        ("throughput ≥ 15× rdflib-endpoint", (None, None)),
    ],
)
def test_targets_pass_miss_or_are_not_measured(
    results: dict[str, Any], target: str, expected: tuple[bool | None, bool | None]
) -> None:
    assert verdicts(results, target) == expected


def test_a_ratio_is_written_with_its_verdict(results: dict[str, Any]) -> None:
    row = results["targets"][0]
    assert (row[IPRKG]["text"], row[NO_CACHE]["text"]) == ("10.00× PASS", "1.00× MISS")
    p99 = next(row for row in results["targets"] if row["target"].startswith("p99"))
    assert p99[NO_CACHE]["text"] == "1/2 queries; worst 1.25× (`a`) MISS"


def test_the_summary_opens_with_the_headline_and_shows_every_verdict(
    report: ModuleType, results: dict[str, Any]
) -> None:
    lines = report.markdown(results).splitlines()
    assert lines[2].startswith("**Headline**")
    assert "without its caches, **1.00×** the throughput of Oxigraph server" in lines[4]
    assert "MISS" in lines[4]
    assert "alone, **2.00×** the throughput of Oxigraph behind nginx's cache" in lines[5]
    assert "PASS" in lines[5]
    assert "nginx cache, **0.90×** the throughput of Oxigraph behind nginx's cache" in lines[6]
    assert "MISS" in lines[6]
    targets = [line for line in lines if line.startswith("| /compare and its downloads")]
    assert targets == ["| /compare and its downloads < 100 ms (warm) | 600 | 1 | n/a | n/a | n/a |"]


def test_the_docs_section_names_its_results_file(
    report: ModuleType, results: dict[str, Any]
) -> None:
    source = "bench/results/20261201T000000Z.json"
    written = report.docs_section(results, source)
    text = f"# Performance\n\n{report.BEGIN}{written}{report.END}\n\nMore prose.\n"
    assert report.docs_results(text) == (written, source)


def test_iprkg_behind_nginx_is_judged_on_the_real_data_targets(results: dict[str, Any]) -> None:
    cells = {row["target"].split(" (")[0]: row[BEHIND_NGINX]["text"] for row in results["targets"]}
    assert cells["throughput ≥ 1.0× Oxigraph + nginx cache"] == "0.90× MISS"
    assert cells["p99 ≤ Oxigraph's on every query"] == "2/2 queries; worst 0.03× (`a`) PASS"
    assert cells["cold start < 1 s"] == "n/a"
