import logging

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from collaboration.models import Theme
from reports.models import KnowledgeGap

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

    def get_initial(self):
        """A theme page's link ticks its theme (?theme=slug); a gap page's chooses its gap."""
        initial = super().get_initial()
        if self.request.method != "GET":
            return initial
        slugs = [s for s in self.request.GET.getlist("theme") if s][:10]
        if slugs:
            initial["themes"] = list(Theme.objects.published().filter(slug__in=slugs))
        gap_ids = [g for g in self.request.GET.getlist("gap") if g.isdigit()][:10]
        if gap_ids:
            gaps = list(
                KnowledgeGap.objects.published()
                .open()
                .filter(pk__in=gap_ids)
                .select_related("theme")
            )
            initial["gaps"] = gaps
            # The gap's theme is ticked too, so the form is ready to send.
            themes = {gap.theme for gap in gaps if gap.theme_id and gap.theme.is_published()}
            initial["themes"] = list({*initial.get("themes", []), *themes})
        return initial

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
