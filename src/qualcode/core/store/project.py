"""The project API: one object over one project database (SQLite file or server URL).

    with Project.open("study.qualcode") as project:
        project.import_files([Path("interview.md")])
        project.apply_code(source_id, start, end, "SOB-1", valence="-")
"""

from __future__ import annotations

from pathlib import Path

from qualcode.core.store.analysis import AnalysisOps
from qualcode.core.store.coding import CodingOps, CodingRow, check_valence
from qualcode.core.store.people import PeopleOps, SpeakerInfo
from qualcode.core.store.sources import ImportOutcome, ImportReport

__all__ = ["CodingRow", "ImportOutcome", "ImportReport", "Project", "SpeakerInfo",
           "check_valence", "open_untrusted"]


class Project(AnalysisOps, CodingOps, PeopleOps):
    """A qualcode project: codebooks, sources, codings, memos, and undo across sessions."""


def open_untrusted(path: str | Path) -> Project:
    """A project file from someone else, opened without changing it (e.g. to merge a coder's
    file): every check of `Project.open` (see `store/filecheck.py`), read-only, never upgraded."""
    return Project.open(path, read_only=True)  # type: ignore[no-any-return]
