"""Curators: gap status history, who works on a gap, matching and introductions.

The knowledge gap and registration change pages of the apps below gain what this app
knows: reports' gap admin and involvement's registration admin are registered again
here as subclasses, with the ranked matches and a button to confirm each.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from involvement.admin import InterestRegistrationAdmin
from involvement.models import InterestRegistration
from publishing.review import ChildReview, ReviewMixin
from reports.admin import GapAnalysisAdmin, KnowledgeGapAdmin
from reports.models import GapAnalysis, KnowledgeGap

from . import matching
from .models import EmailTemplate, GapContributor, GapStatusChange, Introduction
from .services import (
    gap_status_set,
    introduction_create,
    introduction_draft,
    introduction_email_send,
    introduction_status_set,
)


def introductions_list(introductions):
    rows = [
        (
            reverse("admin:agenda_introduction_change", args=[i.pk]),
            str(i),
            i.get_status_display(),
            f"{i.confirmed_at:%d %b %Y}",
            i.confirmed_by.get_username() if i.confirmed_by else "–",
            "email sent" if i.email_sent_at else "not emailed",
        )
        for i in introductions
    ]
    if not rows:
        return "None yet."
    return format_html(
        "<ul>{}</ul>",
        format_html_join("", '<li><a href="{}">{}</a>: {} (confirmed {} by {}; {})</li>', rows),
    )


class ConfirmMatchForm(forms.Form):
    registration = forms.ModelChoiceField(InterestRegistration.objects.contactable())
    gap = forms.ModelChoiceField(KnowledgeGap.objects.published().open())
    reason = forms.CharField(required=False, max_length=2000)
    work_started = forms.BooleanField(required=False)

    @classmethod
    def from_post(cls, post):
        """The pair a confirm button named ("<registration>-<gap>"), with its row's fields."""
        pair = post.get("confirm", "")
        registration, _, gap = pair.partition("-")
        return cls(
            {
                "registration": registration,
                "gap": gap,
                "reason": post.get(f"reason-{pair}", ""),
                "work_started": pair in post.getlist("work_started"),
            }
        )


class MatchingMixin:
    """A confirm-match URL on the change page of a gap or a registration."""

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_confirm_match"
        return [
            path(
                "<path:object_id>/confirm-match/",
                self.admin_site.admin_view(self.confirm_match),
                name=name,
            ),
            *super().get_urls(),
        ]

    def confirm_match(self, request, object_id):
        if request.method != "POST":
            return redirect(reverse(f"admin:{self._change_name()}", args=[object_id]))
        if not request.user.has_perm("agenda.add_introduction"):
            raise PermissionDenied
        form = ConfirmMatchForm.from_post(request.POST)
        back = reverse(f"admin:{self._change_name()}", args=[object_id])
        if not form.is_valid():
            self.message_user(
                request,
                "That match could not be confirmed: the person must have agreed to be "
                "contacted and the gap must be public and open.",
                messages.ERROR,
            )
            return redirect(back)
        data = form.cleaned_data
        try:
            introduction_create(
                registration=data["registration"],
                gap=data["gap"],
                user=request.user,
                reason=data["reason"],
                work_started=data["work_started"],
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return redirect(back)
        moved = " The gap is now being researched." if data["work_started"] else ""
        self.message_user(
            request,
            f"Match confirmed: {data['registration']} with “{data['gap']}”. Nobody has been "
            f"emailed; send the introduction from the introduction’s page.{moved}",
            messages.SUCCESS,
        )
        return redirect(back)

    def _change_name(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_change"

    def _render_fits(self, fits, *, confirm_url, other: str):
        # Inside the change form (forms do not nest): each button posts that form, with
        # its own value, to confirm_url instead (formaction).
        context = {"fits": fits, "confirm_url": confirm_url, "other": other}
        return render_to_string("admin/agenda/fits.html", context)


admin.site.unregister(KnowledgeGap)


@admin.register(KnowledgeGap)
class AgendaKnowledgeGapAdmin(MatchingMixin, KnowledgeGapAdmin):
    # A curator typing "doi.org/…" for the answering paper means the secure address.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        *KnowledgeGapAdmin.readonly_fields,
        "history",
        "contributor_list",
        "introduction_list",
        "candidates",
    ]
    fieldsets = [
        *KnowledgeGapAdmin.fieldsets,
        ("Status history and who works on it", {"fields": ["history", "contributor_list"]}),
        ("Matched to (curators only)", {"fields": ["introduction_list"]}),
        (
            "Candidates (people who agreed to be contacted, best fit first)",
            {"fields": ["candidates"]},
        ),
    ]

    @admin.display(description="status history (public)")
    def history(self, obj):
        changes = list(obj.status_changes.all()) if obj.pk else []
        add = reverse("admin:agenda_gapstatuschange_add")
        rows = format_html_join(
            "",
            "<li>{}: {} → {}{}</li>",
            (
                (
                    f"{c.changed_at:%d %b %Y}",
                    c.get_previous_status_display() or "–",
                    c.get_status_display(),
                    f" ({c.note})" if c.note else "",
                )
                for c in changes
            ),
        )
        return format_html(
            "<ul>{}</ul><p>Changing the status above records a dated change. "
            '<a href="{}?gap={}">Record an earlier change</a>.</p>',
            rows or format_html("<li>{}</li>", "No changes recorded."),
            add,
            obj.pk or "",
        )

    @admin.display(description="who works on it")
    def contributor_list(self, obj):
        contributors = (
            list(obj.contributors.select_related("person", "organisation")) if obj.pk else []
        )
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a>{}</li>',
            (
                (
                    reverse("admin:agenda_gapcontributor_change", args=[c.pk]),
                    str(c),
                    " (shown publicly)" if c.is_shown else " (not shown: no agreement recorded)",
                )
                for c in contributors
            ),
        )
        add = reverse("admin:agenda_gapcontributor_add")
        return format_html(
            '<ul>{}</ul><p><a href="{}?gap={}">Add who works on it</a></p>',
            rows or format_html("<li>{}</li>", "No one recorded."),
            add,
            obj.pk or "",
        )

    @admin.display(description="introductions")
    def introduction_list(self, obj):
        if obj.pk is None:
            return "–"
        return introductions_list(obj.introductions.select_related("registration", "confirmed_by"))

    @admin.display(description="ranked by fit")
    def candidates(self, obj):
        if obj.pk is None:
            return "–"
        if not obj.is_open or not KnowledgeGap.objects.published().filter(pk=obj.pk).exists():
            return "Only a public, open gap is matched to people."
        fits = matching.registrations_for_gap(obj)
        url = reverse("admin:reports_knowledgegap_confirm_match", args=[obj.pk])
        return self._render_fits(fits, confirm_url=url, other="registration")

    def save_model(self, request, obj, form, change):
        previous = form.initial.get("status") if change else None
        super().save_model(request, obj, form, change)
        if hasattr(request, "_pending_change"):
            return  # the new status waits for review; it is recorded when applied
        if change and previous and previous != obj.status:
            gap_status_set(gap=obj, status=obj.status, user=request.user, previous=previous)

    def before_applied_save(self, obj, by) -> None:
        super().before_applied_save(obj, by)
        saved = KnowledgeGap.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        if saved and saved != obj.status:
            gap_status_set(gap=obj, status=obj.status, user=by, previous=saved)


admin.site.unregister(GapAnalysis)


@admin.register(GapAnalysis)
class AgendaGapAnalysisAdmin(GapAnalysisAdmin):
    """A gap's status changed among its analysis's gaps is recorded, dated, too."""

    def save_formset(self, request, form, formset, change):
        previous = {}
        if formset.model is KnowledgeGap:
            previous = {
                f.instance.pk: f.initial.get("status") for f in formset.forms if f.instance.pk
            }
        super().save_formset(request, form, formset, change)
        for gap in getattr(formset, "changed_objects", []):
            gap, _fields = gap
            before = previous.get(gap.pk)
            if before and before != gap.status:
                gap_status_set(gap=gap, status=gap.status, user=request.user, previous=before)


admin.site.unregister(InterestRegistration)


@admin.register(InterestRegistration)
class AgendaInterestRegistrationAdmin(MatchingMixin, InterestRegistrationAdmin):
    readonly_fields = [
        "introduction_list",
        *InterestRegistrationAdmin.readonly_fields,
        "ranked_gaps",
        "orcid_link",
        "offers_display",
        "disciplines_display",
        "chosen_gap_list",
    ]
    fieldsets = [
        InterestRegistrationAdmin.fieldsets[0],
        (
            "Open gaps ranked by fit",
            {"fields": ["ranked_gaps", "introduction_list"]},
        ),
        *InterestRegistrationAdmin.fieldsets[1:2],
        (
            "What they offer",
            {
                "fields": [
                    "orcid_link",
                    "disciplines_display",
                    "chosen_gap_list",
                    "offers_display",
                ]
            },
        ),
        *InterestRegistrationAdmin.fieldsets[2:],
    ]

    @admin.display(description="introductions")
    def introduction_list(self, obj):
        if obj.pk is None:
            return "–"
        return introductions_list(obj.introductions.select_related("gap", "confirmed_by"))

    @admin.display(description="ORCID iD")
    def orcid_link(self, obj):
        if not obj.orcid:
            return "Not given"
        return format_html('<a href="{}" rel="noopener">{}</a>', obj.orcid_url, obj.orcid)

    @admin.display(description="could offer")
    def offers_display(self, obj):
        return obj.offers_display or "Not said"

    @admin.display(description="disciplines")
    def disciplines_display(self, obj):
        return obj.discipline_display

    @admin.display(description="gaps they chose")
    def chosen_gap_list(self, obj):
        gaps = list(obj.chosen_gaps.all()) if obj.pk else []
        return "; ".join(str(gap) for gap in gaps) or "None chosen"

    @admin.display(description="best fit first")
    def ranked_gaps(self, obj):
        if obj.pk is None:
            return "–"
        if not obj.consent:
            return "This person did not agree to be contacted, so is matched to nothing."
        fits = matching.gaps_for_registration(obj)
        url = reverse("admin:involvement_interestregistration_confirm_match", args=[obj.pk])
        return self._render_fits(fits, confirm_url=url, other="gap")


class IntroductionEmailForm(forms.Form):
    subject = forms.CharField(max_length=255)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16, "cols": 80}))


class IntroductionStatusFilter(admin.SimpleListFilter):
    title = "email"
    parameter_name = "emailed"

    def lookups(self, request, model_admin):
        return [("yes", "Sent"), ("no", "Not sent")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(email_sent_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(email_sent_at__isnull=True)
        return queryset


class IntroductionForm(forms.ModelForm):
    gap_being_researched = forms.BooleanField(
        required=False, label="Work has started: mark the gap as being researched"
    )

    class Meta:
        model = Introduction
        fields = ["status", "notes"]


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    form = IntroductionForm
    list_display = [
        "registration",
        "gap",
        "status",
        "confirmed_by",
        "confirmed_at",
        "email_sent_at",
    ]
    list_filter = ["status", IntroductionStatusFilter]
    list_select_related = ["registration", "gap", "confirmed_by"]
    search_fields = ["registration__name", "gap__question"]
    readonly_fields = [
        "registration",
        "gap",
        "reason",
        "confirmed_by",
        "confirmed_at",
        "status_changed_at",
        "email_link",
        "email_sent_by",
        "email_subject",
        "email_body",
    ]
    fields = [
        ("registration", "gap"),
        "reason",
        ("confirmed_by", "confirmed_at"),
        ("status", "status_changed_at"),
        "gap_being_researched",
        "notes",
        "email_link",
        ("email_sent_by", "email_subject"),
        "email_body",
    ]

    def has_add_permission(self, request):
        return False  # made by confirming a match

    def save_model(self, request, obj, form, change):
        status = obj.status
        obj.status = form.initial.get("status", status)
        obj.save(update_fields=["notes"])
        introduction_status_set(
            introduction=obj,
            status=status,
            user=request.user,
            gap_being_researched=form.cleaned_data.get("gap_being_researched", False),
        )

    @admin.display(description="email")
    def email_link(self, obj):
        if obj.email_sent_at:
            return f"Sent {obj.email_sent_at:%d %b %Y %H:%M}"
        url = reverse("admin:agenda_introduction_email", args=[obj.pk])
        return format_html('<a class="button" href="{}">Write the introduction email</a>', url)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/email/",
                self.admin_site.admin_view(self.email_view),
                name="agenda_introduction_email",
            ),
            *super().get_urls(),
        ]

    def email_view(self, request, object_id):
        introduction = get_object_or_404(
            Introduction.objects.select_related("registration", "gap"), pk=object_id
        )
        if not self.has_change_permission(request, introduction):
            raise PermissionDenied
        back = reverse("admin:agenda_introduction_change", args=[introduction.pk])
        draft = introduction_draft(introduction=introduction, user=request.user)
        if request.method == "POST":
            form = IntroductionEmailForm(request.POST)
            if form.is_valid():
                try:
                    introduction_email_send(
                        introduction=introduction,
                        user=request.user,
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                    )
                except Exception as exc:  # a mail server that refuses: say so, keep the text
                    self.message_user(request, f"The email was not sent: {exc}", messages.ERROR)
                else:
                    self.message_user(request, f"Sent to {draft['to']}.", messages.SUCCESS)
                    return redirect(back)
        else:
            form = IntroductionEmailForm(initial=draft)
        context = {
            **self.admin_site.each_context(request),
            "title": "Introduction email",
            "opts": self.model._meta,
            "original": introduction,
            "form": form,
            "to": draft["to"],
            "already_sent": introduction.email_sent_at,
        }
        return TemplateResponse(request, "admin/agenda/introduction_email.html", context)


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["key", "subject", "updated_at"]


@admin.register(GapStatusChange)
class GapStatusChangeAdmin(ChildReview, ReviewMixin, admin.ModelAdmin):
    """A gap's dated status history is public with the gap: while it is, edits wait."""

    review_parents = ("gap",)
    own_workflow = False
    list_display = ["gap", "previous_status", "status", "changed_at", "changed_by"]
    list_filter = ["status"]
    list_select_related = ["gap", "changed_by"]
    autocomplete_fields = ["gap"]
    readonly_fields = ["changed_by"]

    def save_model(self, request, obj, form, change):
        if obj.changed_by_id is None:
            obj.changed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(GapContributor)
class GapContributorAdmin(ChildReview, ReviewMixin, admin.ModelAdmin):
    """Who works on a gap is public with the gap (where they agreed): edits wait."""

    review_parents = ("gap",)
    own_workflow = False
    list_display = ["gap", "person", "organisation", "is_shown"]
    list_filter = ["is_shown"]
    autocomplete_fields = ["gap", "person", "organisation"]
