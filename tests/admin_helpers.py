"""What the admin tests share: the curated models, their factories, and the forms a curator
sends (tests/<app>/test_admin.py)."""

from django.conf import settings
from django.contrib import admin
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from factory.django import DjangoModelFactory

from collaboration.models import Person, Role
from publishing.models import Status
from reports.models import GapAnalysis, Report
from tests import factories
from tests.pdfs import pdf_with_text

PDF_BYTES = pdf_with_text("Mind the gap between policing and organised crime groups")

# Every model a curator may reach: all of admin.site in the curated apps (not user accounts,
# nor the task queue, which is the operators'). Models that those apps register later are
# picked up here without editing this file.
CURATED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in settings.CURATED_APPS),
    key=lambda model: model._meta.label,
)


FACTORIES = {
    obj._meta.model: obj
    for obj in vars(factories).values()
    if isinstance(obj, type) and issubclass(obj, DjangoModelFactory) and obj._meta.model
}


PUBLISHABLE_FACTORIES = [
    factories.ThemeFactory,
    factories.OrganisationFactory,
    factories.PersonFactory,
    factories.ReportFactory,
    factories.GapAnalysisFactory,
]


def url(model, view="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def ids(model):
    return model._meta.label


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def shown(response):
    """The objects listed on a changelist page."""
    return list(response.context["cl"].result_list)


def make_rows(model, count):
    """Rows for a changelist, each with the related records its columns read."""
    rows = FACTORIES[model].create_batch(count)
    for row in rows:
        if model is Person:
            factories.RoleFactory(person=row, kind=Role.Kind.ACADEMIC_LEAD)
        if model is GapAnalysis:
            factories.KnowledgeGapFactory(analysis=row)
    return rows


# The provenance inline on every content change page (a generic inline's prefix).
PROVENANCE = "publishing-provenance-content_type-object_id"


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def report_form(report=None, **fields):
    data = {
        "title": "Mind the gap",
        "slug": "mind-the-gap",
        "kind": Report.Kind.PROGRESS,
        "status": Status.DRAFT,
        "published_on": "2020-12-01",
        "date_precision": Report.DatePrecision.MONTH,
        "summary": "",
        "body": "",
        "source_url": "",
        "provenance": "",
        "tags": "",
        **inline_management("recommendations"),
        **inline_management("alignment_rows"),
        **inline_management(PROVENANCE),
    }
    if report is not None:
        data.update(
            title=report.title,
            slug=report.slug,
            kind=report.kind,
            status=report.status,
            published_on=report.published_on.isoformat(),
        )
    data.update(fields)
    return data


def person_form(person=None, **fields):
    data = {
        "honorific": "Dr",
        "name": "Ada Example",
        "slug": "ada-example",
        "organisation": "",
        "biography": "",
        # A curator adds drafts; publishing is an editor's move (publishing.workflow).
        "status": Status.DRAFT,
        **inline_management("roles"),
        **inline_management(PROVENANCE),
    }
    if person is not None:
        data.update(
            name=person.name, slug=person.slug, honorific=person.honorific, status=person.status
        )
    data.update(fields)
    return data


def role_fields(prefix="", **fields):
    data = {
        "kind": Role.Kind.RESEARCHER,
        "title": "",
        "organisation": "",
        "theme": "",
        "start_date": "",
        "end_date": "",
        "dates_note": "",
        "source": "",
        "latest_source": "",
        **fields,
    }
    return {f"{prefix}{key}": value for key, value in data.items()}


def assert_form_error(response, message):
    """The admin page came back with the form, showing the error, rather than saving."""
    assert response.status_code == 200
    assert response.context["errors"], "no form errors on the page"
    assert message in response.text


def action(client, model, name, objects):
    return client.post(
        url(model),
        {"action": name, "index": "0", "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def recommendation_fields(index, number, heading, pk=""):
    prefix = f"recommendations-{index}-"
    return {
        f"{prefix}id": str(pk),
        f"{prefix}number": str(number),
        f"{prefix}heading": heading,
        f"{prefix}explanation": "",
        # The inline always shows these; "not recorded" is what a new one starts as.
        f"{prefix}status": "not_recorded",
        f"{prefix}owner_organisation": "",
        f"{prefix}owner_person": "",
        f"{prefix}target_date": "",
    }


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def form_data(client, obj, **changes):
    """The change form's own data, as the browser would send it, with ``changes``."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if value is None or isinstance(value, FieldFile):
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and not isinstance(value, FieldFile):
                    data[inline_form.add_prefix(name)] = value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
