"""The knowledge-gap register: one public queryset, its filters and counts, and its rows.

Every output of the register (the page, its counts, the CSV and the JSON) reads
``register_gaps()``, which reads ``KnowledgeGap.objects.published()``.
"""

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from collaboration.models import Theme, person_name
from publishing.rows import address_former, aware, rows_by_key, with_many
from publishing.rows import escaped as e
from publishing.versioning import content_cached
from reports.items import published_theme_names
from reports.models import (
    KnowledgeGap,
    Report,
    about_theme,
    describe_date,
    excerpt,
    machine_date,
)
from reports.templatetags.reports import gap_tag_colour

from .models import GapContributor

OPEN = "open"
STATUS_CHOICES = [(OPEN, "Open: not answered or superseded"), *KnowledgeGap.Status.choices]
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


# The columns of a gap in the register's list; the last, one of its analysis's themes.
ITEM_FIELDS = (
    "id",
    "question",
    "detail",
    "status",
    "status_changed_at",
    "raised_on",
    "theme_id",
    "analysis_id",
    "analysis__title",
    "analysis__slug",
    "analysis__report__published_on",
    "analysis__report__date_precision",
    "report__title",
    "report__slug",
    "report__published_on",
    "report__date_precision",
    "analysis__themes",
)
CONTRIBUTOR_FIELDS = (
    "gap_id",
    "id",
    "person_id",
    "person__honorific",
    "person__name",
    "organisation__name",
)
STATUS_LABELS = dict(KnowledgeGap.Status.choices)
DAY = Report.DatePrecision.DAY
# Stands for a gap's key in its address, formed once for a whole page of the list.
GAP_KEY = 987654321


def items_by_key(keys) -> dict:
    """The public gaps among ``keys`` as the register's list shows them, by key.

    Each as HTML (``item_html``), from two queries whatever the number (the gaps with their
    analysis's themes, and who works on each): built from model instances with their
    relations and template filters, a deep page cost 26 ms CPU (in-process, 10,000
    reports and 1,000 gaps).
    """
    found, analysis_themes = with_many(
        rows_by_key("gaps", KnowledgeGap.objects.published, keys, ITEM_FIELDS)
    )
    shown = {}
    contributors = rows_by_key(
        "gap-contributors",
        GapContributor.objects.named_publicly,
        keys,
        CONTRIBUTOR_FIELDS,
        key="gap",
    )
    for gap, _, person, honorific, name, organisation in sorted(contributors):
        shown.setdefault(gap, []).append(person_name(honorific, name) if person else organisation)
    themes = published_theme_names()
    address = address_former("agenda:gap-detail", pk=GAP_KEY)
    # Once a page, not for each row: with them, rows cost 2.6 ms CPU a page of 25, 1.8 without.
    zone = timezone.get_current_timezone()
    analysis_address = address_former("reports:gapanalysis-detail", slug="--slug--")
    report_address = address_former("reports:report-detail", slug="--slug--")
    items = {}
    for row in found.values():
        (pk, question, detail, status, changed, raised_on, theme, analysis, *source) = row
        analysis_title, analysis_slug, analysis_date, analysis_precision = source[:4]
        report_title, report_slug, report_date, report_precision = source[4:]
        if theme is not None:
            on = {theme}
        elif analysis is not None:
            on = analysis_themes[pk]
        else:
            on = set()
        if analysis is not None:
            title, url = analysis_title, analysis_address(slug=analysis_slug)
            date, precision = analysis_date, analysis_precision
        elif report_slug is not None:
            title, url = report_title, report_address(slug=report_slug)
            date, precision = report_date, report_precision
        else:
            title = url = ""
            date, precision = None, None
        if raised_on:
            date, precision = raised_on, DAY
        changed = timezone.localtime(aware(changed), zone) if changed else None
        items[pk] = {
            "pk": pk,
            "html": item_html(
                detail_url=address(pk=pk),
                question=question,
                status=status,
                excerpt=excerpt(detail),
                themes=", ".join(name for theme, name in themes if theme in on),
                source_title=title,
                source_url=url,
                raised=(machine_date(date, precision), describe_date(date, precision))
                if date
                else None,
                changed=(changed.date().isoformat(), describe_date(changed.date(), DAY))
                if changed
                else None,
                contributors=", ".join(shown.get(pk, [])),
            ),
        }
    return items


def item_html(
    *,
    detail_url: str,
    question: str,
    status: str,
    excerpt: str,
    themes: str,
    source_title: str,
    source_url: str,
    raised: tuple[str, str] | None,
    changed: tuple[str, str] | None,
    contributors: str,
) -> SafeString:
    """One gap of the register's list as HTML, every value escaped here.

    In Python rather than in the template's loop: the loop's variables and tests were
    most of a random deep page of /gaps/ (3.8 of 10 ms under the profiler, 25 rows,
    10,000 reports), which make bench put at 0.15 of /healthz, its target (2026-12-06).
    """

    def when(moment):
        if moment is None:
            return "Not recorded"
        iso, text = moment
        return f'<time datetime="{e(iso)}">{e(text)}</time>'

    themes_html = f' <span class="empac-meta">Theme: {e(themes)}</span>' if themes else ""
    excerpt_html = f'<p class="govuk-body">{e(excerpt)}</p>' if excerpt else ""
    if source_url:
        source = f'<a class="govuk-link" href="{e(source_url)}">{e(source_title)}</a>'
    else:
        source = "Recorded on its own"
    return SafeString(
        f'<h3 class="govuk-heading-s empac-item__title">'
        f'<a class="govuk-link" href="{e(detail_url)}">{e(question)}</a></h3>'
        f'<p class="govuk-body govuk-!-margin-bottom-2">'
        f'<strong class="govuk-tag govuk-tag--{gap_tag_colour(status)}">'
        f"{e(STATUS_LABELS.get(status, status))}</strong>{themes_html}</p>"
        f"{excerpt_html}"
        f'<dl class="empac-meta empac-gap-facts">'
        f"<dt>From</dt><dd>{source}</dd>"
        f"<dt>Raised</dt><dd>{when(raised)}</dd>"
        f"<dt>Status last changed</dt><dd>{when(changed)}</dd>"
        f"<dt>Who works on it</dt><dd>{e(contributors) if contributors else 'Not recorded'}</dd>"
        f"</dl>"
    )


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
