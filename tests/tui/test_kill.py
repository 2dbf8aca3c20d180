"""A killed app loses at most the action in flight: every coding it reported is in the file.

A child process drives the real coding screen headless (keys `u` then `1`, the store call the UI
makes) and prints each coding id after the store committed it; the test SIGKILLs it mid-loop,
reopens the project and checks every reported coding and the database's integrity.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qualcode.core.store import Project

HERE = Path(__file__).resolve().parent
KILL_AFTER = 12


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_mid_session_keeps_every_committed_coding(sample_project_file: Path,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "killed.qualcode"
    shutil.copy(sample_project_file, path)
    with Project.open(path) as project:
        before = {c.id for s in project.sources() if s.id for c in project.codings_in(s.id)}
    child = subprocess.Popen(
        [sys.executable, str(HERE / "coding_app.py"), "--auto", str(path), "500"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    reported: list[int] = []
    deadline = time.monotonic() + 240
    try:
        assert child.stdout is not None
        while len(reported) < KILL_AFTER and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            if line.startswith("committed "):
                reported.append(int(line.split()[1]))
        assert len(reported) == KILL_AFTER, child.stderr.read() if child.stderr else ""
        child.send_signal(signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Project.open(path) as project:
        after = {c.id: c for s in project.sources() if s.id for c in project.codings_in(s.id)}
        assert set(reported) <= set(after), "a committed coding was lost"
        assert set(reported).isdisjoint(before)
        assert all(project.get_coding(cid).code_id == project.get_code("SOB-1").id
                   for cid in reported)
        # at most the action in flight is beyond what was reported
        assert len(set(after) - before - set(reported)) <= 1


# ---- kill -9 in the middle of an import ----------------------------------------------------------
IMPORT_CHILD = r"""
import sys
from pathlib import Path
from qualcode.core.store import Project

project = Project.open(sys.argv[1])
def tick(n, total, path):
    print("before", n, flush=True)  # files 1 .. n-1 are committed
project.import_files([Path(p) for p in sys.argv[2:]], progress=tick)
print("done", flush=True)
"""
WORDS = ["pegawai", "melayani", "masyarakat", "dengan", "baik", "kantor", "dinas", "antrean",
         "panjang", "sekali", "kami", "bekerja", "sungguh", "jujur", "disiplin", "tanggung",
         "jawab"]


def _import_corpus(folder: Path, count: int = 12) -> list[Path]:
    import random

    rng = random.Random(16)
    folder.mkdir()
    paths = []
    for n in range(count):
        turns = []
        for t in range(rng.randint(20, 120)):
            sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
            turns.append(f"{'Peneliti' if t % 2 == 0 else 'Informan'}: {sentence.capitalize()}.")
        path = folder / f"{n:02d}-wawancara.txt"
        path.write_text("\n".join(turns) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _contents(path: Path) -> dict[str, tuple[str, int, int]]:
    """Per active source: (text, segments, turns)."""
    with Project.open(path) as project:
        return {s.name: (s.text, len(project.segments(s.id)), len(project.turns(s.id)))  # type: ignore[arg-type]
                for s in project.sources()}


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_mid_import_keeps_every_committed_file_whole(tmp_path: Path,
                                                             record_counts) -> None:  # type: ignore[no-untyped-def]
    import random

    paths = _import_corpus(tmp_path / "corpus")
    reference = tmp_path / "reference.qualcode"
    with Project.create(reference) as project:
        assert not project.import_files(paths).errors
    expected = _contents(reference)
    trials = int(os.environ.get("QUALCODE_KILL_TRIALS", "2"))
    rng = random.Random()
    lost = partial = 0
    for trial in range(trials):
        path = tmp_path / f"killed{trial}.qualcode"
        Project.create(path).close()
        kill_at = rng.randint(2, len(paths) - 2)
        child = subprocess.Popen([sys.executable, "-c", IMPORT_CHILD, str(path), *map(str, paths)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONUNBUFFERED": "1"})
        committed = 0
        try:
            assert child.stdout is not None
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                line = child.stdout.readline()
                if not line or line.startswith("done"):
                    break
                committed = int(line.split()[1]) - 1
                if committed + 1 >= kill_at:
                    time.sleep(rng.uniform(0, 0.05))  # often inside the file's transaction
                    child.send_signal(signal.SIGKILL)
                    break
        finally:
            if child.poll() is None:
                child.kill()
            child.wait(timeout=30)
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        found = _contents(path)  # opening runs every row check as well
        for name in [p.name for p in paths][:committed]:
            lost += found.get(name) != expected[name]
        partial += sum(1 for name, value in found.items() if value != expected[name])
    record_counts("kill -9 mid-import", trials=trials, files=len(paths), data_lost=lost,
                  partial_files=partial)
    assert lost == 0 and partial == 0
