"""The reports app's models, one module per part: reports (with their alignment rows and
the kept counts of them per theme), recommendations tracked to impact, and gap analyses
with the knowledge gaps they and reports raise."""

from publishing.models import published_one

from .gaps import ComparisonRow, GapAnalysis, KnowledgeGap, about_theme
from .recommendations import (
    Recommendation,
    RecommendationStatusChange,
    RecommendationUpdate,
    is_overdue,
    recommendation_overdue,
)
from .reports import (
    LIST_FIELDS,
    RELATED_REPORTS_LIMIT,
    SUMMARY_WORDS,
    AlignmentRow,
    Report,
    ThemeReportCount,
    describe_date,
    excerpt,
    machine_date,
)

__all__ = [
    "LIST_FIELDS",
    "RELATED_REPORTS_LIMIT",
    "SUMMARY_WORDS",
    "AlignmentRow",
    "ComparisonRow",
    "GapAnalysis",
    "KnowledgeGap",
    "Recommendation",
    "RecommendationStatusChange",
    "RecommendationUpdate",
    "Report",
    "ThemeReportCount",
    "about_theme",
    "describe_date",
    "excerpt",
    "machine_date",
    "published_one",
    "is_overdue",
    "recommendation_overdue",
]
