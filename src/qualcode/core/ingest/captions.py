"""Caption files (.vtt WebVTT, .srt SubRip) rebuilt as a readable transcript.

Cue text loses its markup (WebVTT ``<v Name>``, ``</v>``, ``<c>``, ``<i>``, ``<b>``, ``<u>``,
``<lang>``, ``<ruby>``, inline ``<00:00:01.000>`` timestamps; SRT ``<font>`` and ``{\\an8}``
tags) and HTML entities. NOTE / STYLE / REGION blocks, cue identifiers, SRT numbers and cue
settings are dropped. The speaker of a cue is its voice tag, else a ``Name:`` prefix of the cue
text (a known label or a name of 1-4 capitalised words), else the previous cue's
speaker. Consecutive cues of one speaker merge into one turn, written as one line
``Speaker: words words``; each turn carries the first cue's start and the last cue's end in
milliseconds. A block without a timing line that follows a cue continues that cue's text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from qualcode.core.ingest.decoding import normalise_newlines
from qualcode.core.ingest.plaintext import require_content
from qualcode.core.ingest.turns import (
    LABEL_RE,
    ParsedSource,
    Turn,
    classify_label,
    is_interviewer_label,
)
from qualcode.errors import IngestError
from qualcode.i18n import N_

_TS = r"(?:(\d{1,6}):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"  # hours bounded: stored as int64
_TIMING_RE = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}(?:[ \t]+.*)?$")
_VOICE_RE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_TAG_RE = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
_SKIP_BLOCK_RE = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_HINT = {
    "vtt": N_("A WebVTT file starts with 'WEBVTT' and holds cues like "
              "'00:00:01.000 --> 00:00:04.000' followed by their text."),
    "srt": N_("An SRT file holds numbered cues like '1', '00:00:01,000 --> 00:00:04,000', "
              "then the text, separated by blank lines."),
}


@dataclass
class _Cue:
    begin_ms: int
    end_ms: int
    lines: list[tuple[str | None, str]]  # (voice or None, cleaned text) per payload line


def _ms(groups: tuple[str | None, ...]) -> int:
    h, m, s, frac = groups
    return ((int(h or 0) * 60 + int(m or 0)) * 60 + int(s or 0)) * 1000 + int(
        (frac or "0").ljust(3, "0")
    )


def _clean(line: str) -> tuple[str | None, str]:
    """(voice name or None, text without markup and entities, whitespace collapsed)."""
    voice = None
    m = _VOICE_RE.search(line)
    if m:
        voice = " ".join(m.group(1).split()) or None
    text = html.unescape(_TAG_RE.sub("", line))
    return voice, " ".join(text.split())


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (1-based first line number, lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _parse_cues(text: str, fmt: str, name: str) -> list[_Cue]:
    cues: list[_Cue] = []
    for index, (first, lines) in enumerate(_blocks(text)):
        if fmt == "vtt" and index == 0 and lines[0].lstrip("\ufeff").startswith("WEBVTT"):
            continue
        if fmt == "vtt" and _SKIP_BLOCK_RE.match(lines[0]):
            continue
        timing_at = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
        if timing_at is None:
            if cues:  # stray continuation text: keep it rather than drop it
                cues[-1].lines.extend(_clean(line) for line in lines)
            continue
        m = _TIMING_RE.match(lines[timing_at])
        if m is None:
            raise IngestError(N_("{name}, line {line}: malformed cue timing '{timing}'"),
                              hint=_HINT[fmt], name=name, line=first + timing_at,
                              timing=lines[timing_at].strip())
        payload = [_clean(line) for line in lines[timing_at + 1 :]]
        cues.append(_Cue(_ms(m.groups()[:4]), _ms(m.groups()[4:]), payload))
    return cues


def _prefix_speaker(text: str) -> tuple[str, str, str] | None:
    """(speaker, kind, rest) when the cue text starts with a 'Name:' label.

    Unlike plain text, one occurrence suffices: a name prefix on a cue is a speaker label.
    """
    m = LABEL_RE.match(text)
    if m is None or m.group("bname") is not None or (not m.group("ws") and m.end() < len(text)):
        return None
    result = classify_label(m.group("name"))
    if result is None:
        return None
    return result[0], result[1], text[m.end() :]


def _utterances(cues: list[_Cue]) -> list[tuple[str | None, str, int, int]]:
    """(speaker, text, begin_ms, end_ms) per cue line, with speakers resolved."""
    out: list[tuple[str | None, str, int, int]] = []
    speaker: str | None = None
    for cue in cues:
        for voice, line in cue.lines:
            if voice:
                speaker = voice
            else:
                prefix = _prefix_speaker(line)
                if prefix is not None:
                    speaker, line = prefix[0], prefix[2].strip()
            if line:
                out.append((speaker, line, cue.begin_ms, cue.end_ms))
    return out


def parse_captions(
    text: str, fmt: str, *, name: str = "<text>", encoding: str = "utf-8"
) -> ParsedSource:
    """Parse decoded WebVTT (`fmt='vtt'`) or SubRip (`fmt='srt'`) text into a transcript."""
    if fmt not in _HINT:
        raise ValueError(f"parse_captions: unknown caption format {fmt!r}")
    source = normalise_newlines(text)
    require_content(source, name)
    cues = _parse_cues(source, fmt, name)
    if not cues:
        raise IngestError(N_("{name}: no caption cues found"), hint=_HINT[fmt], name=name)
    merged: list[tuple[str | None, list[str], int, int]] = []
    for speaker, line, begin, end in _utterances(cues):
        if merged and merged[-1][0] == speaker:
            prev = merged[-1]
            prev[1].append(line)
            merged[-1] = (speaker, prev[1], prev[2], max(prev[3], end))
        else:
            merged.append((speaker, [line], begin, end))
    if not merged:
        raise IngestError(N_("{name}: the caption cues hold no text"), hint=_HINT[fmt], name=name)
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for speaker, lines, begin, end in merged:
        label = f"{speaker}: " if speaker else ""
        words = " ".join(lines)
        turns.append(
            Turn(
                pos + len(label),
                pos + len(label) + len(words),
                speaker,
                is_interviewer_label(speaker) if speaker else False,
                pos if speaker else None,
                begin,
                end,
            )
        )
        parts.append(label + words)
        pos += len(label) + len(words) + 1
    meta = {"cues": len(cues), "duration_ms": max(c.end_ms for c in cues)}
    return ParsedSource("\n".join(parts), tuple(turns), meta, encoding, fmt)
