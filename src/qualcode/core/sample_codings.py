"""Apply the sample project's worked codings (codings.yaml: quote -> code, valence, coder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qualcode.core.store import Project
from qualcode.errors import QualcodeError
from qualcode.i18n import N_


def load_sample_codings(path: Path) -> list[dict[str, Any]]:
    """The list of `{source, quote, code, valence, coder, note}` entries (empty if no file)."""
    import yaml

    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise QualcodeError(N_("{path}: expected a list of codings"), path=path)
    return [dict(item) for item in data]


def snap_to_segments(project: Project, source_id: int, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the boundaries of the segments it touches."""
    segs = [s for s in project.segments(source_id) if s.end > start and s.start < end]
    if not segs:
        return start, end
    return min(s.start for s in segs), max(s.end for s in segs)


def apply_sample_codings(project: Project, path: Path) -> int:
    """Apply every entry whose quote is found in its source; returns how many were applied."""
    entries = load_sample_codings(path)
    if not entries:
        return 0
    sources = {s.name: s for s in project.sources()}
    applied = 0
    for entry in entries:
        source = sources.get(str(entry.get("source")))
        quote = str(entry.get("quote", ""))
        if source is None or not quote or source.id is None:
            continue
        at = source.text.find(quote)
        if at < 0:
            continue
        start, end = snap_to_segments(project, source.id, at, at + len(quote))
        project.apply_code(source.id, start, end, str(entry["code"]),
                           coder=str(entry.get("coder", "researcher")),
                           valence=str(entry.get("valence", "0")),
                           note=str(entry.get("note", "")))
        applied += 1
    return applied
