"""Every listing and export command at project scale, run as a user runs it.

    uv run python benchmarks/generate.py --out /tmp/qualcode-bench                      # 100k
    uv run python benchmarks/generate.py --out /tmp/qualcode-bench-10k --codings 10000  # 10k
    uv run python benchmarks/scale_bench.py --project /tmp/qualcode-bench-10k/project.qualcode \\
        --project /tmp/qualcode-bench/project.qualcode --runs 3

Runs `.venv/bin/qualcode COMMAND -p PROJECT` in a subprocess for each command and project
(median of --runs after a warm-up; see measure.py), with the peak memory of the command's
process (`getrusage(RUSAGE_CHILDREN)` in a wrapper) beside its time, and the load average.
For two or more projects it also prints each command's time ratio against the number of
codings, so linear growth (or better) is visible. Targets are checked on the largest
project (issue 9): sources / informants / codebook show < 1 s and < 200 MB; codings --format
csv < 5 s and < 300 MB; export all.xlsx < 10 s and < 500 MB, with the default coder choice,
one coder and all the project's coders (a passage coded alike by several counts once).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import load, measure_runs, qualcode_exe

# name: (arguments after `qualcode`, output file suffix or None, seconds, MB); each export
# replaces the last one's file (`--force`), as a user exporting again does
COMMANDS: dict[str, tuple[list[str], str | None, float, float]] = {
    "sources": (["sources"], None, 1.0, 200.0),
    "informants": (["informants"], None, 1.0, 200.0),
    "codebook show": (["codebook", "show", "sobandi-2008"], None, 1.0, 200.0),
    "codings --format csv": (["codings", "--format", "csv"], ".csv", 5.0, 300.0),
    "codings --format json": (["codings", "--format", "json"], ".json", 10.0, 300.0),
    "export all.xlsx": (["export", "{out}/all.xlsx", "--force"], None, 10.0, 500.0),
    "export all.xlsx --coders (one)": (
        ["export", "{out}/all.xlsx", "--force", "--coders", "{coder}"], None, 10.0, 500.0),
    "export all.xlsx --coders (all)": (
        ["export", "{out}/all.xlsx", "--force", "--coders", "{coders}"], None, 10.0, 500.0),
}


def codings_in(project: Path) -> int:
    """How many codings the project holds."""
    conn = sqlite3.connect(project)
    try:
        return int(conn.execute("SELECT count(*) FROM coding").fetchone()[0])
    finally:
        conn.close()


def coders_in(project: Path) -> list[str]:
    """The project's coders, by name ({coder}: the first, {coders}: all, comma-separated; a
    passage several of them coded alike counts once)."""
    conn = sqlite3.connect(project)
    try:
        return [str(r[0]) for r in conn.execute(
            "SELECT DISTINCT coder FROM coding ORDER BY coder")]
    finally:
        conn.close()


def bench_project(project: Path, names: list[str], runs: int) -> dict[str, Any]:
    """Every chosen command on one project."""
    exe = qualcode_exe()
    coders = coders_in(project)
    figures: dict[str, Any] = {"codings": codings_in(project), "coders": coders, "commands": {}}
    fill = {"{coder}": coders[0] if coders else "", "{coders}": ",".join(coders)}
    with tempfile.TemporaryDirectory(prefix="qualcode-scale-") as tmp:
        for name in names:
            args, suffix, seconds, mb = COMMANDS[name]
            if not coders and any(a in fill for a in args):
                continue
            command = [exe, *(fill.get(a, a.replace("{out}", tmp)) for a in args),
                       "-p", str(project)]
            stdout = Path(tmp) / f"out{suffix}" if suffix else "-"
            print(f"{project.name} ({figures['codings']} codings): {name}", file=sys.stderr)
            run = measure_runs(command, runs=runs, stdout=stdout)
            run["target"] = {"seconds": seconds, "peak_mb": mb}
            run["meets_target"] = run["seconds"] < seconds and run["peak_mb"] < mb
            figures["commands"][name] = run
    return figures


def growth(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """Time and memory ratios of each command between two projects, beside the codings ratio
    (a time ratio at or below the codings ratio is linear growth or better)."""
    codings = large["codings"] / small["codings"]
    out: dict[str, Any] = {"codings_ratio": round(codings, 2)}
    for name, fig in large["commands"].items():
        base = small["commands"].get(name)
        if base:
            out[name] = {"time_ratio": round(fig["seconds"] / base["seconds"], 2),
                         "peak_mb_ratio": round(fig["peak_mb"] / base["peak_mb"], 2),
                         "linear_or_better": fig["seconds"] / base["seconds"] <= codings}
    return out


def main(argv: list[str] | None = None) -> None:
    """Measure, then print one JSON object."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--project", type=Path, action="append", required=True,
                    help="A benchmark project (repeat: smallest first).")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", action="append", choices=list(COMMANDS),
                    help="Only these commands (repeatable).")
    args = ap.parse_args(argv)
    names = args.only or list(COMMANDS)
    result: dict[str, Any] = {"load_before": load(), "projects": {}}
    per = [bench_project(p, names, args.runs) for p in args.project]
    for path, figures in zip(args.project, per, strict=True):
        result["projects"][str(path)] = figures
    if len(per) > 1:
        result["growth"] = growth(per[0], per[-1])
    result["meets_targets"] = all(f["meets_target"] for f in per[-1]["commands"].values())
    result["load_after"] = load()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
