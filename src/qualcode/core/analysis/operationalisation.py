"""The study's operationalisation table from a codebook: focus, characteristic, parameters,
data sources — the table a methods section shows before the results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select

from qualcode.core.analysis.base import Display
from qualcode.core.analysis.labels import check_lang, join_names, kind_label, role_label
from qualcode.core.analysis.query import table
from qualcode.core.models import Code, Codebook, Indicator
from qualcode.errors import NotFoundError
from qualcode.i18n import N_, _


@dataclass(frozen=True)
class _Row:
    key: str
    number: str
    label: str
    parameters: list[str]
    data_sources: list[str]
    roles: list[str]


def _pick(lang: str, id_text: str, en_text: str) -> str:
    return (en_text or id_text) if lang == "en" else (id_text or en_text)


def _number(parent: str | None, counters: dict[str | None, int], key: str,
            numbers: dict[str, str]) -> str:
    counters[parent] = counters.get(parent, 0) + 1
    own = str(counters[parent])
    numbers[key] = f"{numbers[parent]}.{own}" if parent else own
    return numbers[key]


def _from_spec(spec: Any, lang: str) -> tuple[str, str, list[_Row]]:
    counters: dict[str | None, int] = {}
    numbers: dict[str, str] = {}
    rows = [_Row(code.key, _number(parent, counters, code.key, numbers),
                 _pick(lang, code.label.id, code.label.en),
                 [_pick(lang, ind.label.id, ind.label.en) for ind in code.indicators],
                 list(code.data_sources), list(code.informant_roles))
            for code, parent in spec.iter_codes()]
    return spec.key, _pick(lang, spec.focus.id, spec.focus.en), rows


def _from_project(project: Any, key: str | None, lang: str) -> tuple[str, str, list[_Row]]:
    with project.session() as s:
        book_c, code_c, ind_c = table(Codebook).c, table(Code).c, table(Indicator).c
        stmt = select(Codebook).order_by(book_c.id)
        if key:
            stmt = stmt.where(book_c.key == key)
        else:
            stmt = stmt.where(book_c.active == True, book_c.is_emergent == False)  # noqa: E712
        book = s.execute(stmt).scalars().first()
        if book is None:
            raise NotFoundError(N_("no codebook {key!r} in this project") if key
                                else N_("this project has no active codebook"),
                                hint=N_("see `qualcode codebook list`"), key=key)
        codes = list(s.execute(select(Code).where(code_c.codebook_id == book.id)
                               .order_by(code_c.order, code_c.id)).scalars())
        indicators: dict[int, list[Indicator]] = {}
        for ind in s.execute(select(Indicator).where(
                ind_c.code_id.in_([c.id for c in codes]))
                .order_by(ind_c.order, ind_c.id)).scalars():
            indicators.setdefault(ind.code_id, []).append(ind)
    keys = {c.id: c.key for c in codes}
    counters: dict[str | None, int] = {}
    numbers: dict[str, str] = {}
    rows = []
    for code in codes:
        parent = keys.get(code.parent_id) if code.parent_id else None
        assert code.id is not None
        rows.append(_Row(code.key, _number(parent, counters, code.key, numbers),
                         code.label(lang),
                         [_pick(lang, i.label_id, i.label_en) for i in indicators.get(code.id, [])],
                         list(code.data_sources or []), list(code.informant_roles or [])))
    return book.key, _pick(lang, book.focus_id, book.focus_en), rows


def data_source_text(kinds: list[str], roles: list[str], lang: str) -> str:
    """'Wawancara: Kepala dan Sekretaris; Observasi; Dokumen' (kinds in the codebook's order)."""
    parts = []
    people = join_names([role_label(r, lang) for r in roles], lang)
    for kind in kinds or (["interview"] if roles else []):
        label = kind_label(kind, lang)
        parts.append(f"{label}: {people}" if kind == "interview" and people else label)
    return "; ".join(parts)


def operationalisation_table(project_or_spec: Any, codebook_key: str | None = None,
                             lang: str = "id", *, codebook: str | None = None,
                             **_options: Any) -> Display:
    """Focus | characteristic | parameters (a., b., ...) | data sources, one row per code.

    `project_or_spec`: a Project (the codebook by key, default its first active codebook)
    or a CodebookSpec. The focus is written once, in the first row, as in a paper's table."""
    check_lang(lang)
    key = codebook_key or codebook
    if hasattr(project_or_spec, "iter_codes"):
        book_key, focus, rows = _from_spec(project_or_spec, lang)
    else:
        book_key, focus, rows = _from_project(project_or_spec, key, lang)
    columns = [_("Research focus", lang=lang),
               _("Characteristic", lang=lang), _("Parameters", lang=lang),
               _("Data sources", lang=lang)]
    data = [[focus if n == 0 else "", f"{row.number}. {row.label}",
             "\n".join(f"{chr(ord('a') + i)}. {p}" for i, p in enumerate(row.parameters)),
             data_source_text(row.data_sources, row.roles, lang)]
            for n, row in enumerate(rows)]
    frame = pd.DataFrame(data, columns=columns, dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    title = _("Operationalisation of the study", lang=lang)
    notes = [_("Source: codebook {book_key}.", lang=lang).format(book_key=book_key)]
    return Display("operationalisation", title, frame, "text", notes, lang,
                   [r.key for r in rows], ["focus", "characteristic", "parameters",
                                           "data_sources"])
