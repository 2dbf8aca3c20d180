"""Large batches are prepared by worker processes; the result equals a one-process import.

The workers come from a fork server, so they are used whatever threads the importing process
runs: the command line's progress bar, or the terminal UI's worker thread.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = r"""
import json, os, sys, threading
from pathlib import Path
from qualcode.core.ingest import prepare as import_prepare
from qualcode.core.store import Project

folder, mode = Path(sys.argv[1]), sys.argv[2]
import_prepare.PARALLEL_MIN_BYTES = 1 << 62 if mode == "sequential" else 0
files = sorted(folder.glob("*.txt"))
seen = {"pools": 0, "threads": 0, "worker_pids": set()}
make_context = import_prepare.worker_context

def counting_context():
    seen["pools"] += 1
    seen["threads"] = max(seen["threads"], threading.active_count())
    return make_context()

import_prepare.worker_context = counting_context
prepare_one = import_prepare.prepare
project = Project.create(folder / f"{mode}.qualcode")
if mode == "cli":  # the command's own renderer: a rich progress bar with its refresh thread
    from rich.console import Console
    from qualcode.cli.render import import_with_progress
    console = Console(file=open(os.devnull, "w"), force_terminal=True)
    report = import_with_progress(console, project, files, None, {}, False)
elif mode == "thread":  # as the terminal UI imports: from a worker thread, with stderr
    class Captured:      # replaced by an object without a file descriptor (as Textual does)
        def write(self, text): return len(text)
        def flush(self): pass
        def fileno(self): return -1
    sys.stderr = Captured()
    out = {}
    runner = threading.Thread(target=lambda: out.update(report=project.import_files(files)))
    runner.start(); runner.join()
    report = out["report"]
else:
    report = project.import_files(files)
rows = [(s.name, [(g.start, g.end, g.speaker) for g in project.segments(s.id)])
        for s in project.sources()]
print(json.dumps({"pools": seen["pools"], "threads": seen["threads"],
                  "statuses": [o.status for o in report.outcomes], "rows": rows,
                  "spacy_in_parent": "spacy" in sys.modules}))
"""


def _run(folder: Path, mode: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(folder), mode],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    for n in range(5):
        (folder / f"t{n}.txt").write_text(
            f"Peneliti: Pertanyaan {n}?\nInforman: Kami disiplin. Kami jujur sekali ({n}).\n"
            "Bu Sari: Drs. Hartono datang jam 8. Lalu rapat.\n" * (n + 1), encoding="utf-8")
    (folder / "t9.txt").write_bytes(b"")  # a bad file is reported, not fatal, in workers too
    return folder


@pytest.fixture(scope="module")
def sequential(batch: Path) -> dict:  # type: ignore[type-arg]
    result = _run(batch, "sequential")
    assert result["pools"] == 0 and result["spacy_in_parent"]
    return result


@pytest.mark.parametrize("mode", ["parallel", "cli", "thread"])
def test_workers_are_used_and_match_one_process(batch: Path, sequential: dict,  # type: ignore[type-arg]
                                                mode: str) -> None:
    result = _run(batch, mode)
    assert result["pools"] == 1
    if mode != "parallel":  # the progress bar's refresh thread, or the importing thread
        assert result["threads"] > 1
    assert not result["spacy_in_parent"]  # the fork server segments; the caller only writes
    assert result["statuses"] == ["imported"] * 5 + ["error"]
    assert result["rows"] == sequential["rows"]


def test_import_command_line_starts_the_workers_early_only_for_big_batches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`qualcode import` starts the fork server before Typer reads its arguments, judging the
    batch from the paths on the command line; option values (the project, the manifest) are
    no files to import, and a batch below the threshold or a missing path starts nothing."""
    from qualcode.core.ingest import prepare as import_prepare

    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(4):
        (folder / f"{n}.txt").write_text("Peneliti: Apa kabar?\nInforman: Baik.\n" * 50)
    size = sum(p.stat().st_size for p in folder.iterdir())
    project = tmp_path / "study.qualcode"
    project.write_bytes(b"x" * size)  # with three files it would make a big enough batch
    three = [str(folder / f"{n}.txt") for n in range(3)]
    started: list[int] = []
    monkeypatch.setattr(import_prepare, "worker_context", lambda: started.append(1))

    def starts(args: list[str], threshold: int) -> bool:
        started.clear()
        monkeypatch.setattr(import_prepare, "PARALLEL_MIN_BYTES", threshold)
        import_prepare.start_early(args)
        return bool(started)

    assert starts([str(folder), "-p", str(project)], size)
    assert starts(["--replace", str(folder), f"--project={project}"], size)
    assert not starts([str(folder)], size + 1)  # below the threshold
    assert not starts([*three, "-p", str(project)], size)  # the project is no file to import
    assert not starts([*three, "--manifest", str(project)], size)
    assert starts([*three, str(project)], size)  # (as a path to import it would count)
    assert not starts([str(folder), str(tmp_path / "missing")], size + 1)
    assert starts(["-p", str(project), "--", *three, str(folder / "3.txt")], size)


def test_workers_yield_the_processor_to_the_storing_process() -> None:
    """A worker lowers its own priority as it starts (the pool's initializer), so the process
    storing the results keeps pace with the workers."""
    code = ("import os, json; from qualcode.core.ingest import prepare as p; before = os.nice(0);"
            " p.lower_priority(); print(json.dumps([before, os.nice(0)]))")
    before, after = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                              text=True, check=True).stdout)
    assert after == min(before + 10, 19)


def test_the_worker_pool_starts_its_workers_at_lower_priority(
        batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from multiprocessing.pool import ThreadPool

    from qualcode.core.ingest import prepare as import_prepare

    pools: list[dict] = []  # type: ignore[type-arg]

    class Context:  # the fork server's context, with threads standing in for processes
        def Pool(self, workers: int, **options: object) -> ThreadPool:
            pools.append(options)
            return ThreadPool(workers)

    monkeypatch.setattr(import_prepare, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(import_prepare, "worker_context", Context)
    monkeypatch.setattr(import_prepare, "_stop_fork_server", lambda **_: None)
    paths = sorted(batch.glob("*.txt"))
    done = list(import_prepare.prepare_all(paths, None, None, {}, False))
    assert [p.path for p in done] == paths
    assert pools == [{"initializer": import_prepare.lower_priority}]
