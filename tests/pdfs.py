"""Real PDF files made in the test, with pypdf's writer: with text, encrypted, image-only, damaged.

A PDF here is a document any reader opens, not bytes that merely start with ``%PDF-``.
"""

import io
import zlib

from pypdf import PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _font(writer):
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    return DictionaryObject({NameObject("/F1"): writer._add_object(font)})


def _bytes(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_text(*pages: str, user_password: str | None = None, owner_password=None) -> bytes:
    """A PDF with one page per string, each drawn as a line of text in Helvetica."""
    writer = PdfWriter()
    for text in pages or ("",):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): _font(writer)})
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 72 720 Td ({_escape(text)}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(content)
    if user_password is not None or owner_password is not None:
        writer.encrypt(user_password=user_password or "", owner_password=owner_password)
    return _bytes(writer)


def pdf_of_images() -> bytes:
    """A scanned-looking PDF: one page holding only an image, with no text layer."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    image = StreamObject()
    image._data = bytes([0, 128, 255] * 16)
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(4),
            NameObject("/Height"): NumberObject(4),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(image)})}
    )
    content = DecodedStreamObject()
    content.set_data(b"q 400 0 0 400 100 200 cm /Im1 Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    return _bytes(writer)


def pdf_with_damaged_text() -> bytes:
    """A PDF that opens (its structure is sound) but whose page content cannot be decoded."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): _font(writer)})
    content = StreamObject()
    # Claims to be compressed, holds bytes zlib refuses.
    content._data = b"this is not deflate data" + zlib.compress(b"x")[::-1]
    content[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Title": "Damaged"})
    return _bytes(writer)


def pdf_with_pages(count: int, text: str = "page") -> bytes:
    return pdf_with_text(*(f"{text} {n}" for n in range(1, count + 1)))
