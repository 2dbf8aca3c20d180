"""Minimal PDF files written by hand for the PDF import tests and the PDF benchmark.

`text_pdf` writes pages of text lines in Helvetica (a real text layer, one `Tj` per line);
`image_pdf` writes pages holding only a grey image (a "scanned" document without text);
`encrypted_pdf` is a text PDF behind the standard security handler with a password nobody
knows; `damaged_pdf` is a text PDF cut in half; `labelled_pdf` turns a hand-labelled PDF
text (tests/data/segmentation/pdf) into a PDF with its expected text and segments.
"""

from __future__ import annotations

import zlib

_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _assemble(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """Objects numbered from 1 (object 1 is the catalog) with a cross-reference table."""
    out = bytearray(_HEADER)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra
            + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data)
    return (b"<< /Length %d /Filter /FlateDecode " % len(packed) + extra + b">>\nstream\n"
            + packed + b"\nendstream")


def _pages(contents: list[bytes], resources: bytes, extra_objects: list[bytes]) -> list[bytes]:
    """Catalog, page tree, pages and their content streams; `extra_objects` follow them."""
    n = len(contents)
    first_page = 3
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n]
    for i, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       + resources + b" /Contents %d 0 R >>" % (first_page + 2 * i + 1))
        objects.append(_stream(content))
    return objects + extra_objects


def text_pdf(pages: list[list[str]], *, columns: int = 1, trailer_extra: bytes = b"",
             extra_objects: list[bytes] | None = None) -> bytes:
    """A PDF whose page i shows the lines pages[i] from the top, 14 pt apart; with
    `columns` 2 the first half of a page's lines fills the left column, the rest the right."""
    extra = extra_objects or []
    font_number = 3 + 2 * len(pages) + len(extra)
    contents = []
    for lines in pages:
        per_column = -(-len(lines) // columns) if lines else 0
        body = b""
        for c in range(columns):
            part = lines[c * per_column:(c + 1) * per_column]
            body += b"BT /F1 11 Tf 14 TL %d 790 Td\n" % (56 + c * 270)
            body += b"".join(b"(" + _escape(line) + b") Tj T*\n" for line in part)
            body += b"ET\n"
        contents.append(body)
    resources = b"<< /Font << /F1 %d 0 R >> >>" % font_number
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    return _assemble(_pages(contents, resources, [*extra, font]), trailer_extra)


def image_pdf(n_pages: int = 2) -> bytes:
    """Pages that hold nothing but a 16x16 grey image: no text layer."""
    image_number = 3 + 2 * n_pages
    contents = [b"q 400 0 0 400 100 200 cm /Im1 Do Q\n" for _ in range(n_pages)]
    resources = b"<< /XObject << /Im1 %d 0 R >> >>" % image_number
    image = _stream(bytes(range(0, 256)), b"/Type /XObject /Subtype /Image /Width 16 "
                    b"/Height 16 /ColorSpace /DeviceGray /BitsPerComponent 8 ")
    return _assemble(_pages(contents, resources, [image]))


def encrypted_pdf() -> bytes:
    """A text PDF behind the standard security handler; no password opens it."""
    encrypt = (b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + b"ab" * 32 + b"> /U <"
               + b"cd" * 32 + b"> >>")
    pages = [["Rahasia."]]
    number = 3 + 2 * len(pages)
    return text_pdf(pages, extra_objects=[encrypt],
                    trailer_extra=b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (
                        number, b"01" * 16, b"01" * 16))


def damaged_pdf() -> bytes:
    """The first half of a text PDF."""
    whole = text_pdf([["Laporan ini terpotong di tengah."] * 20] * 3)
    return whole[: len(whole) // 2]


RUNNING = "@@"  # a labelled PDF line that is a running head or foot: printed, not in the text


def labelled_pdf(labelled: str) -> tuple[bytes, str, list[tuple[int, int]]]:
    """(PDF, expected stored text, gold segment spans) of a labelled PDF text: pages split at
    form feeds; a line starting with RUNNING is printed on its page (a running head, a page
    number) but is not expected in the stored text. A page that ends a sentence is followed by
    a blank line before the form feed; one that runs on is not (as the import joins pages)."""
    from qualcode.core.ingest.evaluate import read_labelled

    pages = []
    for page in labelled.split("\f"):
        lines = read_labelled(page)[0].strip("\n").split("\n")
        pages.append([line.removeprefix(RUNNING) for line in lines])
    body = "".join(line for line in labelled.replace("\f", "").splitlines(keepends=True)
                   if not line.startswith(RUNNING))
    plain, gold = read_labelled(body)
    lead = len(plain) - len(plain.lstrip("\n"))
    text = plain.strip("\n")
    return text_pdf(pages), text, [(a - lead, b - lead) for a, b in gold]
