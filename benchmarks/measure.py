"""Time a command the way a user runs it, with the peak memory of its process tree.

Each run starts a small Python wrapper that starts the command, waits for it and reports
`resource.getrusage(RUSAGE_CHILDREN)`: the command's peak resident memory (`ru_maxrss`, the
largest of the command and any worker process it waited for) and its CPU seconds. A fresh
wrapper per run keeps one run's peak from hiding another's.

    from measure import load, measure_runs
    figures = measure_runs([".venv/bin/qualcode", "sources", "-p", "big.qualcode"], runs=3)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_WRAPPER = """
import json, os, pty, resource, subprocess, sys, time
started = time.perf_counter()
if sys.argv[1] == "pty":  # a terminal of 120x40, as a user sees progress bars
    import fcntl, struct, termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    child = subprocess.Popen(sys.argv[2:], stdout=slave, stderr=slave, stdin=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen = (seen + chunk)[-4000:]
    returncode, err = child.wait(), seen
else:
    out = open(sys.argv[1], "wb") if sys.argv[1] != "-" else subprocess.DEVNULL
    done = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
    returncode, err = done.returncode, done.stderr
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "maxrss_kb": usage.ru_maxrss, "returncode": returncode,
                  "stderr": err.decode(errors="replace")[-800:]}))
"""


def qualcode_exe() -> str:
    """The project's installed `qualcode` entry point."""
    exe = ROOT / ".venv" / "bin" / "qualcode"
    if not exe.exists():
        raise SystemExit("qualcode is not installed here: run `uv sync` first")
    return str(exe)


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages (other work on the machine slows every figure)."""
    return [round(x, 2) for x in os.getloadavg()]


def measure_once(command: list[str], *, stdout: str | Path = "-",
                 env: dict[str, str] | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """One run of `command` in a fresh wrapper: wall and CPU seconds, peak memory (MB).

    `stdout` is a file to write the command's output to ("-": discarded; "pty": a 120x40
    pseudo-terminal, for commands that draw progress bars)."""
    done = subprocess.run([sys.executable, "-c", _WRAPPER, str(stdout), *command],
                          capture_output=True, text=True, env=env, cwd=cwd, check=True)
    run = json.loads(done.stdout)
    if run["returncode"] != 0:
        raise SystemExit(f"{' '.join(command)} failed ({run['returncode']}): {run['stderr']}")
    return {"seconds": round(run["wall"], 3), "cpu_seconds": round(run["cpu"], 3),
            "peak_mb": round(run["maxrss_kb"] / 1024, 1)}


def measure_runs(command: list[str], *, runs: int = 3, warmup: bool = True,
                 **kwargs: Any) -> dict[str, Any]:
    """Median wall seconds (and min, max), median CPU seconds and the largest peak memory of
    `runs` runs, after one untimed warm-up run (file cache, bytecode)."""
    if warmup:
        measure_once(command, **kwargs)
    each = [measure_once(command, **kwargs) for _ in range(runs)]
    walls = [r["seconds"] for r in each]
    return {"seconds": round(statistics.median(walls), 3), "min": min(walls), "max": max(walls),
            "cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in each), 3),
            "peak_mb": max(r["peak_mb"] for r in each), "runs": runs, "load": load()}
