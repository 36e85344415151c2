"""The impact log's news for email digests (alerts), listed in EMPAC_DIGEST_SOURCES."""

from alerts.sources import DigestItem, DigestSource

from .models import ImpactEntry


class NewImpactEntries(DigestSource):
    name = "impact"
    heading = "What changed in practice (the impact log)"

    def public(self):
        return ImpactEntry.objects.published()

    def for_subscription(self, queryset, *, themes, gap_register):
        if not themes:
            return queryset.none()
        about = ImpactEntry.objects.filter(themes__in=themes).values("pk")
        return queryset.filter(pk__in=about).order_by("-happened_on", "-pk")

    def item(self, entry):
        return DigestItem(
            title=entry.title,
            path=entry.get_absolute_url(),
            detail=f"{entry.get_kind_display()}, {entry.happened_on:%-d %B %Y}",
        )
