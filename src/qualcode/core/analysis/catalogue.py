"""What the analysis screens need beyond the builders: the catalogue of displays a researcher
can choose from, the "all displays" export set, the coders of a project, where exports go by
default, and the filters behind a matrix cell (to retrieve its codings).

No UI code here (the core never imports textual); the screens in qualcode.tui.screens call it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select

from qualcode.core.analysis.base import Display
from qualcode.core.analysis.query import CODING, table
from qualcode.core.analysis.shared_reads import shared_reads
from qualcode.core.models import Action, Conclusion, Source, Summary
from qualcode.i18n import N_, NP_, _, pgettext


@dataclass(frozen=True)
class DisplayChoice:
    """One entry of the displays menu: a DISPLAYS builder with fixed options."""

    key: str
    builder: str
    name: str  # an English message id (N_); `cell` adds a matrix's cell content after it
    options: dict[str, str] = field(default_factory=dict)
    filters: bool = True  # takes codes / informants / kinds / valence filters
    cell: str = ""  # an English message id in the "cell" context

    def label(self, lang: str) -> str:
        """The menu text in `lang`."""
        name = _(self.name, lang=lang)
        return f"{name}: {pgettext('cell', self.cell, lang=lang)}" if self.cell else name


def _cells(prefix: str, builder: str, name: str) -> list[DisplayChoice]:
    cells = (("counts", NP_("cell", "codings")), ("valence", NP_("cell", "+/−")),
             ("presence", NP_("cell", "presence")), ("summaries", NP_("cell", "summaries")),
             ("quotes", NP_("cell", "best quotes")))
    return [DisplayChoice(f"{prefix}:{cell}", builder, name, {"cell": cell}, cell=word)
            for cell, word in cells]


DISPLAY_CHOICES: list[DisplayChoice] = [
    *_cells("clustered", "clustered", N_("Clustered matrix")),
    *_cells("role", "role", N_("Role-ordered matrix")),
    DisplayChoice("triangulation:kind", "triangulation", N_("Triangulation: codes × source kind"),
                  {"by": "kind"}),
    DisplayChoice("triangulation:informant", "triangulation",
                  N_("Triangulation: codes × informant"), {"by": "informant"}),
    DisplayChoice("cooccurrence:count", "cooccurrence", N_("Co-occurrence: pair counts"),
                  {"measure": "count"}),
    DisplayChoice("cooccurrence:c", "cooccurrence", N_("Co-occurrence: c-coefficient"),
                  {"measure": "c"}),
    DisplayChoice("frequency:code", "frequency", N_("Frequencies per code"),
                  {"by": "code"}),
    DisplayChoice("frequency:kind", "frequency", N_("Frequencies per source kind"), {"by": "kind"}),
    DisplayChoice("frequency:valence", "frequency", N_("Frequencies per valence (with chart)"),
                  {"by": "valence"}),
    DisplayChoice("summaries", "summaries", N_("Summary grid"), filters=False),
    DisplayChoice("checklist", "checklist", N_("Verification checklist"), filters=False),
    DisplayChoice("operationalisation", "operationalisation", N_("Operationalisation table"),
                  filters=False),
]
CHOICES_BY_KEY = {c.key: c for c in DISPLAY_CHOICES}
DEFAULT_CHOICE = "clustered:counts"
CHART_CHOICE = "frequency:valence"

# The set written by "export all displays" (as `qualcode export` does, without the listing).
ALL_DISPLAYS = ("clustered:counts", "clustered:valence", "role:counts", "triangulation:kind",
                "triangulation:informant", "cooccurrence:count", "cooccurrence:c",
                "frequency:code", "frequency:kind", "frequency:valence", "summaries",
                "operationalisation", "checklist")


@dataclass(frozen=True)
class Filters:
    """A selection of codings: empty tuples / None mean no restriction."""

    codes: tuple[str, ...] = ()
    informants: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    valence: str | None = None

    def is_empty(self) -> bool:
        """Whether nothing is filtered."""
        return not (self.codes or self.informants or self.kinds or self.coders or self.valence)


def build_choice(project: Any, key: str, *, codebook: str | None = None,
                 coder: str | None = None, filters: Filters | None = None,
                 lang: str = "id") -> Display:
    """Build the display of a menu entry with the given codebook, coder and filters."""
    from qualcode.core.analysis.display import DISPLAYS

    choice = CHOICES_BY_KEY[key]
    kwargs: dict[str, Any] = dict(choice.options)
    if codebook:
        kwargs["codebook"] = codebook
    if coder and choice.builder not in ("summaries", "operationalisation"):
        kwargs["coder"] = coder
    if filters is not None and choice.filters:
        kwargs.update(codes=filters.codes, informants=filters.informants, kinds=filters.kinds,
                      valence=filters.valence)
    return DISPLAYS[choice.builder](project, lang=lang, **kwargs)


def all_displays(project: Any, *, codebook: str | None = None, coder: str | None = None,
                 lang: str = "id") -> list[Display]:
    """Every display for a paper (see ALL_DISPLAYS), with the given codebook and coder
    (each query run once for all of them)."""
    with shared_reads(project):
        return [build_choice(project, key, codebook=codebook, coder=coder, lang=lang)
                for key in ALL_DISPLAYS]


def chart_display(project: Any, display: Display | None, *, codebook: str | None = None,
                  coder: str | None = None, lang: str = "id") -> Display:
    """The display a valence chart is drawn from: `display` when it carries +/− counts,
    else the frequencies per valence."""
    if display is not None and has_valence(display):
        return display
    return build_choice(project, CHART_CHOICE, codebook=codebook, coder=coder, lang=lang)


def has_valence(display: Display) -> bool:
    """Whether a valence chart can be drawn from the display (some +/− counts in it)."""
    from qualcode.core.export.figures import valence_counts

    if display.cell_kind not in ("valence", "count", "mixed"):
        return False
    counts = valence_counts(display)
    return bool(counts.to_numpy().sum()) and display.key != "cooccurrence"


def cell_filters(display: Display, row: int, col: int | None) -> Filters | None:
    """The codings behind a cell (row, data column) of a code-rowed display: its code, and
    the informant or source kind of the column when it names one; None when the row is not
    a code."""
    if not 0 <= row < len(display.row_keys) or display.key in ("operationalisation",):
        return None
    code = display.row_keys[row]
    informants: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    codes: tuple[str, ...] = (code,)
    if col is not None and 0 <= col < len(display.col_keys):
        column = display.col_keys[col]
        if column.startswith("i:"):
            informants = (column[2:],)
        elif column.startswith("k:"):
            kinds = (column[2:],)
        elif display.key.startswith("cooccurrence") and column != code:
            codes = (code, column)
    return Filters(codes=codes, informants=informants, kinds=kinds)


def retrieval_listing(project: Any, filters: Filters, *, codebook: str | None = None,
                      lang: str = "id", context_chars: int = 80) -> Display:
    """The retrieval display for a selection with any number of coders (a passage coded
    alike by several of them is listed once); same columns as conclusions.retrieval_display."""
    from qualcode.core.analysis.conclusions import retrieval_display

    return retrieval_display(project, codebook=codebook, codes=filters.codes,
                             informants=filters.informants, kinds=filters.kinds,
                             coder=",".join(filters.coders) or None, valence=filters.valence,
                             lang=lang, context_chars=context_chars)


def coders(project: Any) -> list[str]:
    """Everyone who has coded in the project, by name."""
    with project.engine.connect() as conn:
        return [str(c) for c in conn.execute(
            select(CODING.coder).distinct().order_by(CODING.coder)).scalars()]


@dataclass(frozen=True)
class Progress:
    """How far the analysis has come: summaries and conclusions by status."""

    codings: int
    summaries_draft: int
    summaries_accepted: int
    conclusions_tentative: int
    conclusions_verified: int


def analysis_progress(project: Any) -> Progress:
    """Counts for the analysis hub."""
    summ, con = table(Summary).c, table(Conclusion).c
    with project.engine.connect() as conn:
        from qualcode.core.coders import SUGGESTER

        codings = int(conn.execute(select(func.count(CODING.id))  # not the proposals
                                   .where(CODING.coder != SUGGESTER)).scalar_one())
        by_summary = dict(conn.execute(select(summ.status, func.count()).group_by(summ.status))
                          .all())
        by_conclusion = dict(conn.execute(select(con.status, func.count())
                                          .group_by(con.status)).all())
    return Progress(codings, int(by_summary.get("draft", 0)), int(by_summary.get("accepted", 0)),
                    int(by_conclusion.get("tentative", 0)),
                    int(by_conclusion.get("verified", 0)))


def store_version(project: Any) -> tuple[int, ...]:
    """A fingerprint of the project's data: it changes with every action, undo and redo, and
    with codings or sources added outside the undo log (imports). Screens compare it to skip
    reloading what they already show."""
    act, src = table(Action).c, table(Source).c
    undone = func.coalesce(func.sum(case((act.undone == True, 1), else_=0)), 0)  # noqa: E712
    with project.engine.connect() as conn:
        actions = conn.execute(select(func.coalesce(func.max(act.id), 0), undone)).one()
        codings = conn.execute(select(func.count(CODING.id),
                                      func.coalesce(func.max(CODING.id), 0))).one()
        sources = conn.execute(select(func.count(src.id)).where(src.active == True)  # noqa: E712
                               ).scalar_one()
    return (int(actions[0]), int(actions[1]), int(codings[0]), int(codings[1]), int(sources))


def export_folder(project: Any) -> Path:
    """Where exports go by default: the folder qualcode was started in, where the researcher
    will look for them (the demo project itself lives in a hidden data folder); the project
    file's folder when the current one cannot be written."""
    here = Path.cwd()
    if os.access(here, os.W_OK):
        return here
    url = str(getattr(project, "url", ""))
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).resolve().parent
    return here


def export_stem(project: Any) -> str:
    """A file-name stem for exports: the project file's name without its suffix."""
    url = str(getattr(project, "url", ""))
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).stem or "qualcode"
    return "qualcode"


__all__ = ["ALL_DISPLAYS", "CHART_CHOICE", "CHOICES_BY_KEY", "DEFAULT_CHOICE", "DISPLAY_CHOICES",
           "DisplayChoice", "Filters", "Progress", "all_displays", "analysis_progress",
           "build_choice", "cell_filters", "chart_display", "coders", "export_folder",
           "export_stem", "has_valence", "retrieval_listing", "store_version"]
