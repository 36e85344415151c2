"""What waits for staff, on the admin home: a few counts, each one query, and links.

Registrations to follow up; content not yet public (in review where the workflow has
that state, drafts until then); curators' changes to public items waiting for an editor;
items scheduled to go live, where a model has a go-live time; sign-in locks in force.
Queries are a fixed number, however many rows there are.
"""

import datetime
from dataclasses import dataclass, field

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from involvement.models import InterestRegistration
from publishing.models import PendingChange, Publishable, workflow_field

from . import twofactor

# Names a go-live time may have on a Publishable (the workflow's scheduling adds one).
GO_LIVE_FIELDS = ("go_live_at", "publish_at", "live_from", "scheduled_for")
# Names of a Publishable state that means "waiting for an editor".
REVIEW_STATES = ("in_review", "review")
OLDEST_SHOWN = 5


@dataclass
class Line:
    label: str
    count: int
    url: str = ""


@dataclass
class Item:
    label: str
    url: str
    detail: str = ""


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    note: str = ""
    items: list = field(default_factory=list)


def _changelist(model, query: str = "") -> str:
    opts = model._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


def _owners_list(model, name: str, state: str) -> str:
    """For rows edited inside another item's page (a recommendation's progress updates),
    the list of those items that have such rows, where it can be filtered so."""
    for link in model._meta.concrete_fields:
        if link.many_to_one:
            lookup = f"{link.related_query_name()}__{name}"
            url = _changelist(link.related_model, f"{lookup}={state}")
            if url:
                return url
    return ""


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


def _can_view(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def registrations(user) -> Section | None:
    model = InterestRegistration
    if not _can_view(user, model):
        return None
    Status = model.Status
    counts = model.objects.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        contacted=Count("pk", filter=Q(status=Status.CONTACTED)),
    )
    oldest = list(
        model.objects.filter(status=Status.NEW)
        .order_by("created_at")
        .only("pk", "name", "created_at")[:OLDEST_SHOWN]
    )
    return Section(
        "Registrations to follow up",
        [
            Line("New, not yet contacted", counts["new"], _changelist(model, "status__exact=new")),
            Line(
                "Contacted, not yet matched or closed",
                counts["contacted"],
                _changelist(model, "status__exact=contacted"),
            ),
        ],
        items=[Item(r.name, r.get_admin_url(), f"registered {_day(r.created_at)}") for r in oldest],
    )


def _publishables():
    return [
        model
        for model in apps.get_models()
        if (issubclass(model, Publishable) or hasattr(model, "workflow_field"))
        and not model._meta.abstract
    ]


def waiting(user) -> Section:
    lines = []
    review_state = None
    for model in _publishables():
        name = workflow_field(model)
        status_field = model._meta.get_field(name)
        choices = {value for value, _ in status_field.flatchoices}
        review_state = next((state for state in REVIEW_STATES if state in choices), None)
        if not _can_view(user, model):
            continue
        state = review_state or "draft"
        count = model.objects.filter(**{name: state}).count()
        lines.append(
            Line(
                str(model._meta.verbose_name_plural).capitalize(),
                count,
                _changelist(model, f"{name}__exact={state}") or _owners_list(model, name, state),
            )
        )
    if review_state:
        return Section("Waiting for review", lines)
    return Section(
        "Not yet public (drafts)",
        lines,
        note="Items sent for review will show here once the review workflow is in place.",
    )


def pending_changes(user) -> Section | None:
    if not _can_view(user, PendingChange):
        return None
    open_changes = PendingChange.objects.filter(outcome=PendingChange.Outcome.OPEN)
    oldest = open_changes.select_related("by").prefetch_related("item")[:OLDEST_SHOWN]
    items = []
    for change in oldest:
        if change.item is None:
            continue
        opts = change.item._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_pending_change", args=[change.item.pk]
        )
        who = change.by.get_username() if change.by else "a former curator"
        items.append(Item(f"{opts.verbose_name.capitalize()}: {change.item}", url, f"by {who}"))
    line = Line(
        "Changes to public items",
        open_changes.count(),
        _changelist(PendingChange, "outcome__exact="),
    )
    return Section("Changes waiting for an editor", [line], items=items)


def scheduled(user, *, now=None) -> Section | None:
    now = now or timezone.now()
    lines = []
    for model in _publishables():
        names = {f.name for f in model._meta.get_fields()}
        go_live = next((name for name in GO_LIVE_FIELDS if name in names), None)
        if go_live is None or not _can_view(user, model):
            continue
        count = model.objects.filter(**{f"{go_live}__gt": now}).count()
        lines.append(
            Line(str(model._meta.verbose_name_plural).capitalize(), count, _changelist(model))
        )
    if not lines:
        return None
    return Section("Scheduled to go live", lines)


def locks(user, *, now=None) -> Section | None:
    if not user.has_perm("axes.view_accessattempt"):
        return None
    now = now or timezone.now()
    cool_off = get_cool_off() or datetime.timedelta(days=36500)
    count = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=now - cool_off
    ).count()
    return Section(
        "Sign-in",
        [Line("Usernames or addresses locked out now", count, _changelist(AccessAttempt))],
    )


def dashboard(user) -> dict:
    sections = [
        registrations(user),
        waiting(user),
        pending_changes(user),
        scheduled(user),
        locks(user),
    ]
    return {
        "sections": [section for section in sections if section is not None],
        "two_factor_on": twofactor.has_two_factor(user),
        "two_factor_required": settings.EMPAC_REQUIRE_TWO_FACTOR,
    }
