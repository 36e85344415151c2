"""Bring the search index up to date with what is public now, without a full rebuild."""

from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = (
        "Index what has become public and unindex what has stopped being public since the "
        "last write: for visibility that changes with the clock (an item due to go live). "
        "Run it every few minutes from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        changes = indexing.update()
        changed = {name: c for name, c in changes.items() if any(c)}
        if not changed:
            self.stdout.write("The search index is up to date.")
            return
        for name, (added, removed) in changed.items():
            self.stdout.write(f"{name}: {added:,} added, {removed:,} removed.")
