import logging

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from involvement.ratelimit import limit_posts

from .forms import ChoicesForm, SubscriptionForm
from .models import Subscription
from .services import (
    SubscriptionGone,
    subscription_change,
    subscription_confirm,
    subscription_request,
    subscription_unsubscribe,
)
from .tokens import (
    TokenExpired,
    TokenInvalid,
    confirm_token_read,
    manage_token_read,
    unsubscribe_token,
    unsubscribe_token_read,
)

logger = logging.getLogger(__name__)


@method_decorator([never_cache, limit_posts("alerts-subscribe")], name="dispatch")
class SubscriptionCreateView(FormView):
    template_name = "alerts/subscribe.html"
    form_class = SubscriptionForm
    success_url = reverse_lazy("alerts:check-email")
    http_method_names = ["get", "head", "post", "options"]

    def get_initial(self):
        # A theme page's link ticks its theme: /alerts/?theme=<slug>; ?gaps=1 the register.
        initial = super().get_initial()
        slug = self.request.GET.get("theme", "")
        if isinstance(slug, str) and slug:
            initial["themes"] = self.form_class.base_fields["themes"].queryset.filter(slug=slug)
        if self.request.GET.get("gaps") == "1":
            initial["gap_register"] = True
        return initial

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_spam():
            logger.info("Dropped an alerts subscription that looked automated.")
            return redirect(self.success_url)
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        data = form.cleaned_data
        subscription_request(
            email=data["email"],
            themes=data["themes"],
            gap_register=data["gap_register"],
            frequency=data["frequency"],
        )
        return redirect(self.success_url)


class CheckEmailView(TemplateView):
    template_name = "alerts/check_email.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            max_age_days=settings.EMPAC_ALERTS_CONFIRM_MAX_AGE // 86400, **kwargs
        )


def problem(request, *, title: str, message: str, status: int = 400):
    """A clear page for a link that cannot be used, saying what to do instead."""
    return TemplateResponse(
        request, "alerts/problem.html", {"title": title, "message": message}, status=status
    )


EXPIRED = (
    "This confirmation link has expired",
    "Links to confirm alerts work for {days} days. Nothing has been sent to you and nothing "
    "is lost: sign up again and we will send a new link.",
)
INVALID = (
    "This link is not valid",
    "The link may have been copied only in part. Copy the whole link from the email, or "
    "sign up again.",
)
MANAGE_EXPIRED = (
    "This link has expired",
    "Links to manage your alerts work for {days} days. Your alerts are unchanged. Use the "
    "link in your latest alert email, or sign up again with the same address: we will send "
    "a link to confirm your new choices. The unsubscribe link in any alert email still works.",
)
GONE = (
    "These alerts no longer exist",
    "The address was unsubscribed, or its details were deleted, so this link does nothing. "
    "Sign up again if you want alerts.",
)


@method_decorator(never_cache, name="dispatch")
class SubscriptionConfirmView(View):
    """GET shows a button and POST confirms: mail scanners follow links, they do not POST."""

    http_method_names = ["get", "head", "post", "options"]

    def read(self, request, token):
        try:
            return confirm_token_read(token), None
        except TokenExpired:
            days = settings.EMPAC_ALERTS_CONFIRM_MAX_AGE // 86400
            return None, problem(request, title=EXPIRED[0], message=EXPIRED[1].format(days=days))
        except TokenInvalid:
            return None, problem(request, title=INVALID[0], message=INVALID[1])

    def get(self, request, token):
        confirmation, failure = self.read(request, token)
        if failure:
            return failure
        return TemplateResponse(request, "alerts/confirm.html", {"token": token})

    def post(self, request, token):
        confirmation, failure = self.read(request, token)
        if failure:
            return failure
        try:
            subscription = subscription_confirm(confirmation=confirmation)
        except SubscriptionGone:
            return problem(request, title=GONE[0], message=GONE[1], status=410)
        return TemplateResponse(request, "alerts/confirmed.html", {"subscription": subscription})


# RFC 8058: a mail client's one-click unsubscribe is a POST with no cookie and no CSRF
# token, so the POST is exempt; the signed token in the address is the proof.
@method_decorator([never_cache, csrf_exempt], name="dispatch")
class UnsubscribeView(View):
    """GET shows one button (a link scanner must not unsubscribe anyone); POST unsubscribes."""

    http_method_names = ["get", "head", "post", "options"]

    def get(self, request, token):
        try:
            unsubscribe_token_read(token)
        except TokenInvalid:
            return problem(request, title=INVALID[0], message=INVALID[1])
        return TemplateResponse(request, "alerts/unsubscribe.html", {"token": token})

    def post(self, request, token):
        try:
            subscription_id, key = unsubscribe_token_read(token)
        except TokenInvalid:
            return problem(request, title=INVALID[0], message=INVALID[1])
        removed = subscription_unsubscribe(subscription_id=subscription_id, key=key)
        return TemplateResponse(request, "alerts/unsubscribed.html", {"already": not removed})


@method_decorator(never_cache, name="dispatch")
class ManageView(View):
    """A subscriber's own page, from the signed link in each alert email: change the
    themes, the gap register or how often, or unsubscribe; no sign-in."""

    http_method_names = ["get", "head", "post", "options"]

    def read(self, request, token):
        try:
            subscription_id, key = manage_token_read(token)
        except TokenExpired:
            days = settings.EMPAC_ALERTS_MANAGE_MAX_AGE // 86400
            message = MANAGE_EXPIRED[1].format(days=days)
            return None, problem(request, title=MANAGE_EXPIRED[0], message=message)
        except TokenInvalid:
            return None, problem(request, title=INVALID[0], message=INVALID[1])
        subscription = Subscription.objects.filter(pk=subscription_id, key=key).first()
        if subscription is None:
            return None, problem(request, title=GONE[0], message=GONE[1], status=410)
        return subscription, None

    def render(self, request, token, subscription, form, *, saved=False, status=200):
        context = {
            "token": token,
            "subscription": subscription,
            "form": form,
            "saved": saved,
            "unsubscribe_token": unsubscribe_token(subscription),
        }
        return TemplateResponse(request, "alerts/manage.html", context, status=status)

    def get(self, request, token):
        subscription, failure = self.read(request, token)
        if failure:
            return failure
        form = ChoicesForm(initial=choices_of(subscription))
        return self.render(request, token, subscription, form)

    def post(self, request, token):
        subscription, failure = self.read(request, token)
        if failure:
            return failure
        form = ChoicesForm(request.POST)
        if not subscription.confirmed_at or not form.is_valid():
            return self.render(request, token, subscription, form, status=400)
        try:
            subscription = subscription_change(
                subscription_id=subscription.pk,
                key=subscription.key,
                themes=form.cleaned_data["themes"],
                gap_register=form.cleaned_data["gap_register"],
                frequency=form.cleaned_data["frequency"],
            )
        except SubscriptionGone:
            return problem(request, title=GONE[0], message=GONE[1], status=410)
        form = ChoicesForm(initial=choices_of(subscription))
        return self.render(request, token, subscription, form, saved=True)


def choices_of(subscription) -> dict:
    return {
        "themes": subscription.themes.filter(pk__in=ChoicesForm.base_fields["themes"].queryset),
        "gap_register": subscription.includes_gap_register,
        "frequency": subscription.frequency,
    }
