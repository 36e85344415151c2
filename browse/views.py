from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, ListView, TemplateView

from collaboration import structured_data
from collaboration.models import Organisation, Person, Role, Theme
from publishing.pagination import LargeListPaginator
from publishing.provenance import with_inferences
from publishing.versioning import content_cached, content_key
from publishing.views import PublicItemMixin
from reports.items import (
    published_items_by_key,
    report_items,
    report_list_key,
    theme_reports,
)
from reports.models import (
    RELATED_REPORTS_LIMIT,
    GapAnalysis,
    KnowledgeGap,
    Report,
    about_theme,
)

# Bounded lists: a page never grows with the number of rows behind it.
LATEST_REPORTS_ON_HOME = 5
PEOPLE_ON_PARTNER_LIST = 5  # of each organisation on /partners/, beside those with roles
PEOPLE_PER_PAGE = 50
REPORTS_PER_PAGE = 20  # of a person's, on their page
# Open gaps a theme page names; the gap register (linked beside them) lists them all.
# Unbounded, 1,000 demo gaps made every deep theme page render 170 of them (0.04 of
# /healthz against 0.18 before).
OPEN_GAPS_ON_THEME_PAGE = 10


def themes_with_counts():
    """Published themes, each with how many published reports it has (reports.counts)."""
    return Theme.objects.published().annotate(report_count=Coalesce("report_tally__count", 0))


def public_roles():
    return Role.objects.published().for_display()


class HomeView(TemplateView):
    template_name = "browse/home.html"

    def get_context_data(self, **kwargs):
        latest = Report.objects.published().newest_first()[:LATEST_REPORTS_ON_HOME]
        return super().get_context_data(
            themes=themes_with_counts(),
            latest_reports=report_items(latest),
            **kwargs,
        )


class ThemeListView(ListView):
    template_name = "browse/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return themes_with_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = content_cached("open-gaps-by-theme", open_gaps_by_theme)
        for theme in context["themes"]:
            theme.open_gap_count = counts.get(theme.pk, 0)
        return context


def open_gaps_by_theme() -> dict[int, int]:
    """How many public open gaps each theme has, counted as the theme page lists them:
    each gap once, by its own theme or, having none, by its analysis's themes.

    One pass over the open gaps, kept per content version: a count per theme in the
    themes index's query walked every gap for each theme (190 ms at 10,000 gaps).
    """
    gaps = KnowledgeGap.objects.published().open().order_by()
    found = {}
    for gap, own, of_analysis in gaps.values_list("pk", "theme", "analysis__themes"):
        found.setdefault(own or of_analysis, set()).add(gap)
    return {theme: len(gaps) for theme, gaps in found.items() if theme is not None}


class ThemeDetailView(PublicItemMixin, ListView):
    """A theme and its reports, newest first, a page at a time (?page=)."""

    item_model = Theme

    template_name = "browse/theme_detail.html"
    context_object_name = "reports"
    paginate_by = 20
    paginator_class = LargeListPaginator

    def get(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        if self.preview:  # never from the cache: staff see the theme as saved now
            self.theme = self.visible(Theme.objects).filter(slug=slug).first()
        else:
            self.theme = content_cached(
                f"theme:{slug}", lambda: Theme.objects.published().filter(slug=slug).first()
            )
        if self.theme is None:
            raise Http404("No published theme has that address.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return []  # the theme's list is theme_reports(): built only when its keys are not kept

    def get_template_names(self):
        return [self.template_name]

    def get_paginator(self, queryset, per_page, **kwargs):
        return theme_reports(self.theme, per_page)

    def get_context_data(self, **kwargs):
        theme = self.theme

        # The same on every page of the theme's list: computed once per content change,
        # and read only when its rendered HTML is not kept yet (the template's {% cache %}).
        # Rendered on each request, the sidebar took 1.4 ms of a deep page's 7 (in-process).
        def sidebar():
            return content_cached(f"theme-sidebar:{theme.pk}", lambda: self.sidebar(theme))

        def part(name):
            return SimpleLazyObject(lambda: sidebar()[name])

        return super().get_context_data(
            theme=theme,
            **{name: part(name) for name in ("gap_analyses", "open_gaps", "roles")},
            sidebar_key=content_key(f"theme-sidebar:{theme.pk}:{theme.slug}"),
            **kwargs,
        )

    @staticmethod
    def sidebar(theme):
        gaps = (
            with_inferences(KnowledgeGap.objects.published(), "theme")
            .open()
            .filter(about_theme(theme))
            .distinct()
            .select_related("analysis")
            .order_by("-pk")
        )
        return {
            "gap_analyses": list(GapAnalysis.objects.published().filter(themes=theme)),
            "open_gaps": list(gaps[:OPEN_GAPS_ON_THEME_PAGE]),
            "roles": list(public_roles().filter(theme=theme).current_first()),
        }


class OrganisationListView(ListView):
    """Member organisations first, then others; each group by kind, then by name."""

    template_name = "browse/organisation_list.html"
    context_object_name = "organisations"

    def get_queryset(self):
        kind_order = Case(
            *(When(kind=kind, then=Value(i)) for i, kind in enumerate(Organisation.Kind.values))
        )
        return (
            Organisation.objects.published()
            .annotate(kind_order=kind_order)
            .order_by("-is_member", "kind_order", "name")
            .prefetch_related(Prefetch("roles", queryset=public_roles().current_first()))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        others = content_cached("partners-other-people", other_people_by_organisation)
        for organisation in context["organisations"]:
            organisation.other_people, count = others.get(organisation.pk, ([], 0))
            organisation.more_people = count - len(organisation.other_people)
        return context


def other_people_by_organisation(limit: int = PEOPLE_ON_PARTNER_LIST) -> dict:
    """For each organisation, the first ``limit`` of its people not named in one of its
    roles, by name, as (name, address) pairs, and how many such people it has: two
    queries, however many there are.

    Listing them all made /partners/ 167 KB at 100,000 reports (2,000 people). The keys
    are read in order and the first few of each organisation taken here: numbering them
    with a window function in the query took 15 ms of the page's CPU time, this 3. Kept
    per content version, as plain values: computed on each request it was 8 ms of the
    page's 26 at 100,000 reports (in-process, SQLite).
    """
    in_role_here = Role.objects.published().filter(
        person=OuterRef("pk"), organisation=OuterRef("organisation")
    )
    people = (
        Person.objects.published()
        .filter(organisation__isnull=False)
        .exclude(Exists(in_role_here))
        .order_by("organisation_id", "name", "pk")
    )
    first, counts = {}, {}
    for pk, organisation in people.values_list("pk", "organisation_id"):
        counts[organisation] = counts.get(organisation, 0) + 1
        if counts[organisation] <= limit:
            first.setdefault(organisation, []).append(pk)
    found = Person.objects.published().in_bulk([pk for keys in first.values() for pk in keys])
    return {
        organisation: (
            [(found[pk].display_name, found[pk].get_absolute_url()) for pk in keys if pk in found],
            counts[organisation],
        )
        for organisation, keys in first.items()
    }


class OrganisationDetailView(PublicItemMixin, DetailView):
    """An organisation, its roles, its people a page at a time (?page=), its newest reports."""

    template_name = "browse/organisation_detail.html"
    context_object_name = "organisation"
    item_model = Organisation

    def get_queryset(self):
        return with_inferences(self.visible(Organisation.objects), "name", "short_name")

    def get_context_data(self, **kwargs):
        organisation = self.object
        url = self.request.build_absolute_uri(organisation.get_absolute_url())
        # The list the reports index shows filtered by this organisation, under its key:
        # computed once per content version for both pages.
        reports = LargeListPaginator(
            Report.objects.published().filter(organisations=organisation).newest_first(),
            RELATED_REPORTS_LIMIT,
            list_key=report_list_key({"organisation": organisation}),
            rows_by_key=published_items_by_key,
        )
        people = LargeListPaginator(
            organisation.people.published().order_by("name", "pk"),
            PEOPLE_PER_PAGE,
            list_key=f"organisation-people:{organisation.pk}",
        )
        page = people.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            json_ld=structured_data.document(structured_data.organisation(organisation, url=url)),
            roles=public_roles().filter(organisation=organisation).current_first(),
            people=page.object_list,
            people_count=people.count,
            page_obj=page,
            reports=reports.page(1).object_list if reports.count else [],
            report_count=reports.count,
            **kwargs,
        )


class PersonListView(ListView):
    """Current leads first; then everyone, with each role and its dates."""

    template_name = "browse/person_list.html"
    context_object_name = "people"
    paginate_by = PEOPLE_PER_PAGE
    paginator_class = LargeListPaginator

    def get_queryset(self):
        return (
            with_inferences(Person.objects.published(), "organisation")
            .select_related("organisation")
            .prefetch_related(Prefetch("roles", queryset=public_roles().current_first()))
        )

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(*args, list_key="people", **kwargs)

    def get_context_data(self, **kwargs):
        # The same on every page of the list: computed once per content version and day.
        leads = content_cached("people-leads", self.leads)
        return super().get_context_data(**leads, **kwargs)

    @staticmethod
    def leads():
        leads = public_roles().leads().order_by("kind", "person__name")
        return {
            "current_leads": list(leads.confirmed_current()),
            "named_leads": list(leads.last_named_in_sources()),
        }


class PersonDetailView(PublicItemMixin, DetailView):
    template_name = "browse/person_detail.html"
    context_object_name = "person"
    item_model = Person

    def get_queryset(self):
        people = with_inferences(self.visible(Person.objects), "organisation")
        return people.select_related("organisation")

    def get_context_data(self, **kwargs):
        person = self.object
        reports = LargeListPaginator(
            Report.objects.published().filter(authors=person).newest_first(),
            REPORTS_PER_PAGE,
            list_key=f"person-reports:{person.pk}",
            rows_by_key=published_items_by_key,
        )
        page = reports.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            json_ld=self.json_ld(person),
            roles=person.roles.for_display().current_first(),
            reports=page.object_list,
            report_count=reports.count,
            page_obj=page,
            **kwargs,
        )

    def json_ld(self, person):
        absolute = self.request.build_absolute_uri
        data = structured_data.person(person, url=absolute(person.get_absolute_url()))
        organisation = person.organisation
        if organisation is not None and organisation.is_published():
            data["affiliation"] = structured_data.organisation(
                organisation, url=absolute(organisation.get_absolute_url())
            )
        return structured_data.document(data)


class PrivacyNoticeView(TemplateView):
    template_name = "pages/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            version=settings.PRIVACY_NOTICE_VERSION,
            retention_days=settings.EMPAC_REGISTRATION_RETENTION_DAYS,
            contact_email=settings.EMPAC_CONTACT_EMAIL,
            **kwargs,
        )


class ContactView(TemplateView):
    """The collaboration's address, and the people and partners who agreed to be written to."""

    template_name = "pages/contact.html"

    def get_context_data(self, **kwargs):
        agreed = {"has_agreed_to_public_contact": True}
        return super().get_context_data(
            contact_email=settings.EMPAC_CONTACT_EMAIL,
            people=Person.objects.published()
            .filter(**agreed)
            .exclude(contact_email="")
            .select_related("organisation"),
            organisations=Organisation.objects.published()
            .filter(**agreed)
            .exclude(contact_email=""),
            **kwargs,
        )
