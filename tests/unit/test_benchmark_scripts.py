"""The benchmark scripts still run the commands as the program now takes them (a tiny project,
one run each): a changed command line shows here, not when the figures are next needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_scale_benchmark_runs_every_command(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    subprocess.run([sys.executable, str(BENCHMARKS / "generate.py"), "--transcripts", "4",
                    "--words", "6000", "--codings", "120", "--coders", "2", "--out", str(out)],
                   check=True, capture_output=True, timeout=300)
    project = out / "project.qualcode"
    run = subprocess.run([sys.executable, str(BENCHMARKS / "scale_bench.py"), "--project",
                          str(project), "--runs", "1"], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout)["projects"][str(project)]
    assert figures["codings"] == 120 and len(figures["coders"]) == 2
    # every command ran, the exports twice into the same file (each replaces the last)
    assert set(figures["commands"]) == {
        "sources", "informants", "codebook show", "codings --format csv",
        "codings --format json", "export all.xlsx", "export all.xlsx --coders (one)",
        "export all.xlsx --coders (all)"}
