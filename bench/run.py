"""Side-by-side benchmark: iprkg's production server against Oxigraph's server and
rdflib-endpoint, on the same synthetic data, in one run (``make bench``).

For each size N (synthetic councils, largest first) every server is started on the same
N-Triples and timed to its first answer (cold start), then sent each query of the
research mix once (the pre-check: status, time, rows), then loaded with wrk at each
clients level, one server at a time. Peak memory (PSS and RSS summed over each server's
process tree) is sampled every 100 ms throughout. Results go to bench/results/<UTC
time>.json (every number) and bench/results/latest.md (the summary); bench/README.md
says how to read them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import report
from datasets import SYNTH, Dataset, load_oxigraph, prepare
from load import WrkMissing, run_wrk, wrk_path
from machine import describe
from servers import SERVERS, Running, ServerFailed
from workload import Request, precheck, research_mix, resource_mix, write_mix

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
REFERENCE = ("iprkg", "iprkg-nocache", "oxigraph")
"""The servers whose pre-check decides which queries are too slow for the load mix."""


def _numbers(text: str) -> list[int]:
    """A comma-separated list of positive integers, as --councils and --connections take."""
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not values or min(values) < 0:
        raise argparse.ArgumentTypeError(f"want numbers ≥ 0: {text!r}")
    return values


def _servers(text: str) -> list[str]:
    """A comma-separated subset of the known servers, kept in their usual order."""
    wanted = {part.strip() for part in text.split(",") if part.strip()}
    unknown = wanted - SERVERS.keys()
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(f"servers are some of {', '.join(SERVERS)}")
    return [key for key in SERVERS if key in wanted]


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; --quick overrides sizes and durations for a smoke check."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--councils", type=_numbers, default=[60, 600], help="sizes N (default 60,600)")
    add("--duration", type=float, default=20, help="seconds per load run (default 20)")
    add("--warmup", type=float, default=5, help="warm-up seconds per server and mix (default 5)")
    add("--connections", type=_numbers, default=[1, 8], help="clients levels (default 1,8)")
    add("--servers", type=_servers, default=list(SERVERS), help=f"subset of {','.join(SERVERS)}")
    add("--quick", action="store_true", help="smoke check: N=60 only, 3 s runs, 1 s warm-up")
    add("--slow-limit", type=float, default=10, help="pre-check seconds above which a query "
        "is left out of the load mix (default 10; see bench/README.md)")  # fmt: skip
    add("--precheck-timeout", type=float, default=120, help="seconds (default 120)")
    add("--wrk-timeout", type=float, default=30, help="wrk's request timeout (default 30)")
    add("--settle", type=float, default=60, help="seconds to wait for an idle server "
        "between runs before restarting it (default 60)")  # fmt: skip
    add("--ready-timeout", type=float, default=300, help="seconds to wait for a cold start")
    add("--rebuild", action="store_true", help="make the synthetic builds again")
    options = parser.parse_args(argv)
    if options.quick:
        options.councils, options.duration, options.warmup = [60], 3.0, 1.0
    if min(options.connections) < 1:
        parser.error("--connections must be 1 or more")
    return options


def check_prerequisites(servers: list[str]) -> None:
    """Exit with a message naming whatever is missing and how to install it."""
    missing = []
    try:
        wrk_path()
    except WrkMissing as error:
        missing.append(str(error))
    for key in servers:
        program = SERVERS[key].program
        if not program.is_file():
            missing.append(
                f"{program} not found (for {SERVERS[key].label}): install the bench extra "
                "with `make bench`, or `.venv/bin/pip install -e '.[bench]'`"
            )
    if not SYNTH.is_file():
        missing.append(f"{SYNTH} not found: it makes the synthetic data")
    if missing:
        sys.exit("bench: cannot run:\n" + "\n".join(f"  - {line}" for line in sorted(set(missing))))


def settings(options: argparse.Namespace) -> dict[str, Any]:
    """The settings a run used, as recorded in the results."""
    return {
        "councils": options.councils,
        "duration_s": options.duration,
        "warmup_s": options.warmup,
        "connections": options.connections,
        "servers": options.servers,
        "labels": {key: SERVERS[key].label for key in SERVERS},
        "environments": {key: SERVERS[key].environment for key in options.servers},
        "slow_limit_s": options.slow_limit,
        "precheck_timeout_s": options.precheck_timeout,
        "wrk_timeout_s": options.wrk_timeout,
        "settle_s": options.settle,
        "quick": options.quick,
    }


def mixes_for(key: str, dataset: Dataset) -> dict[str, list[Request]]:
    """The requests of each mix a server is measured on."""
    server = SERVERS[key]
    mixes = {"research": research_mix(dataset.base, server.endpoint)}
    if "resource" in server.mixes:
        mixes["resource"] = resource_mix(dataset)
    return mixes


def start_and_check(
    running: Running, mixes: dict[str, list[Request]], options: argparse.Namespace
) -> dict[str, Any]:
    """Cold start, then the pre-check of every mix."""
    entry: dict[str, Any] = {"cold_start_s": running.start(options.ready_timeout)}
    entry["precheck"] = {
        mix: {c.name: c.as_dict() for c in precheck(running, requests, options.precheck_timeout)}
        for mix, requests in mixes.items()
    }
    return entry


def decide_load_mix(size: dict[str, Any], options: argparse.Namespace) -> dict[str, str]:
    """Queries left out of the research load mix, with why: those a reference server
    (iprkg or Oxigraph) failed or answered slower than --slow-limit in the pre-check."""
    keys = [key for key in options.servers if key in REFERENCE] or options.servers
    left_out: dict[str, str] = {}
    for key in keys:
        label = SERVERS[key].label
        for name, check in size["servers"][key].get("precheck", {}).get("research", {}).items():
            if check["status"] != 200:
                reason = f"{label} answered {check['status'] or check['error']}"
            elif check["seconds"] > options.slow_limit:
                reason = f"{label} took {check['seconds']:.1f} s"
            else:
                continue
            left_out[name] = "; ".join(filter(None, [left_out.get(name), reason]))
    return left_out


def load_mix_note(left_out: dict[str, str], councils: int, options: argparse.Namespace) -> str:
    """The sentence the summary gives about the research load mix."""
    if not left_out:
        return "Research load mix: every query of queries/ and queries/compare/."
    names = "; ".join(f"`{name}` ({why})" for name, why in sorted(left_out.items()))
    return (
        f"Research load mix: every query of queries/ and queries/compare/ except {names}: "
        f"at N={councils} (the largest N, measured first) iprkg or Oxigraph failed them or "
        f"took over {options.slow_limit:g} s in the pre-check. They are left out at every N "
        "so that the cost per query compares the same work; their times are in the "
        "pre-check tables."
    )


def load_runs(running: Running, mix: Path, options: argparse.Namespace) -> list[dict[str, Any]]:
    """A warm-up at the most clients, then a run per clients level, each after the server
    has settled."""
    running.settle(options.settle, options.ready_timeout)
    top = max(options.connections)
    run_wrk(running.port, mix, top, options.warmup, options.wrk_timeout)
    runs = []
    for connections in options.connections:
        running.settle(options.settle, options.ready_timeout)
        runs.append(run_wrk(running.port, mix, connections, options.duration, options.wrk_timeout))
        running.check_alive()
        print(f"  {running.server.label} {mix.stem} c{connections}: "
              f"{runs[-1]['throughput_rps']:.1f} req/s", file=sys.stderr, flush=True)  # fmt: skip
    return runs


def measure_size(dataset: Dataset, results: dict[str, Any], options: argparse.Namespace) -> None:
    """Measure every server on one dataset, one server at a time (so that no other server
    shares its library pages, which would lower its PSS): first each one's cold start and
    pre-check, then, once the load mix is decided, each one's load runs."""
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    size: dict[str, Any] = {
        "councils": dataset.councils,
        "triples": dataset.triples,
        "content_hash": dataset.content_hash,
        "build_seconds": dataset.build_seconds,
        "servers": {},
    }
    results["sizes"].append(size)
    with contextlib.ExitStack() as stack:
        running = {key: Running(SERVERS[key], dataset, logs) for key in options.servers}
        for server in running.values():
            stack.callback(server.close)
        mixes = {key: mixes_for(key, dataset) for key in options.servers}
        for key, server in running.items():
            if key == "oxigraph":
                load_oxigraph(dataset)
                size["oxigraph_load_seconds"] = dataset.oxigraph_load_seconds
            print(f"N={dataset.councils}: pre-check of {server.server.label}", file=sys.stderr)
            try:
                size["servers"][key] = start_and_check(server, mixes[key], options)
            except ServerFailed as error:
                size["servers"][key] = {"error": str(error)}
            finally:
                server.stop()
            # The pre-check runs every query, also those left out of the load (similar-
            # councils at N=600): its peak is kept apart from the peak under load.
            pss, rss = server.memory.reset()
            size["servers"][key].update(precheck_peak_pss_bytes=pss, precheck_peak_rss_bytes=rss)
        if "left_out" not in results["load_mix"]:
            results["load_mix"]["left_out"] = decide_load_mix(size, options)
            results["load_mix"]["decided_at"] = dataset.councils
        size["left_out"] = results["load_mix"]["left_out"]
        for key, server in running.items():
            entry = size["servers"][key]
            if "error" not in entry:
                _load_server(server, entry, mixes[key], size["left_out"], options)
            server.close()
            entry.update(
                peak_pss_bytes=server.memory.peak_pss,
                peak_rss_bytes=server.memory.peak_rss,
                memory_samples=server.memory.samples,
                peak_processes=server.memory.peak_processes,
                restarts=server.restarts,
            )


def _load_server(
    server: Running,
    entry: dict[str, Any],
    mixes: dict[str, list[Request]],
    left_out: dict[str, str],
    options: argparse.Namespace,
) -> None:
    """Start the server again and make its load runs on each of its mixes; a failure is
    recorded, not raised."""
    entry["runs"] = {}
    try:
        server.start(options.ready_timeout)
    except ServerFailed as error:
        entry["error"] = str(error)
        return
    for mix, requests in mixes.items():
        kept = [request for request in requests if request.name not in left_out]
        name = f"{server.server.key}-{server.dataset.councils}-{mix}"
        path = write_mix(kept, WORK / "mixes" / f"{name}.tsv")
        try:
            entry["runs"][mix] = load_runs(server, path, options)
        except ServerFailed as error:
            entry["error"] = str(error)
            return


def write_results(results: dict[str, Any]) -> tuple[Path, Path]:
    """bench/results/<timestamp>.json and bench/results/latest.md."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw = RESULTS / f"{results['started'].replace(':', '').replace('-', '')}.json"
    raw.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = RESULTS / "latest.md"
    summary.write_text(report.markdown(results), encoding="utf-8")
    return raw, summary


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so that every server started is stopped."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write its results."""
    options = parse_options(argv)
    check_prerequisites(options.servers)
    signal.signal(signal.SIGTERM, _terminate)
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    results: dict[str, Any] = {
        "started": started,
        "machine": describe(),
        "settings": settings(options),
        "load_mix": {},
        "sizes": [],
    }
    began = time.perf_counter()
    for councils in sorted(set(options.councils), reverse=True):
        dataset = prepare(councils, WORK, options.rebuild)
        measure_size(dataset, results, options)
    left_out = results["load_mix"]["left_out"]
    results["load_mix"]["note"] = load_mix_note(
        left_out, results["load_mix"]["decided_at"], options
    )
    results["finished"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    results["elapsed_s"] = round(time.perf_counter() - began, 1)
    results["scaling"] = report.scaling(results)
    results["targets"] = report.targets(results)
    raw, summary = write_results(results)
    print(summary.read_text(), end="")
    print(f"\nresults: {raw.relative_to(ROOT)}, summary: {summary.relative_to(ROOT)}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("bench: interrupted; every server it started is stopped")
