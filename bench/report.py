"""Derived ratios, the targets, and the Markdown summary of a results document.

Everything here reads the results document that run.py writes (plain dicts, as in the
JSON file), so a summary can be made again from any results file:
``python bench/report.py bench/results/<time>.json`` rewrites bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

Results = dict[str, Any]
IPRKG_VARIANTS = ("iprkg", "iprkg-nocache")
MB = 1_000_000


def _run(size: Results, server: str, mix: str, connections: int) -> Results | None:
    """The load run of ``server`` on ``mix`` at ``connections``, if there is one."""
    runs = size["servers"].get(server, {}).get("runs", {}).get(mix, [])
    return next((run for run in runs if run["connections"] == connections), None)


def _ratio(key: str, mine: Results | None, theirs: Results | None) -> float | None:
    """mine[key] / theirs[key], or None when a run is missing or the divisor is 0."""
    if mine is None or theirs is None or not theirs[key]:
        return None
    return float(mine[key]) / float(theirs[key])


def _mark(cell: Any, unit: str) -> str:
    """A target cell (value, passes): the value and PASS or MISS, or n/a if not measured."""
    value, passes = cell
    if passes is None:
        return "n/a"
    shown = "∞" if value is None else f"{value:.2f}"
    return f"{shown}{unit} {'PASS' if passes else 'MISS'}"


Cell = tuple[float | None, bool | None]
"""A target's measured value and whether it passes: (None, None) when not measured,
(None, True) for a throughput ratio over a peer that completed no request (∞)."""


def _throughput(variant: str, size: Results, peer: str, clients: int, times: float) -> Cell:
    """iprkg's research-mix throughput ÷ the peer's, against ``times``."""
    mine, theirs = _run(size, variant, "research", clients), _run(size, peer, "research", clients)
    if mine is not None and theirs is not None and not theirs["throughput_rps"]:
        return None, mine["throughput_rps"] > 0
    ratio = _ratio("throughput_rps", mine, theirs)
    return ratio, None if ratio is None else ratio >= times


def _p99(variant: str, size: Results, clients: int) -> Cell:
    """iprkg's research-mix p99 ÷ Oxigraph's, against 2."""
    mine, theirs = (
        _run(size, variant, "research", clients),
        _run(size, "oxigraph", "research", clients),
    )
    ratio = _ratio("latency_p99_ms", mine, theirs)
    return ratio, None if ratio is None else ratio <= 2.0


def _cold_start(variant: str, size: Results) -> Cell:
    """Seconds to the first answer, against 2 s."""
    seconds = size["servers"].get(variant, {}).get("cold_start_s")
    return seconds, None if seconds is None else seconds < 2.0


def _memory(variant: str, size: Results) -> Cell:
    """Peak PSS under load in MB, against 300 MB (the pre-check's peak is in the server
    table: it runs queries left out of the load, such as similar-councils)."""
    pss = size["servers"].get(variant, {}).get("peak_pss_bytes")
    return (pss / MB, pss < 300 * MB) if pss else (None, None)


def _growth(variant: str, rows: list[Results]) -> Cell:
    """Mean latency growth, against the growth of the data."""
    row = next((row for row in rows if row["server"] == variant), None)
    if row is None:
        return None, None
    return row["latency_ratio"], row["latency_ratio"] <= row["triples_ratio"]


def _row(target: str, councils: object, clients: object, measure: Any, *args: Any) -> Results:
    """A targets row: the measure's cell for each iprkg variant."""
    cells = {variant: measure(variant, *args) for variant in IPRKG_VARIANTS}
    return {"target": target, "councils": councils, "clients": clients, **cells}


def targets(results: Results) -> list[Results]:
    """Every target with the measured value and verdict for both iprkg variants:
    throughput and p99 at each N, cold start and memory at the largest N, and the growth
    of the cost per query from the smallest N to the largest."""
    sizes = sorted(results["sizes"], key=lambda size: size["councils"])
    levels = results["settings"]["connections"]
    rows = []
    for size in sizes:
        n = size["councils"]
        for clients in levels:
            rows.append(_row("throughput ≥ 1.0× Oxigraph", n, clients, _throughput, size,
                             "oxigraph", clients, 1.0))  # fmt: skip
            rows.append(_row("throughput ≥ 15× rdflib-endpoint", n, clients, _throughput, size,
                             "rdflib-endpoint", clients, 15.0))  # fmt: skip
        rows.append(_row("p99 ≤ 2× Oxigraph", n, max(levels), _p99, size, max(levels)))
    largest = sizes[-1]
    rows.append(_row("cold start < 2 s", largest["councils"], "–", _cold_start, largest))
    rows.append(
        _row("peak memory under load (PSS) < 300 MB", largest["councils"], "–", _memory, largest)
    )
    growth = results["scaling"]
    if growth:
        target = f"cost per query growth ≤ data growth ({growth[0]['triples_ratio']:.2f}×)"
        rows.append(_row(target, growth[0]["sizes"], growth[0]["clients"], _growth, growth))
    return rows


def scaling(results: Results) -> list[Results]:
    """Mean latency at the fewest clients, largest N ÷ smallest N, next to the ratio of
    triple counts, for each server measured at both sizes."""
    sizes = sorted(results["sizes"], key=lambda size: size["councils"])
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    clients = min(results["settings"]["connections"])
    rows = []
    for server in results["settings"]["servers"]:
        before = _run(small, server, "research", clients)
        after = _run(large, server, "research", clients)
        ratio = _ratio("latency_mean_ms", after, before)
        if ratio is not None:
            rows.append({
                "server": server,
                "sizes": f"{small['councils']}→{large['councils']}",
                "clients": clients,
                "latency_ratio": ratio,
                "triples_ratio": large["triples"] / small["triples"],
            })  # fmt: skip
    return rows


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _check_cell(check: Results | None) -> str:
    """A pre-check cell: time and rows, or what went wrong."""
    if check is None:
        return "–"
    if check["status"] == 200:
        return f"{check['seconds']:.3f} s, {check['rows']} rows"
    what = check["status"] if check["status"] is not None else check["error"]
    detail = f": {check['error']}" if check["error"] and check["status"] is not None else ""
    return f"**{what}** after {check['seconds']:.1f} s{detail}".replace("|", "\\|")


def precheck_table(size: Results, labels: dict[str, str]) -> list[str]:
    """Per query: each server's time and rows, and whether the row counts agree."""
    servers = [key for key in size["servers"] if size["servers"][key].get("precheck")]
    names = sorted(
        {name for key in servers for name in size["servers"][key]["precheck"]["research"]}
    )
    rows = []
    for name in names:
        checks = [size["servers"][key]["precheck"]["research"].get(name) for key in servers]
        counts = {c["rows"] for c in checks if c and c["status"] == 200}
        agree = "yes" if len(counts) <= 1 else "**no**: " + ", ".join(map(str, sorted(counts)))
        left_out = " (left out of the load mix)" if name in size["left_out"] else ""
        rows.append([f"`{name}`{left_out}", *map(_check_cell, checks), agree])
    return _table(["query", *(labels[key] for key in servers), "rows agree"], rows)


def _load_rows(size: Results, labels: dict[str, str]) -> list[list[str]]:
    """One row per server, mix and clients level."""
    rows = []
    for key, server in size["servers"].items():
        for mix, runs in server.get("runs", {}).items():
            for run in runs:
                rows.append([
                    labels[key], mix, str(run["connections"]), f"{run['throughput_rps']:.1f}",
                    f"{run['latency_mean_ms']:.1f}", f"{run['latency_p50_ms']:.1f}",
                    f"{run['latency_p99_ms']:.1f}", f"{run['latency_max_ms']:.1f}",
                    f"{run['requests']}", f"{run['errors']} ({run['timeouts']})",
                ])  # fmt: skip
    return rows


def _server_rows(size: Results, labels: dict[str, str]) -> list[list[str]]:
    """One row per server: processes, cold start, memory, restarts, failures."""
    rows = []
    for key, server in size["servers"].items():
        cold = server.get("cold_start_s")
        pss, rss = server.get("peak_pss_bytes"), server.get("peak_rss_bytes")
        pre_pss = server.get("precheck_peak_pss_bytes")
        pre_rss = server.get("precheck_peak_rss_bytes")
        notes = "; ".join([*server.get("restarts", []), server.get("error") or ""]).strip("; ")
        rows.append([
            labels[key],
            str(server.get("peak_processes", "–")),
            f"{cold:.2f} s" if cold is not None else "–",
            f"{pss / MB:.0f} MB" if pss else "–",
            f"{rss / MB:.0f} MB" if rss else "–",
            f"{pre_pss / MB:.0f} MB" if pre_pss else "–",
            f"{pre_rss / MB:.0f} MB" if pre_rss else "–",
            notes.replace("\n", " ").replace("|", "\\|")[:300] or "–",
        ])  # fmt: skip
    return rows


def _resource_failures(size: Results, labels: dict[str, str]) -> list[str]:
    """A line per server on its resource-mix pre-check: all 2xx/3xx, or what was not."""
    lines = []
    for key, server in size["servers"].items():
        checks = server.get("precheck", {}).get("resource")
        if not checks:
            continue
        bad = [f"`{n}` {c['status'] or c['error']}" for n, c in checks.items() if not c["ok"]]
        verdict = "all 2xx/3xx" if not bad else "not 2xx/3xx: " + ", ".join(bad)
        lines.append(f"- {labels[key]}: {len(checks)} requests, {verdict}")
    return lines


def markdown(results: Results) -> str:
    """The summary: per N the servers, the load runs and the pre-check; then targets."""
    labels = results["settings"]["labels"]
    machine = results["machine"]
    settings = results["settings"]
    out = [
        f"# Benchmark: iprkg against Oxigraph and rdflib-endpoint ({results['started']})",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']:.1f} GB, "
        f"Linux {machine['kernel']}, Python {machine['python']}; "
        + ", ".join(f"{name} {version}" for name, version in machine["versions"].items())
        + ".",
        "",
        f"Settings: {settings['duration_s']} s per run after a {settings['warmup_s']} s warm-up "
        f"(8 clients) per server and mix; clients {settings['connections']}; wrk timeout "
        f"{settings['wrk_timeout_s']} s; pre-check timeout {settings['precheck_timeout_s']} s. "
        "Throughput counts 2xx and 3xx answers per second; errors are other statuses, "
        "socket errors and timeouts (in brackets). Latencies in ms, as wrk measures them.",
        "",
        results["load_mix"]["note"],
        "",
    ]
    for size in sorted(results["sizes"], key=lambda size: size["councils"]):
        out += [f"## N = {size['councils']} synthetic councils ({size['triples']:,} triples)", ""]
        header = [
            "server",
            "processes",
            "cold start",
            "peak PSS under load",
            "peak RSS under load",
            "peak PSS, pre-check",
            "peak RSS, pre-check",
            "restarts, failures",
        ]
        out += _table(header, _server_rows(size, labels))
        out += ["", "Load (wrk):", ""]
        header = ["server", "mix", "clients", "req/s", "mean", "p50", "p99", "max", "requests",
                  "errors (timeouts)"]  # fmt: skip
        out += _table(header, _load_rows(size, labels))
        out += ["", "Pre-check, each query once on each server:", ""]
        out += precheck_table(size, labels)
        out += ["", "Resource mix pre-check:", "", *_resource_failures(size, labels), ""]
    out += ["## Targets", ""]
    rows = [
        [row["target"], str(row["councils"]), str(row["clients"]),
         *(_mark(row[variant], _unit(row["target"])) for variant in IPRKG_VARIANTS)]
        for row in results["targets"]
    ]  # fmt: skip
    out += _table(["target", "N", "clients", *(labels[v] for v in IPRKG_VARIANTS)], rows)
    if results["scaling"]:
        out += ["", "## Cost per query as the data grows", ""]
        out += _table(
            ["server", "N", "clients", "mean latency ratio", "triples ratio"],
            [[labels[r["server"]], r["sizes"], str(r["clients"]), f"{r['latency_ratio']:.2f}×",
              f"{r['triples_ratio']:.2f}×"] for r in results["scaling"]],
        )  # fmt: skip
    return "\n".join(out) + "\n"


def _unit(target: str) -> str:
    """How a target's measured value is written."""
    if target.startswith("cold start"):
        return " s"
    if target.startswith("peak memory"):
        return " MB"
    return "×"


def main() -> None:
    """Write a summary again from a results file, to bench/results/latest.md or --out
    (the targets are worked out again from the raw numbers)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("results", type=Path, help="a bench/results/<time>.json file")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "latest.md")
    options = parser.parse_args()
    results = json.loads(options.results.read_text())
    results["scaling"] = scaling(results)
    results["targets"] = targets(results)
    options.out.write_text(markdown(results), encoding="utf-8")
    print(f"wrote {options.out}")


if __name__ == "__main__":
    main()
