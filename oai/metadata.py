"""Simple Dublin Core (oai_dc) for each kind of record: what a harvester stores about it."""

from django.conf import settings
from lxml import etree

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
PUBLISHER = "East Midlands Police Academic Collaboration (EMPAC)"

METADATA_FORMATS = {
    "oai_dc": {"schema": OAI_DC_SCHEMA, "namespace": OAI_DC},
}


def report_elements(report, absolute) -> list[tuple[str, str]]:
    elements = [("title", report.title)]
    elements += [("creator", person.display_name) for person in report.authors.all()]
    elements += [("subject", theme.full_name) for theme in report.themes.all()]
    elements += [("subject", tag.name) for tag in report.tags.all()]
    if report.summary:
        elements.append(("description", report.summary))
    elements.append(("publisher", PUBLISHER))
    elements += [("contributor", org.name) for org in report.organisations.all()]
    if report.published_on:
        elements.append(("date", report.date_iso))
    elements += [("type", "Text"), ("type", report.get_kind_display())]
    if report.has_public_pdf:
        elements.append(("format", "application/pdf"))
    elements.append(("identifier", absolute(report.get_absolute_url())))
    if report.has_public_pdf:
        elements.append(("identifier", absolute(report.get_pdf_url())))
    if report.source_url:
        elements.append(("source", report.source_url))
    elements.append(("language", "en"))
    return elements


def gap_analysis_elements(analysis, absolute) -> list[tuple[str, str]]:
    elements = [("title", analysis.title)]
    elements += [("subject", theme.full_name) for theme in analysis.themes.all()]
    description = analysis.summary or (
        f"{analysis.first_side} compared with {analysis.second_side}, "
        "and the knowledge gaps the comparison reveals."
    )
    elements += [("description", description), ("publisher", PUBLISHER)]
    elements += [("type", "Text"), ("type", "Gap analysis")]
    elements.append(("identifier", absolute(analysis.get_absolute_url())))
    if analysis.report is not None:
        elements.append(("relation", absolute(analysis.report.get_absolute_url())))
    elements.append(("language", "en"))
    return elements


ELEMENTS = {"report": report_elements, "gapanalysis": gap_analysis_elements}


def oai_dc(kind: str, item, absolute) -> etree._Element:
    root = etree.Element(
        f"{{{OAI_DC}}}dc",
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
        attrib={f"{{{XSI}}}schemaLocation": f"{OAI_DC} {OAI_DC_SCHEMA}"},
    )
    for name, value in ELEMENTS[kind](item, absolute):
        etree.SubElement(root, f"{{{DC}}}{name}").text = clean(value)
    return root


def xml_character(ch: str) -> bool:
    code = ord(ch)
    return (
        ch in "\t\n\r"
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters; drop them rather than fail."""
    text = str(text)
    if all(map(xml_character, text)):
        return text
    return "".join(filter(xml_character, text))


def repository_identifier() -> str:
    return settings.EMPAC_OAI_REPOSITORY_IDENTIFIER
