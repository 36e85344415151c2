from django.apps import AppConfig


class AgendaConfig(AppConfig):
    """The research agenda: the public register of knowledge gaps, and matching people to them.

    Above search, whose engine ranks how well a registration's expertise fits a gap, and
    above involvement, whose registrations it matches.
    """

    name = "agenda"
    verbose_name = "Research agenda: knowledge gaps and introductions"
