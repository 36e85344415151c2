"""Reindex what a content write changes, in the write's own transaction.

A saved or deleted object is reindexed, and so is everything whose entry shows part of
it: a report's recommendations, table rows and tags are in the report's entry; a gap
analysis is public only while its report is; a person's entry names the themes and
partners of their roles. ``indexing.index`` reads through ``.published()``, so the
same call adds, updates or removes an entry.
"""

import threading
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from taggit.models import Tag, TaggedItem

from collaboration.models import Organisation, Person, Role, Theme
from publishing import signals as publishing_signals
from publishing.versioning import bump_content_version
from reports.models import (
    AlignmentRow,
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    Report,
)

from . import indexing

_STASH = "_search_reindex"
# The database of the write being handled: what it changed is reindexed in the same one.
_db = threading.local()


def _report_ids_tagged(tag_ids):
    return (
        TaggedItem.objects.using(_db.alias)
        .filter(
            tag__in=tag_ids,
            content_type=ContentType.objects.db_manager(_db.alias).get_for_model(Report),
        )
        .values_list("object_id", flat=True)
    )


def _analyses(analysis_ids) -> dict:
    gaps = (
        KnowledgeGap.objects.using(_db.alias)
        .filter(analysis__in=analysis_ids)
        .values_list("pk", flat=True)
    )
    return {GapAnalysis: set(analysis_ids), KnowledgeGap: set(gaps)}


def _reports(report_ids) -> dict:
    analyses = (
        GapAnalysis.objects.using(_db.alias)
        .filter(report__in=report_ids)
        .values_list("pk", flat=True)
    )
    changes = {Report: set(report_ids), **_analyses(list(analyses))}
    # A gap drawn from a report without an analysis is public while the report is.
    changes[KnowledgeGap] |= set(
        KnowledgeGap.objects.using(_db.alias)
        .filter(report__in=report_ids)
        .values_list("pk", flat=True)
    )
    return changes


def _people_of(**role_filter) -> set:
    return set(Role.objects.using(_db.alias).filter(**role_filter).values_list("person", flat=True))


def affected(instance) -> dict:
    """Model → keys of the objects whose entries show this instance."""
    model, pk = type(instance), instance.pk
    if model is Report:
        return _reports([pk])
    if model in (Recommendation, AlignmentRow):
        return {Report: {instance.report_id}}
    if model is TaggedItem:
        if (
            instance.content_type_id
            == ContentType.objects.db_manager(_db.alias).get_for_model(Report).pk
        ):
            return {Report: {instance.object_id}}
        return {}
    if model is Tag:
        return {Report: set(_report_ids_tagged([pk]))}
    if model is GapAnalysis:
        return _analyses([pk])
    if model is ComparisonRow:
        return {GapAnalysis: {instance.analysis_id}}
    if model is KnowledgeGap:
        return {KnowledgeGap: {pk}}
    if model is Theme:
        return {Theme: {pk}, Person: _people_of(theme=pk)}
    if model is Organisation:
        people = _people_of(organisation=pk)
        people |= set(
            Person.objects.using(_db.alias).filter(organisation=pk).values_list("pk", flat=True)
        )
        return {Organisation: {pk}, Person: people}
    if model is Person:
        return {Person: {pk}}
    if model is Role:
        return {Person: {instance.person_id}}
    return {}


def reindex(changes: dict) -> None:
    for model, ids in changes.items():
        indexing.index_instances(model, sorted(i for i in ids if i is not None), using=_db.alias)


@contextmanager
def on(using):
    previous = getattr(_db, "alias", DEFAULT_DB_ALIAS)
    _db.alias = using
    try:
        yield
    finally:
        _db.alias = previous


def saved(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    with on(using):
        reindex(affected(instance))


def deleting(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    # Before the delete, while its relations can still be followed (deleting a report
    # sets its analyses' report to null without a save).
    with on(using):
        setattr(instance, _STASH, affected(instance))


def deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    with on(using):
        reindex(getattr(instance, _STASH, None) or affected(instance))


# The through model of each relation whose links an entry shows → the model of the
# side that holds the relation, and how to find what else a link's change affects.
RELATIONS = {
    Report.themes.through: Report,
    Report.organisations.through: Report,
    GapAnalysis.themes.through: GapAnalysis,
    TaggedItem: Report,
}
EXPAND = {Report: _reports, GapAnalysis: lambda ids: _analyses(list(ids))}


def relinked(sender, instance, action, reverse, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    with on(using):
        _relinked(sender, instance, action, reverse, pk_set)


def _relinked(sender, instance, action, reverse, pk_set):
    holder = RELATIONS[sender]
    if not reverse:
        if action.startswith("post_"):
            reindex(EXPAND[holder]([instance.pk]))
        return
    # From the other side (theme.reports.add(...)): pk_set holds the holders' keys;
    # for clear() they are only known before the links go.
    if action == "pre_clear":
        setattr(instance, _STASH, set(_holders_linked(sender, holder, instance)))
    elif action == "post_clear":
        reindex(EXPAND[holder](getattr(instance, _STASH, set())))
    elif action.startswith("post_") and pk_set:
        reindex(EXPAND[holder](pk_set))


def _holders_linked(through, holder, instance):
    if through is TaggedItem:
        return _report_ids_tagged([instance.pk])
    for field in through._meta.get_fields():
        remote = getattr(field, "related_model", None)
        if remote is type(instance):
            other = next(
                f for f in through._meta.get_fields() if getattr(f, "related_model", None) is holder
            )
            return (
                through.objects.using(_db.alias)
                .filter(**{field.name: instance})
                .values_list(other.attname, flat=True)
            )
    return []


WATCHED = [
    Report,
    Recommendation,
    AlignmentRow,
    TaggedItem,
    Tag,
    GapAnalysis,
    ComparisonRow,
    KnowledgeGap,
    Theme,
    Organisation,
    Person,
    Role,
]


def schedule_passed(sender, since, until, using=DEFAULT_DB_ALIAS, **kwargs):
    """Index what went live, and drop what expired, when their scheduled times pass."""
    passed = Q(go_live_at__gte=since, go_live_at__lte=until) | Q(
        expires_at__gte=since, expires_at__lte=until
    )
    reindexed = False
    with on(using):
        for model in (Theme, Organisation, Person, Report, GapAnalysis):
            for instance in model.objects.using(using).filter(passed):
                reindex(affected(instance))
                reindexed = True
    if reindexed:
        # The new content version began before this index was written: searches made
        # in between remembered its words as unknown (engine's memos), and pages were
        # cached without its entries. A version after the index forgets both.
        bump_content_version(using=using, schedule_changed=False)


def connect() -> None:
    publishing_signals.schedule_passed.connect(schedule_passed, dispatch_uid="search-schedule")
    for model in WATCHED:
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-saved")
        pre_delete.connect(deleting, sender=model, dispatch_uid=f"{uid}-deleting")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}-deleted")
    for through in RELATIONS:
        m2m_changed.connect(relinked, sender=through, dispatch_uid=f"search-{through.__name__}")
