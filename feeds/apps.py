from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """What feed readers and crawlers follow: Atom feeds, the sitemap and robots.txt.

    Above the content apps, whose published content it lists.
    """

    name = "feeds"
    verbose_name = "Feeds and sitemap"
