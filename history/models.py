"""Which content keeps its history, and what of it (django-simple-history).

``simple_history.register`` gives each model a ``history`` manager and a historical
model in this app. A Report's extracted PDF text is left out: it is large, is derived
from the file (whose name is kept), and is read again from it.

Links to other content are kept too (``m2m_fields``: a report's themes, authors,
organisations and listed reports, an analysis's themes), so a version says what it
was linked to. A report's tags are kept by name (history/tags.py), as simple-history
cannot take taggit's manager as one of those links.
"""

import simple_history

from collaboration.models import Organisation, Person, Role, Theme
from reports.models import (
    AlignmentRow,
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    Report,
)

from .tags import HistoricalRecordsWithTags

REPORT_EXCLUDED_FIELDS = ["pdf_text", "pdf_text_note", "pdf_text_source"]

TRACKED = {
    Theme: {},
    Organisation: {},
    Person: {},
    Role: {},
    Report: {
        "excluded_fields": REPORT_EXCLUDED_FIELDS,
        "m2m_fields": ["themes", "authors", "organisations", "listed_reports"],
        "records_class": HistoricalRecordsWithTags,
    },
    Recommendation: {},
    AlignmentRow: {},
    GapAnalysis: {"m2m_fields": ["themes"]},
    ComparisonRow: {},
    KnowledgeGap: {},
}

for _model, _options in TRACKED.items():
    simple_history.register(_model, app="history", **_options)
