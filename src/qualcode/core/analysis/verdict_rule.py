"""The verdict rule: a proposal from informants as well as codings.

Each informant counts once (the informant a coding is credited to: its speaker turn, an
attribution, else the source's; interviewer turns are never counted); a source without an
informant (a document, observation notes) counts once as itself. Each of these *voices* takes
the side most of its + / − codings take (for = carried out well, against = a shortfall); an
even split takes no side; neutral codings take none.

    level by voices  = the scale level that for / (for + against) voices reaches
    level by codings = the scale level that n+ / (n+ + n−) reaches
    proposal         = the lower of the two, when at least `min_informants` voices take a side

The thresholds are the scale's (verdicts.thresholds / needed_informants). So 4 + and 2 −
codings by one informant propose nothing: one voice is fewer than two.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from qualcode.core.analysis.labels import join_names, kind_label, role_label
from qualcode.core.analysis.verdicts import (
    Level,
    level_for_share,
    lower,
    needed_informants,
    plus_share,
    thresholds,
)
from qualcode.i18n import _, ngettext


@dataclass(frozen=True)
class Voice:
    """An informant, or a source without one, speaking to a code."""

    name: str
    role: str | None          # None for a source without an informant
    kinds: tuple[str, ...]    # source kinds of its codings
    informant: bool
    n_plus: int
    n_minus: int
    n_neutral: int

    @property
    def side(self) -> int:
        """+1 for (more + than −), −1 against, 0 no side (even split or neutral only)."""
        return (self.n_plus > self.n_minus) - (self.n_plus < self.n_minus)

    def who(self, lang: str) -> str:
        """'Zainal (Head)' or 'laporan (Document)'."""
        if self.informant:
            return f"{self.name} ({role_label(self.role, lang)})" if self.role else self.name
        kind = kind_label(self.kinds[0], lang) if self.kinds else ""
        return f"{self.name} ({kind})" if kind else self.name


@dataclass(frozen=True)
class Proposal:
    """The proposed level and every number it came from."""

    level: Level | None
    by_voices: Level | None
    by_codings: Level | None
    voices: tuple[Voice, ...]
    n_plus: int
    n_minus: int
    needed: int               # voices that must take a side

    @property
    def voices_for(self) -> list[Voice]:
        return [v for v in self.voices if v.side > 0]

    @property
    def voices_against(self) -> list[Voice]:
        return [v for v in self.voices if v.side < 0]

    @property
    def voices_split(self) -> list[Voice]:
        """Voices with as many + as − codings (they take no side)."""
        return [v for v in self.voices if v.side == 0 and v.n_plus]

    @property
    def sided(self) -> int:
        return len(self.voices_for) + len(self.voices_against)

    @property
    def voice_share(self) -> Fraction | None:
        return plus_share(len(self.voices_for), len(self.voices_against))


def voices(rows: pd.DataFrame) -> list[Voice]:
    """The voices of a code's coding rows (columns informant_id, informant, role, source_id,
    source, kind, valence), informants first by name, then sources by name."""
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for inf, name, role, sid, source, kind, valence in zip(
            rows["informant_id"], rows["informant"], rows["role"], rows["source_id"],
            rows["source"], rows["kind"], rows["valence"], strict=True):
        is_person = not pd.isna(inf)
        key = (0, int(inf)) if is_person else (1, int(sid))
        entry = found.setdefault(key, {
            "name": str(name) if is_person else str(source),
            "role": str(role) if is_person and isinstance(role, str) and role else None,
            "kinds": [], "informant": is_person, "+": 0, "-": 0, "0": 0})
        if kind not in entry["kinds"]:
            entry["kinds"].append(str(kind))
        entry[valence if valence in ("+", "-") else "0"] += 1
    made = [Voice(e["name"], e["role"], tuple(e["kinds"]), e["informant"], e["+"], e["-"], e["0"])
            for _key, e in sorted(found.items())]
    return sorted(made, key=lambda v: (not v.informant, v.name))


def propose(rows: pd.DataFrame, levels: list[Level]) -> Proposal:
    """The rule (module docstring) applied to a code's coding rows."""
    heard = tuple(voices(rows))
    n_plus, n_minus = int((rows["valence"] == "+").sum()), int((rows["valence"] == "-").sum())
    n_for = sum(1 for v in heard if v.side > 0)
    n_against = sum(1 for v in heard if v.side < 0)
    by_voices = level_for_share(plus_share(n_for, n_against), levels)
    by_codings = level_for_share(plus_share(n_plus, n_minus), levels)
    chosen = lower(levels, by_voices, by_codings)
    needed = needed_informants(chosen) if chosen else (
        needed_informants(levels[0]) if levels else 0)
    if chosen is not None and n_for + n_against < needed:
        chosen = None
    return Proposal(chosen, by_voices, by_codings, heard, n_plus, n_minus, needed)


def _percent(share: Fraction) -> str:
    return f"{round(float(share) * 100):g} %"


def rule_text(levels: list[Level], lang: str) -> str:
    """The rule with this scale's thresholds, for the panel and the methods section."""
    if not levels:
        return ""
    least = thresholds(levels)
    bands = [_("{level} from {share}", lang=lang).format(level=lv.label(lang),
                                                         share=_percent(s))
             for lv, s in zip(levels[:-1], least[:-1], strict=True)]
    bands.append(_("{level} below", lang=lang).format(level=levels[-1].label(lang)))
    counts = sorted({needed_informants(lv) for lv in levels})
    needed = " / ".join(str(n) for n in counts)
    return _("Rule: each informant (or source without an informant) counts once, on the side "
             "most of its codings take; the share for the characteristic among them and among "
             "the codings sets the level, the lower of the two ({bands}); at least {needed} "
             "must take a side.", lang=lang).format(bands="; ".join(bands), needed=needed)


def _who(group: list[Voice], lang: str) -> str:
    return join_names([v.who(lang) for v in group], lang) if group else "—"


def counts_text(p: Proposal, lang: str) -> str:
    """The numbers behind a proposal: voices for / against (who, roles, source kinds),
    codings, and the level each share reaches."""
    parts = [
        _("Carried out well according to {n}: {who}", lang=lang).format(
            n=len(p.voices_for), who=_who(p.voices_for, lang)),
        _("shortfalls according to {n}: {who}", lang=lang).format(
            n=len(p.voices_against), who=_who(p.voices_against, lang))]
    if p.voices_split:
        parts.append(_("evenly split: {who}", lang=lang).format(who=_who(p.voices_split, lang)))
    parts.append(_("codings {n_plus}+ / {n_minus}−", lang=lang).format(
        n_plus=p.n_plus, n_minus=p.n_minus))
    text = "; ".join(parts) + ". "
    if p.sided < p.needed:
        return text + ngettext(
            "No proposal: {n} informant or source takes a side, {needed} needed.",
            "No proposal: {n} informants or sources take a side, {needed} needed.",
            p.sided, lang=lang).format(n=p.sided, needed=p.needed)
    if p.level is None or p.by_voices is None or p.by_codings is None:
        return text + _("No proposal: no + or − codings.", lang=lang)
    return text + _("Share carried out well: informants (and sources without one) {vshare} "
                    "({vlevel}), codings {cshare} ({clevel}); proposed: {level}.",
                    lang=lang).format(
        vshare=_percent(p.voice_share or Fraction(0)), vlevel=p.by_voices.label(lang),
        cshare=_percent(plus_share(p.n_plus, p.n_minus) or Fraction(0)),
        clevel=p.by_codings.label(lang), level=p.level.label(lang))
