"""PDF documents (.pdf, via pypdfium2) -> text with page starts.

Each page's text layer is read in content order (PDFium's text page), line endings become
"\\n", and pages are joined with a blank line; `page_starts` holds the offset where each page
begins in the stored text, so a location can name its page. Lines stay as the PDF breaks them:
segmentation rejoins hard-wrapped lines. PDFs that only restrict printing or copying (an owner
password) open normally. A PDF without a text layer (scanned), one that needs a password and a
damaged one each raise IngestError with one line saying so.
Why pypdfium2: see the CHANGELOG (0.3 s for 100 pages against 0.8 s for pypdf and 33 s for
pdfplumber on the same file, reading order kept, Apache-2.0/BSD-3 licences).
"""

from __future__ import annotations

from qualcode.core.ingest.decoding import normalise_newlines
from qualcode.core.ingest.turns import ParsedSource, find_turns
from qualcode.errors import IngestError
from qualcode.i18n import N_

MIN_LETTERS_PER_PAGE = 10  # fewer: the pages are images (a scan), not text
_OCR_HINT = N_("Run OCR on it first (for example `ocrmypdf scan.pdf text.pdf`) and import the "
               "result, or import the document as .docx or .txt.")


def _page_texts(data: bytes, name: str) -> list[str]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise IngestError(N_("{name}: the PDF is password-protected; not imported"),
                              hint=N_("Save an unprotected copy (print to PDF) and import that."),
                              name=name) from None
        raise IngestError(N_("{name}: damaged or not a PDF ({exc})"),
                          hint=N_("Open it in a PDF reader and save or print it to a new PDF."),
                          name=name, exc=exc) from None
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                texts.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
        return texts
    except pdfium.PdfiumError as exc:
        raise IngestError(N_("{name}: damaged PDF, a page cannot be read ({exc})"),
                          hint=N_("Open it in a PDF reader and save or print it to a new PDF."),
                          name=name, exc=exc) from None
    finally:
        document.close()


def _clean(page: str) -> str:
    """LF line ends; PDFium's mark for a hyphen it joined at a line end back to the hyphen
    and the line break; no NULs or form feeds; no trailing spaces."""
    page = normalise_newlines(page).replace("\ufffe", "-\n").replace("\x02", "-\n")
    page = page.replace("\x00", "").replace("\f", "\n")
    return "\n".join(line.rstrip() for line in page.split("\n")).strip("\n")


def parse_pdf(data: bytes, *, name: str = "<pdf>") -> ParsedSource:
    """Parse the bytes of a PDF; IngestError for scans, password protection and damage."""
    if not data:
        raise IngestError(N_("{name}: file is empty"),
                          hint=N_("Check that you picked the right file."),
                          name=name)
    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError(N_("{name}: not a PDF file (no %PDF header)"),
                          hint=N_("Check the file; only real PDF documents can be imported."),
                          name=name)
    pages = [_clean(p) for p in _page_texts(data, name)]
    letters = sum(ch.isalpha() for p in pages for ch in p)
    if letters < MIN_LETTERS_PER_PAGE * max(len(pages), 1):
        raise IngestError(N_("{name}: the PDF has no text layer (a scanned document?); not "
                             "imported"),
                          hint=_OCR_HINT, name=name)
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for page in pages:
        if parts:
            parts.append("\n\n")
            pos += 2
        starts.append(pos)
        parts.append(page)
        pos += len(page)
    text = "".join(parts)
    return ParsedSource(text, find_turns(text), {}, "utf-8", "pdf", page_starts=starts)
