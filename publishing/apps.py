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
        from . import curators, versioning

        versioning.connect_signals(self)
        curators.connect_signals()
