from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """Every change to the content, kept: who, when, what (django-simple-history).

    The historical tables live here, not in the content apps, so the content apps'
    migrations stay theirs. Interest registrations are never tracked: erasing a
    person's data must leave no copy behind.
    """

    name = "history"
    verbose_name = "Content history"
