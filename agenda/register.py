"""The knowledge-gap register: one public queryset, its filters and counts, and its rows.

Every output of the register (the page, its counts, the CSV and the JSON) reads
``register_gaps()``, which reads ``KnowledgeGap.objects.published()``.
"""

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from collaboration.models import Theme
from publishing.versioning import content_cached
from reports.models import KnowledgeGap, Report, about_theme, describe_date, machine_date

from .models import GapContributor

OPEN = "open"
STATUS_CHOICES = [(OPEN, "Open (not answered or superseded)"), *KnowledgeGap.Status.choices]
NOT_RECORDED_LABEL = "Status not recorded"


def register_gaps():
    """Every public knowledge gap, newest raised first."""
    raised = Coalesce("raised_on", "analysis__report__published_on", "report__published_on")
    return (
        KnowledgeGap.objects.published()
        .annotate(raised=raised)
        .order_by(F("raised").desc(nulls_last=True), "-id")
    )


def filtered(gaps, *, theme: Theme | None, status: str | None):
    if theme is not None:
        gaps = gaps.filter(pk__in=KnowledgeGap.objects.filter(about_theme(theme)).values("pk"))
    if status == OPEN:
        gaps = gaps.open()
    elif status:
        gaps = gaps.filter(status=status)
    return gaps


def for_display(gaps):
    """The rows as the register shows them: source, themes and who works on each.

    ``gaps`` must be public ones (read through ``.published()``): the prefetch of who
    works on each does not check that again, which cost about 9 ms of a deep page's 48
    (in-process, 1,000 gaps).
    """
    return gaps.select_related("theme", "analysis", "analysis__report", "report").prefetch_related(
        Prefetch("analysis__themes", queryset=Theme.objects.published()),
        Prefetch(
            "contributors",
            queryset=GapContributor.objects.named_publicly().select_related(
                "person", "organisation"
            ),
            to_attr="shown_contributors",
        ),
    )


def rows_by_key(keys) -> dict:
    return for_display(KnowledgeGap.objects.published().filter(pk__in=keys)).in_bulk()


def counts(*, theme: Theme | None, status: str | None) -> dict:
    """How many public gaps each filter value would show, the other filter kept."""

    def compute():
        by_status = filtered(register_gaps(), theme=theme, status=None)
        status_counts = dict(
            by_status.order_by().values_list("status").annotate(n=Count("pk", distinct=True))
        )
        status_counts[OPEN] = sum(
            n
            for value, n in status_counts.items()
            if value not in (KnowledgeGap.Status.ANSWERED, KnowledgeGap.Status.SUPERSEDED)
        )
        by_theme = filtered(KnowledgeGap.objects.published(), theme=None, status=status)
        theme_counts = dict(
            Theme.objects.published()
            .annotate(
                n=Count(
                    "knowledge_gaps",
                    filter=Q(knowledge_gaps__in=by_theme),
                    distinct=True,
                )
                + Count(
                    "gap_analyses__knowledge_gaps",
                    filter=Q(
                        gap_analyses__knowledge_gaps__in=by_theme,
                        gap_analyses__knowledge_gaps__theme__isnull=True,
                    ),
                    distinct=True,
                )
            )
            .values_list("pk", "n")
        )
        return {"status": status_counts, "theme": theme_counts}

    return content_cached(f"gap-counts:{theme.pk if theme else ''}:{status or ''}", compute)


def gap_themes(gap) -> list:
    if gap.theme_id:
        return [gap.theme] if gap.theme.is_published() else []
    if gap.analysis_id:
        return list(gap.analysis.themes.all())
    return []


def source_of(gap) -> tuple[str, str]:
    """The title and address of where a gap was raised: its analysis, or else its report."""
    source = gap.source
    return (source.title, source.get_absolute_url()) if source is not None else ("", "")


def raised(gap) -> tuple[str, str]:
    """When a gap was raised, as precisely as known: (for <time datetime>, for reading)."""
    if gap.raised_on:
        day = Report.DatePrecision.DAY
        return machine_date(gap.raised_on, day), describe_date(gap.raised_on, day)
    report = gap.source_report
    if report is None or not report.published_on:
        return "", ""
    return report.date_iso, report.display_date


def record(gap, absolute) -> dict:
    """A gap as the CSV and JSON give it."""
    title, url = source_of(gap)
    raised_iso, _ = raised(gap)
    contributors = getattr(gap, "shown_contributors", [])
    answered_by = gap.answered_by if gap.answered_by_id and gap.answered_by.is_published() else None
    return {
        "id": gap.pk,
        "url": absolute(reverse("agenda:gap-detail", kwargs={"pk": gap.pk})),
        "question": gap.question,
        "background": gap.detail,
        "themes": [theme.short_name for theme in gap_themes(gap)],
        "status": gap.status,
        "status_label": gap.get_status_display(),
        "source": title,
        "source_url": absolute(url) if url else "",
        "raised": raised_iso or None,
        "status_last_changed": gap.status_changed_at.isoformat() if gap.status_changed_at else None,
        "who_works_on_it": [str(c) for c in contributors],
        "answer": gap.answer if gap.status == KnowledgeGap.Status.ANSWERED else "",
        "answered_by": absolute(answered_by.get_absolute_url()) if answered_by else "",
        "answer_url": gap.answer_url if gap.status == KnowledgeGap.Status.ANSWERED else "",
    }
