"""Assessment scales and their thresholds (the verdict rule's numbers).

Each level of a codebook's scale may carry two thresholds (YAML fields of the level, stored in
`Codebook.scale`; see codebooks/README.md):

    min_share       the least share "for" (carried out well) that proposes this level,
                    0 < min_share <= 1; the bottom level takes whatever is below the others
    min_informants  how many informants (or sources without one) must take a side before
                    this level is proposed

Defaults: the top level 0.75, the bottom level 0, the middle level(s) split [0.50, 0.75) into
equal bands, best level first (a 4-level scale: 0.625 -> 2nd level, 0.5 -> 3rd); a 2-level
scale has no middle (below 0.75 is the bottom level); every level needs 2 informants.

    share = for / (for + against)       (neutral does not count; nothing for or against -> None)

`level_for_share` applies the thresholds to one share; verdict_rule.py applies them to the
informants and the codings of a code. The researcher confirms or overrides the proposal.

Pure Python (no pandas): the store imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

TOP_SHARE = Fraction(3, 4)
BOTTOM_SHARE = Fraction(1, 2)
MIN_INFORMANTS = 2


@dataclass(frozen=True)
class Level:
    """One level of a codebook's assessment scale, with its thresholds (None: the default)."""

    key: str
    value: int
    label_id: str
    label_en: str
    min_share: Fraction | None = None
    min_informants: int | None = None

    def label(self, lang: str = "id") -> str:
        """The label in `lang` (falling back to the other language)."""
        if lang == "en":
            return self.label_en or self.label_id
        return self.label_id or self.label_en


def _fraction(value: Any) -> Fraction | None:
    """A stored `min_share` as a fraction; anything but a number in (0, 1] is ignored."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    share = Fraction(str(value)).limit_denominator(1000)
    return share if 0 < share <= 1 else None


def _count(value: Any) -> int | None:
    """A stored `min_informants`; anything but a whole number >= 1 is ignored."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 \
        else None


def scale_levels(scale: list[dict[str, Any]] | None) -> list[Level]:
    """The levels of a `Codebook.scale` JSON list, best (highest value) first."""
    levels = [Level(str(lv.get("key", "")), int(lv.get("value", 0)),
                    str(lv.get("label_id", "") or lv.get("key", "")),
                    str(lv.get("label_en", "") or lv.get("key", "")),
                    _fraction(lv.get("min_share")), _count(lv.get("min_informants")))
              for lv in scale or []]
    return sorted(levels, key=lambda lv: -lv.value)


def find_level(levels: list[Level], key: str | None) -> Level | None:
    """The level with this key, or None."""
    return next((lv for lv in levels if lv.key == key), None)


def plus_share(n_plus: int, n_minus: int) -> Fraction | None:
    """n+ / (n+ + n−) as an exact fraction, or None without +/− codings."""
    total = n_plus + n_minus
    return Fraction(n_plus, total) if total else None


def thresholds(levels: list[Level]) -> list[Fraction]:
    """The least share of each level (best first): its own `min_share`, else the default."""
    if not levels:
        return []
    middle = len(levels) - 2
    width = (TOP_SHARE - BOTTOM_SHARE) / middle if middle > 0 else Fraction(0)
    found = []
    for i, level in enumerate(levels):
        default = Fraction(0) if i == len(levels) - 1 else TOP_SHARE - i * width
        found.append(default if level.min_share is None or i == len(levels) - 1
                     else level.min_share)
    return found


def needed_informants(level: Level) -> int:
    """How many informants must take a side before `level` is proposed."""
    return MIN_INFORMANTS if level.min_informants is None else level.min_informants


def level_for_share(share: Fraction | None, levels: list[Level]) -> Level | None:
    """The best level whose threshold `share` reaches (None without a share or a scale)."""
    if share is None or not levels:
        return None
    for level, least in zip(levels, thresholds(levels), strict=True):
        if share >= least:
            return level
    return levels[-1]


def propose_level(n_plus: int, n_minus: int, levels: list[Level]) -> Level | None:
    """The level the +/− balance of codings alone reaches (one half of the verdict rule)."""
    return level_for_share(plus_share(n_plus, n_minus), levels)


def lower(levels: list[Level], first: Level | None, second: Level | None) -> Level | None:
    """The lower (more cautious) of two levels; None when either is None."""
    if first is None or second is None:
        return None
    return first if first.value <= second.value else second


def is_top(levels: list[Level], key: str | None) -> bool:
    """Whether `key` is the best level of the scale (the characteristic is carried out well)."""
    return bool(levels) and key == levels[0].key
