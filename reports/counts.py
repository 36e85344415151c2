"""Maintained counts of published reports: per theme (``ThemeReportCount``).

Every change that can alter a count recounts the rows it touches, exactly, from
``Report.objects.published()``: publishing or unpublishing a report (its status
changes on save), deleting one, and adding, removing or clearing its themes from
either side. A recount rather than adding or taking
one away, so a count put wrong by a write that sent no signal is put right by the
next change to that row, and ``recount_all()`` (``manage.py recount_reports``, and
commands that write in bulk) puts every count right.

Signals, against the house rule of no domain logic in them: the admin's forms, the
seed loader and tests write reports and their links in many ways, and only signals
hear every one of them, as the content version does (``publishing.versioning``).

Concurrency: the counted rows (the themes) are locked with
SELECT … FOR UPDATE before counting, so on PostgreSQL two transactions recounting the
same theme take turns, and the second counts after the first has committed. SQLite
allows one writer at a time anyway.
"""

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from publishing.signals import schedule_passed

from .models import Report, ThemeReportCount, published_one

# Report's many-to-many field → the model that keeps its counts. A person's or an
# organisation's reports are counted with their list's keys instead (browse.views),
# computed once per content version, as they are shown a page at a time.
COUNTED = {"themes": ThemeReportCount}


def _field(name: str):
    field = Report._meta.get_field(name)
    return field, field.remote_field.through, field.m2m_reverse_field_name()


def _published_links(name: str, using: str, *, every: bool = False):
    """Links from published reports. For a few rows, each report is looked up by key;
    for ``every`` row, against one list of the published reports (3 s against 0.5 s for
    the authors of 100,000 reports on SQLite).
    """
    _, through, _ = _field(name)
    links = through.objects.using(using)
    if every:
        return links.filter(report__in=Report.objects.published())
    return links.filter(published_one(Report.objects.published(), "report"))


def _store(name: str, counts: dict, pks, using: str) -> None:
    _, _, column = _field(name)
    model = COUNTED[name]
    model.objects.using(using).bulk_create(
        [model(**{f"{column}_id": pk, "count": counts.get(pk, 0)}) for pk in pks],
        update_conflicts=True,
        unique_fields=[column],
        update_fields=["count"],
    )


def recount(name: str, pks, *, using: str = "default") -> None:
    """Count again the published reports of these rows (themes, for ``name`` "themes")."""
    pks = set(pks)
    if not pks:
        return
    field, _, column = _field(name)
    target = field.related_model._base_manager.using(using)
    with transaction.atomic(using=using):
        # Locked first, in key order so two writers never wait for each other in a
        # circle; only the rows that still exist get a count.
        locked = target.select_for_update().filter(pk__in=pks).order_by("pk")
        pks = set(locked.values_list("pk", flat=True))
        links = _published_links(name, using).filter(**{f"{column}__in": pks})
        counts = dict(links.order_by().values_list(column).annotate(n=Count("*")))
        _store(name, counts, pks, using)


def recount_all(*, using: str = "default") -> None:
    """Count again every theme's published reports."""
    for name in COUNTED:
        field, _, column = _field(name)
        with transaction.atomic(using=using):
            pks = list(
                field.related_model._base_manager.using(using)
                .select_for_update()
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            links = _published_links(name, using, every=True)
            counts = dict(links.order_by().values_list(column).annotate(n=Count("*")))
            _store(name, counts, pks, using)


def linked(report, *, using: str = "default") -> dict[str, list]:
    """The keys of what each counted field of ``report`` links it to."""
    found = {}
    for name in COUNTED:
        _, through, column = _field(name)
        rows = through.objects.using(using).filter(report_id=report.pk)
        found[name] = list(rows.values_list(f"{column}_id", flat=True))
    return found


def recount_report(report, *, using: str = "default") -> None:
    for name, pks in linked(report, using=using).items():
        recount(name, pks, using=using)


def _report_saved(sender, instance, created, raw=False, using="default", **kwargs):
    counted = instance.__dict__.get("_counted_publicity")
    instance._counted_publicity = instance.publicity()
    if raw or created or counted == instance._counted_publicity:
        return  # a new report has no links yet; they are counted as they are added
    recount_report(instance, using=using)


def _schedule_passed(sender, since, until, using="default", **kwargs):
    """Reports that went live or expired by the clock: their themes are counted again."""
    passed = Q(go_live_at__gte=since, go_live_at__lte=until) | Q(
        expires_at__gte=since, expires_at__lte=until
    )
    reports = Report._base_manager.using(using).filter(passed).values("pk")
    for name in COUNTED:
        _, through, column = _field(name)
        rows = through.objects.using(using).filter(report_id__in=reports)
        recount(name, set(rows.values_list(f"{column}_id", flat=True)), using=using)


def _report_deleting(sender, instance, using="default", **kwargs):
    instance._counted_links = linked(instance, using=using)


def _report_deleted(sender, instance, using="default", **kwargs):
    for name, pks in getattr(instance, "_counted_links", {}).items():
        recount(name, pks, using=using)


def _relinked(name: str):
    _, through, column = _field(name)

    def receiver(sender, instance, action, reverse, pk_set, using="default", **kwargs):
        if action == "pre_clear":
            if reverse:
                instance._counted_clear = {instance.pk}
            else:
                rows = through.objects.using(using).filter(report_id=instance.pk)
                instance._counted_clear = set(rows.values_list(f"{column}_id", flat=True))
        elif action == "post_clear":
            recount(name, instance.__dict__.pop("_counted_clear", ()), using=using)
        elif action in ("post_add", "post_remove"):
            recount(name, [instance.pk] if reverse else pk_set, using=using)

    return receiver


def connect_signals() -> None:
    """Called from ReportsConfig.ready()."""
    post_save.connect(_report_saved, sender=Report, dispatch_uid="report-counts-saved")
    schedule_passed.connect(_schedule_passed, dispatch_uid="report-counts-schedule")
    pre_delete.connect(_report_deleting, sender=Report, dispatch_uid="report-counts-deleting")
    post_delete.connect(_report_deleted, sender=Report, dispatch_uid="report-counts-deleted")
    for name in COUNTED:
        m2m_changed.connect(
            _relinked(name),
            sender=_field(name)[1],
            weak=False,
            dispatch_uid=f"report-counts-{name}",
        )
