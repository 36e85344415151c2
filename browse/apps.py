from django.apps import AppConfig


class BrowseConfig(AppConfig):
    """Pages that show several apps' content together: home, themes, partners and people.

    A theme page lists its reports, gaps and leads; a partner's or person's page lists
    their reports. So these pages sit above both the collaboration and reports apps.
    """

    name = "browse"
    verbose_name = "Browse: home, themes, partners and people"
