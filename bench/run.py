"""Side-by-side benchmark: iprkg's production server (alone and behind nginx's cache)
against Oxigraph's server (alone and behind the same cache), iprkg on Oxigraph
(--backend) and rdflib-endpoint, on the same data, in one run (``make bench``).

On the real data and then on each size N (synthetic councils, largest first) every
server is started on the same N-Triples and timed to its first answer (cold start),
iprkg's /compare and its downloads are timed, then each query of the research mix is
sent once (the pre-check: status, time, rows). Then, one server at a time, wrk loads it:
on the real data with each query of the research mix alone, on each N with the mixes at
each clients level. Peak memory (PSS and RSS summed over the process trees of each
server and its companions) is sampled every 100 ms throughout. Results go to
bench/results/<UTC time>.json (every number) and bench/results/latest.md (the summary);
with --docs, docs/performance.md's results section is written from them too.
bench/README.md says how to read them.
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
from datasets import REAL_DATA, SYNTH, Dataset, load_oxigraph, prepare
from load import WrkMissing, run_wrk, wrk_path
from machine import describe
from servers import SERVERS, Running, ServerFailed, uses_oxigraph_store
from workload import (
    Request,
    compare_timings,
    precheck,
    research_mix,
    resource_mix,
    write_mix,
)

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
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"want numbers ≥ 1: {text!r}")
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
    add("--councils", type=_numbers, default=[60, 600], help="synthetic sizes N, each with "
        "the mix runs (default 60,600)")  # fmt: skip
    add("--no-real-data", dest="real_data", action="store_false", help="leave out the real "
        "data (the per-query runs, the headline)")  # fmt: skip
    add("--duration", type=float, default=20, help="seconds per mix run (default 20)")
    add("--warmup", type=float, default=5, help="warm-up seconds per server and mix (default 5)")
    add("--connections", type=_numbers, default=[1, 8], help="clients levels of the mix runs "
        "(default 1,8); the per-query runs use the most")  # fmt: skip
    add("--per-query-duration", type=float, default=3, help="seconds of each query's run on "
        "the real data (default 3; wrk rounds to whole seconds)")  # fmt: skip
    add("--per-query-warmup", type=float, default=1, help="warm-up seconds before each "
        "query's run (default 1)")  # fmt: skip
    add("--servers", type=_servers, default=list(SERVERS), help=f"subset of {','.join(SERVERS)}")
    add("--docs", action="store_true", help="rewrite the results section of "
        "docs/performance.md from this run (make bench passes it; not with --quick)")  # fmt: skip
    add("--quick", action="store_true", help="smoke check: the real data and N=60, 3 s mix "
        "runs and 1 s per-query runs after 1 s warm-ups; never written to the docs")  # fmt: skip
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
        options.per_query_duration, options.per_query_warmup = 1.0, 1.0
        if options.docs:
            print("bench: --quick runs are not written to the docs; --docs ignored",
                  file=sys.stderr)  # fmt: skip
            options.docs = False
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
        for needed in (key, *SERVERS[key].companions):
            server = SERVERS[needed]
            if not server.program.is_file():
                missing.append(
                    f"{server.program} not found (for {SERVERS[key].label}): {server.install}"
                )
    if not SYNTH.is_file():
        missing.append(f"{SYNTH} not found: it makes the synthetic data")
    if missing:
        sys.exit("bench: cannot run:\n" + "\n".join(f"  - {line}" for line in sorted(set(missing))))


def settings(options: argparse.Namespace) -> dict[str, Any]:
    """The settings a run used, as recorded in the results."""
    return {
        "councils": options.councils,
        "real_data": options.real_data,
        "duration_s": options.duration,
        "warmup_s": options.warmup,
        "connections": options.connections,
        "per_query_duration_s": options.per_query_duration,
        "per_query_warmup_s": options.per_query_warmup,
        "per_query_connections": max(options.connections),
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
    """Cold start, then (iprkg) the timings of /compare, then the pre-check of every mix."""
    entry: dict[str, Any] = {"cold_start_s": running.start(options.ready_timeout)}
    if running.server.pages:
        entry["compare"] = compare_timings(running, options.precheck_timeout)
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


def per_query_runs(
    running: Running, requests: list[Request], options: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """Each request alone: a warm-up of --per-query-warmup, then a run of
    --per-query-duration at the most clients, each after the server has settled."""
    connections = max(options.connections)
    folder = WORK / "mixes" / f"{running.name}-{running.dataset.name}"
    runs = {}
    for request in requests:
        path = write_mix([request], folder / f"{request.name.replace('/', '-')}.tsv")
        if options.per_query_warmup > 0:
            running.settle(options.settle, options.ready_timeout)
            run_wrk(running.port, path, connections, options.per_query_warmup, options.wrk_timeout)
        running.settle(options.settle, options.ready_timeout)
        runs[request.name] = run_wrk(
            running.port, path, connections, options.per_query_duration, options.wrk_timeout
        )
        running.check_alive()
    summed = sum(run["throughput_rps"] for run in runs.values())
    print(f"  {running.server.label}: {len(runs)} queries alone at c{connections}, "
          f"{summed:.1f} req/s summed", file=sys.stderr, flush=True)  # fmt: skip
    return runs


def measure(dataset: Dataset, results: dict[str, Any], options: argparse.Namespace) -> None:
    """Measure every server on one dataset, one server at a time (so that no other server
    shares its library pages, which would lower its PSS): first each one's cold start,
    /compare timings and pre-check, then its load: on the real data each query alone, on
    a synthetic size (once the load mix is decided) the mixes."""
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    size: dict[str, Any] = {
        "councils": dataset.councils,
        "label": dataset.label,
        "triples": dataset.triples,
        "content_hash": dataset.content_hash,
        "build_seconds": dataset.build_seconds,
        "servers": {},
    }
    results["sizes"].append(size)
    real = dataset.councils == REAL_DATA
    with contextlib.ExitStack() as stack:
        running = {key: Running(SERVERS[key], dataset, logs) for key in options.servers}
        for server in running.values():
            stack.callback(server.close)
        mixes = {key: mixes_for(key, dataset) for key in options.servers}
        for key, server in running.items():
            if uses_oxigraph_store(key) and dataset.oxigraph_load_seconds is None:
                load_oxigraph(dataset)
                size["oxigraph_load_seconds"] = dataset.oxigraph_load_seconds
            print(f"{dataset.label}: pre-check of {server.server.label}", file=sys.stderr)
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
        if real:
            size["left_out"] = {}
        else:
            if "left_out" not in results["load_mix"]:
                results["load_mix"]["left_out"] = decide_load_mix(size, options)
                results["load_mix"]["decided_at"] = dataset.councils
            size["left_out"] = results["load_mix"]["left_out"]
        for key, server in running.items():
            entry = size["servers"][key]
            if "error" not in entry:
                if real:
                    _per_query_server(server, entry, mixes[key]["research"], options)
                else:
                    _load_server(server, entry, mixes[key], size["left_out"], options)
            server.close()
            entry.update(
                peak_pss_bytes=server.memory.peak_pss,
                peak_rss_bytes=server.memory.peak_rss,
                memory_samples=server.memory.samples,
                peak_processes=server.memory.peak_processes,
                restarts=server.restarts,
            )


def _per_query_server(
    server: Running, entry: dict[str, Any], requests: list[Request], options: argparse.Namespace
) -> None:
    """Start the server again and run each query alone; a failure is recorded, not
    raised."""
    entry["per_query"] = {}
    try:
        server.start(options.ready_timeout)
        entry["per_query"] = per_query_runs(server, requests, options)
    except ServerFailed as error:
        entry["error"] = str(error)


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
        name = f"{server.name}-{server.dataset.name}-{mix}"
        path = write_mix(kept, WORK / "mixes" / f"{name}.tsv")
        try:
            entry["runs"][mix] = load_runs(server, path, options)
        except ServerFailed as error:
            entry["error"] = str(error)
            return


def write_results(results: dict[str, Any], docs: bool) -> tuple[Path, Path]:
    """bench/results/<timestamp>.json and bench/results/latest.md; with ``docs``, the
    results section of docs/performance.md too."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw = RESULTS / f"{results['started'].replace(':', '').replace('-', '')}.json"
    raw.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = RESULTS / "latest.md"
    summary.write_text(report.markdown(results), encoding="utf-8")
    if docs:
        report.write_docs(results, raw)
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
    sizes = sorted(set(options.councils), reverse=True)
    for councils in [REAL_DATA] * options.real_data + sizes:
        dataset = prepare(councils, WORK, options.rebuild)
        measure(dataset, results, options)
    left_out = results["load_mix"]["left_out"]
    results["load_mix"]["note"] = load_mix_note(
        left_out, results["load_mix"]["decided_at"], options
    )
    results["finished"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    results["elapsed_s"] = round(time.perf_counter() - began, 1)
    report.derive(results)
    raw, summary = write_results(results, options.docs)
    print(summary.read_text(), end="")
    print(f"\nresults: {raw.relative_to(ROOT)}, summary: {summary.relative_to(ROOT)}")
    if options.docs:
        print(f"docs: {report.DOCS.relative_to(ROOT)} (its results section)")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("bench: interrupted; every server it started is stopped")
