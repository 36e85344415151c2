import logging

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from .forms import InterestRegistrationForm
from .ratelimit import limit_posts
from .services import registration_create

logger = logging.getLogger(__name__)


# never_cache: the page carries a CSRF token and a one-off form token.
@method_decorator([never_cache, limit_posts("get-involved")], name="dispatch")
class RegistrationCreateView(FormView):
    template_name = "involvement/register.html"
    form_class = InterestRegistrationForm
    success_url = reverse_lazy("involvement:thanks")
    # FormView also answers PUT as a POST; a browser form only ever POSTs.
    http_method_names = ["get", "head", "post", "options"]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("retention_days", settings.EMPAC_REGISTRATION_RETENTION_DAYS)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_spam():
            # A bot sees exactly what a person sees, so it learns nothing to adapt to.
            logger.info("Dropped a Get involved submission that looked automated.")
            return redirect(self.success_url)
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        registration_create(**form.registration_fields())
        return redirect(self.success_url)


class RegistrationThanksView(TemplateView):
    template_name = "involvement/thanks.html"
