"""Load and validate YAML codebooks (theory frameworks: codes, indicators, assessment scale).

Pure: no database. The file format is described in `codebooks/README.md`; the validation rules
live in `codebook_schema.py`. Every problem raises `CodebookError` whose message starts with
`FILE:LINE:`.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml
from yaml.reader import ReaderError

from qualcode.core import safe_yaml
from qualcode.core.codebook_schema import (
    CodebookSpec,
    CodebookValidator,
    CodeSpec,
    IndicatorSpec,
    ScaleLevel,
    Text,
)
from qualcode.core.input_files import MAX_CODEBOOK_BYTES, read_input
from qualcode.errors import CodebookError
from qualcode.i18n import N_

__all__ = [
    "CodeSpec",
    "CodebookSpec",
    "IndicatorSpec",
    "ScaleLevel",
    "Text",
    "bundled_codebooks",
    "bundled_codebooks_dir",
    "find_codebook",
    "load_codebook",
    "parse_codebook",
]

CODEBOOK_SUFFIXES = (".yaml", ".yml")
_HERE = Path(__file__).resolve().parent
# Inside an installed wheel the YAML files sit in qualcode/codebooks (hatch force-include);
# in a source checkout they are in the repository's top-level codebooks/ folder.
_PACKAGED_DIR = _HERE.parent / "codebooks"
_REPO_DIR = _HERE.parents[2] / "codebooks"

_YAML_HINT = N_(
    "check the indentation and quoting near that line: values containing ': ' or starting "
    "with '#', '*', '&', '[' or '{{' must be in quotes, and indent with spaces, not tabs"
)


def parse_codebook(text: str, filename: str = "<string>") -> CodebookSpec:
    """Validate YAML text and build the codebook; `filename` is used in error messages."""
    return _parse(text, filename, path=None)


def load_codebook(path: str | Path) -> CodebookSpec:
    """Read a UTF-8 YAML codebook file (a BOM is tolerated) and validate it."""
    file = Path(path).expanduser()
    name = str(path)
    if not file.exists():
        raise CodebookError(N_("{name}: no such codebook file"),
                            hint=N_("check the path, or use a bundled codebook key such as "
                                    "sobandi-2008"), name=name)
    data = read_input(file, MAX_CODEBOOK_BYTES, N_("codebook"), error=CodebookError)
    return _parse(decode_codebook_bytes(data, name), name, path=str(file))


def decode_codebook_bytes(data: bytes, filename: str) -> str:
    """Decode a codebook file's bytes as UTF-8 (with or without BOM); reject binary files."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise CodebookError(N_("{filename}:{line}: this is a binary file, not a YAML codebook"),
                            hint=N_("a codebook is a plain-text .yaml file saved as UTF-8"),
                            filename=filename, line=line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CodebookError(N_("{filename}:{line}: the file is not UTF-8 text (byte "
                               "0x{data:02x} cannot be decoded)"),
                            hint=N_("open it in a text editor and save it with the UTF-8 encoding"),
                            filename=filename, line=line, data=data[exc.start]) from None


def _parse(text: str, filename: str, path: str | None) -> CodebookSpec:
    text = text.removeprefix("\ufeff")
    try:
        root = safe_yaml.compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        if exc.context and "single document" in exc.context:
            raise CodebookError(N_("{filename}:{line}: the file holds more than one YAML document"),
                                hint=N_("a codebook is one document: remove the '---' line"),
                                filename=filename, line=line) from None
        problem = exc.problem or exc.context or "syntax error"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise CodebookError(N_("{filename}:{line}: not valid YAML: {problem}{context}"),
                            hint=_YAML_HINT, filename=filename, line=line, problem=problem,
                            context=context) from None
    except ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        char = f" (U+{exc.character:04X})" if isinstance(exc.character, int) else ""
        raise CodebookError(N_("{filename}:{line}: the file contains a control character YAML "
                               "does not allow{char}"),
                            hint=N_("remove control characters; a codebook is plain UTF-8 text"),
                            filename=filename, line=line, char=char) from None
    except yaml.YAMLError as exc:
        raise CodebookError(N_("{filename}:1: not valid YAML: {exc}"), hint=_YAML_HINT,
                            filename=filename, exc=exc) from None
    if root is None:
        raise CodebookError(N_("{filename}:1: the codebook file is empty"),
                            hint=N_("see codebooks/README.md for the format, or copy a bundled "
                                    "codebook"), filename=filename)
    return CodebookValidator(filename).codebook(root, path)


def bundled_codebooks_dir() -> Path:
    """The folder of codebooks shipped with qualcode (inside the package, else the repo's)."""
    for folder in (_PACKAGED_DIR, _REPO_DIR):
        if folder.is_dir():
            return folder
    return _REPO_DIR


def bundled_codebooks() -> list[Path]:
    """The bundled codebook files, sorted by name."""
    folder = bundled_codebooks_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in CODEBOOK_SUFFIXES)


def bundled_codebook_keys() -> list[str]:
    """The keys (file stems) of the bundled codebooks, e.g. ['apparatus-development', ...]."""
    return [p.stem for p in bundled_codebooks()]


def find_codebook(name: str) -> Path:
    """Resolve a codebook file path, or a bundled key like "sobandi-2008", to a file path."""
    candidate = Path(name).expanduser()
    if candidate.is_file():
        return candidate
    bundled = {p.stem: p for p in bundled_codebooks()}
    stem = name.strip()
    for suffix in CODEBOOK_SUFFIXES:
        stem = stem.removesuffix(suffix)
    if stem in bundled and "/" not in name and "\\" not in name:
        return bundled[stem]
    keys = ", ".join(bundled) or "(none found)"
    if candidate.suffix in CODEBOOK_SUFFIXES or "/" in name or "\\" in name:
        raise CodebookError(N_("{name}: no such codebook file"),
                            hint=N_("check the path; bundled codebooks: {keys}"), name=name,
                            keys=keys)
    close = difflib.get_close_matches(stem.lower(), list(bundled), n=1)
    suggestion = f" (did you mean '{close[0]}'?)" if close else ""
    raise CodebookError(N_("no codebook named '{name}'{suggestion}"),
                        hint=N_("bundled codebooks: {keys}; or give the path of a .yaml file"),
                        name=name, suggestion=suggestion, keys=keys)
