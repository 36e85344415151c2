from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from involvement.ratelimit import rate_limit_stale_delete
from involvement.services import registration_purge


class Command(BaseCommand):
    help = (
        "Delete interest registrations closed longer ago than the retention period "
        "(EMPAC_REGISTRATION_RETENTION_DAYS), and rate-limit counters that have expired."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention period in days (default: EMPAC_REGISTRATION_RETENTION_DAYS).",
        )

    def handle(self, *args, dry_run: bool, days: int | None, **options):
        days = settings.EMPAC_REGISTRATION_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("The retention period cannot be negative.")
        removed = registration_purge(retention_days=days, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        for item in removed:
            self.stdout.write(
                f"{verb} registration #{item['id']} "
                f"(registered {item['created_at']:%Y-%m-%d}, closed {item['closed_at']:%Y-%m-%d})"
            )
        self.stdout.write(
            f"{verb} {len(removed)} registration(s) closed more than {days} days ago."
        )
        if not dry_run:
            counters = rate_limit_stale_delete()
            self.stdout.write(f"Deleted {counters} expired rate-limit counter(s).")
