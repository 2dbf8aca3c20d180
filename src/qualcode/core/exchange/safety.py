"""Reading untrusted REFI-QDA files safely: zip entries, inflated sizes, XML, schemas, GUIDs.

Every refusal is one `ExchangeError` naming the file and what is wrong with it:
- an archive entry with an absolute path or one that climbs out of the archive (`../`);
- a zip bomb: more than `MAX_TOTAL_BYTES` inflated in all, `MAX_ENTRY_BYTES` in one entry, or an
  entry that inflates more than `MAX_RATIO` times its compressed size (counted on the bytes
  really inflated, never on the sizes the archive declares);
- XML with a DOCTYPE (entity expansion, external entities) or that is not well formed.
"""

from __future__ import annotations

import hashlib
import re
import uuid
import zipfile
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from qualcode.errors import QualcodeError
from qualcode.i18n import N_, Message

MAX_TOTAL_BYTES = 2 * 1024**3       # what one archive may inflate to, in all
MAX_ENTRY_BYTES = 1024**3           # one entry (the specification's limit is 2 GiB - 1)
MAX_RATIO = 200                     # inflated / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 1024**2               # small entries may compress well (a page of spaces)
MAX_ENTRIES = 200_000
_CHUNK = 1024**2
SCHEMA_DIR = Path(__file__).with_name("schemas")
GUID_RE = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                     r"[0-9a-fA-F]{12}\}?$")
# GUIDs qualcode writes: the same object gets the same GUID in every export of a project.
QUALCODE_NS = uuid.UUID("6d1f3c2e-8a55-4f0e-9c3b-51a7c0de0014")
_NS_BYTES = QUALCODE_NS.bytes


class ExchangeError(QualcodeError):
    """A REFI-QDA file cannot be read or written (unsafe, malformed, or not REFI-QDA)."""


def guid(kind: str, key: object) -> str:
    """The stable GUID of one exported object (`kind` and its natural key): a UUID version 5,
    the same as `uuid.uuid5(QUALCODE_NS, f"{kind}:{key}")` at a third of the cost."""
    digest = bytearray(hashlib.sha1(_NS_BYTES + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def norm_guid(value: str | None) -> str:
    """A GUID compared case-insensitively and without braces."""
    return (value or "").strip().strip("{}").lower()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> tuple[str, int]:
    """`text` with the characters XML 1.0 cannot hold (control characters other than tab and
    line ends) replaced by U+FFFD, and how many were replaced."""
    return _NOT_XML.subn("\ufffd", text)


def entry_name_problem(name: str) -> Message | None:
    """Why an archive entry name is unsafe, or None."""
    plain = name.replace("\\", "/")
    if plain.startswith("/") or re.match(r"^[A-Za-z]:", plain):
        return Message(N_("has an absolute path"))
    if ".." in PurePosixPath(plain).parts:
        return Message(N_("climbs out of the archive folder (..)"))
    if "\x00" in plain:
        return Message(N_("has a NUL character in its name"))
    return None


class SafeArchive:
    """A .qdpx (zip) whose entry names were checked, read with real inflated-size limits."""

    def __init__(self, path: Path, *, max_total: int = MAX_TOTAL_BYTES,
                 max_entry: int = MAX_ENTRY_BYTES, max_ratio: int = MAX_RATIO) -> None:
        self.path = path
        self.max_total, self.max_entry, self.max_ratio = max_total, max_entry, max_ratio
        self.inflated = 0
        try:
            self.zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise ExchangeError(N_("{path}: no such file"), path=path) from None
        except (zipfile.BadZipFile, OSError, ValueError):
            raise ExchangeError(N_("{path}: not a REFI-QDA project (.qdpx is a zip archive)"),
                                hint=N_("export the project again from the other program"),
                                path=path) from None
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            self.fail(Message(N_("holds {n} entries (more than {limit})"),
                              {"n": len(infos), "limit": MAX_ENTRIES}))
        self.entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            problem = entry_name_problem(info.filename)
            if problem:
                self.fail(Message(N_("entry {name!r} {problem}"),
                                  {"name": info.filename, "problem": problem}))
            if not info.is_dir():
                self.entries[info.filename.replace("\\", "/")] = info

    def fail(self, what: str | Message) -> None:
        """Refuse the archive."""
        self.close()
        raise ExchangeError(N_("{path}: refused: {what}"),
                            hint=N_("nothing was imported; this file is damaged or unsafe"),
                            path=self.path, what=what)

    def find(self, name: str) -> str | None:
        """The entry called `name`, else one that differs only in letter case."""
        name = name.replace("\\", "/").lstrip("/")
        if name in self.entries:
            return name
        lower = name.lower()
        return next((e for e in self.entries if e.lower() == lower), None)

    def read(self, name: str) -> bytes:
        """An entry's bytes, inflated in chunks and refused past the limits."""
        info = self.entries[name]
        parts: list[bytes] = []
        size = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self.inflated += len(chunk)
                    self._check(name, size, info.compress_size)
                    parts.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            self.fail(Message(N_("entry {name!r} cannot be read ({exc})"),
                              {"name": name, "exc": str(exc)}))
        return b"".join(parts)

    def _check(self, name: str, size: int, compressed: int) -> None:
        if size > self.max_entry:
            self.fail(Message(N_("entry {name!r} inflates to more than {mb} MB"),
                              {"name": name, "mb": self.max_entry // 1024**2}))
        if self.inflated > self.max_total:
            self.fail(Message(N_("the archive inflates to more than {mb} MB"),
                              {"mb": self.max_total // 1024**2}))
        if size > RATIO_FLOOR and size > self.max_ratio * max(compressed, 1):
            self.fail(Message(N_("entry {name!r} inflates more than {ratio} times its size "
                                 "(a zip bomb)"), {"name": name, "ratio": self.max_ratio}))

    def close(self) -> None:
        """Close the zip file."""
        self.zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def declares_doctype(data: bytes) -> bool:
    """Whether the XML prolog (before the root element) holds a DOCTYPE."""
    at = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    size = len(data)
    while at < size:
        while at < size and data[at:at + 1] in b" \t\r\n":
            at += 1
        if data.startswith(b"<?", at):
            end = data.find(b"?>", at)
        elif data.startswith(b"<!--", at):
            end = data.find(b"-->", at)
        else:
            return data[at:at + 9].upper() == b"<!DOCTYPE"
        if end < 0:
            return False
        at = end + 2
    return False


def parse_xml(data: bytes, what: str) -> Any:
    """Parse XML without DTDs, entities or network access; one-line errors."""
    from lxml import etree

    if declares_doctype(data):
        _refuse_doctype(what)

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else "?"
        raise ExchangeError(N_("{what}: not valid XML (line {line}: {msg})"),
                            hint=N_("the file is damaged; export it again"),
                            what=what, line=line, msg=exc.msg) from None
    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
        _refuse_doctype(what)
    return root


def _refuse_doctype(what: str) -> None:
    raise ExchangeError(N_("{what}: refused: it declares a DOCTYPE (entity expansion or "
                           "external entities are not allowed in REFI-QDA files)"),
                        hint=N_("nothing was imported; this file is unsafe"), what=what)


@cache
def schema(name: str) -> Any:
    """The bundled XML Schema `Codebook` or `Project`."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / f"{name}.xsd"), parser))


def schema_errors(root: Any, name: str) -> list[str]:
    """Schema violations of an element tree (`Codebook` or `Project`), as 'line N: message'."""
    xsd = schema(name)
    if xsd.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


def require_valid(root: Any, name: str, what: str) -> None:
    """Raise if a tree qualcode wrote does not follow its schema (a bug, never user input)."""
    errors = schema_errors(root, name)
    if errors:
        raise ExchangeError(N_("{what}: the export does not follow {name}.xsd ({error})"),
                            what=what, name=name, error=errors[0])
