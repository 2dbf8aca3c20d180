"""The agreement table for a methods section, and the sentence that reports it.

`agreement_display` turns an Agreement into a Display (so every exporter writes it: CSV, XLSX,
DOCX, LaTeX, Markdown); `methods_sentence` states who coded what and the agreement reached,
in the paper's language.
"""

from __future__ import annotations

import math

import pandas as pd

from qualcode.core.analysis.agreement import Agreement, CodeAgreement
from qualcode.core.analysis.agreement_stats import alpha_band, kappa_band
from qualcode.core.analysis.base import Display
from qualcode.i18n import N_, _, ngettext

NUMBER_WORDS = {2: N_("two"), 3: N_("three"), 4: N_("four"), 5: N_("five")}


def _number(value: float, lang: str, digits: int = 2) -> str:
    """A figure as a paper prints it: 0.80 (en), 0,80 (id); '–' when undefined."""
    if value is None or math.isnan(value):
        return "–"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def _kappa(row: CodeAgreement) -> float:
    """The kappa a band is read from: Cohen's for two coders, Fleiss' for more."""
    return row.cohen if row.coders == 2 else row.fleiss


def _cells(row: CodeAgreement, lang: str) -> list[object]:
    return [row.segments, row.coders,
            None if math.isnan(row.percent) else round(100 * row.percent, 1),
            row.cohen, row.fleiss, kappa_band(_kappa(row), lang), row.alpha,
            alpha_band(row.alpha, lang), row.characters,
            None if math.isnan(row.char_percent) else round(100 * row.char_percent, 1),
            row.char_kappa, row.u_alpha, alpha_band(row.u_alpha, lang),
            "; ".join(row.warnings)]


def short_row(row: CodeAgreement, lang: str) -> list[str]:
    """Code, segments, percent, kappa (Cohen's for two coders, else Fleiss'), alpha with its
    band, character kappa, uα with its band: the terminal's compact row."""
    def band(value: float, name: str) -> str:
        return f"{_number(value, lang)} {name}".strip()

    return [row.code or row.label, str(row.segments), _number(100 * row.percent, lang, 1),
            band(_kappa(row), kappa_band(_kappa(row), lang)),
            band(row.alpha, alpha_band(row.alpha, lang)), _number(row.char_kappa, lang),
            band(row.u_alpha, alpha_band(row.u_alpha, lang))]


def agreement_display(result: Agreement) -> Display:
    """Per code and overall: units, coders, each statistic, its band and any warning."""
    lang = result.lang
    columns = [_("Segments", lang=lang), _("Coders", lang=lang),
               _("% agreement", lang=lang), _("Cohen's κ", lang=lang),
               _("Fleiss' κ", lang=lang), _("κ band", lang=lang),
               _("Krippendorff's α", lang=lang), _("α band", lang=lang),
               _("Characters", lang=lang), _("% agreement (characters)", lang=lang),
               _("κ (characters)", lang=lang), _("uα", lang=lang), _("uα band", lang=lang),
               _("Warning", lang=lang)]
    rows = [*result.codes, result.overall]
    labels = [f"{r.label} ({r.code})" if r.code else r.label for r in rows]
    frame = pd.DataFrame([_cells(r, lang) for r in rows], columns=columns,
                         index=pd.Index(labels, name=_("Code", lang=lang)))
    title = _("Inter-coder agreement: {coders}", lang=lang).format(
        coders=", ".join(result.coders))
    return Display("agreement", title, frame, "coefficient", agreement_notes(result), lang,
                   row_keys=[r.code for r in rows], col_keys=[])


def agreement_notes(result: Agreement) -> list[str]:
    """What every figure counts: coders, sources, units, bands."""
    lang, m = result.lang, len(result.coders)
    notes = [
        _("Coders: {coders} ({m}). Sources: {n} chosen, {k} coded by every one of these "
          "coders.", lang=lang).format(coders=", ".join(result.coders), m=m,
                                        n=result.sources, k=result.complete_sources),
        _("Segment units: each segment is coded (1) or not (0) with the code by each coder; "
          "a coder with no coding in a source gave no value there. Percent agreement and the "
          "kappas use the segments every coder has a value for; Krippendorff's α (nominal) "
          "every segment with at least two values.", lang=lang),
        _("Characters: each character of the sources every coder has coded, coded or not "
          "with the code (computed over intervals). uα: Krippendorff's unitized alpha over "
          "the coders' spans of the code.", lang=lang),
        _("All codes: every (segment, code) and (character, code) pair is one unit; uα "
          "pools the disagreements of all codes.", lang=lang),
        _("Percent agreement counts segments nobody coded as agreement: read it with κ and "
          "α. κ bands: Landis & Koch (1977); α bands: Krippendorff (2004), ≥ 0.800 "
          "reliable, ≥ 0.667 tentative conclusions only.", lang=lang),
    ]
    if m != 2:
        notes.append(_("Cohen's κ is for two coders: see Fleiss' κ.", lang=lang))
    return notes


def methods_sentence(result: Agreement) -> str:
    """One sentence for the methods section, in the result's language."""
    lang, overall, m = result.lang, result.overall, len(result.coders)
    coders = ", ".join(result.coders)
    count = _(NUMBER_WORDS[m], lang=lang) if m in NUMBER_WORDS else str(m)
    sources = ngettext("{k} of the {n} source", "{k} of the {n} sources", result.sources,
                       lang=lang).format(k=result.complete_sources, n=result.sources)
    codes = ngettext("{n} code", "{n} codes", len(result.codes), lang=lang).format(
        n=len(result.codes))
    kappa_name = _("Cohen's κ", lang=lang) if m == 2 else _("Fleiss' κ", lang=lang)
    return _("{count} coders ({coders}) each coded {sources}. Over {codes}, "
             "agreement on {units} segment-code units was {percent} % ({kappa_name} = "
             "{kappa}, Krippendorff's α = {alpha}, {band}); Krippendorff's unitized α over "
             "the coded text was {u_alpha}.", lang=lang).format(
        count=count.capitalize(), coders=coders, sources=sources, codes=codes,
        units=f"{overall.segments:,}".replace(",", "." if lang == "id" else ","),
        percent=_number(100 * overall.percent, lang, 1), kappa_name=kappa_name,
        kappa=_number(_kappa(overall), lang), alpha=_number(overall.alpha, lang),
        band=alpha_band(overall.alpha, lang), u_alpha=_number(overall.u_alpha, lang))
