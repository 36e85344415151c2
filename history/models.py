"""Which content keeps its history, and what of it (django-simple-history).

``simple_history.register`` gives each model a ``history`` manager and a historical
model in this app. A Report's extracted PDF text is left out: it is large, is derived
from the file (whose name is kept), and is read again from it.
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

REPORT_EXCLUDED_FIELDS = ["pdf_text", "pdf_text_note", "pdf_text_source"]

TRACKED = {
    Theme: {},
    Organisation: {},
    Person: {},
    Role: {},
    Report: {"excluded_fields": REPORT_EXCLUDED_FIELDS},
    Recommendation: {},
    AlignmentRow: {},
    GapAnalysis: {},
    ComparisonRow: {},
    KnowledgeGap: {},
}

for _model, _options in TRACKED.items():
    simple_history.register(_model, app="history", **_options)
