"""Code co-occurrence: counts, the c-coefficient and network data, by a sweep over sorted spans.

Definitions (for the methods section):

- Two codings co-occur when they are by the SAME CODER, carry DIFFERENT codes, and
  - mode 'overlap': share at least one character of the same source ([s1, e1) and [s2, e2)
    with s1 < e2 and s2 < e1);
  - mode 'segment': touch at least one common segment (sentence unit) of the same source.
  Codings by different coders are never paired: two coders applying different codes to one
  passage is a matter of agreement, not co-occurrence. With a set of coders, the pairs of each
  coder are added up, after a passage coded alike by several of them is kept once.
- Count cell (X, Y): the number of co-occurring pairs of codings (one of X, one of Y).
  The diagonal holds n_X, the number of codings of X.
- c-coefficient (as in ATLAS.ti): c = n12 / (n1 + n2 − n12). The UNIT is one coding (a coded
  span of one coder). n1, n2 = codings of X and of Y; n12 = the co-occurring units averaged over
  the two codes, (a + b) / 2, where a = codings of X that co-occur with at least one coding of Y
  and b = codings of Y that co-occur with at least one coding of X. When codings pair one-to-one
  this is exactly ATLAS.ti's n12 (the number of pairs); unlike a raw pair count it never exceeds
  n1 or n2, so 0 <= c <= 1, and c = 1 exactly when every coding of either code co-occurs with the
  other code. The diagonal is 1 for codes with codings.

The sweep sorts spans by (coder, source, start) on one global axis; for each span a binary search
finds the spans that start before it ends — O(n log n + pairs), not a self-join.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from qualcode.core.analysis.base import Display, check_choice, code_index, filter_notes
from qualcode.core.analysis.labels import check_lang
from qualcode.core.analysis.query import (
    CODING,
    CodeInfo,
    code_table,
    codings_from,
    fetch_rows,
    restrict,
    select_codings,
    table,
)
from qualcode.core.models import Segment
from qualcode.i18n import _

MODES = ("overlap", "segment")
MEASURES = ("count", "c")


@dataclass
class Cooccurrence:
    """Co-occurrence of K codes: `n` codings per code, `pairs` (K x K) co-occurring pairs,
    `touching[x, y]` codings of x that co-occur with at least one coding of y."""

    codes: list[CodeInfo]
    n: np.ndarray
    pairs: np.ndarray
    touching: np.ndarray

    def c_coefficient(self) -> np.ndarray:
        """c = n12 / (n1 + n2 − n12) with n12 = (a + b) / 2; diagonal 1 (0 for unused codes)."""
        n12 = (self.touching + self.touching.T) / 2.0
        denom = self.n[:, None] + self.n[None, :] - n12
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(denom > 0, n12 / np.where(denom > 0, denom, 1), 0.0)
        np.fill_diagonal(c, (self.n > 0).astype(float))
        return c


def sweep_pairs(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs (i, j), i before j in start order, whose half-open intervals overlap.

    `starts`/`ends` must be sorted by start; j > i overlaps i iff starts[j] < ends[i]."""
    n = len(starts)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    idx = np.arange(n, dtype=np.int64)
    hi = np.searchsorted(starts, ends, side="left")
    count = np.maximum(hi - idx - 1, 0)
    total = int(count.sum())
    first = np.repeat(idx, count)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    return first, first + 1 + offsets


def _columns(rows: list[Any], width: int) -> list[np.ndarray]:
    """The columns of fetched rows as arrays (built in C by pandas, not row by row)."""
    frame = pd.DataFrame.from_records(rows, columns=list(range(width)))
    return [frame[i].to_numpy() for i in range(width)]


def _dense_rank(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, the rank of each value) for non-negative integer ids."""
    present = np.zeros(int(values.max()) + 1, dtype=bool)
    present[values] = True
    return np.flatnonzero(present), (np.cumsum(present) - 1)[values]


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort and compare neighbours)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def _spans(project: Any, sel: Any, code_pos: dict[int, int], mode: str) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Global (start, end, code index) per coding, on an axis where different coders and
    sources never overlap; in segment mode the axis counts segments instead of characters
    (codings touching no segment are left out). Last: the code index of every coding."""
    stmt = restrict(select(CODING.source_id, CODING.start, CODING.end, CODING.code_id,
                           CODING.coder).select_from(codings_from()), sel)
    seg = table(Segment).c
    empty = np.zeros(0, dtype=np.int64)
    with project.engine.connect() as conn:
        rows = fetch_rows(conn, stmt)
        if not rows:
            return empty, empty, empty, empty
        source, start, end, code_id, coder = _columns(rows, 5)
        source, start, end, code_id = (c.astype(np.int64) for c in (source, start, end, code_id))
        source_ids, rank = _dense_rank(source)
        if mode == "segment":
            found = fetch_rows(conn, select(seg.source_id, seg.start, seg.end).where(
                seg.source_id.in_(source_ids.tolist())).order_by(seg.source_id, seg.index))
            seg_source, seg_a, seg_b = (c.astype(np.int64) for c in _columns(found, 3)) \
                if found else (empty, empty, empty)
    coders = pd.factorize(coder)[0].astype(np.int64)
    lookup = np.full(int(code_id.max()) + 1, -1, dtype=np.int64)
    for cid, pos in code_pos.items():
        if cid < len(lookup):
            lookup[cid] = pos
    every = lookup[code_id]
    keep = every >= 0
    start, end, rank, coders, code = start[keep], end[keep], rank[keep], coders[keep], every[keep]
    big = int(end.max(initial=0)) + 1
    if mode == "overlap":
        base = (coders * len(source_ids) + rank) * big
        return base + start, base + end, code, every[keep]
    big = max(big, int(seg_b.max(initial=0)) + 1)
    seg_rank = np.searchsorted(source_ids, seg_source)
    seg_start, seg_end = seg_rank * big + seg_a, seg_rank * big + seg_b
    lo = np.searchsorted(seg_end, rank * big + start, side="right")
    hi = np.searchsorted(seg_start, rank * big + end, side="left")  # exclusive
    touches = lo < hi
    base = coders[touches] * (len(seg_start) + 1)
    return base + lo[touches], base + hi[touches], code[touches], code


def compute_cooccurrence(project: Any, codes: Sequence[CodeInfo], sel: Any,
                         mode: str = "overlap") -> Cooccurrence:
    """Co-occurrence among `codes` for the selected codings (see the module docstring)."""
    check_choice("mode", mode, MODES)
    k = len(codes)
    if k == 0:
        zero = np.zeros((0, 0), dtype=np.int64)
        return Cooccurrence([], np.zeros(0, dtype=np.int64), zero, zero)
    code_pos = {c.id: i for i, c in enumerate(codes)}
    starts, ends, code, every = _spans(project, sel, code_pos, mode)
    n = np.bincount(every, minlength=k).astype(np.int64)
    order = np.argsort(starts, kind="stable")
    starts, ends, code = starts[order], ends[order], code[order]
    i, j = sweep_pairs(starts, ends)
    ci, cj = code[i], code[j]
    differ = ci != cj
    i, j, ci, cj = i[differ], j[differ], ci[differ], cj[differ]
    directed = np.bincount(ci * k + cj, minlength=k * k).reshape(k, k)
    pairs = directed + directed.T
    np.fill_diagonal(pairs, n)
    touched = _distinct(np.concatenate([i * k + cj, j * k + ci]))
    own = code[touched // k]
    touching = np.bincount(own * k + touched % k, minlength=k * k).reshape(k, k)
    return Cooccurrence(list(codes), n, pairs.astype(np.int64), touching.astype(np.int64))


def _prepare(project: Any, codebook: str | None, coder: str | None, codes: Sequence[str],
             informants: Sequence[str], kinds: Sequence[str], valence: str | None,
             lang: str) -> tuple[list[CodeInfo], Any]:
    check_lang(lang)
    sel = select_codings(project, codebook=codebook, codes=codes, informants=informants,
                         kinds=kinds, coders=(coder,) if coder else (), valence=valence)
    rows = code_table(project, codebook, lang)
    if sel.code_ids is not None:
        rows = [c for c in rows if c.id in set(sel.code_ids)]
    return rows, sel


def cooccurrence(project: Any, *, mode: str = "overlap", measure: str = "count",
                 codebook: str | None = None, coder: str | None = None,
                 codes: Sequence[str] = (), informants: Sequence[str] = (),
                 kinds: Sequence[str] = (), valence: str | None = None, lang: str = "id",
                 **_options: Any) -> Display:
    """Codes x codes: co-occurring pairs (measure 'count') or the c-coefficient (measure 'c')."""
    check_choice("measure", measure, MEASURES)
    rows, sel = _prepare(project, codebook, coder, codes, informants, kinds, valence, lang)
    result = compute_cooccurrence(project, rows, sel, mode)
    index = code_index(rows, lang)
    labels = pd.Index([c.label for c in rows], name=_("Code", lang=lang))
    how = (_("overlapping in the text", lang=lang) if mode == "overlap"
           else _("in the same segment", lang=lang))
    notes = [_("Pairs of codings by the same coder, {how}.", lang=lang).format(how=how)]
    if measure == "count":
        frame = pd.DataFrame(result.pairs, index=index, columns=labels)
        notes.append(_("Diagonal = codings of the code.", lang=lang))
        title = _("Code co-occurrence (pairs)", lang=lang)
        kind = "count"
    else:
        frame = pd.DataFrame(np.round(result.c_coefficient(), 3), index=index, columns=labels)
        notes.append(_("c = n12 / (n1 + n2 − n12); unit = one coding; n1, n2 = codings of each "
                       "code; n12 = codings of either code that co-occur with the other, averaged "
                           "over the two codes.", lang=lang))
        title = _("Code co-occurrence (c-coefficient)", lang=lang)
        kind = "coefficient"
    notes += filter_notes(lang, codebook=codebook, coders=sel.coders, codes=codes,
                          informants=informants, kinds=kinds, valence=valence)
    keys = [c.key for c in rows]
    return Display(f"cooccurrence_{measure}" if measure == "c" else "cooccurrence", title,
                   frame, kind, notes, lang, keys, list(keys))


@dataclass
class Network:
    """Figure data: nodes (codes with codings) and edges (co-occurring code pairs)."""

    title: str
    mode: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lang: str = "id"


def cooccurrence_network(project: Any, *, mode: str = "overlap", min_count: int = 1,
                         codebook: str | None = None, coder: str | None = None,
                         codes: Sequence[str] = (), informants: Sequence[str] = (),
                         kinds: Sequence[str] = (), valence: str | None = None,
                         lang: str = "id") -> Network:
    """Nodes {key, label, group, colour, count} and edges {source, target, count, c}
    (source/target are code keys; only pairs with at least `min_count` co-occurrences)."""
    rows, sel = _prepare(project, codebook, coder, codes, informants, kinds, valence, lang)
    result = compute_cooccurrence(project, rows, sel, mode)
    c = result.c_coefficient()
    nodes = [{"key": code.key, "label": code.label, "group": code.group,
              "colour": code.colour, "count": int(result.n[i])}
             for i, code in enumerate(rows) if result.n[i] > 0]
    edges = [{"source": rows[x].key, "target": rows[y].key,
              "count": int(result.pairs[x, y]), "c": round(float(c[x, y]), 3)}
             for x in range(len(rows)) for y in range(x + 1, len(rows))
             if result.pairs[x, y] >= max(min_count, 1)]
    title = _("Code co-occurrence network", lang=lang)
    notes = [_("Edge width = pairs; number = c-coefficient.", lang=lang)]
    return Network(title, mode, nodes, edges, notes, lang)
