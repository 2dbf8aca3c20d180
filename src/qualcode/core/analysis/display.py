"""Data display (Miles & Huberman): matrices built with pandas from the one query layer.

- conceptually clustered matrix: codes (grouped by codebook / parent code) x informants;
- role-ordered matrix: the same, informants grouped and ordered by role
  (head, secretary, section head, staff, public, then other roles);
- triangulation matrix: codes x source kind, or codes x informant with coverage columns;
- co-occurrence (cooccurrence.py), frequency tables and the summary grid (reduction.py),
  the operationalisation table (operationalisation.py), the checklist (conclusions.py).

Cells: 'counts' (codings), 'valence' ('3+ / 1−'), 'presence' (1/0), 'summaries' (the grid's text),
'quotes' (the best excerpt of the cell). Codings in sources without an informant (observation
notes, documents) get one column per source kind after the informants.
`DISPLAYS` maps CLI names to builders; each is callable as f(project, *, codebook=None,
coder=None, lang="id", **options) and returns a Display.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from qualcode.core.analysis.base import (
    Column,
    Display,
    case_columns,
    check_choice,
    code_index,
    column_keys,
    filter_notes,
    pivot_counts,
)
from qualcode.core.analysis.cooccurrence import cooccurrence, cooccurrence_network
from qualcode.core.analysis.labels import (
    check_lang,
    kind_label,
    valence_cell,
    valence_legend,
)
from qualcode.core.analysis.operationalisation import operationalisation_table
from qualcode.core.analysis.query import (
    CodeInfo,
    InformantInfo,
    Selection,
    add_locations,
    code_table,
    coding_counts,
    coding_frame,
    informant_table,
    select_codings,
)
from qualcode.core.analysis.reduction import (
    best_quotes,
    draft_note,
    frequency_table,
    quote_text,
    summary_grid,
    summary_table,
)
from qualcode.core.location import Location
from qualcode.core.models import SOURCE_KINDS
from qualcode.i18n import N_, NP_, _, ngettext, pgettext

CELLS = ("counts", "valence", "presence", "summaries", "quotes")
_CELL_KIND = {"counts": "count", "valence": "valence", "presence": "presence",
              "summaries": "text", "quotes": "text"}


@dataclass
class _Prepared:
    sel: Selection
    rows: list[CodeInfo]
    people: list[InformantInfo]
    agg: pd.DataFrame  # code_id, informant_id, kind, valence, n, col


def _prepare(project: Any, *, codebook: str | None, coder: str | None, codes: Sequence[str],
             informants: Sequence[str], kinds: Sequence[str], valence: str | None,
             lang: str, by: tuple[str, ...] = ("code_id", "informant_id", "kind")) -> _Prepared:
    """Resolve the selection, the rows and informants, and count codings grouped `by`
    (() skips the count: summaries need none); `col` is each group's column key."""
    check_lang(lang)
    sel = select_codings(project, codebook=codebook, codes=codes, informants=informants,
                         kinds=kinds, coders=(coder,) if coder else (), valence=valence)
    rows = code_table(project, codebook, lang)
    if sel.code_ids is not None:
        keep = set(sel.code_ids)
        rows = [c for c in rows if c.id in keep]
    if by:
        agg = coding_counts(project, by, sel)
    else:
        agg = pd.DataFrame({"code_id": [], "informant_id": pd.Series([], dtype="Int64"),
                            "kind": [], "n": []})
    if "informant_id" in agg:
        agg["col"] = column_keys(agg)
    else:
        agg["col"] = "k:" + agg["kind"].astype(str)
    return _Prepared(sel, rows, informant_table(project, sel), agg)


def _group_by(cell: str, *dims: str) -> tuple[str, ...]:
    """The count's grouping for a cell type: the dimensions, plus valence for +/− cells."""
    if cell == "summaries":
        return ()
    return ("code_id", *dims, "valence") if cell == "valence" else ("code_id", *dims)


def _cells(project: Any, prep: _Prepared, cols: list[Column], cell: str, lang: str,
           n_quotes: int = 1) -> pd.DataFrame:
    """The cell values: a frame indexed by code id with one column per Column.key."""
    ids = [c.id for c in prep.rows]
    keys = [c.key for c in cols]
    if cell in ("counts", "presence"):
        counts = pivot_counts(prep.agg, ids, keys)
        return counts if cell == "counts" else (counts > 0).astype("int64")
    if cell == "valence":
        plus, minus, zero = (pivot_counts(prep.agg[prep.agg["valence"] == v], ids, keys)
                             .to_numpy().tolist() for v in ("+", "-", "0"))
        return pd.DataFrame(
            [[valence_cell(p, m, z, lang) for p, m, z in zip(*cells, strict=True)]
             for cells in zip(plus, minus, zero, strict=True)],
            index=ids, columns=keys, dtype=object)
    frame = coding_frame(project, selection=prep.sel, lang=lang, ordered=False, columns=(
        "coding_id", "source_id", "kind", "informant_id", "code_id", "valence", "start", "end"))
    frame = frame[frame["code_id"].isin(ids)]
    frame = best_quotes(project, frame.assign(col=column_keys(frame)), lang)
    frame = add_locations(project, frame.groupby(["code_id", "col"], sort=False).head(n_quotes))
    cells: dict[tuple[int, str], list[str]] = {}
    for row in frame.to_dict("records"):
        where = Location(int(row["line"]), int(row["paragraph"]),
                         None if pd.isna(row["page"]) else int(row["page"])).text(lang)
        cells.setdefault((int(row["code_id"]), str(row["col"])), []).append(
            quote_text(str(row["valence"]), str(row["excerpt"]), where=where))
    return pd.DataFrame([["\n".join(cells.get((i, k), [])) for k in keys] for i in ids],
                        index=ids, columns=keys, dtype=object)


def _notes(cell: str, lang: str, cols: list[Column], **filters: Any) -> list[str]:
    notes = []
    if cell == "valence":
        notes.append(valence_legend(lang))
    elif cell == "presence":
        notes.append(_("1 = coded, 0 = not coded.", lang=lang))
    elif cell == "quotes":
        notes.append(_("Best quote per cell (+ well, − shortfall, 0 neutral).", lang=lang))
    elif cell == "counts":
        notes.append(_("Numbers = codings.", lang=lang))
    elif cell == "summaries":
        notes.append(draft_note(lang))
    kinds = [c.label for c in cols if c.kind]
    if kinds:
        notes.append(_("{kinds}: sources without an informant.",
                       lang=lang).format(kinds=', '.join(kinds)))
    return notes + filter_notes(lang, **filters)


_CELL_TITLE = {"counts": NP_("cell", "codings"), "valence": NP_("cell", "+/−"),
               "presence": NP_("cell", "presence"), "summaries": NP_("cell", "summaries"),
               "quotes": NP_("cell", "quotes")}


def where_informants(project: Any, informants: Sequence[str],
                     where: Sequence[str]) -> tuple[str, ...]:
    """The informants named, narrowed to those whose attributes match every NAME=VALUE of
    `where` (case-insensitive); no match at all is an error, never an unfiltered table."""
    if not where:
        return tuple(informants)
    from qualcode.core.metadata import parse_assignments

    wanted = parse_assignments(where, "filter")
    found = [i.pseudonym for i in informant_table(project)
             if all(i.attribute(k).lower() == v.lower() for k, v in wanted.items())
             and (not informants or i.pseudonym in informants)]
    if not found:
        from qualcode.errors import QualcodeError

        raise QualcodeError(N_("no informant has {filter}"),
                            hint=N_("see `qualcode informants` for the attributes"),
                            filter=", ".join(f"{k}={v}" for k, v in wanted.items()))
    return tuple(found)


def _summaries(project: Any, codebook: str | None, codes: Sequence[str],
               informants: Sequence[str], lang: str,
               by_role: bool, by: str | None) -> tuple[list[CodeInfo], list[Column], np.ndarray]:
    """The summaries cells (no codings are counted)."""
    check_lang(lang)
    sel = select_codings(project, codebook=codebook, codes=codes, informants=informants)
    rows, people, texts = summary_table(project, codebook, lang, sel)
    if sel.code_ids is not None:
        keep = [n for n, c in enumerate(rows) if c.id in set(sel.code_ids)]
        rows, texts = [rows[n] for n in keep], texts[keep]
    cols = case_columns(people, pd.DataFrame(), lang, by_role=by_role, other_kinds=False,
                        by=by)
    order = {p.id: n for n, p in enumerate(people)}
    return rows, cols, texts[:, [order[c.informant.id] for c in cols if c.informant]]


def _matrix(project: Any, key: str, title: str, *, by_role: bool, codebook: str | None,
            cell: str, coder: str | None, codes: Sequence[str], informants: Sequence[str],
            kinds: Sequence[str], valence: str | None, lang: str, n_quotes: int,
            by: str | None = None, where: Sequence[str] = ()) -> Display:
    check_choice("cell", cell, CELLS)
    informants = where_informants(project, informants, where)
    group = by or (_("Role", lang=lang) if by_role else None)
    if cell == "summaries":
        rows, cols, values = _summaries(project, codebook, codes, informants, lang, by_role, by)
        return _finish(key, title, cell, rows, cols, values, lang, group,
                       codebook=codebook, coders=None, codes=codes, informants=informants,
                       kinds=kinds, valence=valence)
    prep = _prepare(project, codebook=codebook, coder=coder, codes=codes,
                    informants=informants, kinds=kinds, valence=valence, lang=lang,
                    by=_group_by(cell, "informant_id", "kind"))
    cols = case_columns(prep.people, prep.agg, lang, by_role=by_role, by=by)
    values = _cells(project, prep, cols, cell, lang, n_quotes)
    return _finish(key, title, cell, prep.rows, cols, values, lang, group,
                   codebook=codebook, coders=prep.sel.coders, codes=codes,
                   informants=informants, kinds=kinds, valence=valence)


def _finish(key: str, title: str, cell: str, rows: list[CodeInfo], cols: list[Column],
            values: pd.DataFrame | np.ndarray, lang: str, group: str | None,
            **filters: Any) -> Display:
    """Label a matrix's cells with the code index and the (group,) informant columns
    (`group`: the name of the column groups, e.g. Role or an attribute, or None)."""
    cells = values.to_numpy() if isinstance(values, pd.DataFrame) else values
    frame = pd.DataFrame(cells, index=code_index(rows, lang),
                         dtype=object if cells.dtype == object else None)
    if group:
        frame.columns = pd.MultiIndex.from_tuples(
            [(c.group, c.label) for c in cols], names=[group, _("Informant", lang=lang)])
    else:
        frame.columns = pd.Index([c.label for c in cols], name=_("Informant", lang=lang))
    full = f"{title}: {pgettext('cell', _CELL_TITLE[cell], lang=lang)}"
    notes = _notes(cell, lang, cols, **filters)
    return Display(key, full, frame, _CELL_KIND[cell], notes, lang,
                   [c.key for c in rows], [c.public_key for c in cols])


def clustered_matrix(project: Any, *, codebook: str | None = None, cell: str = "counts",
                     coder: str | None = None, codes: Sequence[str] = (),
                     informants: Sequence[str] = (), kinds: Sequence[str] = (),
                     valence: str | None = None, lang: str = "id", n_quotes: int = 1,
                     by: str | None = None, where: Sequence[str] = (),
                     **_options: Any) -> Display:
    """Conceptually clustered matrix: codes grouped by codebook / parent x informants
    (`by`: case-ordered by an informant attribute; `where`: NAME=VALUE attribute filters)."""
    return _matrix(project, "clustered", _("Conceptually clustered matrix", lang=lang),
                   by_role=False, codebook=codebook, cell=cell, coder=coder, codes=codes,
                   informants=informants, kinds=kinds, valence=valence, lang=lang,
                   n_quotes=n_quotes, by=by, where=where)


def role_ordered_matrix(project: Any, *, codebook: str | None = None, cell: str = "counts",
                        coder: str | None = None, codes: Sequence[str] = (),
                        informants: Sequence[str] = (), kinds: Sequence[str] = (),
                        valence: str | None = None, lang: str = "id", n_quotes: int = 1,
                        where: Sequence[str] = (), **_options: Any) -> Display:
    """Role-ordered matrix: columns (role, informant) ordered head, secretary, section head,
    staff, public, then other roles; informants by name within a role."""
    return _matrix(project, "role_ordered", _("Role-ordered matrix", lang=lang),
                   by_role=True, codebook=codebook, cell=cell, coder=coder, codes=codes,
                   informants=informants, kinds=kinds, valence=valence, lang=lang,
                   n_quotes=n_quotes, where=where)


TRIANGULATE_BY = ("kind", "informant")


def triangulation_matrix(project: Any, by: str = "kind", *, codebook: str | None = None,
                         cell: str = "counts", coder: str | None = None,
                         codes: Sequence[str] = (), informants: Sequence[str] = (),
                         kinds: Sequence[str] = (), valence: str | None = None,
                         lang: str = "id", **_options: Any) -> Display:
    """Codes x source kind (interview / observation / document) with a 'kinds (n)' column, or
    codes x informant with 'informants (n)' and 'roles (n)' columns: how many independent
    sources speak to each code."""
    check_choice("triangulation by", by, TRIANGULATE_BY)
    check_choice("cell", cell, ("counts", "valence", "presence"))
    prep = _prepare(project, codebook=codebook, coder=coder, codes=codes,
                    informants=informants, kinds=kinds, valence=valence, lang=lang,
                    by=_group_by(cell, "kind") if by == "kind" else _group_by(cell, "informant_id"))
    ids = [c.id for c in prep.rows]
    if by == "kind":
        cols = [Column(f"k:{k}", kind_label(k, lang), "", kind=k) for k in SOURCE_KINDS]
    else:
        prep.agg = prep.agg[prep.agg["informant_id"].notna()]
        cols = case_columns(prep.people, prep.agg, lang, by_role=True, other_kinds=False)
    values = _cells(project, prep, cols, cell, lang)
    counts = pivot_counts(prep.agg, ids, [c.key for c in cols])
    frame = pd.DataFrame(values.to_numpy(), index=code_index(prep.rows, lang),
                         columns=[c.label for c in cols])
    if by == "kind":
        frame[_("Source kinds (n)", lang=lang)] = (counts > 0).sum(axis=1).to_numpy()
        extra = ["n_kinds"]
        title = _("Triangulation matrix: codes × source kind", lang=lang)
    else:
        present = (counts > 0).to_numpy()
        roles = [c.informant.role if c.informant else "" for c in cols]
        frame[_("Informants (n)", lang=lang)] = present.sum(axis=1)
        frame[_("Roles (n)", lang=lang)] = [
            len({r for r, hit in zip(roles, line, strict=True) if hit}) for line in present]
        extra = ["n_informants", "n_roles"]
        title = _("Triangulation matrix: codes × informant", lang=lang)
    frame.columns.name = _("Source", lang=lang)
    notes = _notes(cell, lang, [], codebook=codebook, coders=prep.sel.coders, codes=codes,
                   informants=informants, kinds=kinds, valence=valence)
    kind = "count" if cell == "counts" else "mixed"
    return Display(f"triangulation_{by}", title, frame, kind, notes, lang,
                   [c.key for c in prep.rows], [c.public_key for c in cols] + extra)


def _checklist(project: Any, *, coder: str | None = None, **kwargs: Any) -> Display:
    from qualcode.core.analysis.conclusions import checklist_display

    return checklist_display(project, coder=coder, **kwargs)


def _retrieval(project: Any, *, coder: str | None = None, **kwargs: Any) -> Display:
    from qualcode.core.analysis.conclusions import retrieval_display

    return retrieval_display(project, coder=coder, **kwargs)


def interviewer_note(project: Any, *, coder: str | None = None, lang: str = "id",
                     codebook: str | None = None, codes: Sequence[str] = (),
                     informants: Sequence[str] = (), kinds: Sequence[str] = (),
                     valence: str | None = None, where: Sequence[str] = (),
                     **_: Any) -> list[str]:
    """A footnote saying how many codings lie on interviewer turns and are therefore not
    counted (none when there are none, or when informants are chosen)."""
    if informants or where:
        return []

    sel = select_codings(project, codebook=codebook, codes=codes, kinds=kinds,
                         coders=(coder,) if coder else (), valence=valence,
                         speakers="interviewer")
    n = int(coding_counts(project, (), sel)["n"].sum())
    if not n:
        return []
    return [ngettext("{n} coding on an interviewer turn is not counted as informant evidence "
                     "(retrieval shows it).",
                     "{n} codings on interviewer turns are not counted as informant evidence "
                     "(retrieval shows them).", n, lang=lang).format(n=n)]


def _interviewer_noted(builder: Callable[..., Display]) -> Callable[..., Display]:
    """A counting builder whose display says how many codings on interviewer turns it left
    out (they are never an informant's evidence)."""
    @functools.wraps(builder)
    def build(project: Any, *, coder: str | None = None, lang: str = "id",
              **options: Any) -> Display:
        display = builder(project, coder=coder, lang=lang, **options)
        display.notes += interviewer_note(project, coder=coder, lang=lang, **options)
        return display
    return build


DISPLAYS: dict[str, Callable[..., Display]] = {
    "clustered": _interviewer_noted(clustered_matrix),
    "role": _interviewer_noted(role_ordered_matrix),
    "triangulation": _interviewer_noted(triangulation_matrix),
    "cooccurrence": _interviewer_noted(cooccurrence),
    "frequency": _interviewer_noted(frequency_table),
    "summaries": summary_grid,
    "operationalisation": operationalisation_table,
    "checklist": _checklist,
    "retrieval": _retrieval,
}

__all__ = ["CELLS", "DISPLAYS", "TRIANGULATE_BY", "Display", "clustered_matrix", "cooccurrence",
           "cooccurrence_network", "frequency_table", "operationalisation_table",
           "role_ordered_matrix", "summary_grid", "triangulation_matrix"]
