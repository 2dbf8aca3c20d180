"""Who a place in a transcript speaks for, by the rule the analysis query uses in SQL:
the researcher's attribution of the passage, else the speaker turn the offset lies in (an
interviewer turn: nobody), else the source's informant. Pure Python, for the coding screen."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Credit:
    """The informant credited at an offset (None: nobody), and whether it is the
    interviewer's turn; `speaker` is the turn's label, `attributed` a researcher's span."""

    informant: str | None
    interviewer: bool = False
    speaker: str | None = None
    attributed: bool = False


class SpeakerCredits:
    """Turns (start, end, speaker, informant, interviewer) and attributions (start, end,
    informant) of one source, answering `at(offset)` in O(log n) (+ attributions)."""

    def __init__(self, source_informant: str | None,
                 turns: Sequence[tuple[int, int, str | None, str | None, bool]],
                 attributions: Sequence[tuple[int, int, str]] = ()) -> None:
        self.source_informant = source_informant
        self.turns = sorted(turns)
        self.starts = [t[0] for t in self.turns]
        self.attributions = sorted(attributions)

    def at(self, offset: int) -> Credit:
        """The credit of the text at `offset`."""
        inside = [a for a in self.attributions if a[0] <= offset < a[1]]
        if inside:
            return Credit(inside[-1][2], attributed=True)
        n = bisect_right(self.starts, offset) - 1
        if n >= 0 and offset < self.turns[n][1]:
            _start, _end, speaker, informant, interviewer = self.turns[n]
            if interviewer:
                return Credit(None, True, speaker)
            return Credit(informant or self.source_informant, False, speaker)
        return Credit(self.source_informant)
