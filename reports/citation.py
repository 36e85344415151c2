"""How to cite a report: one CSL-JSON record, and everything else made from it.

The record (``csl_record``) is the one place a report's citation facts are gathered:
the styled citations on its page (APA and Harvard, by citeproc-py with the CSL styles in
``reports/csl/``), the BibTeX, RIS and CSL-JSON downloads, and the Highwire
``citation_*`` meta tags all read it. It reads the report's published authors only.
"""

import functools
import json
import re
import warnings
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.utils import timezone
from django.utils.safestring import mark_safe

PUBLISHER = "East Midlands Police Academic Collaboration"
STYLES_DIR = Path(__file__).resolve().parent / "csl"
# Shown in this order on a report's page: (key, label, CSL file).
STYLES = [
    ("apa", "APA (7th edition)", "apa.csl"),
    ("harvard", "Harvard (Cite Them Right)", "harvard-cite-them-right.csl"),
]
FORMATS = {
    # name: (file extension, content type, label)
    "bibtex": ("bib", "application/x-bibtex; charset=utf-8", "BibTeX"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8", "RIS"),
    "csl_json": ("json", "application/vnd.citationstyles.csl+json; charset=utf-8", "CSL-JSON"),
}


def person_name(person) -> dict:
    """A CSL name: the last word as the family name; one word (a surname alone) as given."""
    given, _, family = person.name.strip().rpartition(" ")
    if not given:
        return {"family": family}
    return {"family": family, "given": given}


def date_parts(report) -> list[int]:
    day = report.published_on
    if day is None or report.date_precision == "undated":
        return []
    parts = {"year": [day.year], "month": [day.year, day.month]}
    return parts.get(report.date_precision, [day.year, day.month, day.day])


def csl_record(report, *, url: str, authors=None) -> dict:
    """The report as a CSL-JSON item. Without a recorded author, the collaboration is one."""
    authors = list(report.authors.all() if authors is None else authors)
    record = {
        "id": report.slug,
        "type": "report",
        "title": report.title,
        "author": [person_name(p) for p in authors] or [{"literal": PUBLISHER}],
        "publisher": PUBLISHER,
        "genre": report.get_kind_display(),
        "URL": url,
        "accessed": {"date-parts": [date_parts_of_today()]},
    }
    if parts := date_parts(report):
        record["issued"] = {"date-parts": [parts]}
    if report.summary:
        record["abstract"] = report.summary
    return record


def date_parts_of_today() -> list[int]:
    today = timezone.localdate()
    return [today.year, today.month, today.day]


@functools.cache
def csl_style(filename: str) -> CitationStylesStyle:
    # Parsing a style takes longer than rendering with it, and styles never change.
    return CitationStylesStyle(str(STYLES_DIR / filename), validate=False, locale="en-GB")


def render(record: dict, filename: str, output) -> str:
    with warnings.catch_warnings():
        # citeproc-py warns of CSL features it skips; the styles render reports fully.
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(
            csl_style(filename), CiteProcJSON([record]), output
        )
        bibliography.register(Citation([CitationItem(record["id"])]))
        return str(bibliography.bibliography()[0])


def styled_citations(record: dict) -> list[dict]:
    """Each style's citation, as HTML (escaped by citeproc's HTML formatter) and text."""
    return [
        {
            "key": key,
            "label": label,
            "html": mark_safe(render(record, filename, formatter.html)),  # noqa: S308
            "text": render(record, filename, formatter.plain),
        }
        for key, label, filename in STYLES
    ]


# BibTeX ---------------------------------------------------------------------------------

BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\^{}"}


def bibtex_escape(text: str) -> str:
    return BIBTEX_SPECIAL.sub(
        lambda m: BIBTEX_REPLACEMENTS.get(m.group(1), "\\" + m.group(1)), " ".join(text.split())
    )


def bibtex_name(name: dict) -> str:
    if "literal" in name:
        return "{" + bibtex_escape(name["literal"]) + "}"
    if "given" in name:
        return f"{bibtex_escape(name['family'])}, {bibtex_escape(name['given'])}"
    return bibtex_escape(name["family"])


MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def bibtex_key(record: dict) -> str:
    return re.sub(r"[^A-Za-z0-9_:-]", "", record["id"]) or "report"


def to_bibtex(record: dict) -> str:
    fields = [
        ("author", " and ".join(bibtex_name(name) for name in record["author"])),
        ("title", "{" + bibtex_escape(record["title"]) + "}"),
        ("institution", bibtex_escape(record["publisher"])),
        ("type", bibtex_escape(record["genre"])),
    ]
    parts = record.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        fields.append(("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(("month", MONTHS[parts[1] - 1]))
    fields.append(("url", record["URL"]))
    accessed = record["accessed"]["date-parts"][0]
    fields.append(("urldate", "-".join(f"{n:02}" for n in accessed)))
    lines = [
        f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},"
        for name, value in fields
    ]
    return "@techreport{" + bibtex_key(record) + ",\n" + "\n".join(lines) + "\n}\n"


# RIS ------------------------------------------------------------------------------------


def ris_name(name: dict) -> str:
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if "given" in name else name["family"]


def to_ris(record: dict) -> str:
    lines = [("TY", "RPRT")]
    lines += [("AU", ris_name(name)) for name in record["author"]]
    lines.append(("TI", record["title"]))
    parts = record.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        lines.append(("PY", str(parts[0])))
        padded = [f"{n:02}" for n in parts[1:]] + [""] * (2 - len(parts[1:]))
        lines.append(("DA", "/".join([str(parts[0]), *padded, ""])))
    lines += [("PB", record["publisher"]), ("M3", record["genre"]), ("UR", record["URL"])]
    if record.get("abstract"):
        lines.append(("AB", record["abstract"]))
    lines.append(("ER", ""))
    # RIS is one field a line: line breaks inside a value would start a bogus field.
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)


def to_csl_json(record: dict) -> str:
    return json.dumps([record], ensure_ascii=False, indent=2) + "\n"


WRITERS = {"bibtex": to_bibtex, "ris": to_ris, "csl_json": to_csl_json}


def highwire_tags(record: dict, *, pdf_url: str | None) -> list[tuple[str, str]]:
    """Google Scholar's citation_* meta tags, from the same record."""
    tags = [("citation_title", record["title"])]
    tags += [("citation_author", ris_name(name)) for name in record["author"]]
    parts = record.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        tags.append(("citation_publication_date", "/".join(str(n) for n in parts)))
    tags.append(("citation_technical_report_institution", record["publisher"]))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags.append(("citation_abstract_html_url", record["URL"]))
    tags.append(("citation_language", "en"))
    return tags
