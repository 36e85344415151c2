from django.views.generic import TemplateView


class RegistrationCreateView(TemplateView):
    template_name = "involvement/register.html"
