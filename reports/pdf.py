"""Reading report PDFs with pypdf: is it a PDF at all, and what text does it hold.

Text extraction is limited in pages, characters and time: a curator's upload must not
hang a request, and search needs the words, not every page of a 900-page annex. A PDF
that parses but whose text cannot be read (encrypted, damaged, or scanned images with
no text layer) is kept; its note says why search cannot see inside it.
"""

import logging
import time
from dataclasses import dataclass

from pypdf import PasswordType, PdfReader
from pypdf.errors import PyPdfError

# Pages read, characters kept, and seconds spent (checked after each page) at most.
MAX_PAGES = 300
MAX_CHARS = 200_000
MAX_SECONDS = 10.0

# What a damaged file can make pypdf raise besides its own errors.
READ_ERRORS = (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, OSError)

# pypdf warns through logging about every repair it makes to an imperfect file.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfText:
    text: str
    note: str


def open_pdf(file) -> tuple[PdfReader, bool]:
    """A reader for the file, and whether its pages can be read (not locked by a password).

    Raises ValueError, with the reason, when the file does not parse as a PDF.
    """
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        readable = True
        if reader.is_encrypted:
            try:
                readable = reader.decrypt("") != PasswordType.NOT_DECRYPTED
            except (PyPdfError, NotImplementedError):
                readable = False  # a cipher pypdf cannot undo here: a PDF all the same
        if readable:
            len(reader.pages)
    except READ_ERRORS as error:
        raise ValueError(str(error) or type(error).__name__) from error
    except RecursionError as error:
        raise ValueError("its structure nests too deeply") from error
    return reader, readable


def read_pdf_text(file, *, clock=time.monotonic) -> PdfText:
    """The text of a PDF for search, and a note for curators about what was read."""
    try:
        reader, readable = open_pdf(file)
    except ValueError as error:
        return PdfText("", f"Search cannot read this file: it is not a readable PDF ({error}).")
    if not readable:
        return PdfText("", "Search cannot read this PDF: it is encrypted with a password.")
    started, parts, length, read = clock(), [], 0, 0
    total = len(reader.pages)
    stopped = ""
    try:
        for index in range(min(total, MAX_PAGES)):
            # NUL can come out of a font's mapping; no database column holds it.
            text = (reader.pages[index].extract_text() or "").replace("\x00", "").strip()
            read += 1
            if text:
                parts.append(text)
                length += len(text)
            if length >= MAX_CHARS:
                stopped = f"; search keeps the first {MAX_CHARS:,} characters"
                break
            if clock() - started > MAX_SECONDS and read < total:
                stopped = f"; reading stopped after {MAX_SECONDS:.0f} seconds"
                break
    except READ_ERRORS as error:
        if not parts:
            return PdfText(
                "", f"Search cannot read this PDF's text: it is damaged ({error or 'unreadable'})."
            )
        stopped = f"; page {read + 1} is damaged"
    except RecursionError:
        stopped = f"; page {read + 1} nests too deeply to read"
    text = "\n\n".join(parts)[:MAX_CHARS]
    if not text:
        return PdfText(
            "",
            "Search cannot read this PDF: no text could be read from it (it may be scanned "
            "images, or damaged). Upload a version with text to make its words searchable.",
        )
    if total > read and not stopped:
        stopped = f"; search reads the first {MAX_PAGES} pages"
    return PdfText(
        text,
        f"Text read for search from {read} of {total} page{'s' if total != 1 else ''}{stopped}.",
    )


def read_report_pdf(report) -> None:
    """Read the text of a report's PDF (or clear it) and save it on the report.

    The one step a background task can run later, given the report.
    """
    if report.pdf:
        try:
            with report.pdf.open("rb") as file:
                result = read_pdf_text(file)
        except OSError:
            result = PdfText("", "Search cannot read this PDF: the file is missing.")
    else:
        result = PdfText("", "")
    report.pdf_text, report.pdf_text_note = result.text, result.note
    report.pdf_text_source = report.pdf.name or ""
    report.save(update_fields=["pdf_text", "pdf_text_note", "pdf_text_source"])
