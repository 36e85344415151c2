from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .pdf import open_pdf


def validate_pdf(upload) -> None:
    """Accept only files that parse as PDFs (pypdf), not just by name, and not too large.

    An encrypted PDF, or one without text, is still a PDF: it is accepted, and its
    note in the admin says that search cannot read it.
    """
    if getattr(upload, "_committed", False):
        # Already stored, so checked when it was uploaded. Re-reading it on every save would
        # turn a stored file that has since gone missing into a server error.
        return
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError("Upload a PDF file (its name should end in .pdf).", code="pdf_name")
    limit = settings.REPORT_PDF_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"That file is {filesizeformat(upload.size)}; the largest PDF accepted is "
            f"{filesizeformat(limit)}.",
            code="pdf_size",
        )
    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        upload.seek(0)
        header = upload.read(1024)
    finally:
        if position is not None:
            upload.seek(position)
    if b"%PDF-" not in header:
        raise ValidationError(
            "That file is not a PDF: its contents do not start like a PDF document.",
            code="pdf_content",
        )
    try:
        open_pdf(upload)
    except ValueError as error:
        raise ValidationError(
            "That file starts like a PDF but cannot be read as one (%(reason)s). "
            "Save it again as PDF from the program that made it, and upload that copy.",
            code="pdf_unreadable",
            params={"reason": error},
        ) from error
    finally:
        upload.seek(0 if position is None else position)


def validate_evidence_size(upload) -> None:
    """A progress update's evidence file is no larger than a report's PDF may be."""
    if getattr(upload, "_committed", False):
        return  # stored already, so checked when it was uploaded
    limit = settings.REPORT_PDF_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"That file is {filesizeformat(upload.size)}; the largest file accepted is "
            f"{filesizeformat(limit)}.",
            code="evidence_size",
        )
