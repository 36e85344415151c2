from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "collaboration"
    verbose_name = "Collaboration: themes, partners and people"

    def ready(self):
        from empac import pagecache

        pagecache.connect_signals()
