"""Shared output of the benchmark scripts: a plain-text result table and the JSON file.

    from bench.report import print_table, write_results

    print_table(
        results,                                  # {name: {column: value}} or [{...}]
        ["status", "median_ms", "min_ms", "queries"],
        first="measurement",
    )
    path = write_results(report, "api-2026-11-28-postgresql.json")

Columns are the keys of each result; missing values print as ``–``. The first column (the
name, or the ``first`` key of list rows) is left-aligned and as wide as the longest name.
"""

import json
import os
import platform
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


def format_table(results, columns: list[str], first: str = "measurement") -> str:
    if isinstance(results, dict):
        rows = [(name, values) for name, values in results.items()]
    else:
        rows = [(str(row.get(first, "")), row) for row in results]
    name_width = max([len(first), *(len(name) for name, _ in rows)])
    widths = [
        max(len(column), *(len(_cell(values.get(column))) for _, values in rows))
        if rows
        else len(column)
        for column in columns
    ]
    lines = [
        f"{first:{name_width}}  "
        + "  ".join(f"{column:>{width}}" for column, width in zip(columns, widths, strict=True))
    ]
    for name, values in rows:
        lines.append(
            f"{name:{name_width}}  "
            + "  ".join(
                f"{_cell(values.get(column)):>{width}}"
                for column, width in zip(columns, widths, strict=True)
            )
        )
    return "\n".join(lines)


def print_table(results, columns: list[str], first: str = "measurement") -> None:
    print(format_table(results, columns, first=first))


def write_results(report: dict, name: str, output: str | Path | None = None) -> Path:
    """Write ``report`` as indented JSON to ``output`` (default bench/results/) + ``name``."""
    directory = Path(output) if output else RESULTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


def python_speed() -> float:
    """Seconds for a fixed loop of plain Python (10 million additions; best of three): how
    fast this machine runs Python at the moment. Machines of the same kind differ by a
    factor of two or more, so results from different runs are compared with it in mind."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return round(best, 2)


def machine() -> dict:
    """The machine a run measured on, with its load and Python speed at the start."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = match.group(1).strip() if match else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        memory = f"{int(match.group(1)) // 1024} MB" if match else ""
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 1) for value in os.getloadavg()],
        "python_loop_s": python_speed(),
    }
