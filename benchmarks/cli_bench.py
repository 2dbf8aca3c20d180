"""CLI start-up benchmark: `qualcode --help` wall time and the heaviest imports.

    uv run python benchmarks/cli_bench.py [--runs 10]

Runs the installed entry point (.venv/bin/qualcode) in a subprocess `--runs` times (median,
min and max wall seconds, median child CPU seconds; target median < 0.3 s), times a bare
`import typer` for comparison, then runs `--help` once under `python -X importtime` to list the
slowest imports and which heavy libraries it loads at all. JSON goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 0.3
HEAVY = ("spacy", "sqlalchemy", "sqlmodel", "alembic", "pandas", "numpy", "textual",
         "matplotlib", "docx", "openpyxl", "yaml", "lxml", "pydantic", "rich")
HELP_CODE = "import sys; sys.argv = ['qualcode', '--help']; from qualcode.cli import main; main()"


def entry_point() -> Path:
    """The installed `qualcode` script: the project's venv, else the one on PATH."""
    candidate = ROOT / ".venv" / "bin" / "qualcode"
    if candidate.exists():
        return candidate
    found = shutil.which("qualcode")
    if found is None:
        raise SystemExit("qualcode is not installed: run `uv sync` first")
    return Path(found)


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(command: list[str], runs: int) -> dict[str, Any]:
    """Wall (and child CPU) seconds of a command over `runs` runs, after one untimed warm-up."""
    env = {**os.environ, "COLUMNS": "100"}
    subprocess.run(command, capture_output=True, check=True, env=env)
    times, cpu = [], []
    for _ in range(runs):
        started, cpu_before = time.perf_counter(), _child_cpu()
        done = subprocess.run(command, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
        cpu.append(_child_cpu() - cpu_before)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return {"runs": runs, "median": round(statistics.median(times), 3),
            "min": round(min(times), 3), "max": round(max(times), 3),
            "cpu_median": round(statistics.median(cpu), 3), "all": [round(t, 3) for t in times]}


def import_profile(python: Path, top: int) -> dict[str, Any]:
    """Parse `-X importtime` for `--help`: slowest modules and the heavy packages loaded."""
    done = subprocess.run([str(python), "-X", "importtime", "-c", HELP_CODE],
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "100"})
    rows: list[dict[str, Any]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|", 2)
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append({"module": name.strip(), "self_ms": int(self_us) / 1000,
                     "cumulative_ms": int(cumulative_us) / 1000, "depth": depth})
    loaded = {r["module"].split(".")[0] for r in rows}
    by_cumulative = sorted((r for r in rows if r["depth"] <= 1),
                           key=lambda r: r["cumulative_ms"], reverse=True)
    by_self = sorted(rows, key=lambda r: r["self_ms"], reverse=True)
    total_ms = sum(r["cumulative_ms"] for r in rows if r["depth"] == 0)
    return {"modules_imported": len(rows), "total_import_ms": round(total_ms, 1),
            "heavy_loaded": sorted(h for h in HEAVY if h in loaded),
            "top_cumulative": [{k: r[k] for k in ("module", "cumulative_ms")}
                               for r in by_cumulative[:top]],
            "top_self": [{k: r[k] for k in ("module", "self_ms")} for r in by_self[:top]]}


def main(argv: list[str] | None = None) -> None:
    """Run both measurements and print the JSON report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args(argv)
    exe = entry_point()
    python = exe.parent / "python"
    if not python.exists():
        python = Path(sys.executable)
    started = time.perf_counter()
    subprocess.run([str(python), "-c", "pass"], check=True)
    bare = time.perf_counter() - started
    result: dict[str, Any] = {
        "entry_point": str(exe), "help_seconds": time_command([str(exe), "--help"], args.runs),
        "bare_python_seconds": round(bare, 3),
        # The floor set by the CLI framework alone, for comparison.
        "import_typer_seconds": time_command([str(python), "-c", "import typer"], 5),
        "target_seconds": TARGET_SECONDS}
    result["passed"] = result["help_seconds"]["median"] < TARGET_SECONDS
    result["importtime"] = import_profile(python, args.top)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
