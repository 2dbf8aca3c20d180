"""A REFI-QDA project as read from XML, before it becomes a qualcode project.

The reader fills these plain records (GUIDs normalised: lower case, no braces); the builder
turns them into rows. qualcode's own details that REFI-QDA has no field for (code keys,
bilingual labels, indicators, valence, summary status ...) travel in a last line of a
Description, `qualcode:{json}`, which other programs show as text and qualcode reads back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

TRAILER = "qualcode:"


def with_trailer(text: str, data: dict[str, Any]) -> str:
    """`text` followed by a `qualcode:{json}` line."""
    line = TRAILER + json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"{text}\n\n{line}" if text else line


def split_trailer(text: str | None) -> tuple[str, dict[str, Any] | None]:
    """(human text, trailer data or None) of a Description."""
    text = text or ""
    head, _sep, last = text.rpartition("\n")
    candidate = last.strip()
    if not candidate.startswith(TRAILER + "{"):
        return text, None
    data = _trailer_data(candidate)
    if data is None:
        return text, None
    return head.rstrip("\n"), dict(data)


@lru_cache(maxsize=1024)
def _trailer_data(line: str) -> dict[str, Any] | None:
    """The JSON of a trailer line (cached: 100,000 selections share a few valence lines)."""
    try:
        data = json.loads(line[len(TRAILER):])
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


@dataclass
class XCode:
    """A code (the codebook's tree)."""

    guid: str
    name: str
    colour: str | None = None
    description: str = ""
    codable: bool = True
    children: list[XCode] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class XSet:
    """A set of codes, sources and notes."""

    guid: str
    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class XCoding:
    """A code applied to a selection."""

    guid: str
    code: str
    user: str | None
    created: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class XSelection:
    """A PlainTextSelection: positions as written in the file."""

    guid: str
    start: int
    end: int
    user: str | None
    created: str | None
    description: str = ""
    codings: list[XCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class XSource:
    """A text source (or a PDF's text representation) with its raw text."""

    guid: str
    name: str
    raw: str | None = None            # the text as in the file (BOM removed)
    bom: bool = False
    description: str = ""
    selections: list[XSelection] = field(default_factory=list)
    codings: list[XCoding] = field(default_factory=list)    # codings of the whole source
    notes: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)    # variable guid -> value
    created: str | None = None


@dataclass
class XNote:
    """A note (memo, coding note, summary, conclusion)."""

    guid: str
    name: str
    text: str
    description: str = ""
    user: str | None = None
    created: str | None = None


@dataclass
class XCase:
    """A case: an informant with variable values and its sources."""

    guid: str
    name: str
    description: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


@dataclass
class XVariable:
    """A variable (attribute) of cases or sources."""

    guid: str
    name: str
    kind: str
    description: str = ""


@dataclass
class XLink:
    """A link between two objects (qualcode: a note to a case or a selection)."""

    guid: str
    name: str
    origin: str
    target: str


@dataclass
class XProject:
    """Everything read from one project.qde."""

    name: str
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)       # guid -> name
    codes: list[XCode] = field(default_factory=list)
    variables: dict[str, XVariable] = field(default_factory=dict)
    cases: list[XCase] = field(default_factory=list)
    sources: list[XSource] = field(default_factory=list)
    notes: dict[str, XNote] = field(default_factory=dict)
    links: list[XLink] = field(default_factory=list)
    sets: list[XSet] = field(default_factory=list)
    project_notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)
    structure: dict[str, Any] = field(default_factory=dict)   # qualcode's turns and segments

    @property
    def from_qualcode(self) -> bool:
        """Whether qualcode wrote the file (its positions are read exactly)."""
        return self.origin.lower().startswith("qualcode")
