"""schema.org JSON-LD for a report page: a Report, with its authors and organisations."""

from collaboration import structured_data as people

from .citation import PUBLISHER


def report(report, *, url: str, pdf_url: str | None) -> dict:
    data = {
        "@type": "Report",
        "name": report.title,
        "headline": report.title[:110],
        "url": url,
        "inLanguage": "en-GB",
        "publisher": {"@type": "Organization", "name": PUBLISHER},
        "genre": report.get_kind_display(),
    }
    if report.published_on:
        data["datePublished"] = report.date_iso
    if report.summary:
        data["abstract"] = report.summary
    authors = [people.person(author) for author in report.authors.all()]
    data["author"] = authors or [data["publisher"]]
    organisations = [people.organisation(org) for org in report.organisations.all()]
    if organisations:
        data["sourceOrganization"] = organisations
    themes = [theme.full_name for theme in report.themes.all()]
    if themes:
        data["about"] = [{"@type": "Thing", "name": name} for name in themes]
    tags = [tag.name for tag in report.tags.all()]
    if tags:
        data["keywords"] = ", ".join(tags)
    if pdf_url:
        data["encoding"] = {
            "@type": "MediaObject",
            "encodingFormat": "application/pdf",
            "contentUrl": pdf_url,
        }
    return people.document(data)
