"""Test helper: give the consensus coder codings in every source a coder coded, as a finished
review does (only then is the consensus coder the default for every count)."""

from __future__ import annotations

from typing import Any

from qualcode.core.coders import CONSENSUS


def complete_consensus(project: Any) -> int:
    """Copy each coded source's first coding to the consensus coder; how many were added."""
    everything = project.codings()
    done = {c.source_id for c in everything if c.coder == CONSENSUS}
    added = 0
    for source_id in sorted({c.source_id for c in everything} - done):
        first = next(c for c in everything if c.source_id == source_id)
        project.apply_code(first.source_id, first.start, first.end, first.code, coder=CONSENSUS)
        added += 1
    return added
