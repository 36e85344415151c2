from django.apps import AppConfig
from django.db.models.signals import post_migrate


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
        post_migrate.connect(repair_index, sender=self, dispatch_uid="search-repair")


def repair_index(sender, using="default", **kwargs):
    # After migrate, and after a flush (which ends by sending post_migrate).
    from django.db import connections

    from .backends import backend

    if "search_entry" in connections[using].introspection.table_names():
        backend().repair()
