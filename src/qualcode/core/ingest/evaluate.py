"""Boundary precision and recall of segmentation against a hand-labelled file.

A labelled file is the source text with ``‖`` (U+2016) before the start of every segment and,
where text between two segments belongs to none (a speaker label), ``¦`` (U+00A6) after the
end of the segment; removing the marks gives the text to import. A gold segment is the trimmed
text from a ``‖`` to the next mark; text before the first ``‖`` belongs to no segment.
A boundary is a segment's start or end offset; precision is the share of the predicted
boundaries that are gold boundaries, recall the share of gold boundaries predicted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MARK = "‖"
END = "¦"


def read_labelled(labelled: str) -> tuple[str, list[tuple[int, int]]]:
    """(plain text, gold segment spans) of a labelled text."""
    plain_parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for number, piece in enumerate(labelled.split(MARK)):
        inside, _, outside = piece.partition(END)
        stripped = inside.strip()
        if number and stripped:
            lead = len(inside) - len(inside.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        plain_parts.append(inside + outside.replace(END, ""))
        pos += len(plain_parts[-1])
    return "".join(plain_parts), spans


@dataclass(frozen=True)
class Scores:
    """Boundary counts and the two measures."""

    predicted: int
    gold: int
    correct: int

    @property
    def precision(self) -> float:
        """Share of predicted boundaries that are gold ones (1.0 when none predicted)."""
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of gold boundaries that were predicted (1.0 when there are none)."""
        return self.correct / self.gold if self.gold else 1.0


def _boundaries(spans: Iterable[tuple[int, int]]) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for start, end in spans:
        out.add(("start", start))
        out.add(("end", end))
    return out


def boundary_scores(predicted: Iterable[tuple[int, int]],
                    gold: Iterable[tuple[int, int]]) -> Scores:
    """Compare segment starts and ends of two segmentations of the same text."""
    p, g = _boundaries(predicted), _boundaries(gold)
    return Scores(len(p), len(g), len(p & g))


def differences(text: str, predicted: Iterable[tuple[int, int]],
                gold: Iterable[tuple[int, int]]) -> list[str]:
    """Readable lines for the segments that are only predicted (+) or only gold (-)."""
    p, g = set(predicted), set(gold)
    out = [f"+ {text[a:b]!r}" for a, b in sorted(p - g)]
    out += [f"- {text[a:b]!r}" for a, b in sorted(g - p)]
    return out
