"""Derived ratios, the targets, the Markdown summary of a results document, and the
results section of docs/performance.md.

Everything here reads the results document that run.py writes (plain dicts, as in the
JSON file), so a summary can be made again from any results file:
``python bench/report.py bench/results/<time>.json`` rewrites bench/results/latest.md, and
with ``--docs`` the part of docs/performance.md between ``BEGIN`` and ``END`` as well.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from datasets import REAL_DATA
from datasets import label as dataset_label
from tables import (
    compare_table,
    load_table,
    per_query_table,
    precheck_table,
    ratio_cell,
    resource_failures,
    server_table,
    table,
)

Results = dict[str, Any]
Cell = dict[str, Any]
"""A target's measured value, how it is written, and whether it passes (None: n/a)."""
ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "performance.md"
BEGIN = "<!-- bench:results begin -->"
END = "<!-- bench:results end -->"
RESULTS_FILE = re.compile(r"`(bench/results/[^`/]+\.json)`")
"""How the docs' section names the results file it was written from."""
IPRKG_VARIANTS = ("iprkg", "iprkg-nocache", "iprkg-nginx")
MB = 1_000_000
NOT_MEASURED: Cell = {"value": None, "text": "n/a", "passes": None}
CACHED_PAIRS = (
    ("iprkg", "oxigraph"),
    ("iprkg", "oxigraph-nginx"),
    ("iprkg-backend", "oxigraph"),
    ("iprkg-backend", "oxigraph-nginx"),
    ("iprkg-nginx", "oxigraph"),
    ("iprkg-nginx", "oxigraph-nginx"),
    ("oxigraph-nginx", "oxigraph"),
)
"""Throughput ratios of servers with a response cache (iprkg's own, nginx's)."""
UNCACHED_PAIRS = (("iprkg-nocache", "oxigraph"), ("iprkg-nocache", "rdflib-endpoint"))
"""Throughput ratios of servers without one."""


# ---------------------------------------------------------------- reading a results file


def label(results: Results, key: str) -> str:
    """A server's label as the run recorded it (its key for a server it did not know)."""
    return str(results["settings"]["labels"].get(key, key))


def size_short(size: Results) -> str:
    """A dataset in a table's data column: real data, or N ("600")."""
    return "real data" if size["councils"] == REAL_DATA else str(size["councils"])


def real_data(results: Results) -> Results | None:
    """The real data's measurements, if the run made them."""
    return next((size for size in results["sizes"] if size["councils"] == REAL_DATA), None)


def synthetic(results: Results) -> list[Results]:
    """The synthetic sizes, smallest first."""
    sizes = [size for size in results["sizes"] if size["councils"] != REAL_DATA]
    return sorted(sizes, key=lambda size: size["councils"])


def per_query_clients(results: Results) -> int:
    """The clients of the per-query runs (the most of the mix runs')."""
    settings = results["settings"]
    return int(settings.get("per_query_connections", max(settings["connections"])))


def _run(size: Results, server: str, mix: str, connections: int) -> Results | None:
    """The load run of ``server`` on ``mix`` at ``connections``, if there is one."""
    runs = size["servers"].get(server, {}).get("runs", {}).get(mix, [])
    return next((run for run in runs if run["connections"] == connections), None)


def per_query(size: Results | None, server: str) -> dict[str, Results]:
    """Each query's run alone on ``server`` (empty when not measured)."""
    if size is None:
        return {}
    return dict(size["servers"].get(server, {}).get("per_query", {}))


def throughput(size: Results | None, server: str, clients: int) -> float | None:
    """Research throughput: on the real data the per-query runs' sum, on a synthetic size
    the research mix's run at ``clients``; None when not measured."""
    if size is None:
        return None
    if size["councils"] == REAL_DATA:
        runs = per_query(size, server)
        return sum(float(run["throughput_rps"]) for run in runs.values()) if runs else None
    run = _run(size, server, "research", clients)
    return None if run is None else float(run["throughput_rps"])


def ratio(mine: float | None, theirs: float | None) -> float | None:
    """mine ÷ theirs; inf over a peer that completed nothing; None when one is missing."""
    if mine is None or theirs is None:
        return None
    if not theirs:
        return float("inf") if mine else None
    return mine / theirs


# ---------------------------------------------------------------- targets


def _cell(value: float | None, text: str, passes: bool) -> Cell:
    return {"value": value, "text": f"{text} {'PASS' if passes else 'MISS'}", "passes": passes}


def _times(value: float | None, times: float) -> Cell:
    """A throughput ratio against ``times``."""
    if value is None:
        return NOT_MEASURED
    shown = "∞" if value == float("inf") else f"{value:.2f}×"
    return _cell(None if value == float("inf") else value, shown, value >= times)


def _summed(variant: str, results: Results, peer: str, times: float) -> Cell:
    """Summed per-query throughput on the real data ÷ the peer's, against ``times``."""
    size, clients = real_data(results), per_query_clients(results)
    return _times(ratio(throughput(size, variant, clients), throughput(size, peer, clients)), times)


def _p99_every_query(variant: str, results: Results) -> Cell:
    """On the real data, each query's p99 against Oxigraph's: no more, and no errors. An
    Oxigraph run that completed nothing is beaten by any that did."""
    mine, theirs = per_query(real_data(results), variant), per_query(real_data(results), "oxigraph")
    if not mine or not theirs:
        return NOT_MEASURED
    worst, worst_name, passed = 0.0, "", 0
    for name, peer in theirs.items():
        run = mine.get(name)
        if run is None or run["errors"] or not run["requests"]:
            continue
        if not peer["requests"]:
            passed += 1
            continue
        share = run["latency_p99_ms"] / peer["latency_p99_ms"] if peer["latency_p99_ms"] else 1.0
        passed += share <= 1.0
        if share >= worst:
            worst, worst_name = share, name
    shown = f"{passed}/{len(theirs)} queries; worst {worst:.2f}× (`{worst_name}`)"
    return _cell(worst, shown, passed == len(theirs))


def _every_query_answers(variant: str, size: Results) -> Cell:
    """Each research query answered 200 in the pre-check (no 503, no 422)."""
    checks = size["servers"].get(variant, {}).get("precheck", {}).get("research")
    if not checks:
        return NOT_MEASURED
    failed = {name: check for name, check in checks.items() if check["status"] != 200}
    shown = f"{len(checks) - len(failed)}/{len(checks)} answered"
    if failed:
        shown += " (" + ", ".join(
            f"`{name}` {check['status'] or check['error']}" for name, check in failed.items()
        ) + ")"  # fmt: skip
    return _cell(len(checks) - len(failed), shown, not failed)


def _compare(variant: str, size: Results) -> Cell:
    """/compare and each download it links to, warm, against 100 ms: the slowest of them
    (a request that did not answer 200 misses)."""
    timings = size["servers"].get(variant, {}).get("compare")
    if not timings:
        return NOT_MEASURED
    failed = [path for path, timing in timings.items() if timing["status"] != 200]
    if failed:
        return _cell(None, "not 200: " + ", ".join(f"`{path}`" for path in failed), False)
    path, slowest = max(timings.items(), key=lambda item: item[1]["warm_s"])
    milliseconds = slowest["warm_s"] * 1000
    return _cell(milliseconds, f"{milliseconds:.0f} ms (`{path}`)", milliseconds < 100)


def _cold_start(variant: str, size: Results) -> Cell:
    """Seconds to the first answer, against 1 s."""
    seconds = size["servers"].get(variant, {}).get("cold_start_s")
    return NOT_MEASURED if seconds is None else _cell(seconds, f"{seconds:.2f} s", seconds < 1.0)


def _memory(variant: str, size: Results) -> Cell:
    """Peak PSS under load in MB, against 300 MB (the pre-check's peak is in the server
    table: it runs queries left out of the load, such as similar-councils)."""
    pss = size["servers"].get(variant, {}).get("peak_pss_bytes")
    return _cell(pss / MB, f"{pss / MB:.0f} MB", pss < 300 * MB) if pss else NOT_MEASURED


def _mix_throughput(variant: str, size: Results, peer: str, clients: int, times: float) -> Cell:
    """Research-mix throughput ÷ the peer's at ``clients``, against ``times``."""
    return _times(ratio(throughput(size, variant, clients), throughput(size, peer, clients)), times)


def _row(target: str, data: str, clients: object, measure: Any, *args: Any) -> Results:
    """A targets row: the measure's cell for each iprkg variant."""
    cells = {variant: measure(variant, *args) for variant in IPRKG_VARIANTS}
    return {"target": target, "data": data, "clients": clients, **cells}


def targets(results: Results) -> list[Results]:
    """The targets of issue 20 with the measured value and verdict for both iprkg
    variants (as deployed, and without its caches): throughput and p99 on the real data,
    the largest synthetic size's answers, /compare, cold start and memory; then
    throughput against rdflib-endpoint at each synthetic size and clients level."""
    clients = per_query_clients(results)
    rows = [
        _row("throughput ≥ 1.5× Oxigraph (each query alone, summed)", "real data", clients,
             _summed, results, "oxigraph", 1.5),
        _row("throughput ≥ 1.0× Oxigraph + nginx cache (each query alone, summed)",
             "real data", clients, _summed, results, "oxigraph-nginx", 1.0),
        _row("p99 ≤ Oxigraph's on every query", "real data", clients, _p99_every_query,
             results),
    ]  # fmt: skip
    sizes = synthetic(results)
    if sizes:
        largest = sizes[-1]
        n = str(largest["councils"])
        rows += [
            _row("every research query answers (no 503)", n, "1", _every_query_answers, largest),
            _row("/compare and its downloads < 100 ms (warm)", n, "1", _compare, largest),
            _row("cold start < 1 s", n, "–", _cold_start, largest),
            _row("peak memory under load (PSS) < 300 MB", n, "–", _memory, largest),
        ]
    for size in sizes:
        for level in results["settings"]["connections"]:
            rows.append(_row("throughput ≥ 15× rdflib-endpoint (research mix)",
                             str(size["councils"]), level, _mix_throughput, size,
                             "rdflib-endpoint", level, 15.0))  # fmt: skip
    return rows


def scaling(results: Results) -> list[Results]:
    """Mean latency at the fewest clients, largest N ÷ smallest N, next to the ratio of
    triple counts, for each server measured at both sizes."""
    sizes = synthetic(results)
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    clients = min(results["settings"]["connections"])
    rows = []
    for server in results["settings"]["servers"]:
        before = _run(small, server, "research", clients)
        after = _run(large, server, "research", clients)
        if before is None or after is None or not before["latency_mean_ms"]:
            continue
        rows.append({
            "server": server,
            "sizes": f"{small['councils']}→{large['councils']}",
            "clients": clients,
            "latency_ratio": after["latency_mean_ms"] / before["latency_mean_ms"],
            "triples_ratio": large["triples"] / small["triples"],
        })  # fmt: skip
    return rows


def derive(results: Results) -> Results:
    """Work out the scaling and the targets again from the raw numbers (in place)."""
    results["scaling"] = scaling(results)
    results["targets"] = targets(results)
    return results


# ---------------------------------------------------------------- the summary


def _headline_ratio(cell: Cell, peer: str, target: str) -> str:
    """The ratio of a headline cell against ``peer``, its target and verdict, or that it
    was not measured."""
    if cell["passes"] is None:
        return f"not measured in this run (against {peer}; target {target})"
    shown = "∞" if cell["value"] is None else f"{cell['value']:.2f}×"
    verdict = "PASS" if cell["passes"] else "MISS"
    return f"**{shown}** the throughput of {peer} (target {target}: {verdict})"


def headline(results: Results) -> list[str]:
    """The ratios the issue asks for first: without iprkg's caches against Oxigraph, and
    iprkg against Oxigraph behind nginx's cache, alone and behind the same cache (the
    deployment docs/deploy.md recommends for both)."""
    uncached, cached = results["targets"][0], results["targets"][1]
    clients = per_query_clients(results)
    return [
        f"**Headline** (real data, each query of the research mix alone at {clients} "
        "connections, throughput summed over the queries):",
        "",
        "- **uncached**: iprkg without its caches, "
        + _headline_ratio(uncached["iprkg-nocache"], "Oxigraph server", "≥ 1.5×")
        + ";",
        "- **against the cached peer**: iprkg alone, "
        + _headline_ratio(cached["iprkg"], "Oxigraph behind nginx's cache", "≥ 1.0×")
        + ";",
        "- **both behind the same nginx cache**: iprkg + nginx cache, "
        + _headline_ratio(cached["iprkg-nginx"], "Oxigraph behind nginx's cache", "≥ 1.0×")
        + ".",
    ]


def _targets_table(results: Results) -> list[str]:
    rows = [
        [row["target"], row["data"], str(row["clients"]),
         *(row[variant]["text"] for variant in IPRKG_VARIANTS)]
        for row in results["targets"]
    ]  # fmt: skip
    header = ["target", "data", "clients", *(label(results, v) for v in IPRKG_VARIANTS)]
    return table(header, rows)


def _ratio_table(results: Results, pairs: tuple[tuple[str, str], ...]) -> list[str]:
    """Throughput ratios of ``pairs``: a row per dataset and clients level (the real
    data's per-query sums at their clients, each synthetic size's research mix)."""
    measured = results["settings"]["servers"]
    pairs = tuple((mine, peer) for mine, peer in pairs if mine in measured and peer in measured)
    if not pairs:
        return ["(none of these servers ran)"]
    rows = []
    real = real_data(results)
    levels = [(real, per_query_clients(results))] if real else []
    levels += [(size, c) for size in synthetic(results) for c in results["settings"]["connections"]]
    for size, clients in levels:
        cells = [ratio_cell(ratio(throughput(size, mine, clients), throughput(size, peer, clients)))
                 for mine, peer in pairs]  # fmt: skip
        rows.append([size_short(size), str(clients), *cells])
    header = [f"{label(results, mine)} ÷ {label(results, peer)}" for mine, peer in pairs]
    return table(["data", "clients", *header], rows)


def sections(results: Results, level: int, prechecks: bool) -> list[str]:
    """The summary's body, its headings at ``level`` (2 in the summary, 3 in the docs):
    machine and settings, targets, ratios, then each dataset's tables."""
    heading = "#" * level
    machine, settings = results["machine"], results["settings"]
    per_query_note = (
        f" On the real data each query of the research mix runs alone, "
        f"{settings['per_query_duration_s']} s after a {settings['per_query_warmup_s']} s "
        f"warm-up, at {per_query_clients(results)} clients."
        if "per_query_duration_s" in settings
        else ""
    )
    out = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']:.1f} GB, "
        f"Linux {machine['kernel']}, Python {machine['python']}; "
        + ", ".join(f"{name} {version}" for name, version in machine["versions"].items())
        + ".",
        "",
        f"Settings: mix runs of {settings['duration_s']} s after a {settings['warmup_s']} s "
        f"warm-up (at the most clients) per server and mix, clients {settings['connections']}."
        f"{per_query_note} wrk timeout {settings['wrk_timeout_s']} s; pre-check timeout "
        f"{settings['precheck_timeout_s']} s. Throughput counts 2xx and 3xx answers per "
        "second; errors are other statuses, socket errors and timeouts (in brackets). "
        "Latencies in ms, as wrk measures them. Servers: "
        + ", ".join(label(results, key) for key in settings["servers"])
        + ".",
        "",
        results["load_mix"].get("note", ""),
        "",
        f"{heading} Targets",
        "",
        *_targets_table(results),
        "",
        f"{heading} Throughput ratios",
        "",
        "Cached: iprkg as deployed (its response caches) and the peers with a cache.",
        "",
        *_ratio_table(results, CACHED_PAIRS),
        "",
        "Uncached: iprkg without its caches (`IPRKG_QUERY_CACHE_MB=0`), against peers without one.",
        "",
        *_ratio_table(results, UNCACHED_PAIRS),
        "",
    ]
    labels = results["settings"]["labels"]
    for size in [*filter(None, [real_data(results)]), *reversed(synthetic(results))]:
        name = dataset_label(size["councils"]).capitalize()
        out += [f"{heading} {name} ({size['triples']:,} triples)", ""]
        if size["councils"] == REAL_DATA:
            out += [f"Each query alone, {per_query_clients(results)} clients: req/s / p99 ms.", ""]
            out += [*per_query_table(size, labels), ""]
        out += [*server_table(size, labels), ""]
        if any(server.get("runs") for server in size["servers"].values()):
            out += ["Load (wrk):", "", *load_table(size, labels), ""]
        if any(server.get("compare") for server in size["servers"].values()):
            out += ["`/compare` and its downloads, the first request after the start and "
                    "warm (the median of the six after it), in ms:", ""]  # fmt: skip
            out += [*compare_table(size, labels), ""]
        if prechecks:
            out += ["Pre-check, each query once on each server:", ""]
            out += [*precheck_table(size, labels), ""]
            out += ["Resource mix pre-check:", "", *resource_failures(size, labels), ""]
    if results["scaling"]:
        out += [f"{heading} Cost per query as the data grows", ""]
        rows = [[label(results, r["server"]), r["sizes"], str(r["clients"]),
                 f"{r['latency_ratio']:.2f}×", f"{r['triples_ratio']:.2f}×"]
                for r in results["scaling"]]  # fmt: skip
        out += [*table(["server", "N", "clients", "mean latency ratio", "triples ratio"], rows), ""]
    return out


def markdown(results: Results) -> str:
    """The summary (bench/results/latest.md): the headline, then everything."""
    out = [
        f"# Benchmark: iprkg against its peers ({results['started']})",
        "",
        *headline(results),
        "",
        *sections(results, level=2, prechecks=True),
    ]
    return "\n".join(out).rstrip("\n") + "\n"


def docs_section(results: Results, source: str) -> str:
    """docs/performance.md's results, between ``BEGIN`` and ``END``: written from the
    results file ``source`` (a path from the project root) alone."""
    out = [
        "",
        f"The run of {results['started']} (`{source}`), {results.get('elapsed_s', 0) / 60:.0f} "
        f"minutes; this section is written by `python bench/report.py {source} --docs` "
        "(`make bench` does it at the end of a run). The pre-check of each query on each "
        "server is in the summary it writes, `bench/results/latest.md`.",
        "",
        *headline(results),
        "",
        *sections(results, level=3, prechecks=False),
    ]
    return "\n".join(out).rstrip("\n") + "\n\n"


def _section_bounds(text: str) -> tuple[int, int]:
    """Where the results section's text starts and ends in docs/performance.md."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{DOCS} has no {BEGIN} … {END} section")
    return start + len(BEGIN), end


def docs_results(text: str) -> tuple[str, str | None]:
    """The docs' results section and the results file it names (None if none)."""
    start, end = _section_bounds(text)
    section = text[start:end]
    found = RESULTS_FILE.search(section)
    return section, found.group(1) if found else None


def write_docs(results: Results, path: Path) -> None:
    """Rewrite docs/performance.md's results section from ``results`` (read from ``path``)."""
    text = DOCS.read_text(encoding="utf-8")
    start, end = _section_bounds(text)
    source = path.resolve().relative_to(ROOT).as_posix()
    text = text[:start] + docs_section(results, source) + text[end:]
    DOCS.write_text(text, encoding="utf-8")


def load(path: Path) -> Results:
    """A results file, with its scaling and targets worked out again."""
    return derive(json.loads(path.read_text(encoding="utf-8")))


def main() -> None:
    """Write a summary again from a results file, to bench/results/latest.md or --out
    (the targets are worked out again from the raw numbers); with --docs, rewrite the
    results section of docs/performance.md from it too."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("results", type=Path, help="a bench/results/<time>.json file")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "latest.md")
    parser.add_argument("--docs", action="store_true", help=f"rewrite {DOCS.name}'s section")
    options = parser.parse_args()
    results = load(options.results)
    options.out.write_text(markdown(results), encoding="utf-8")
    print(f"wrote {options.out}")
    if options.docs:
        write_docs(results, options.results)
        print(f"wrote the results section of {DOCS}")


if __name__ == "__main__":
    main()
