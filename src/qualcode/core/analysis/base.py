"""The Display object every analysis builder returns, and the row/column helpers they share.

A Display is what the TUI shows and what the exporters write: one pandas frame with a title,
the kind of its cells and translated footnotes. Builders live in display.py, reduction.py,
cooccurrence.py, operationalisation.py and conclusions.py; display.DISPLAYS maps CLI names to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from qualcode.core.analysis.labels import kind_label, role_label, role_rank
from qualcode.core.analysis.query import CodeInfo, InformantInfo
from qualcode.core.models import SOURCE_KINDS
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, _

CELL_KINDS = ("count", "valence", "presence", "text", "coefficient", "mixed")


@dataclass
class Display:
    """A table ready to show or export.

    `frame`: rows are codes (index may be a MultiIndex (group, code label)); columns are
    informants / kinds / codes (may be a MultiIndex (role, informant)). `row_keys` / `col_keys`
    name what each row / column stands for (code keys; 'i:<pseudonym>' informants, 'k:<kind>'
    sources without an informant, or measure names), so a screen can jump from a cell to its
    codings.
    """

    key: str
    title: str
    frame: pd.DataFrame
    cell_kind: str
    notes: list[str] = field(default_factory=list)
    lang: str = "id"
    row_keys: list[str] = field(default_factory=list)
    col_keys: list[str] = field(default_factory=list)


def row_group(code: CodeInfo, parents: set[str]) -> str:
    """The group a code's row stands in: a parent code heads its own group (its sub-codes'),
    so that it is never both a row of the codebook's group and a group header of its own."""
    return code.label if code.key in parents else code.group


def code_index(codes: Sequence[CodeInfo], lang: str) -> pd.MultiIndex:
    """Row index (group, code label) for codes in display order (built from its levels
    directly: MultiIndex.from_tuples costs more than the rest of a small table). A parent
    code's row opens its sub-codes' group (see row_group); writers show it as the group's
    own row ("(in general)")."""
    levels: list[dict[str, int]] = [{}, {}]
    positions: list[list[int]] = [[], []]
    parents = {code.parent_key for code in codes if code.parent_key}
    for code in codes:
        pair = (row_group(code, parents), code.label)
        for level, value, pos in zip(levels, pair, positions, strict=True):
            pos.append(level.setdefault(value, len(level)))
    return pd.MultiIndex(levels=[list(level) for level in levels], codes=positions,
                         names=[_("Group", lang=lang), _("Code", lang=lang)],
                         verify_integrity=False)


def check_choice(name: str, value: str, choices: Sequence[str]) -> str:
    """`value` if it is one of `choices`, else a QualcodeError naming them."""
    if value not in choices:
        raise QualcodeError(N_("{name} {value!r} is not one of {choices}"), name=name, value=value,
                            choices=', '.join(choices))
    return value


@dataclass(frozen=True)
class Column:
    """A matrix column: an informant ('i:<id>') or sources of a kind without an informant."""

    key: str
    label: str
    group: str
    informant: InformantInfo | None = None
    kind: str | None = None

    @property
    def public_key(self) -> str:
        """The key given to screens: 'i:<pseudonym>' or 'k:<kind>'."""
        return f"i:{self.informant.pseudonym}" if self.informant else f"k:{self.kind}"


def value_rank(value: str) -> tuple[int, float, str]:
    """Sort key of attribute values: numbers in numeric order, then words, then blanks."""
    try:
        return 0, float(value.replace(",", ".")), ""
    except ValueError:
        return (2 if value == "" else 1), 0.0, value.lower()


def case_columns(informants: Sequence[InformantInfo], agg: pd.DataFrame, lang: str, *,
                 by_role: bool, other_kinds: bool = True, by: str | None = None) -> list[Column]:
    """Informant columns (by pseudonym, grouped and ordered by role, or case-ordered by the
    informant attribute `by`), then one column per source kind that has codings in sources
    without an informant (observation, documents)."""
    if by:

        people = sorted(informants, key=lambda i: (value_rank(i.attribute(by)),
                                                   i.pseudonym.lower()))
        blank = _("(no {name})", lang=lang).format(name=by)
        cols = [Column(f"i:{i.id}", i.pseudonym, i.attribute(by) or blank, informant=i)
                for i in people]
    else:
        people = sorted(informants, key=lambda i: (role_rank(i.role), i.pseudonym.lower())) \
            if by_role else list(informants)
        cols = [Column(f"i:{i.id}", i.pseudonym, role_label(i.role, lang), informant=i)
                for i in people]
    if other_kinds and not agg.empty:
        orphan = agg[agg["informant_id"].isna()]
        present = set(orphan.loc[orphan["n"] > 0, "kind"])
        other = _("Other sources", lang=lang)
        cols += [Column(f"k:{k}", kind_label(k, lang), other, kind=k)
                 for k in SOURCE_KINDS if k in present]
    return cols


def column_keys(agg: pd.DataFrame) -> pd.Series:
    """Per aggregate row, the Column.key it falls in ('i:<id>' or 'k:<kind>')."""
    ids = agg["informant_id"]
    kinds = agg["kind"].astype(str) if "kind" in agg else pd.Series("", index=agg.index)
    keys = np.where(ids.isna(), "k:" + kinds, "i:" + ids.astype("string").fillna(""))
    return pd.Series(keys, index=agg.index)


def pivot_counts(agg: pd.DataFrame, rows: Sequence[int], cols: Sequence[str],
                 col_field: str = "col") -> pd.DataFrame:
    """Sum `n` into a rows x cols integer frame (code ids x column keys), zeros where empty."""
    if agg.empty:
        return pd.DataFrame(0, index=list(rows), columns=list(cols), dtype="int64")
    table = agg.pivot_table(index="code_id", columns=col_field, values="n", aggfunc="sum",
                            fill_value=0)
    return table.reindex(index=list(rows), columns=list(cols), fill_value=0).astype("int64")


def coder_note(lang: str, coders: Sequence[str]) -> str:
    """Whose codings a display counts (every count-based display says so)."""
    from qualcode.core.coders import CONSENSUS
    from qualcode.i18n import _

    if list(coders) == [CONSENSUS]:
        return _("Codings of the consensus coder (adjudicated codings).", lang=lang)
    if len(coders) == 1:
        return _("Codings of coder {coder}.", lang=lang).format(coder=coders[0])
    if not coders:
        return _("Codings of every coder.", lang=lang)
    return _("Codings of coders {coders}; a passage coded with the same code by several of "
             "them counts once.", lang=lang).format(coders=", ".join(coders))


def filter_notes(lang: str, *, codebook: str | None = None, coders: Sequence[str] | None = None,
                 codes: Sequence[str] = (), informants: Sequence[str] = (),
                 kinds: Sequence[str] = (), valence: str | None = None) -> list[str]:
    """Whose codings count (when `coders` is given: the resolved Selection.coders), then one
    footnote describing the rest of the selection, or none when everything is shown."""
    notes = [] if coders is None else [coder_note(lang, coders)]
    parts = []
    if codebook:
        parts.append(f"{_('codebook', lang=lang)} {codebook}")
    if codes:
        parts.append(f"{_('codes', lang=lang)} {', '.join(codes)}")
    if informants:
        parts.append(f"{_('informants', lang=lang)} {', '.join(informants)}")
    if kinds:
        parts.append(f"{_('source kinds', lang=lang)} "
                     + ", ".join(kind_label(k, lang) for k in kinds))
    if valence:
        parts.append(f"{_('valence', lang=lang)} {valence}")
    if not parts:
        return notes
    return [*notes, _("Selection: ", lang=lang) + "; ".join(parts) + "."]
