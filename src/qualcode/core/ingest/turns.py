"""Speaker-turn recognition shared by the text formats, and the parsed-source data types.

A label sits at the start of a line (after optional indentation and an optional timestamp such
as ``[00:01:05]``): a known label (``Peneliti:``, ``P:``, ``Informan 2:``, ``Q:`` ...), a name of
1-4 capitalised words with optional titles (``Drs. Ahmad:``, ``Bu Sari:``), optionally bold in
Markdown (``**Budi:**``), or a bracketed name (``[Budi]`` / ``[Budi]:``). A name that is not a
known label counts only when it labels at least two lines of the file, so a lone
``Catatan: ...`` line in an observation note stays text. A turn runs until the next label.
Text without labels is split into paragraphs (blank-line separated), each a turn without speaker.
`detect_turns` decides by source kind: documents and observation notes get no speaker labels
unless asked (see there). A turn's `speaker` is its label as written (spaces normalised).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from qualcode.core.ingest.structure import runs_on


@dataclass(frozen=True)
class Turn:
    """A speaker turn: `text[start:end]` is the spoken content, without the label."""

    start: int
    end: int
    speaker: str | None
    is_interviewer: bool
    label_start: int | None = None
    begin_ms: int | None = None
    end_ms: int | None = None


@dataclass(frozen=True)
class ParsedSource:
    """A decoded, parsed source file: stored text (LF line endings), turns and metadata."""

    text: str
    turns: tuple[Turn, ...]
    metadata: dict[str, Any] = field(default_factory=dict)
    encoding: str = "utf-8"
    fmt: str = "txt"
    page_starts: list[int] = field(default_factory=list)  # offset of each page; [] = no pages
    # Block kind the format gives a line (Word heading style, list numbering), by the offset
    # where the line starts; lines not in it are judged by their shape (ingest/structure.py).
    line_kinds: dict[int, str] = field(default_factory=dict)

    def speakers(self) -> list[tuple[str, int, bool]]:
        """(label as written, number of turns, is interviewer) in order of first appearance."""
        counts: dict[str, list[Any]] = {}
        for turn in self.turns:
            if turn.speaker is not None:
                entry = counts.setdefault(turn.speaker, [0, turn.is_interviewer])
                entry[0] += 1
        return [(name, n, bool(interviewer)) for name, (n, interviewer) in counts.items()]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


INTERVIEWER_LABELS = _words(
    """
    peneliti pewawancara interviewer researcher moderator penanya fasilitator facilitator
    tanya pertanyaan question p q t
    """
)
INFORMANT_LABELS = _words(
    """
    informan informant narasumber responden respondent interviewee participant partisipan
    jawab jawaban answer i a r j
    """
)
_KNOWN_WORDS = sorted(
    (w for w in INTERVIEWER_LABELS | INFORMANT_LABELS if len(w) > 1), key=len, reverse=True
)
# Multi-letter labels in any case, optionally numbered ("Informan 2", "Narasumber A");
# single-letter labels upper case only, optionally numbered ("P1", "I 2").
_KNOWN_RE = re.compile(
    rf"(?i:(?P<word>{'|'.join(_KNOWN_WORDS)}))(?:[ ]?\d{{1,3}}|[ ][A-Z])?"
    rf"|(?P<letter>[PQTIARJ])(?:[ ]?\d{{1,3}})?"
)
TITLES = _words(
    """
    bu ibu pak bapak mas mbak kak bang dik sdr sdri dr drs dra ir h hj prof kh st mr mrs ms
    miss sir madam
    """
)
_PARTICLES = frozenset({"bin", "binti", "van", "von", "der", "de", "da", "al", "el"})
# Single words that head metadata lines in notes, never speakers.
_NOT_SPEAKERS = _words(
    """
    catatan keterangan tanggal lokasi waktu tempat hari jam acara judul sumber contoh
    misalnya yaitu yakni agenda hasil tujuan kesimpulan ringkasan topik perihal lampiran
    dokumen observasi note notes date time location place title source summary topic subject
    example result results conclusion http https tabel gambar grafik sasaran kegiatan program
    indikator target realisasi capaian anggaran dasar menimbang mengingat memperhatikan
    memutuskan menetapkan kesatu kedua ketiga tugas fungsi visi misi nama nip pangkat golongan
    jabatan alamat telepon email rincian uraian sub subkegiatan output outcome
    table figure goal goals objective objectives activity activities budget indicator
    """
)
# Words that occur in phrases but not in names: a label holding one is no speaker.
_FUNCTION_WORDS = _words(
    """
    dengan dan yang untuk dari di ke pada atau dalam oleh tentang terhadap sebagai serta
    adalah ini itu the and of for with to in on by
    """
)
# Bracketed stage directions, never speakers.
_ANNOTATIONS = _words(
    """
    inaudible tertawa laughs laughter crosstalk jeda pause hening silence musik music unclear
    noise batuk applause diam interruption interupsi
    """
) | {"tidak jelas", "suara tidak jelas", "tepuk tangan"}

_TIMESTAMP = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?[ \t]+"
LABEL_RE = re.compile(
    rf"^[ \t]*(?P<label>(?:{_TIMESTAMP})?"
    r"(?:\[(?P<bname>[^\]\n]{1,60})\](?:[ \t]*:)?"
    r"|(?:\*\*|__)?(?P<name>[^\W\d_][^\n\t:\[\]<>*]{0,60}?)[ \t]*(?:\*\*|__)?[ \t]*:(?:\*\*|__)?))"
    r"(?P<ws>[ \t]*)",
    re.M,
)
# Led by a literal newline so the regex engine jumps from line to line (6x faster than `^`).
_NEWLINE_LABEL_RE = re.compile("\n" + LABEL_RE.pattern.removeprefix("^"))
_PAREN_SUFFIX_RE = re.compile(r"\s*\([^()\n]*\)$")
_BLANK_LINES_RE = re.compile(r"\n(?:[ \t]*\n)+")
_MD_HEADING_RE = re.compile(r"^#{1,6}[ \t][^\n]*", re.M)

KNOWN = "known"
GENERIC = "generic"


def is_interviewer_label(name: str) -> bool:
    """True when `name` is an interviewer label such as 'Peneliti', 'P2' or 'Moderator'."""
    m = _KNOWN_RE.fullmatch(_PAREN_SUFFIX_RE.sub("", " ".join(name.split())))
    if m is None:
        return False
    base = (m.group("word") or m.group("letter") or "").lower()
    return base in INTERVIEWER_LABELS


def classify_label(raw: str, *, bracketed: bool = False) -> tuple[str, str] | None:
    """Classify a label candidate: (speaker name, KNOWN|GENERIC), or None if it is no label."""
    name = " ".join(raw.split())
    if not name or len(name) > 60:
        return None
    if bracketed and name.lower() in _ANNOTATIONS:
        return None
    core = _PAREN_SUFFIX_RE.sub("", name)  # "Budi (Kasubag Umum)": validate "Budi"
    if _KNOWN_RE.fullmatch(core):
        return name, KNOWN
    tokens = [t.rstrip(",") for t in core.split()]
    if not tokens or not tokens[0]:
        return None
    words = 0
    for i, tok in enumerate(tokens):
        if not tok:
            return None
        if tok.rstrip(".").lower() in TITLES or (tok[0].isupper() and "." in tok):
            continue  # a title: "Drs.", "Bu", "H.", "M.Si."
        if tok[0].isupper() and len(tok) <= 30:
            words += 1
        elif i > 0 and tok.lower() in _PARTICLES:
            continue
        elif i == len(tokens) - 1 and i > 0 and tok.isdigit():
            continue  # "Pegawai 2"
        else:
            return None
    if words == 0 or words > 4:
        return None
    if len(tokens) == 1 and tokens[0].lower() in _NOT_SPEAKERS:
        return None
    if any(t.lower() in _FUNCTION_WORDS for t in tokens):
        return None  # "DENGAN RINCIAN", "Target Dan Realisasi": a phrase, not a name
    return name, GENERIC


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) to exclude surrounding whitespace (may become empty)."""
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return start, start
    lead = len(chunk) - len(chunk.lstrip())
    return start + lead, start + lead + len(stripped)


def paragraph_turns(text: str, start: int, end: int, *, markdown: bool = False) -> list[Turn]:
    """Split an unlabelled region into paragraph turns (speaker None); Markdown headings apart.

    A paragraph that stops mid-sentence and goes on in lower case after one blank line is one
    turn with the next (`structure.runs_on`).
    """
    marks = [(m.start(), m.end(), False) for m in _BLANK_LINES_RE.finditer(text, start, end)]
    if markdown:
        marks += [(m.start(), m.end(), True) for m in _MD_HEADING_RE.finditer(text, start, end)]
        marks.sort()
    spans = []
    pos = start
    for a, b, keep in marks:
        spans.append((pos, a))
        if keep:
            spans.append((a, b))
        pos = b
    spans.append((pos, end))
    turns: list[Turn] = []
    for a, b in spans:
        s, e = _trim(text, a, b)
        if e <= s:
            continue
        if turns and runs_on(text, turns[-1].end, s) and text[turns[-1].start] != "#":
            turns[-1] = Turn(turns[-1].start, e, None, False)  # a sentence cut by a blank line
        else:
            turns.append(Turn(s, e, None, False))
    return turns


def _classify(raw: str, bracketed: bool, known: frozenset[str], only_known: bool
              ) -> tuple[str, str] | None:
    name = " ".join(raw.split())
    if name.casefold() in known:
        return name, KNOWN
    return None if only_known else classify_label(raw, bracketed=bracketed)


def find_labels(text: str, known: frozenset[str] = frozenset(), only_known: bool = False
                ) -> list[tuple[int, int, int, str, bool]]:
    """Accepted labels: (line_start, label_start, content_start, speaker, is_interviewer).

    `known`: case-folded labels given by the researcher (always labels); `only_known`: no
    other label counts.
    """
    candidates: list[tuple[int, re.Match[str], str, str]] = []
    counts: Counter[str] = Counter()
    cache: dict[tuple[str, bool], tuple[str, str] | None] = {}
    for line_start, m in _label_matches(text):
        bname = m.group("bname")
        key = (bname, True) if bname is not None else (m.group("name"), False)
        if key in cache:
            result = cache[key]
        else:
            result = cache[key] = _classify(key[0], key[1], known, only_known)
        if result is None:
            continue
        speaker, kind = result
        end = m.end()
        glued = not m.group("ws") and end < len(text) and text[end] != "\n"
        if glued and not (key[1] or (kind == KNOWN and len(speaker) > 1)):
            continue  # "A:B" or "Note:see" is not a label
        candidates.append((line_start, m, speaker, kind))
        if kind == GENERIC:
            counts[speaker] += 1
    labels = []
    interviewer: dict[str, bool] = {}
    for line_start, m, speaker, kind in candidates:
        if kind == GENERIC and counts[speaker] < 2:
            continue
        if speaker not in interviewer:
            interviewer[speaker] = is_interviewer_label(speaker)
        labels.append((line_start, m.start("label"), m.end(), speaker, interviewer[speaker]))
    return labels


def _label_matches(text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """(line start, match) of LABEL_RE at every line start."""
    first = LABEL_RE.match(text)
    if first is not None:
        yield 0, first
    for m in _NEWLINE_LABEL_RE.finditer(text):
        yield m.start() + 1, m


def detect_turns(text: str, kind: str | None = "interview", known_labels: Iterable[str] = (),
                 *, detect: bool = False, markdown: bool = False) -> tuple[Turn, ...]:
    """Speaker turns by source kind: who may be a speaker depends on what the source is.

    Interviews (and kind None): the known interviewer/informant labels, `known_labels` (names
    from the manifest or front matter) and names that label at least two lines. Documents and
    observation notes: no speaker detection unless `detect` (``speakers: detect``); with
    `known_labels`, those labels only. Text without labels is split into paragraph turns.
    """
    known = frozenset(" ".join(label.split()).casefold() for label in known_labels
                      if label and label.strip())
    if kind in (None, "interview") or detect:
        return find_turns(text, markdown=markdown, known=known)
    if known:
        return find_turns(text, markdown=markdown, known=known, only_known=True)
    return tuple(paragraph_turns(text, 0, len(text), markdown=markdown))


def find_turns(text: str, *, markdown: bool = False, known: frozenset[str] = frozenset(),
               only_known: bool = False) -> tuple[Turn, ...]:
    """Speaker turns of `text` (LF line endings); paragraphs when no line carries a label."""
    labels = find_labels(text, known, only_known)
    if not labels:
        return tuple(paragraph_turns(text, 0, len(text), markdown=markdown))
    headings = [m.start() for m in _MD_HEADING_RE.finditer(text)] if markdown else []
    turns: list[Turn] = list(paragraph_turns(text, 0, labels[0][0], markdown=markdown))
    h = 0
    for i, (_line, label_start, content_start, speaker, interviewer) in enumerate(labels):
        region_end = labels[i + 1][0] if i + 1 < len(labels) else len(text)
        # In Markdown a heading ends the turn; the rest up to the next label is plain text.
        while h < len(headings) and headings[h] < content_start:
            h += 1
        cut = headings[h] if h < len(headings) and headings[h] < region_end else region_end
        s, e = _trim(text, content_start, cut)
        if e > s:
            turns.append(Turn(s, e, speaker, interviewer, label_start))
        if cut < region_end:
            turns.extend(paragraph_turns(text, cut, region_end, markdown=True))
    return tuple(turns)


def speaker_option(value: Any) -> tuple[tuple[str, ...], bool, bool]:
    """(known labels, detect, off) from a ``speakers:`` value of the manifest or front matter.

    ``detect`` asks for detection in any kind of source; ``none`` / ``off`` / ``false`` for
    none; a list of labels or a mapping ``label: informant`` names the labels.
    """
    if value is None or value == "":
        return (), False, False
    if value is False or (isinstance(value, str) and value.strip().lower() in ("none", "off")):
        return (), False, True
    if isinstance(value, str):
        if value.strip().lower() == "detect":
            return (), True, False
        return tuple(v.strip() for v in value.split(",") if v.strip()), False, False
    if isinstance(value, dict):
        return tuple(str(k) for k in value), False, False
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if v is not None), False, False
    return (), False, False


def assign_turns(parsed: ParsedSource, meta: dict[str, Any]) -> ParsedSource:
    """`parsed` with its turns found for the source's final kind and ``speakers`` option."""
    if parsed.fmt in ("vtt", "srt"):
        return parsed  # caption cues carry their own voices
    kind = meta.get("kind") or "interview"
    known, detect, off = speaker_option(meta.get("speakers"))
    markdown = parsed.fmt == "md"
    if off:
        turns = tuple(paragraph_turns(parsed.text, 0, len(parsed.text), markdown=markdown))
    elif kind == "interview" and not known:
        return parsed  # the parser found the interview turns already
    else:
        turns = detect_turns(parsed.text, kind, known, detect=detect, markdown=markdown)
    return replace(parsed, turns=turns)
