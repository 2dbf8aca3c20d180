"""Inter-coder agreement per code and overall, for two or more coders over chosen sources.

Units (also in `qualcode agreement --help`):
- segment units: every segment (sentence) of the chosen sources is one unit per code; a coder
  gives it 1 when one of their codings of the code overlaps it, else 0. A coder who has no
  coding at all in a source gave no value there (missing data): percent agreement and the
  kappas use the segments every chosen coder has a value for; Krippendorff's alpha uses every
  segment with at least two values;
- characters: every character of the sources all chosen coders have coded, coded or not with
  the code by each coder (NVivo's measure), counted over intervals;
- uα: each coder's spans of the code (overlapping spans merged) against the gaps between
  them, on the same sources (Krippendorff's unitized alpha).
Overall: every (segment, code) pair or (character, code) pair is one unit; overall uα is
1 - sum D_o / sum D_e over the codes (Krippendorff 2004).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qualcode.core.analysis.agreement_data import CodingData, load_codings
from qualcode.core.analysis.agreement_stats import (
    NAN,
    binary_patterns,
    cohen_kappa,
    confusion_from_pairs,
    fleiss_kappa,
    krippendorff_nominal,
    patterns,
    percent_agreement,
)
from qualcode.core.analysis.query import check_not_blind, code_table, select_codings
from qualcode.core.analysis.unitizing import Spans, coverage, merge_spans, unitized_disagreements
from qualcode.core.coders import CONSENSUS, SUGGESTER
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, Message, _

ALMOST_EVERYWHERE = 0.9   # share of segments coded by someone above which a figure means little
FEW_UNITS = 5             # fewer coded segments than this: the figures are unstable


@dataclass
class CodeAgreement:
    """The figures of one code (or of all codes pooled: `code` == '')."""

    code: str
    label: str
    coders: int
    segments: int = 0          # segments every coder has a value for (percent, kappas)
    alpha_units: int = 0       # segments with at least two values (alpha)
    used: int = 0              # of `segments`, those coded by at least one coder
    percent: float = NAN
    cohen: float = NAN
    fleiss: float = NAN
    alpha: float = NAN
    characters: int = 0
    char_percent: float = NAN
    char_kappa: float = NAN
    u_alpha: float = NAN
    warnings: list[str] = field(default_factory=list)


@dataclass
class Agreement:
    """Agreement of `coders` over the chosen sources."""

    coders: tuple[str, ...]
    sources: int
    complete_sources: int
    codes: list[CodeAgreement]
    overall: CodeAgreement
    lang: str = "id"


def default_coders(project: Any) -> list[str]:
    """The human coders with codings (neither the consensus coder nor the suggester)."""
    return [c for c in project.coders() if c not in (CONSENSUS, SUGGESTER)]


def compared_coders(project: Any, coders: Sequence[str], too_few: str,
                    too_few_hint: str = N_("coders here: {coders}")) -> list[str]:
    """The coders to compare: the ones named, else every human coder; each must have codings
    and there must be two or more (`too_few` / `too_few_hint` say for what). Comparing means
    leaving blind coding."""
    check_not_blind(project, ["*"])
    chosen = list(dict.fromkeys(c for c in coders if c)) or default_coders(project)
    known = set(project.coders())
    here = ", ".join(sorted(known)) or Message(N_("none"))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise QualcodeError(N_("no codings by coder {unknown!r} in this project"),
                            hint=N_("coders here: {coders}"), coders=here, unknown=unknown[0])
    if len(chosen) < 2:
        raise QualcodeError(too_few, hint=too_few_hint, coders=here)
    return chosen


def agreement(project: Any, *, coders: Sequence[str] = (), codebook: str | None = None,
              codes: Sequence[str] = (), sources: Sequence[str] = (),
              kinds: Sequence[str] = (), lang: str = "id") -> Agreement:
    """Every statistic for every code of the selection, and overall."""
    chosen = compared_coders(project, coders, N_("agreement needs at least two coders"),
                             N_("name them with --coders a,b (coders here: {coders})"))
    sel = select_codings(project, codebook=codebook, codes=codes, kinds=kinds, all_coders=True)
    source_ids = [project.get_source(s).id for s in sources] if sources else None
    data = load_codings(project, chosen, sel, source_ids)
    rows = [c for c in code_table(project, codebook, lang)
            if sel.code_ids is None or c.id in set(sel.code_ids)]
    pooled = _Pool(len(chosen))
    present = data.coded_by[:, data.seg_pos]
    results = [_one_code(data, present, code.id, code.key, code.label, pooled)
               for code in rows]
    overall = pooled.result()
    return Agreement(data.coders, len(data.axis.ids), len(data.complete.ids), results, overall,
                     lang)


class _Pool:
    """Count patterns of all codes, pooled for the overall figures."""

    def __init__(self, m: int) -> None:
        self.m = m
        self.complete: list[tuple[np.ndarray, np.ndarray]] = []
        self.pairable: list[tuple[np.ndarray, np.ndarray]] = []
        self.chars: list[tuple[np.ndarray, np.ndarray]] = []
        self.confusion = np.zeros((2, 2))
        self.char_confusion = np.zeros((2, 2))
        self.d_o = self.d_e = 0.0
        self.characters = 0

    @staticmethod
    def _joined(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        return patterns(np.concatenate([p[0] for p in parts]),
                        np.concatenate([p[1] for p in parts]))

    def result(self) -> CodeAgreement:
        out = CodeAgreement("", _("All codes"), self.m)
        if self.complete:
            rows, w = self._joined(self.complete)
            out.segments, out.used = int(w.sum()), int(w[rows[:, 1] > 0].sum())
            out.percent = percent_agreement(rows, w)
            out.fleiss = fleiss_kappa(rows, w)
            out.cohen = cohen_kappa(self.confusion) if self.m == 2 else NAN
        if self.pairable:
            rows, w = self._joined(self.pairable)
            out.alpha_units, out.alpha = int(w.sum()), krippendorff_nominal(rows, w)
        if self.chars:
            rows, w = self._joined(self.chars)
            out.characters = self.characters
            out.char_percent = percent_agreement(rows, w)
            out.char_kappa = cohen_kappa(self.char_confusion) if self.m == 2 else \
                fleiss_kappa(rows, w)
        out.u_alpha = 1.0 - self.d_o / self.d_e if self.d_e > 0 else NAN
        return out


def _segment_marks(data: CodingData, mask: np.ndarray) -> np.ndarray:
    """(coders x segments) bool: the coder has a coding (among `mask`) overlapping it."""
    m, n = len(data.coders), len(data.seg_start)
    lo = np.searchsorted(data.seg_b, data.g_start[mask], side="right")
    hi = np.searchsorted(data.seg_a, data.g_end[mask], side="left")
    keep = hi > lo
    diff = np.zeros((m, n + 1), dtype=np.int32)
    np.add.at(diff, (data.coder[mask][keep], lo[keep]), 1)
    np.add.at(diff, (data.coder[mask][keep], hi[keep]), -1)
    return np.cumsum(diff[:, :-1], axis=1) > 0


def _coder_spans(data: CodingData, mask: np.ndarray) -> list[Spans]:
    """Each coder's merged spans (among `mask`) on the axis of the complete sources."""
    starts, ends, on = data.c_start[mask], data.c_end[mask], data.on_complete[mask]
    who = data.coder[mask]
    return [merge_spans(starts[on & (who == k)], ends[on & (who == k)])
            for k in range(len(data.coders))]


def _one_code(data: CodingData, present: np.ndarray, code_id: int, key: str, label: str,
              pool: _Pool) -> CodeAgreement:
    m = len(data.coders)
    out = CodeAgreement(key, label, m)
    mask = data.code == code_id
    marks = _segment_marks(data, mask)
    n = present.sum(axis=0)
    coded = (marks & present).sum(axis=0)
    full = n == m
    rows, w = binary_patterns(n[full], coded[full], m)
    out.segments, out.used = int(w.sum()), int(w[rows[:, 1] > 0].sum()) if len(rows) else 0
    if out.segments:
        out.percent = percent_agreement(rows, w)
        out.fleiss = fleiss_kappa(rows, w)
        if m == 2:
            confusion = confusion_from_pairs(marks[0][full], marks[1][full], 2)
            out.cohen = cohen_kappa(confusion)
            pool.confusion += confusion
        pool.complete.append((rows, w))
    pairable = n >= 2
    rows, w = binary_patterns(n[pairable], coded[pairable], m)
    out.alpha_units, out.alpha = int(w.sum()), krippendorff_nominal(rows, w)
    pool.pairable.append((rows, w))
    if data.complete.length:
        _characters(data, mask, out, pool)
    out.warnings = _warnings(out, marks[:, full], data.coders)
    return out


def _characters(data: CodingData, mask: np.ndarray, out: CodeAgreement, pool: _Pool) -> None:
    """Character percent and kappa over intervals, and uα, on the complete sources."""
    m, bounds = len(data.coders), data.complete.bounds
    spans = _coder_spans(data, mask)
    coded, lengths = coverage(bounds, spans)
    k = coded.sum(axis=1)
    rows, w = binary_patterns(np.full(len(k), m), k, m, lengths)
    out.characters = data.complete.length
    out.char_percent = percent_agreement(rows, w)
    if m == 2:
        confusion = confusion_from_pairs(coded[:, 0], coded[:, 1], 2, lengths)
        out.char_kappa = cohen_kappa(confusion)
        pool.char_confusion += confusion
    else:
        out.char_kappa = fleiss_kappa(rows, w)
    pool.chars.append((rows, w))
    pool.characters += data.complete.length
    d_o, d_e = unitized_disagreements(bounds, spans)
    if d_e > 0:
        out.u_alpha = 1.0 - d_o / d_e
        pool.d_o += d_o
        pool.d_e += d_e


def _warnings(out: CodeAgreement, marks: np.ndarray, coders: Sequence[str]) -> list[str]:
    """Where a figure means little: unused codes, codes used almost everywhere, few units."""
    if out.segments and out.used == 0:
        return [_("nobody used this code on these sources")]
    notes = []
    if out.segments and out.used / out.segments >= ALMOST_EVERYWHERE:
        notes.append(_("used on almost every segment: kappa and alpha mean little"))
    elif 0 < out.used < FEW_UNITS:
        notes.append(_("used on fewer than {n} segments: the figures are unstable").format(
            n=FEW_UNITS))
    idle = [c for c, row in zip(coders, marks, strict=True) if not row.any()]
    if idle and out.used:
        notes.append(_("not used by {coders}").format(coders=", ".join(idle)))
    if not out.segments:
        notes.append(_("no segment has a value from every coder"))
    return notes
