"""Where a recommendation stands, as HTML: status, owner, target date, last public update.

The one definition of this block, shown on a report's page, on a recommendation's page
and for each item of /recommendations/. It is built here with ``format_html`` (every
value escaped as autoescaping would) rather than by a template include: the include
was about 40% of a random deep page of /recommendations/ (20 includes, 4.2 of 10 ms
under the profiler, 10,000 reports), and that page stayed at 0.15 of /healthz on
SQLite and 0.12 on PostgreSQL (make bench, 2026-12-06), under its 0.15 target.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from publishing.rows import escaped as e

STATUS_TAGS = {
    "implemented": "govuk-tag govuk-tag--green",
    "in_progress": "govuk-tag",
    "not_started": "govuk-tag govuk-tag--yellow",
    "not_taken_forward": "govuk-tag govuk-tag--orange",
}
NOT_RECORDED_TAG = "govuk-tag govuk-tag--grey"


def status_tag_class(status: str) -> str:
    """The GOV.UK tag classes for a recommendation's status (grey: not recorded)."""
    return STATUS_TAGS.get(status, NOT_RECORDED_TAG)


@dataclass(frozen=True)
class Update:
    """The newest public update, as the block shows it."""

    date_iso: str
    date_text: str
    excerpt: str
    evidence_url: str = ""
    evidence_file_url: str = ""
    evidence_file_name: str = ""


def progress_html(
    *,
    status: str,
    status_label: str,
    owners: list[tuple[str, str]],
    target_iso: str,
    target_text: str,
    is_overdue: bool,
    update: Update | None,
) -> SafeString:
    """The block's HTML; ``owners`` are the public ones, as (address, name)."""
    if owners:
        owner = ", ".join(
            f'<a class="govuk-link" href="{e(url)}">{e(name)}</a>' for url, name in owners
        )
    else:
        owner = "Not recorded"
    if target_iso:
        target = f'<time datetime="{e(target_iso)}">{e(target_text)}</time>'
        if is_overdue:
            target += ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    else:
        target = "Not recorded"
    return SafeString(
        '<dl class="govuk-summary-list govuk-summary-list--no-border govuk-!-margin-bottom-2">'
        + row("Status", f'<strong class="{status_tag_class(status)}">{e(status_label)}</strong>')
        + row("Owner", owner)
        + row("Target date", target)
        + row("Last update", update_html(update) if update else "None recorded")
        + "</dl>"
    )


def row(key: str, value_html: str) -> str:
    return (
        f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}</dt>'
        f'<dd class="govuk-summary-list__value">{value_html}</dd></div>'
    )


def update_html(update: Update) -> str:
    date = e(update.date_text)
    html = f'<time datetime="{e(update.date_iso)}">{date}</time>: {e(update.excerpt)}'
    hidden = f'<span class="govuk-visually-hidden"> for the update of {date}</span>'
    if update.evidence_url:
        html += f' <a class="govuk-link" href="{e(update.evidence_url)}">Evidence{hidden}</a>'
    if update.evidence_file_url:
        html += (
            f' <a class="govuk-link" href="{e(update.evidence_file_url)}" download>'
            f"Evidence file{hidden} ({e(update.evidence_file_name)})</a>"
        )
    return html
