"""Project files changed behind qualcode's back, for the untrusted-file tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def edit_sql(path: Path, *statements: str) -> None:
    """Run plain SQL on a project file, foreign keys off (as another program might)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def damage_coding_index(path: Path) -> None:
    """Overwrite two header bytes of the coding index's root page (quick_check then fails)."""
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_coding_source_start'"
                        ).fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page + 3:(root - 1) * page + 5] = b"\xff\xff"
    path.write_bytes(bytes(data))
