"""Recommendations and impact entries as the items of their lists, computed before rendering.

A deep page of /recommendations/ or /impact/ renders plain values fetched by key
(``publishing.rows``), not model instances with their relations: that way a first
render of /recommendations/ cost 15.4 ms CPU and of /impact/ 16.1 (in-process, 10,000
reports).
"""

from django.utils import timezone
from django.utils.safestring import SafeString

from collaboration.models import Organisation, Person, person_name
from publishing.models import published_one
from publishing.rows import address_former, escaped, rows_by_key, with_many
from reports import progress
from reports.items import published_theme_names
from reports.models import Recommendation, RecommendationUpdate, Report, describe_date, excerpt
from reports.models import is_overdue as overdue

from .models import ImpactEntry

DAY = Report.DatePrecision.DAY
RECOMMENDATION_FIELDS = (
    "id",
    "number",
    "heading",
    "status",
    "target_date",
    "report__slug",
    "report__title",
    "owner_organisation__slug",
    "owner_organisation__name",
    "owner_organisation_public",
    "owner_person__slug",
    "owner_person__honorific",
    "owner_person__name",
    "owner_person_public",
)
UPDATE_FIELDS = (
    "recommendation_id",
    "happened_on",
    "id",
    "summary",
    "evidence_url",
    "evidence_file",
)
STATUS_LABELS = dict(Recommendation.Status.choices)
ENTRY_FIELDS = ("id", "slug", "title", "kind", "happened_on", "description", "themes")
KIND_LABELS = dict(ImpactEntry.Kind.choices)


def public_recommendations():
    """Public recommendations, each with whether its owners are public (a draft is not named)."""
    return Recommendation.objects.published().annotate(
        owner_organisation_public=published_one(
            Organisation.objects.published(), "owner_organisation"
        ),
        owner_person_public=published_one(Person.objects.published(), "owner_person"),
    )


def last_updates(keys) -> dict:
    """The newest public update of each recommendation among ``keys``, by its key."""
    evidence = address_former("reports:recommendation-evidence", pk=987654321)
    newest = {}
    rows = rows_by_key(
        "recommendation-updates",
        RecommendationUpdate.objects.published,
        keys,
        UPDATE_FIELDS,
        key="recommendation",
    )
    for recommendation, *row in rows:
        if recommendation not in newest or row[:2] > newest[recommendation][:2]:
            newest[recommendation] = row
    return {
        recommendation: progress.Update(
            date_iso=happened_on.isoformat(),
            date_text=describe_date(happened_on, DAY),
            excerpt=excerpt(summary),
            evidence_url=evidence_url,
            evidence_file_url=evidence(pk=pk) if evidence_file else "",
            evidence_file_name=evidence_file.rsplit("/", 1)[-1],
        )
        for recommendation, (
            happened_on,
            pk,
            summary,
            evidence_url,
            evidence_file,
        ) in newest.items()
    }


def recommendation_items_by_key(keys) -> dict:
    """The public recommendations among ``keys`` as the progress page lists them, by key,
    from two queries whatever the number; where each stands as reports.progress builds it."""
    detail = address_former("impact:recommendation-detail", slug="--slug--", number=987654321)
    updates = last_updates(keys)
    # Once a page, not for each row (0.3 ms of a deep page for the date alone).
    today = timezone.localdate()
    report_address = address_former("reports:report-detail", slug="--slug--")
    organisation_address = address_former("browse:organisation-detail", slug="--slug--")
    person_address = address_former("browse:person-detail", slug="--slug--")
    items = {}
    for row in rows_by_key("recommendations", public_recommendations, keys, RECOMMENDATION_FIELDS):
        pk, number, heading, status, target_date, slug, title, *owners = row
        organisation_slug, organisation, organisation_public = owners[:3]
        person_slug, honorific, person, person_public = owners[3:]
        report_url = report_address(slug=slug)
        public_owners = []
        if organisation_public:
            public_owners.append((organisation_address(slug=organisation_slug), organisation))
        if person_public:
            public_owners.append((person_address(slug=person_slug), person_name(honorific, person)))
        progress_html = progress.progress_html(
            status=status,
            status_label=STATUS_LABELS.get(status, status),
            owners=public_owners,
            target_iso=target_date.isoformat() if target_date else "",
            target_text=describe_date(target_date, DAY),
            is_overdue=overdue(target_date, status, today),
            update=updates.get(pk),
        )
        # The whole item as HTML: a template's lookups and escaping for each of twenty
        # items were 1.9 of a deep page's 7.3 ms under the profiler (10,000 reports).
        items[pk] = {
            "pk": pk,
            "number": number,
            "heading": heading,
            "html": SafeString(
                f'<h3 class="govuk-heading-s empac-item__title"><a class="govuk-link" '
                f'href="{escaped(detail(slug=slug, number=number))}">'
                f"{number}. {escaped(heading)}</a></h3>"
                f'<p class="empac-meta">From <a class="govuk-link" '
                f'href="{escaped(report_url)}#recommendation-{number}">{escaped(title)}</a></p>'
                f"{progress_html}"
            ),
        }
    return items


def entry_items_by_key(keys) -> dict:
    """The public impact entries among ``keys`` as the log lists them, by key, from one query."""
    found, linked = with_many(
        rows_by_key("impact-entries", ImpactEntry.objects.published, keys, ENTRY_FIELDS)
    )
    themes = published_theme_names()
    address = address_former("impact:entry-detail", slug="--slug--")
    return {
        pk: {
            "pk": pk,
            "url": escaped(address(slug=slug)),
            "title": escaped(title),
            "kind": escaped(KIND_LABELS.get(kind, kind)),
            "date_iso": happened_on.isoformat(),
            "date_text": describe_date(happened_on, DAY),
            "summary": escaped(excerpt(description)),
            "themes": escaped(", ".join(name for theme, name in themes if theme in linked[pk])),
        }
        for pk, slug, title, kind, happened_on, description in found.values()
    }
