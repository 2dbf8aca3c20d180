"""Assessment scales and the verdict proposed from the +/− balance of a code's codings.

The rule (documented for the methods section of a paper):

    share = n+ / (n+ + n−)      (neutral codings do not count; no +/− codings -> no proposal)
    share >= 0.75               -> the top level of the scale      (e.g. effective)
    share <  0.50               -> the bottom level                (e.g. not effective)
    0.50 <= share < 0.75        -> the middle level(s)             (e.g. not yet optimal)

With more than one middle level, [0.50, 0.75) is split into equal bands, best level first
(a 4-level scale: [0.625, 0.75) -> 2nd level, [0.5, 0.625) -> 3rd). A 2-level scale has no middle:
below 0.75 is the bottom level. A 1-level scale always proposes its level.
The researcher confirms or overrides the proposal; the store records who decided.

Pure Python (no pandas): the store imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

TOP_SHARE = Fraction(3, 4)
BOTTOM_SHARE = Fraction(1, 2)


@dataclass(frozen=True)
class Level:
    """One level of a codebook's assessment scale."""

    key: str
    value: int
    label_id: str
    label_en: str

    def label(self, lang: str = "id") -> str:
        """The label in `lang` (falling back to the other language)."""
        if lang == "en":
            return self.label_en or self.label_id
        return self.label_id or self.label_en


def scale_levels(scale: list[dict[str, Any]] | None) -> list[Level]:
    """The levels of a `Codebook.scale` JSON list, best (highest value) first."""
    levels = [Level(str(lv.get("key", "")), int(lv.get("value", 0)),
                    str(lv.get("label_id", "") or lv.get("key", "")),
                    str(lv.get("label_en", "") or lv.get("key", "")))
              for lv in scale or []]
    return sorted(levels, key=lambda lv: -lv.value)


def find_level(levels: list[Level], key: str | None) -> Level | None:
    """The level with this key, or None."""
    return next((lv for lv in levels if lv.key == key), None)


def plus_share(n_plus: int, n_minus: int) -> Fraction | None:
    """n+ / (n+ + n−) as an exact fraction, or None without +/− codings."""
    total = n_plus + n_minus
    return Fraction(n_plus, total) if total else None


def propose_level(n_plus: int, n_minus: int, levels: list[Level]) -> Level | None:
    """The level the +/− balance proposes (see the module docstring), or None."""
    share = plus_share(n_plus, n_minus)
    if share is None or not levels:
        return None
    if len(levels) == 1 or share >= TOP_SHARE:
        return levels[0]
    if share < BOTTOM_SHARE or len(levels) == 2:
        return levels[-1]
    middle = levels[1:-1]
    width = (TOP_SHARE - BOTTOM_SHARE) / len(middle)
    for i, level in enumerate(middle, start=1):
        if share >= TOP_SHARE - i * width:
            return level
    return middle[-1]


def is_top(levels: list[Level], key: str | None) -> bool:
    """Whether `key` is the best level of the scale (the characteristic is carried out well)."""
    return bool(levels) and key == levels[0].key
