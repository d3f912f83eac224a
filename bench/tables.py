"""The Markdown tables of a benchmark summary, each from one dataset's measurements (a
``size`` of the results document: its servers' cold starts, memory, pre-checks and runs).

``labels`` maps a server's key to how it is named; a key it lacks is shown as it is.
"""

from __future__ import annotations

from typing import Any

Size = dict[str, Any]
MB = 1_000_000


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def ratio_cell(value: float | None) -> str:
    """A ratio (times), infinity over a peer that completed nothing, a dash when not
    measured."""
    if value is None:
        return "–"
    return "∞" if value == float("inf") else f"{value:.2f}×"


def _escaped(text: str) -> str:
    """Text safe in a table cell: one line, no bare column separators."""
    return text.replace("\n", " ").replace("|", "\\|")


def _check_cell(check: Size | None) -> str:
    """A pre-check cell: time and rows, or what went wrong."""
    if check is None:
        return "–"
    if check["status"] == 200:
        return f"{check['seconds']:.3f} s, {check['rows']} rows"
    what = check["status"] if check["status"] is not None else check["error"]
    detail = f": {check['error']}" if check["error"] and check["status"] is not None else ""
    return _escaped(f"**{what}** after {check['seconds']:.1f} s{detail}")


def precheck_table(size: Size, labels: dict[str, str]) -> list[str]:
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
    return table(["query", *(labels.get(key, key) for key in servers), "rows agree"], rows)


def _run_cell(run: Size | None) -> str:
    """A per-query cell: req/s / p99 ms, and the errors if any."""
    if run is None:
        return "–"
    cell = f"{run['throughput_rps']:,.1f} / {run['latency_p99_ms']:.1f}"
    if run["errors"]:
        cell += f" ({run['errors']} errors)"
    return cell


def _p99_verdict(run: Size | None, peer: Size | None) -> str:
    """Whether a query's p99 is no more than Oxigraph's (and its run had no errors)."""
    if run is None or peer is None:
        return "–"
    if run["errors"] or not run["requests"]:
        return "**no** (errors)" if run["errors"] else "**no** (no answer)"
    if not peer["requests"] or run["latency_p99_ms"] <= peer["latency_p99_ms"]:
        return "yes"
    return "**no**"


def per_query_table(size: Size, labels: dict[str, str]) -> list[str]:
    """Per query of the real data: each server's req/s and p99 alone, and whether each
    iprkg variant's p99 is within Oxigraph's; a last row sums the throughput."""
    servers = [key for key, entry in size["servers"].items() if entry.get("per_query")]
    runs = {key: size["servers"][key]["per_query"] for key in servers}
    judged = [key for key in ("iprkg", "iprkg-nocache") if key in runs]
    peer = runs.get("oxigraph", {})
    names = sorted({name for key in servers for name in runs[key]})
    rows = [
        [f"`{name}`", *(_run_cell(runs[key].get(name)) for key in servers),
         *(_p99_verdict(runs[key].get(name), peer.get(name)) for key in judged)]
        for name in names
    ]  # fmt: skip
    sums = [sum(run["throughput_rps"] for run in runs[key].values()) for key in servers]
    rows.append(["**summed req/s**", *(f"**{value:,.1f}**" for value in sums), *[""] * len(judged)])
    header = [labels.get(key, key) for key in servers]
    verdicts = [f"{labels.get(key, key)}: p99 ≤ Oxigraph's" for key in judged]
    return table(["query", *header, *verdicts], rows)


def load_table(size: Size, labels: dict[str, str]) -> list[str]:
    """One row per server, mix and clients level."""
    rows = []
    for key, server in size["servers"].items():
        for mix, runs in server.get("runs", {}).items():
            for run in runs:
                rows.append([
                    labels.get(key, key), mix, str(run["connections"]),
                    f"{run['throughput_rps']:.1f}", f"{run['latency_mean_ms']:.1f}",
                    f"{run['latency_p50_ms']:.1f}", f"{run['latency_p99_ms']:.1f}",
                    f"{run['latency_max_ms']:.1f}", f"{run['requests']}",
                    f"{run['errors']} ({run['timeouts']})",
                ])  # fmt: skip
    header = ["server", "mix", "clients", "req/s", "mean", "p50", "p99", "max", "requests",
              "errors (timeouts)"]  # fmt: skip
    return table(header, rows)


def server_table(size: Size, labels: dict[str, str]) -> list[str]:
    """One row per server: processes, cold start, memory, restarts, failures."""
    rows = []
    for key, server in size["servers"].items():
        cold = server.get("cold_start_s")
        pss, rss = server.get("peak_pss_bytes"), server.get("peak_rss_bytes")
        pre_pss = server.get("precheck_peak_pss_bytes")
        pre_rss = server.get("precheck_peak_rss_bytes")
        notes = "; ".join([*server.get("restarts", []), server.get("error") or ""]).strip("; ")
        rows.append([
            labels.get(key, key),
            str(server.get("peak_processes", "–")),
            f"{cold:.2f} s" if cold is not None else "–",
            f"{pss / MB:.0f} MB" if pss else "–",
            f"{rss / MB:.0f} MB" if rss else "–",
            f"{pre_pss / MB:.0f} MB" if pre_pss else "–",
            f"{pre_rss / MB:.0f} MB" if pre_rss else "–",
            _escaped(notes)[:300] or "–",
        ])  # fmt: skip
    header = ["server", "processes", "cold start", "peak PSS under load", "peak RSS under load",
              "peak PSS, pre-check", "peak RSS, pre-check", "restarts, failures"]  # fmt: skip
    return table(header, rows)


def _timing_cell(timing: Size | None, key: str) -> str:
    """A /compare time in ms, or the status that was not 200."""
    if timing is None:
        return "–"
    if timing["status"] != 200:
        return f"**{timing['status'] or timing['error']}**"
    return f"{timing[key] * 1000:.0f}"


def compare_table(size: Size, labels: dict[str, str]) -> list[str]:
    """Per request (/compare, then each download): its size and, per iprkg variant, the
    first request after the start and the warm one, in ms."""
    servers = [key for key, entry in size["servers"].items() if entry.get("compare")]
    timings = {key: size["servers"][key]["compare"] for key in servers}
    paths = list(dict.fromkeys(path for key in servers for path in timings[key]))
    rows = []
    for path in paths:
        sizes = {timings[key][path]["bytes"] for key in servers if path in timings[key]}
        shown = ", ".join(f"{value / 1000:,.0f} kB" for value in sorted(sizes))
        cells = [_timing_cell(timings[key].get(path), which)
                 for key in servers for which in ("first_s", "warm_s")]  # fmt: skip
        rows.append([f"`{path}`", shown, *cells])
    header = [f"{labels.get(key, key)}, {which}" for key in servers for which in ("first", "warm")]
    return table(["request", "size", *header], rows)


def resource_failures(size: Size, labels: dict[str, str]) -> list[str]:
    """A line per server on its resource-mix pre-check: all 2xx/3xx, or what was not."""
    lines = []
    for key, server in size["servers"].items():
        checks = server.get("precheck", {}).get("resource")
        if not checks:
            continue
        bad = [f"`{n}` {c['status'] or c['error']}" for n, c in checks.items() if not c["ok"]]
        verdict = "all 2xx/3xx" if not bad else "not 2xx/3xx: " + ", ".join(bad)
        lines.append(f"- {labels.get(key, key)}: {len(checks)} requests, {verdict}")
    return lines
