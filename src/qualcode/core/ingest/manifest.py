"""Batch helpers for import: expand folders into files, read a metadata manifest."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qualcode.errors import IngestError

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

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise IngestError(f"{path}: manifest not found") from None
    except UnicodeDecodeError:
        raise IngestError(f"{path}: manifest is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise IngestError(f"{path}{line}: manifest is not valid YAML",
                          hint="it maps file names to metadata mappings") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise IngestError(f"{path}: manifest must map each file name to a mapping of metadata",
                          hint="e.g.  01-head.txt: {informant: Pak Budi, role: head}")
    return {str(k): {str(a): b for a, b in v.items()} for k, v in data.items()}
