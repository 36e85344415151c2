from django.apps import AppConfig


class ImpactConfig(AppConfig):
    """Did what was recommended happen? Progress on recommendations, the impact log, coverage.

    Above the content apps (reports, collaboration, involvement), whose published content
    its pages combine.
    """

    name = "impact"
    verbose_name = "Impact"
