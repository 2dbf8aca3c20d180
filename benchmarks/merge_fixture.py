"""A pair of project files for the merge benchmark: the team project and a coder's file.

    team, other = make_merge_pair(Path("big.qualcode"), 30_000, Path("/tmp/work"))

Both are copies of a synthetic project (same sources, so matched by content hash); the
coder's file keeps `codings` of coder1's codings, re-labelled as the coder `merger`, and no
memos, so merging adds every one of them to the team project.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path


def make_merge_pair(project: Path, codings: int, work: Path) -> tuple[Path, Path]:
    """(team copy, coder copy) under `work`."""
    work.mkdir(parents=True, exist_ok=True)
    team, other = work / "merge-team.qualcode", work / "merge-other.qualcode"
    for target in (team, other):
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copy(project, target)
    conn = sqlite3.connect(other)
    with conn:
        conn.execute("DELETE FROM memo")
        conn.execute("DELETE FROM coding WHERE id NOT IN (SELECT id FROM coding "
                     "WHERE coder = 'coder1' ORDER BY id LIMIT ?)", (codings,))
        conn.execute("UPDATE coding SET coder = 'merger'")
    conn.close()
    return team, other
