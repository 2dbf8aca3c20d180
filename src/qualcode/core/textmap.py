"""Map character spans from an old version of a text to a new one (codings follow edits)."""

from __future__ import annotations

from bisect import bisect_right
from difflib import SequenceMatcher
from functools import lru_cache


@lru_cache(maxsize=8)
def _equal_blocks(old: str, new: str) -> tuple[tuple[int, int, int], ...]:
    """(old_start, new_start, length) character blocks that are unchanged, by a line diff."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    old_pos = [0]
    for line in old_lines:
        old_pos.append(old_pos[-1] + len(line))
    new_pos = [0]
    for line in new_lines:
        new_pos.append(new_pos[-1] + len(line))
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    blocks = []
    for a, b, size in matcher.get_matching_blocks():
        if size:
            blocks.append((old_pos[a], new_pos[b], old_pos[a + size] - old_pos[a]))
    return tuple(blocks)


def map_span(old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """Where old[start:end] now stands in `new`, or None when its text did not survive.

    A span inside an unchanged run of lines moves with it; otherwise the excerpt is looked up
    in the new text and taken only when it occurs once (never a guess).
    """
    excerpt = old[start:end]
    if not excerpt:
        return None
    blocks = _equal_blocks(old, new)
    starts = [b[0] for b in blocks]
    i = bisect_right(starts, start) - 1
    if i >= 0:
        o, n, size = blocks[i]
        if start >= o and end <= o + size:
            return n + (start - o), n + (end - o)
    first = new.find(excerpt)
    if first >= 0 and new.find(excerpt, first + 1) < 0:
        return first, first + len(excerpt)
    return None
