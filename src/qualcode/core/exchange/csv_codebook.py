"""Codebooks as plain CSV (key, parent, label, definition) and as YAML, and conversions.

A CSV codebook is one code per row: `key`, `parent` (another row's key, or empty), `label`,
`definition`; optional `label_en`, `definition_en`, `colour`, `codebook`. Commas or semicolons
(as Excel writes in many locales), UTF-8 with or without BOM. Errors name the file and row.
`read_codebook_file` / `write_codebook_file` choose the format by suffix (.yaml .qdc .csv).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from qualcode.core.atomic import write_chunks
from qualcode.core.codebook_schema import CodebookSpec, CodeSpec, Text
from qualcode.core.exchange.qdc import DEFAULT_SCALE, write_qdc
from qualcode.core.exchange.qdc_read import read_qdc
from qualcode.errors import CodebookError
from qualcode.i18n import N_

CSV_COLUMNS = ("key", "parent", "label", "definition", "label_en", "definition_en", "colour",
               "codebook")
FORMATS = ("yaml", "yml", "qdc", "csv")


def codebook_format(path: Path) -> str:
    """The codebook format of a file name, or a one-line error."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise CodebookError(N_("{path}: unknown codebook format"),
                            hint=N_("use .yaml, .qdc (REFI-QDA) or .csv"),
                            path=path)
    return "yaml" if fmt == "yml" else fmt


def write_csv_codebook(specs: Sequence[CodebookSpec], path: Path, *,
                       force: bool = False) -> Path:
    """One row per code, parents before children (label / definition: Indonesian, or the
    only language; `_en` columns: English)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for spec in specs:
        for code, parent in spec.iter_codes():
            writer.writerow([code.key, parent or "", code.label.id or code.label.en,
                             code.definition.id, code.label.en, code.definition.en,
                             code.colour or "", spec.key])
    return write_chunks(Path(path), [out.getvalue().encode("utf-8-sig")], force=force)


def read_csv_codebook(path: Path, default_key: str | None = None) -> list[CodebookSpec]:
    """Codebooks from a CSV file (one per `codebook` value; else one named after the file)."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CodebookError(N_("{path}: cannot read ({err})"), hint=N_("check the path"), path=name,
                            err=exc.strerror or exc) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookError(N_("{path}: not UTF-8 text"), hint=N_("save the CSV file as UTF-8"),
                            path=name) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise CodebookError(N_("{path}:1: the file is empty"),
                            hint=N_("the first row names the columns: key, parent, label, "
                                    "definition"),
                            path=name)
    header = [h.strip().lower() for h in rows[0]]
    for needed in ("key", "label"):
        if needed not in header:
            raise CodebookError(N_("{path}:1: no column {col!r}"),
                                hint=N_("the first row names the columns: key, parent, label, "
                                        "definition"),
                                path=name, col=needed)
    book_default = default_key or Path(path).stem.replace(" ", "-") or "codebook"
    codes: dict[str, dict[str, Any]] = {}   # key -> cells and "row"
    order: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        key = cells["key"]
        if not key or any(ch.isspace() for ch in key):
            raise CodebookError(N_("{path}:{row}: key {key!r} must be non-empty with no spaces"),
                                hint=N_("e.g. EM-1"),
                                path=name, row=number, key=key)
        if key in codes:
            raise CodebookError(N_("{path}:{row}: duplicate key {key!r} (first on row {first})"),
                                hint=N_("every code needs its own key"),
                                path=name, row=number, key=key, first=codes[key]["row"])
        if not cells["label"] and not cells.get("label_en"):
            raise CodebookError(N_("{path}:{row}: code {key!r} has no label"),
                                hint=N_("write a label"),
                                path=name, row=number, key=key)
        codes[key] = {**cells, "row": number}
        order.append(key)
    for key in order:
        parent = codes[key].get("parent", "")
        if parent and parent not in codes:
            raise CodebookError(N_("{path}:{row}: parent {parent!r} of {key!r} is not a key in "
                                   "the file"),
                                hint=N_("give the key of another row, or leave parent empty"),
                                path=name, row=codes[key]["row"], parent=parent, key=key)
        seen = {key}
        while parent:
            if parent in seen:
                raise CodebookError(N_("{path}:{row}: {key!r} is its own ancestor"),
                                    hint=N_("break the cycle of parents"),
                                    path=name, row=codes[key]["row"], key=key)
            seen.add(parent)
            parent = codes[parent].get("parent", "")
    if not order:
        raise CodebookError(N_("{path}: no codes"), hint=N_("add one row per code"), path=name)

    def build(key: str) -> CodeSpec:
        c = codes[key]
        label_en = c.get("label_en", "")
        definition_en = c.get("definition_en", "")
        colour = c.get("colour") or None
        return CodeSpec(key=key, label=Text(c["label"] or label_en, label_en),
                        definition=Text(c.get("definition", ""), definition_en),
                        colour=colour.lower() if colour else None,
                        children=tuple(build(k) for k in order
                                       if codes[k].get("parent") == key))
    books: dict[str, list[CodeSpec]] = {}
    for key in order:
        if not codes[key].get("parent"):
            books.setdefault(codes[key].get("codebook") or book_default, []).append(build(key))
    return [CodebookSpec(key=k, title=Text(k, k), author="", year=None, page=None, citation="",
                         language="id", description=Text(), focus=Text(), scale=DEFAULT_SCALE,
                         codes=tuple(v)) for k, v in books.items()]


def _bitext(value: Text) -> dict[str, str] | None:
    parts = {k: v for k, v in (("id", value.id), ("en", value.en)) if v}
    return parts or None


def spec_to_yaml(spec: CodebookSpec) -> str:
    """A codebook spec as the YAML file format of `codebooks/README.md`."""
    def code(c: CodeSpec) -> dict[str, Any]:
        out: dict[str, Any] = {"key": c.key, "label": _bitext(c.label) or c.key}
        for name, value in (("definition", _bitext(c.definition)), ("shortcut", c.shortcut),
                            ("colour", c.colour), ("data_sources", list(c.data_sources)),
                            ("informant_roles", list(c.informant_roles))):
            if value:
                out[name] = value
        if c.indicators:
            out["indicators"] = [{"key": i.key, "label": _bitext(i.label) or i.key,
                                  **({"phrases": {k: list(v) for k, v in i.phrases.items()}}
                                     if i.phrases else {})} for i in c.indicators]
        if c.children:
            out["children"] = [code(k) for k in c.children]
        return out
    data: dict[str, Any] = {"key": spec.key, "title": _bitext(spec.title) or spec.key}
    for name, value in (("author", spec.author), ("year", spec.year), ("page", spec.page),
                        ("citation", spec.citation), ("language", spec.language),
                        ("description", _bitext(spec.description)),
                        ("focus", _bitext(spec.focus))):
        if value:
            data[name] = value
    data["scale"] = [{"key": s.key, "value": s.value, "label": _bitext(s.label) or s.key,
                      **({"min_share": s.min_share} if s.min_share is not None else {}),
                      **({"min_informants": s.min_informants}
                         if s.min_informants is not None else {})}
                     for s in spec.scale]
    data["codes"] = [code(c) for c in spec.codes]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def read_codebook_file(path: Path) -> list[CodebookSpec]:
    """Codebooks from a .yaml, .qdc or .csv file."""
    fmt = codebook_format(path)
    if fmt == "qdc":
        return read_qdc(path).specs
    if fmt == "csv":
        return read_csv_codebook(path)
    from qualcode.core.codebooks import load_codebook

    return [load_codebook(path)]


def write_codebook_file(specs: Sequence[CodebookSpec], path: Path, *,
                        force: bool = False) -> Path:
    """Write codebooks as .qdc (validated), .csv, or .yaml (one codebook per file); an
    existing file only with `force`."""
    fmt = codebook_format(path)
    if not specs:
        raise CodebookError(N_("no codebook to write"), hint=N_("name a codebook that has codes"))
    if fmt == "qdc":
        return write_qdc(specs, path, force=force)
    if fmt == "csv":
        return write_csv_codebook(specs, path, force=force)
    if len(specs) > 1:
        raise CodebookError(N_("{path}: a YAML file holds one codebook, not {n}"),
                            hint=N_("choose one with --codebook, or write .qdc or .csv"),
                            path=path, n=len(specs))
    from qualcode.core.codebooks import parse_codebook

    text = spec_to_yaml(specs[0])
    parse_codebook(text, str(path))   # what we write must load again
    return write_chunks(Path(path), [text.encode("utf-8")], force=force)
