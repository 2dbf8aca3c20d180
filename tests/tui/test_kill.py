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
