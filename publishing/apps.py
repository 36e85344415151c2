from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """The bottom app: what every content app shares.

    The draft/published rule (``Publishable``), the content version and the page cache
    keyed by it, the paginator for long lists, the publish actions of the admin, the
    site-wide template tags and the Curators group. It imports from no app of ours.
    """

    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from django.db import connections

        from . import curators, database, versioning

        versioning.connect_signals(self)
        curators.connect_signals()
        if any(c.vendor == "postgresql" for c in connections.all(initialized_only=False)):
            database.install()
