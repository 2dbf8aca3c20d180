"""Coding-screen speed on a 30,000-word transcript: first paint, apply latency, scrolling.

    uv run python benchmarks/tui_bench.py                       # build /tmp/qualcode-tui-bench
    uv run python benchmarks/tui_bench.py --project big.qualcode  # a copy of a large project
                                                                  # plus the long transcript

The transcript is generated deterministically (Indonesian interview talk from
`vocabulary.py`, "Peneliti:" / "Informan:" turns) and imported with `Project.import_files`.
Measured with Textual's pilot (headless; "drawn" = the compositor produced the frame, i.e.
`App._display` was called after the change):

- `first_paint.command`: the real command, `qualcode open PROJECT --source NAME`, in a
  pseudo-terminal of 120x40, from fork until the transcript's first words reach the terminal;
  median of --runs after a warm-up run that fills a bytecode cache (PYTHONPYCACHEPREFIX);
- `first_paint.in_process`: app construction to first frame, project already open;
- `apply`: key `1` (apply SOB-1 to the next uncoded segment, reached with `u`) until the frame
  showing it, over --applies applications (median, p95, max);
- `move`: key `j` until the frame, 300 moves;
- `scroll`: `pagedown` through the whole transcript, each frame's time (max, p95).
Every figure has a wall time and the process's CPU time (`cpu_*`): on a machine shared with
other work the CPU time is the better estimate of the wall time on an idle one.
Targets (issue 3): first paint < 500 ms; apply < 50 ms median and < 100 ms p95; no scroll
frame above 100 ms. Prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import random
import resource
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

import vocabulary as vocab  # noqa: E402

NAME = "wawancara-panjang-30000.txt"
SEED = 3030
SIZE = (120, 40)
def transcript_text(words: int = 30_000, seed: int = SEED) -> str:
    """A deterministic interview of about `words` words with speaker turns."""
    rng = random.Random(seed)
    parts: list[str] = []
    count = 0
    while count < words:
        question = vocab.question(rng, False)
        answer = " ".join(vocab.id_sentence(rng) for _ in range(rng.randint(3, 9)))
        parts.append(f"Peneliti: {question}\n\nInforman: {answer}\n\n")
        count += len(question.split()) + len(answer.split())
    return "".join(parts)


def prepare(project_path: Path | None, workdir: Path) -> tuple[Path, dict[str, Any]]:
    """A fresh copy of a project holding the long transcript (built once, then reused)."""
    from qualcode.core.codebooks import find_codebook, load_codebook
    from qualcode.core.store import Project

    text = transcript_text()
    source = workdir / NAME
    source.write_text(text, encoding="utf-8")
    base = workdir / ("base-" + (project_path.name if project_path else "tui.qualcode"))
    if not base.exists():
        partial = base.with_name(base.name + ".partial")
        if project_path is not None:
            shutil.copy(project_path, partial)
            project = Project.open(partial)
        else:
            partial.unlink(missing_ok=True)
            project = Project.create(partial)
            for key in ("sobandi-2008", "siagian-2014"):
                project.import_codebook(load_codebook(find_codebook(key)))
        with project:
            report = project.import_files([source], overrides={"language": "id",
                                                               "informant": "Informan Panjang"})
            if report.errors:
                raise SystemExit(report.errors[0].message)
            project.clear_history()
        os.replace(partial, base)
    target = workdir / "run.qualcode"
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copy(base, target)
    with Project.open(target) as project:
        sid = project.get_source(NAME).id
        assert sid is not None
        info = {"project": str(target), "words": len(text.split()), "characters": len(text),
                "segments": len(project.segments(sid)), "counts": project.counts()}
    return target, info


def first_paint_once(command: list[str], needles: tuple[str, ...], env: dict[str, str],
                     timeout: float = 60.0) -> tuple[float, float]:
    """Run `command` in a pseudo-terminal of SIZE; ms from fork until every needle is on screen.

    Also returns the child's CPU ms (user + system, up to when it was killed just after).
    """
    cols, rows = SIZE
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of SIZE, then the command
        fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, 0, 0))
        os.execvpe(command[0], command, {**env, "TERM": "xterm-256color"})
    seen = b""
    found: float | None = None
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if all(n.encode() in seen for n in needles):
                found = (time.perf_counter() - started) * 1000
                break
    finally:
        # The whole process group: through `uv run`, the child is uv and qualcode its child,
        # which otherwise lives on (orphaned, busy) after its terminal is gone.
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if found is None:
        raise SystemExit(f"{' '.join(command)}: never showed all of {needles!r}; "
                         f"output ends {seen[-600:]!r}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return found, cpu


def command_first_paint(path: Path, runs: int) -> dict[str, Any]:
    """`qualcode open PROJECT --source NAME` in a terminal: fork until the screen is drawn.

    The real command (the virtualenv's `qualcode` script) in a pseudo-terminal of SIZE; the
    clock stops when the first words of the transcript, the source's name (status bar) and the
    first Sobandi code (codes panel) have all arrived on the terminal. Median of --runs after a
    warm-up that fills a bytecode cache (PYTHONPYCACHEPREFIX), as on a machine that keeps one;
    `no_bytecode_cache` repeats it with the environment as it is (this machine sets
    PYTHONDONTWRITEBYTECODE, so qualcode's own modules, installed editable, compile every run);
    `uv_run` times `uv run --frozen qualcode open ...`, the README's everyday form, which adds
    uv's check that the environment is in sync.
    """
    script = Path(sys.executable).with_name("qualcode")
    command = [str(script), "open", str(path), "--source", NAME]
    first_words = " ".join(transcript_text(200).split("\n", 1)[0].split()[1:4])
    needles = (first_words, NAME, "SOB-1")

    cache = tempfile.mkdtemp(prefix="qualcode-pycache-")
    warm_env = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
    warm_env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        first_paint_once(command, needles, warm_env)  # fills the bytecode cache
        warm = [first_paint_once(command, needles, warm_env) for _ in range(runs)]
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    plain = [first_paint_once(command, needles, dict(os.environ)) for _ in range(runs)]
    uv = shutil.which("uv")  # the README's everyday form, `uv run qualcode open ...`
    via_uv = ([first_paint_once([uv, "run", "--frozen", "--project", str(_HERE.parent), "qualcode",
                                 *command[1:]], needles, dict(os.environ))
               for _ in range(runs)] if uv else [])
    walls, cpus = [w for w, _ in warm], [c for _, c in warm]
    return {"median_ms": round(statistics.median(walls), 1), "min_ms": round(min(walls), 1),
            "max_ms": round(max(walls), 1), "cpu_median_ms": round(statistics.median(cpus), 1),
            "runs": runs, "all_ms": [round(w, 1) for w in walls],
            "no_bytecode_cache": {
                "median_ms": round(statistics.median(w for w, _ in plain), 1),
                "max_ms": round(max(w for w, _ in plain), 1),
                "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")},
            "uv_run": {"median_ms": round(statistics.median(w for w, _ in via_uv), 1),
                       "max_ms": round(max(w for w, _ in via_uv), 1)} if via_uv else None,
            "command": "qualcode open PROJECT --source NAME",
            "terminal": f"{SIZE[0]}x{SIZE[1]}", "needles": list(needles)}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _stats(samples: list[tuple[float, float]]) -> dict[str, float]:
    walls, cpus = [w for w, _ in samples], [c for _, c in samples]
    return {"n": len(samples), "median_ms": round(statistics.median(walls), 2),
            "p95_ms": round(_p95(walls), 2), "max_ms": round(max(walls), 2),
            "cpu_median_ms": round(statistics.median(cpus), 2),
            "cpu_p95_ms": round(_p95(cpus), 2), "cpu_max_ms": round(max(cpus), 2)}


async def pilot_measures(path: Path | str, applies: int) -> dict[str, Any]:
    """In-process first paint, apply latency, cursor moves and scrolling, with the pilot."""
    from qualcode.core.store import Project
    from qualcode.tui.app import QualcodeApp

    frames: list[tuple[float, float]] = []  # (wall, cpu) when a frame was produced
    with Project.open(path) as project:
        sid = project.get_source(NAME).id
        started, cpu_started = time.perf_counter(), time.process_time()
        app = QualcodeApp(project, lang="id", source_id=sid, tune_gc=True)  # as run_app
        shown = app._display

        def display(screen: Any, renderable: Any) -> None:
            shown(screen, renderable)
            if renderable is not None and getattr(screen, "transcript", None) is not None:
                frames.append((time.perf_counter(), time.process_time()))
        app._display = display  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            deadline = time.perf_counter() + 60
            while not frames:
                if time.perf_counter() > deadline:
                    raise SystemExit("the coding screen was never drawn")
                await asyncio.sleep(0.001)
            first_paint = {"wall_ms": round((frames[0][0] - started) * 1000, 1),
                           "cpu_ms": round((frames[0][1] - cpu_started) * 1000, 1)}
            await pilot.pause()

            async def timed(*keys: str) -> tuple[float, float]:
                await pilot.pause()
                before = len(frames)
                t0, c0 = time.perf_counter(), time.process_time()
                await pilot.press(*keys)
                deadline = time.perf_counter() + 10
                while len(frames) == before:
                    if time.perf_counter() > deadline:
                        raise SystemExit(f"no frame after {keys}")
                    await asyncio.sleep(0.0005)
                return (frames[before][0] - t0) * 1000, (frames[before][1] - c0) * 1000

            apply_ms: list[tuple[float, float]] = []
            for _ in range(applies):
                await pilot.press("u")
                apply_ms.append(await timed("1"))
            coded = len(project.codings_in(sid))  # type: ignore[arg-type]
            await pilot.press("home")
            move_ms = [await timed("j") for _ in range(300)]
            await pilot.press("home")
            view = app.screen.transcript  # type: ignore[attr-defined]
            scroll_ms: list[tuple[float, float]] = []
            while view.cursor < len(view.model) - 1:
                scroll_ms.append(await timed("pagedown"))
    return {"in_process": first_paint, "apply": _stats(apply_ms),
            "codings_after": coded, "move": _stats(move_ms), "scroll": _stats(scroll_ms)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--project", type=Path, help="copy this project and add the transcript")
    ap.add_argument("--workdir", type=Path,
                    default=Path(tempfile.gettempdir()) / "qualcode-tui-bench")
    ap.add_argument("--applies", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--server", help="a new PostgreSQL database URL: push the project there "
                    "and measure the coding screen on the server (no command first paint)")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    path, info = prepare(args.project, args.workdir)
    result: dict[str, Any] = {"transcript": info}
    if args.server:
        from qualcode.core.store.transfer import copy_project

        copy_project(path, args.server)
        measures = asyncio.run(pilot_measures(args.server, args.applies))
        result["engine"] = "postgresql"
        result["first_paint"] = {"in_process": measures.pop("in_process")}
        result.update(measures)
        result["targets_met_wall"] = {
            "apply_median_50ms": result["apply"]["median_ms"] < 50,
            "apply_p95_100ms": result["apply"]["p95_ms"] < 100}
        result["machine"] = {"cpus": os.cpu_count(), "load_average_1min": os.getloadavg()[0]}
        print(json.dumps(result, indent=2))
        return
    result["first_paint"] = {"command": command_first_paint(path, args.runs)}
    measures = asyncio.run(pilot_measures(path, args.applies))
    result["first_paint"]["in_process"] = measures.pop("in_process")
    result.update(measures)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    result["machine"] = {"cpus": os.cpu_count(), "load_average_1min": load}
    result["targets_met_wall"] = {
        "first_paint_500ms": result["first_paint"]["command"]["median_ms"] < 500,
        "apply_median_50ms": result["apply"]["median_ms"] < 50,
        "apply_p95_100ms": result["apply"]["p95_ms"] < 100,
        "scroll_max_100ms": result["scroll"]["max_ms"] < 100,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
