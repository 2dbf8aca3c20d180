"""Reading coders' codings for agreement: one axis per selection of sources, in numpy arrays.

Sources are laid end to end (`Axis`); codings, segments and sources become global offsets on
that axis, so every statistic works on sorted integer arrays (never on characters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, select

from qualcode.core.analysis.query import CODING, SOURCE, Selection, fetch_rows, frame_select, table
from qualcode.core.models import Segment

SEGMENT = table(Segment).c


@dataclass(frozen=True)
class Axis:
    """Sources laid end to end: `ids[k]` starts at `offsets[k]`; `bounds` = offsets + end."""

    ids: np.ndarray
    offsets: np.ndarray
    bounds: np.ndarray

    @classmethod
    def of(cls, ids: Sequence[int], lengths: Sequence[int]) -> Axis:
        """The axis of these sources, in the given order."""
        bounds = np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))])
        return cls(np.asarray(ids, dtype=np.int64), bounds[:-1], bounds.astype(np.int64))

    @property
    def length(self) -> int:
        """Total characters on the axis."""
        return int(self.bounds[-1])

    def place(self, source_ids: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(global positions, mask of rows whose source lies on this axis)."""
        order = np.argsort(self.ids)
        sorted_ids = self.ids[order]
        at = np.searchsorted(sorted_ids, source_ids)
        at = np.minimum(at, max(len(sorted_ids) - 1, 0))
        on = (sorted_ids[at] == source_ids) if len(sorted_ids) else np.zeros(len(source_ids), bool)
        offset = self.offsets[order][at] if len(sorted_ids) else np.zeros(len(source_ids))
        return (positions + offset).astype(np.int64), on


@dataclass
class CodingData:
    """The coders' codings on the chosen sources, as parallel arrays."""

    coders: tuple[str, ...]
    axis: Axis                  # every chosen source
    complete: Axis              # the sources every chosen coder has coded
    coded_by: np.ndarray        # (coders x sources on `axis`) bool: coder coded the source
    source: np.ndarray          # per coding: source id
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray            # code id
    coder: np.ndarray           # index into `coders`
    seg_source: np.ndarray      # per segment: source id, start, end (sorted by axis)
    seg_start: np.ndarray
    seg_end: np.ndarray
    g_start: np.ndarray = field(init=False)
    g_end: np.ndarray = field(init=False)
    c_start: np.ndarray = field(init=False)
    c_end: np.ndarray = field(init=False)
    on_complete: np.ndarray = field(init=False)
    seg_a: np.ndarray = field(init=False)
    seg_b: np.ndarray = field(init=False)
    seg_pos: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        """Global positions: codings and segments on `axis`, codings on `complete`."""
        self.g_start, _on = self.axis.place(self.source, self.start)
        self.g_end, _on = self.axis.place(self.source, self.end)
        self.c_start, self.on_complete = self.complete.place(self.source, self.start)
        self.c_end, _on = self.complete.place(self.source, self.end)
        self.seg_a, _on = self.axis.place(self.seg_source, self.seg_start)
        self.seg_b, _on = self.axis.place(self.seg_source, self.seg_end)
        self.seg_pos = np.searchsorted(self.axis.ids, self.seg_source)


def load_codings(project: Any, coders: Sequence[str], sel: Selection,
                 source_ids: Sequence[int] | None) -> CodingData:
    """Codings of `coders` (restricted by `sel`: codes, kinds, informants) on the active
    sources (all, or `source_ids`), the sources' lengths and their segments."""
    sources = select(SOURCE.id, func.length(SOURCE.text)).where(SOURCE.active == True)  # noqa: E712
    if sel.kinds:
        sources = sources.where(SOURCE.kind.in_(sel.kinds))
    if sel.informant_ids is not None:
        sources = sources.where(SOURCE.informant_id.in_(sel.informant_ids))
    if source_ids is not None:
        sources = sources.where(SOURCE.id.in_(list(source_ids)))
    with project.engine.connect() as conn:
        src = fetch_rows(conn, sources.order_by(SOURCE.id))
        ids = [int(r[0]) for r in src]
        stmt = frame_select(sel, columns=("source_id", "start", "end", "code_id", "coder"),
                            ordered=False).where(CODING.coder.in_(list(coders)))
        if source_ids is not None:
            stmt = stmt.where(CODING.source_id.in_(ids))
        rows = fetch_rows(conn, stmt)
        # which coder coded which source: any code counts (a coder who coded a source and did
        # not apply a code there judged it absent; one who never opened it gave no value)
        touched = fetch_rows(conn, select(CODING.source_id, CODING.coder).distinct().where(
            CODING.coder.in_(list(coders))))
        segs = fetch_rows(conn, select(SEGMENT.source_id, SEGMENT.start, SEGMENT.end).where(
            SEGMENT.source_id.in_(select(SOURCE.id).where(SOURCE.active == True)))  # noqa: E712
            .order_by(SEGMENT.source_id, SEGMENT.index))
    axis = Axis.of(ids, [int(r[1] or 0) for r in src])
    index = {name: k for k, name in enumerate(coders)}
    position = {sid: k for k, sid in enumerate(ids)}
    coded_by = np.zeros((len(coders), len(ids)), dtype=bool)
    for sid, name in touched:
        if sid in position:
            coded_by[index[name], position[sid]] = True
    full = coded_by.all(axis=0)
    complete = Axis.of([i for i, f in zip(ids, full, strict=True) if f],
                       [int(r[1] or 0) for r, f in zip(src, full, strict=True) if f])
    arr = np.array([r[:4] for r in rows], dtype=np.int64).reshape(-1, 4)
    seg = np.array(segs, dtype=np.int64).reshape(-1, 3)
    keep = np.isin(seg[:, 0], axis.ids)
    seg = seg[keep]
    return CodingData(tuple(coders), axis, complete, coded_by, arr[:, 0], arr[:, 1], arr[:, 2],
                      arr[:, 3], np.array([index[r[4]] for r in rows], dtype=np.int64),
                      seg[:, 0], seg[:, 1], seg[:, 2])
