from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search over everything public, above the content apps it indexes.

    One interface for views (``engine.search``); the engine is chosen by the database
    (``backends``). Content writes reindex what they change in the same transaction
    (``signals``).
    """

    name = "search"
    verbose_name = "Search"

    def ready(self):
        from . import checks, signals  # noqa: F401 - checks register themselves

        signals.connect()
