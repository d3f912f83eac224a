"""Soak: the production server under steady load for a long time, watched for drift.

    make soak                                   # 10 minutes at 32 connections, N=60
    .venv/bin/python bench/soak.py --minutes 1  # a short look

``iprkg serve`` (as deployed: its default workers and caches) on the real data plus
``--councils`` synthetic councils (``datasets.prepare``, as ``make bench``) is driven by
wrk with the research and resource mixes together, at ``--connections``, for
``--minutes``, in runs of ``--interval`` seconds after a warm-up. After each run the
server's process tree is measured (PSS and RSS sums, as in ``proctree``). The soak
passes when:

* no request failed (no non-2xx/3xx status, no socket error, no timeout);
* memory grew by less than 10 % from the end of the first run to the end of the last
  (PSS, the honest total for forked workers; RSS is reported beside it);
* latency held: the p99 of the last third of the runs is within twice that of the first
  third, and so is the p50.

Writes ``bench/results/soak-<timestamp>.json`` and ``bench/results/soak-latest.md``;
exits 1 when a condition fails, naming it.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from datasets import prepare
from load import run_wrk
from machine import describe
from proctree import tree_memory
from servers import SERVERS, Running
from workload import research_mix, resource_mix, write_mix

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
GROWTH_LIMIT = 0.10
LATENCY_DRIFT = 2.0


def parse_options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--councils", type=int, default=60, help="synthetic councils (60)")
    parser.add_argument("--minutes", type=float, default=10, help="length of the soak (10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--interval", type=float, default=30, help="seconds per run (30)")
    parser.add_argument("--warmup", type=float, default=30, help="warm-up seconds (30)")
    options = parser.parse_args(argv)
    if options.minutes * 60 < 3 * options.interval:
        parser.error("--minutes must hold at least three --interval runs")
    return options


def soak(options: argparse.Namespace) -> dict[str, Any]:
    """Run the soak; answer every number it measured and its verdicts."""
    dataset = prepare(options.councils, WORK, rebuild=False)
    server = Running(SERVERS["iprkg"], dataset, WORK / "logs")
    server.log_path.parent.mkdir(parents=True, exist_ok=True)
    requests = research_mix(dataset.base, "/sparql") + resource_mix(dataset)
    mix = write_mix(requests, WORK / "soak-mix.txt")
    runs: list[dict[str, Any]] = []
    try:
        cold_start = server.start(ready_timeout=120)
        assert server.process is not None
        run_wrk(server.port, mix, options.connections, options.warmup, timeout=30)
        began = time.perf_counter()
        while time.perf_counter() - began < options.minutes * 60:
            result = run_wrk(server.port, mix, options.connections, options.interval, timeout=30)
            memory = tree_memory(server.process.pid)
            result.update(
                at_s=round(time.perf_counter() - began, 1),
                pss_mb=round(memory.pss / 2**20, 1),
                rss_mb=round(memory.rss / 2**20, 1),
                processes=memory.processes,
            )
            runs.append(result)
            print(_line(result), file=sys.stderr, flush=True)
            server.check_alive()
    finally:
        server.close()
    return {"cold_start_s": round(cold_start, 3), "requests_in_mix": len(requests),
            "triples": dataset.triples, "runs": runs, **verdicts(runs)}  # fmt: skip


def _line(run: dict[str, Any]) -> str:
    return (
        f"{run['at_s']:7.1f} s  {run['throughput_rps']:8.1f} req/s  "
        f"p50 {run['latency_p50_ms']:7.2f} ms  p99 {run['latency_p99_ms']:8.2f} ms  "
        f"errors {run['errors']}  PSS {run['pss_mb']} MB"
    )


def verdicts(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Errors, memory growth and latency drift over ``runs``, each with PASS or FAIL."""
    third = max(1, len(runs) // 3)
    first, last = runs[:third], runs[-third:]

    def drift(key: str) -> float:
        later = statistics.median(float(r[key]) for r in last)
        return later / statistics.median(float(r[key]) for r in first)

    errors = sum(int(r["errors"]) for r in runs)
    growth_pss = runs[-1]["pss_mb"] / runs[0]["pss_mb"] - 1
    growth_rss = runs[-1]["rss_mb"] / runs[0]["rss_mb"] - 1
    return {
        "requests": sum(int(r["requests"]) for r in runs),
        "errors": errors,
        "pss_growth": round(growth_pss, 4),
        "rss_growth": round(growth_rss, 4),
        "p50_drift": round(drift("latency_p50_ms"), 3),
        "p99_drift": round(drift("latency_p99_ms"), 3),
        "checks": {
            "no errors": errors == 0,
            f"PSS growth < {GROWTH_LIMIT:.0%}": growth_pss < GROWTH_LIMIT,
            f"p50 of the last third ≤ {LATENCY_DRIFT}× the first's": drift("latency_p50_ms")
            <= LATENCY_DRIFT,
            f"p99 of the last third ≤ {LATENCY_DRIFT}× the first's": drift("latency_p99_ms")
            <= LATENCY_DRIFT,
        },
    }


def markdown(results: dict[str, Any]) -> str:
    """The soak's summary: settings, the checks, and a row per run."""
    settings = results["settings"]
    lines = [
        f"# Soak {results['started']}",
        "",
        f"{settings['minutes']} minutes at {settings['connections']} connections, "
        f"{results['triples']} triples ({settings['councils']} synthetic councils), "
        f"{results['requests_in_mix']} requests in the mix (research + resource); "
        f"{results['requests']} requests in all, {results['errors']} errors; cold start "
        f"{results['cold_start_s']} s. Memory growth: PSS {results['pss_growth']:+.1%}, "
        f"RSS {results['rss_growth']:+.1%}. Latency drift (last third ÷ first third): "
        f"p50 {results['p50_drift']}×, p99 {results['p99_drift']}×.",
        "",
        "| check | result |",
        "|---|---|",
        *(f"| {name} | {'PASS' if ok else 'FAIL'} |" for name, ok in results["checks"].items()),
        "",
        "| at (s) | req/s | p50 (ms) | p99 (ms) | errors | PSS (MB) | RSS (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        lines.append(
            f"| {run['at_s']} | {run['throughput_rps']:.1f} | {run['latency_p50_ms']:.2f} | "
            f"{run['latency_p99_ms']:.2f} | {run['errors']} | {run['pss_mb']} | {run['rss_mb']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    options = parse_options(argv)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    results: dict[str, Any] = {
        "started": started,
        "machine": describe(),
        "settings": vars(options),
    }
    results |= soak(options)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.replace(":", "").replace("-", "")
    (RESULTS / f"soak-{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    summary = markdown(results)
    (RESULTS / "soak-latest.md").write_text(summary, encoding="utf-8")
    print(summary, end="")
    failed = [name for name, ok in results["checks"].items() if not ok]
    if failed:
        sys.exit(f"soak failed: {'; '.join(failed)}")


if __name__ == "__main__":
    main()
