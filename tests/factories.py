import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from factory.django import DjangoModelFactory

from collaboration.models import Organisation, Person, Role, Theme
from impact.models import ImpactEntry
from involvement.models import InterestRegistration
from publishing.models import Provenance, Status
from reports.models import (
    AlignmentRow,
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    RecommendationUpdate,
    Report,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    position = factory.Sequence(lambda n: 100 + n)
    short_name = factory.Sequence(lambda n: f"Theme {n}")
    full_name = factory.LazyAttribute(lambda o: f"{o.short_name} in full")
    slug = factory.Sequence(lambda n: f"theme-{n}")
    description = "A priority theme."
    status = Status.PUBLISHED


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.UNIVERSITY
    is_member = True
    status = Status.PUBLISHED


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    honorific = "Dr"
    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    status = Status.PUBLISHED


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    person = factory.SubFactory(PersonFactory)
    kind = Role.Kind.RESEARCHER


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = Report
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Progress report {n}")
    slug = factory.Sequence(lambda n: f"progress-report-{n}")
    kind = Report.Kind.PROGRESS
    published_on = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(n))
    # A report made without a date is one whose sources give none: stated so, it may be
    # published (a published report needs a date or that statement).
    date_precision = factory.LazyAttribute(
        lambda o: Report.DatePrecision.DAY if o.published_on else Report.DatePrecision.UNDATED
    )
    summary = "What the report found, in brief."
    body = "The report in full."
    status = Status.PUBLISHED
    # Cleared for public release (and its file too), so it may be published; tests of
    # uncleared material pass cleared_at=None.
    cleared_at = factory.LazyFunction(timezone.now)
    pdf_cleared_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"We do thing {n}.")
    explanation = "Why and how."


class AlignmentRowFactory(DjangoModelFactory):
    class Meta:
        model = AlignmentRow

    report = factory.SubFactory(ReportFactory)
    approach = "Place based evaluations"
    activity = "Evaluations and scoping"
    asset = "Existing findings"


class GapAnalysisFactory(DjangoModelFactory):
    class Meta:
        model = GapAnalysis

    title = factory.Sequence(lambda n: f"Gap analysis {n}")
    slug = factory.Sequence(lambda n: f"gap-analysis-{n}")
    report = factory.SubFactory(ReportFactory)
    first_side = "Police"
    second_side = "OCG"
    status = Status.PUBLISHED
    cleared_at = factory.LazyFunction(timezone.now)


class ComparisonRowFactory(DjangoModelFactory):
    class Meta:
        model = ComparisonRow

    analysis = factory.SubFactory(GapAnalysisFactory)
    dimension = "Focus"
    first_side_items = "Reactive\nHistorical"
    second_side_items = "Forward-looking\nHorizon-scanning"


class KnowledgeGapFactory(DjangoModelFactory):
    class Meta:
        model = KnowledgeGap

    analysis = factory.SubFactory(GapAnalysisFactory)
    question = factory.Sequence(lambda n: f"What do we not know, number {n}?")
    cleared_at = factory.LazyFunction(timezone.now)


class InterestRegistrationFactory(DjangoModelFactory):
    class Meta:
        model = InterestRegistration
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Researcher {n}")
    email = factory.Sequence(lambda n: f"researcher{n}@uni.example.ac.uk")
    institution = "University of Example"
    discipline = "criminology"
    consent = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class ProvenanceFactory(DjangoModelFactory):
    """An unconfirmed inference about a role's theme, unless told otherwise."""

    class Meta:
        model = Provenance

    class Params:
        entry = factory.SubFactory(RoleFactory)

    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.entry))
    object_id = factory.LazyAttribute(lambda o: o.entry.pk)
    field = "theme"
    document = "Community Resilience Progress Report November 2020"
    is_inferred = True
    basis = "The report that names them is about this theme; it does not say they work on it."
    note = "theme inferred from the report that names them"


class RecommendationUpdateFactory(DjangoModelFactory):
    class Meta:
        model = RecommendationUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    happened_on = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(n))
    summary = factory.Sequence(lambda n: f"Progress made, step {n}.")
    status = Status.PUBLISHED


class ImpactEntryFactory(DjangoModelFactory):
    class Meta:
        model = ImpactEntry
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Change in practice {n}")
    slug = factory.Sequence(lambda n: f"change-in-practice-{n}")
    kind = ImpactEntry.Kind.TRIAL
    happened_on = factory.Sequence(lambda n: datetime.date(2024, 6, 1) + datetime.timedelta(n))
    description = "What changed, for whom."
    status = Status.PUBLISHED

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def recommendations(self, create, extracted, **kwargs):
        if create and extracted:
            self.recommendations.set(extracted)

    @factory.post_generation
    def knowledge_gaps(self, create, extracted, **kwargs):
        if create and extracted:
            self.knowledge_gaps.set(extracted)

    @factory.post_generation
    def reports(self, create, extracted, **kwargs):
        if create and extracted:
            self.reports.set(extracted)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)
