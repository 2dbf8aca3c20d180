"""The verification checks beside a conclusion (Miles & Huberman), each computed from the
codings, the evidence links and the memos; no check reads the wording of a statement.

`support` / `against` are the code's coding rows for and against the verdict in force (the
researcher's, else the proposed one; linked evidence keeps its stance), with the columns
`voice` (an informant, or a source without one) and `who` (its label). A voice is for the
verdict when more of its codings support it than contradict it, against it when more contradict.

- triangulation (informants): at least 2 informants are for the verdict;
- triangulation (source kinds): at least 2 source kinds (interview, observation, document ...)
  are for it (more of their codings support it than contradict it);
- representativeness: every role expected to speak to the code (the codebook's
  `informant_roles`, else every role among the study's informants) has an informant who does;
- negative evidence: every contradicting coding is linked to the conclusion as contradicting
  with the researcher's explanation (the link's note, or a memo on the coding);
- outliers: no voice is against the verdict, unless each of its contradicting codings is
  explained as above;
- weighting: the evidence for the verdict comes from at least 2 voices and none of them gives
  more than half of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from qualcode.core.analysis.labels import join_names, kind_label, role_label, role_rank
from qualcode.i18n import _, ngettext

MIN_INFORMANTS = 2
MIN_KINDS = 2
MAX_WEIGHT = Fraction(1, 2)


@dataclass
class CheckItem:
    """One verification check beside a conclusion."""

    key: str
    label: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Evidence:
    """What the checks read besides the codings: links (coding id -> (stance, note)) and the
    codings that carry a memo."""

    links: dict[int, tuple[str, str]]
    coding_memos: frozenset[int]

    def explained(self, coding_id: int) -> bool:
        """Linked as contradicting with a note, or linked and given a memo."""
        stance, note = self.links.get(coding_id, ("", ""))
        return stance == "contradicts" and (bool(note.strip()) or coding_id in self.coding_memos)


def _balance(support: pd.DataFrame, against: pd.DataFrame, column: str) -> dict[str, int]:
    """Per value of `column`: supporting minus contradicting codings."""
    score: dict[str, int] = {}
    for frame, sign in ((support, 1), (against, -1)):
        for value in frame[column].dropna():
            score[str(value)] = score.get(str(value), 0) + sign
    return score


def sides(support: pd.DataFrame, against: pd.DataFrame) -> dict[str, int]:
    """Per voice: +1 for the verdict, −1 against it, 0 evenly split."""
    return {v: (n > 0) - (n < 0) for v, n in _balance(support, against, "voice").items()}


def _labels(frames: list[pd.DataFrame]) -> dict[str, str]:
    found: dict[str, str] = {}
    for frame in frames:
        found.update(zip(frame["voice"].astype(str), frame["who"].astype(str), strict=True))
    return found


def triangulation_informants(support: pd.DataFrame, against: pd.DataFrame,
                             lang: str) -> CheckItem:
    side, who = sides(support, against), _labels([support, against])
    people = sorted(who[v] for v, s in side.items() if s > 0 and v.startswith("i"))
    others = sorted(who[v] for v, s in side.items() if s < 0 and v.startswith("i"))
    detail = ngettext("{n} informant for the verdict", "{n} informants for the verdict",
                      len(people), lang=lang).format(n=len(people))
    if people:
        detail += f" ({join_names(people, lang)})"
    detail += "; " + ngettext("{n} against", "{n} against", len(others), lang=lang).format(
        n=len(others))
    if others:
        detail += f" ({join_names(others, lang)})"
    return CheckItem("triangulation_informants", _("Triangulation (informants)", lang=lang),
                     len(people) >= MIN_INFORMANTS, detail)


def triangulation_sources(support: pd.DataFrame, against: pd.DataFrame, lang: str) -> CheckItem:
    score = _balance(support, against, "kind")
    kinds_for = [kind_label(k, lang) for k, n in sorted(score.items()) if n > 0]
    kinds_against = [kind_label(k, lang) for k, n in sorted(score.items()) if n < 0]
    detail = _("source kinds for the verdict: {kinds}; against: {others}", lang=lang).format(
        kinds=join_names(kinds_for, lang) or "—", others=join_names(kinds_against, lang) or "—")
    return CheckItem("triangulation_sources", _("Triangulation (source kinds)", lang=lang),
                     len(kinds_for) >= MIN_KINDS, detail)


def representativeness(rows: pd.DataFrame, expected: list[str], lang: str) -> CheckItem:
    label = _("Representativeness (roles)", lang=lang)
    heard = sorted({str(r) for r in rows["role"].dropna() if str(r)}, key=role_rank)
    missing = [r for r in sorted(set(expected), key=role_rank) if r not in heard]
    if not heard:
        return CheckItem("representativeness", label, False,
                         _("no informant speaks to it", lang=lang))
    detail = _("roles heard: {roles}", lang=lang).format(
        roles=join_names([role_label(r, lang) for r in heard], lang))
    if missing:
        detail += "; " + _("not heard: {roles}", lang=lang).format(
            roles=join_names([role_label(r, lang) for r in missing], lang))
    return CheckItem("representativeness", label, not missing and len(heard) >= 1, detail)


def negative_evidence(against: pd.DataFrame, evidence: Evidence, lang: str) -> CheckItem:
    label = _("Negative evidence", lang=lang)
    ids = [int(c) for c in against["coding_id"]]
    if not ids:
        return CheckItem("negative_evidence", label, True,
                         _("no contradicting coding", lang=lang))
    done = sum(1 for c in ids if evidence.explained(c))
    detail = ngettext("{n} contradicting coding; {done} linked with an explanation",
                      "{n} contradicting codings; {done} linked with an explanation",
                      len(ids), lang=lang).format(n=len(ids), done=done)
    return CheckItem("negative_evidence", label, done == len(ids), detail)


def outliers(support: pd.DataFrame, against: pd.DataFrame, evidence: Evidence,
             lang: str) -> CheckItem:
    side, who = sides(support, against), _labels([support, against])
    found, unexplained = [], 0
    for voice in sorted((v for v, s in side.items() if s < 0), key=lambda v: who[v]):
        n_for = int((support["voice"] == voice).sum())
        ids = [int(c) for c in against.loc[against["voice"] == voice, "coding_id"]]
        explained = all(evidence.explained(c) for c in ids)
        unexplained += not explained
        text = _("{who}: {n_for} for, {n_against} against", lang=lang).format(
            who=who[voice], n_for=n_for, n_against=len(ids))
        if explained:
            text += " " + _("(explained)", lang=lang)
        found.append(text)
    detail = "; ".join(found) if found else _("none", lang=lang)
    return CheckItem("outliers", _("Outliers", lang=lang), unexplained == 0, detail)


def weighting(support: pd.DataFrame, lang: str) -> CheckItem:
    label = _("Weighting of evidence", lang=lang)
    if support.empty:
        return CheckItem("weighting", label, False,
                         _("no evidence for the verdict", lang=lang))
    counts = support.groupby("voice", sort=True).size()
    top = str(counts.idxmax())
    n, total = int(counts.max()), len(support)
    who = str(support.loc[support["voice"] == top, "who"].iloc[0])
    kinds = support.groupby("kind", sort=True).size()
    detail = ngettext(
        "{n} informant or source gives the evidence for the verdict; the largest part: {who}, "
        "{k} of {total} codings ({share})",
        "{n} informants or sources give the evidence for the verdict; the largest part: {who}, "
        "{k} of {total} codings ({share})", len(counts), lang=lang).format(
        n=len(counts), who=who, k=n, total=total, share=f"{round(100 * n / total):g} %")
    detail += "; " + ", ".join(f"{kind_label(str(k), lang)} {int(v)}" for k, v in kinds.items())
    ok = len(counts) >= MIN_INFORMANTS and Fraction(n, total) <= MAX_WEIGHT
    return CheckItem("weighting", label, ok, detail)


def run_checks(rows: pd.DataFrame, support: pd.DataFrame, against: pd.DataFrame,
               evidence: Evidence, expected_roles: list[str], lang: str,
               verdict: bool = True) -> list[CheckItem]:
    """Every check, in the order the report lists them. Without a verdict or a proposal
    (`verdict` False) only representativeness can be checked; the others say so."""
    if not verdict:
        pending = _("no verdict or proposal to check yet", lang=lang)
        checks = run_checks(rows, support, against, evidence, expected_roles, lang)
        return [c if c.key == "representativeness" else CheckItem(c.key, c.label, False, pending)
                for c in checks]
    return [triangulation_informants(support, against, lang),
            triangulation_sources(support, against, lang),
            representativeness(rows, expected_roles, lang),
            negative_evidence(against, evidence, lang),
            outliers(support, against, evidence, lang),
            weighting(support, lang)]
