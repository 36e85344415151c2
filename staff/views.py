from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from . import twofactor
from .forms import CodeForm, EnrolForm


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _render(request, template, context, status=200):
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), "next": _next_url(request), **context},
        status=status,
    )


@never_cache
@sensitive_post_parameters("code")
@staff_member_required
def verify(request):
    """After the password: a code from the authenticator app or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not twofactor.has_two_factor(user):
        return redirect(f"{reverse('staff:two-factor-enrol')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.match_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.name == twofactor.RECOVERY_DEVICE_NAME:
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} remain. Each works once: "
                    "make a new set from “Two-factor sign-in” when they run low.",
                )
            return redirect(_next_url(request))
        form.add_error(
            "code",
            "That code was not accepted. Check the app shows this site, wait for a new "
            "code and try again, or use a recovery code. After several wrong codes each "
            "try must wait a little longer.",
        )
    return _render(
        request,
        "staff/two_factor_verify.html",
        {"title": "Confirm it is you", "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@sensitive_post_parameters("code")
@staff_member_required
def enrol(request):
    """Set up an authenticator app: scan or type the key, confirm one code, get recovery codes."""
    user = request.user
    if twofactor.has_two_factor(user) and not user.is_verified():
        return redirect(f"{reverse('staff:two-factor-verify')}?next={_next_url(request)}")
    device = twofactor.pending_app_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.app_device_confirm(device=device, code=form.cleaned_data["code"]):
            otp_login(request, device)
            codes = twofactor.recovery_codes_replace(user=user)
            return _render(
                request,
                "staff/recovery_codes.html",
                {"title": "Your recovery codes", "codes": codes, "new_setup": True},
            )
        form.add_error(
            "code",
            "That code did not match. Check the phone's clock is right and enter the "
            "code the app shows now.",
        )
    return _render(
        request,
        "staff/two_factor_enrol.html",
        {
            "title": "Set up two-factor sign-in",
            "form": form,
            "qr_svg": twofactor.qr_svg(device),
            "secret": twofactor.secret_text(device),
            "already": twofactor.has_two_factor(user),
            "required": settings.EMPAC_REQUIRE_TWO_FACTOR,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@staff_member_required
def recovery_codes(request):
    """A new set of recovery codes (POST), for a staff member already signed in with two factors."""
    user = request.user
    if not user.is_verified():
        return redirect(f"{reverse('staff:two-factor-verify')}?next={request.path}")
    if request.method == "POST":
        codes = twofactor.recovery_codes_replace(user=user)
        return _render(
            request, "staff/recovery_codes.html", {"title": "Your recovery codes", "codes": codes}
        )
    return _render(
        request,
        "staff/recovery_codes.html",
        {"title": "Recovery codes", "codes": None},
    )
