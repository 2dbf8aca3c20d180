"""Batch helpers for import: expand folders into files, read a metadata manifest."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qualcode.errors import IngestError
from qualcode.i18n import N_

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".vtt", ".srt")


def collect_files(items: Iterable[Path]) -> list[Path]:
    """Files as given, and the supported files inside given folders (sorted)."""
    out: list[Path] = []
    for item in items:
        if item.is_dir():
            out.extend(sorted(p for p in item.iterdir()
                              if p.is_file() and p.suffix.lower() in SUPPORTED))
        else:
            out.append(item)
    return out


def load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """A YAML mapping `file name -> {informant, role, unit, kind, date, language}`."""
    import yaml

    from qualcode.core import safe_yaml
    from qualcode.core.input_files import MAX_MANIFEST_BYTES, read_input

    raw = read_input(path, MAX_MANIFEST_BYTES, N_("manifest"))
    try:
        data = safe_yaml.load(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise IngestError(N_("{path}: manifest is not UTF-8 text"), path=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None)
        detail = f" ({problem})" if problem else ""
        raise IngestError(N_("{path}{line}: manifest is not valid YAML{detail}"),
                          hint=N_("it maps file names to metadata mappings"), path=path,
                          line=line, detail=detail) from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise IngestError(N_("{path}: manifest must map each file name to a mapping of metadata"),
                          hint=N_("e.g.  01-head.txt: {{informant: Pak Budi, role: head}}"),
                          path=path)
    return {str(k): {str(a): _nested(b) if str(a) == "speakers" else _scalar(b)
                     for a, b in v.items()} for k, v in data.items()}


def _nested(value: Any) -> Any:
    """A `speakers:` map or list (labels to informants) keeps its shape, scalars inside."""
    if isinstance(value, dict):
        return {str(k): _nested(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scalar(v) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    """A metadata value as the importer stores it: dates as ISO text, nested values refused."""
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)[:500]
