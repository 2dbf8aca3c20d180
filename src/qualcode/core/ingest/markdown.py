"""Markdown transcripts (.md): optional YAML front matter -> metadata, the rest is the text.

Front matter is a block at the very top between ``---`` lines (closed by ``---`` or ``...``).
Recognised fields: informant, role, unit, kind (interview / observation / document, or the
Indonesian wawancara / observasi / dokumen), date, language (id / en), title, speakers
(``detect``, ``none``, a list of labels or a ``label: informant`` mapping). Other fields are
kept under ``metadata["attributes"]``. The front matter is removed from the stored text; the
body is otherwise verbatim. Markdown headings end a speaker turn and form their own turn.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from qualcode.core.ingest.decoding import normalise_newlines
from qualcode.core.ingest.plaintext import require_content
from qualcode.core.ingest.turns import ParsedSource, find_turns
from qualcode.errors import IngestError, QualcodeError
from qualcode.i18n import N_

_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_TEXT_FIELDS = ("informant", "role", "unit", "title")
KINDS = dict.fromkeys(("interview", "wawancara"), "interview")
KINDS |= dict.fromkeys(("observation", "observasi", "pengamatan"), "observation")
KINDS |= dict.fromkeys(("document", "dokumen", "documentation"), "document")
_HINT = N_(
    "Front matter is YAML between two '---' lines at the top, e.g. "
    "'informant: Bu Sari', 'kind: interview', 'date: 2024-03-05', 'language: id'."
)


def _json_safe(value: Any) -> Any:
    """Dates to ISO strings, containers recursively, other non-JSON scalars to str."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


MAX_FRONT_MATTER_CHARS = 64 * 1024  # a transcript's metadata, not a data set


def _parse_fields(data: dict[Any, Any], lines: dict[str, int], name: str) -> dict[str, Any]:
    from qualcode.core.nlp import normalise_language

    meta: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        field = str(key).strip().lower()
        where = f"{name}, line {2 + lines.get(str(key), 0)}"
        if value is None:
            continue
        if field in _TEXT_FIELDS or field in ("kind", "language"):
            if not isinstance(value, str | int | float):
                raise IngestError(N_("{where}: '{key}' must be a single value"), hint=_HINT,
                                  where=where, key=key)
            text = str(value).strip()
            if field == "kind":
                if text.lower() not in KINDS:
                    raise IngestError(N_("{where}: unknown kind '{text}'"),
                                      hint=N_("Use kind: interview, observation or document."),
                                      where=where, text=text)
                text = KINDS[text.lower()]
            elif field == "language":
                try:
                    text = normalise_language(text)
                except QualcodeError as exc:
                    raise IngestError(N_("{where}: {detail}"), hint=exc.hint_msg, where=where,
                                      detail=exc.msg) from None
            meta[field] = text
        elif field == "date":
            if isinstance(value, dt.date):
                meta["date"] = value.isoformat()
            elif isinstance(value, str | int):
                meta["date"] = str(value).strip()
            else:
                raise IngestError(N_("{where}: 'date' must be a date such as 2024-03-05"),
                                  hint=_HINT, where=where)
        elif field == "speakers":
            meta["speakers"] = _json_safe(value)
        else:
            extra[str(key)] = _json_safe(value)
    if extra:
        meta["attributes"] = extra
    return meta


def split_front_matter(text: str, name: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, body) of LF-normalised Markdown text."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        return {}, text
    close = _CLOSE_RE.search(text, first_end + 1) if first_end >= 0 else None
    if close is None:
        raise IngestError(N_("{name}, line 1: front matter opened with '---' is never closed"),
                          hint=N_("End the front matter with a line holding only '---'."),
                          name=name)
    block = text[first_end + 1 : close.start()]
    body_start = close.end() + 1 if close.end() < len(text) else close.end()
    import yaml

    from qualcode.core import safe_yaml

    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise IngestError(N_("{name}, line 2: front matter is longer than "
                             "{kb} KB"),
                          hint=_HINT, name=name, kb=MAX_FRONT_MATTER_CHARS // 1024)
    try:
        data, lines = safe_yaml.load_with_lines(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 2
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise IngestError(N_("{name}, line {line}: front matter: {problem}"), hint=_HINT, name=name,
                          line=line, problem=problem) from None
    if data is None:
        return {}, text[body_start:]
    if not isinstance(data, dict):
        raise IngestError(N_("{name}, line 2: front matter must be 'field: value' lines"),
                          hint=_HINT, name=name)
    return _parse_fields(data, lines, name), text[body_start:]


def parse_markdown(text: str, *, name: str = "<text>", encoding: str = "utf-8") -> ParsedSource:
    """Parse decoded Markdown: front matter to metadata, turns from the body."""
    text = normalise_newlines(text)
    require_content(text, name)
    meta, body = split_front_matter(text, name)
    require_content(body, name)
    return ParsedSource(body, find_turns(body, markdown=True), meta, encoding, "md")
