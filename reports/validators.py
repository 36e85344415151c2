from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat


def validate_pdf(upload) -> None:
    """Accept only files that are PDFs by content, not just by name, and not too large."""
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
