import datetime

from django.core.management.base import BaseCommand, CommandError

from involvement.services import registration_notify_pending


class Command(BaseCommand):
    help = (
        "Email curators and registrants about registrations whose emails could not be "
        "sent when they arrived. Run it from cron, e.g. every 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=5,
            metavar="MINUTES",
            help=(
                "Only retry registrations not tried or changed for this many minutes, so a "
                "registration the task worker is still sending is not emailed twice "
                "(default 5)."
            ),
        )
        parser.add_argument(
            "--retry-given-up",
            action="store_true",
            help="Also retry registrations tried EMPAC_NOTIFICATION_MAX_ATTEMPTS times already.",
        )

    def handle(self, *args, older_than: int, retry_given_up: bool, **options):
        if older_than < 0:
            raise CommandError("--older-than must be zero or more minutes.")
        completed, failed = registration_notify_pending(
            older_than=datetime.timedelta(minutes=older_than), retry_given_up=retry_given_up
        )
        self.stdout.write(f"Sent the emails for {completed} registration(s).")
        if failed:
            raise CommandError(
                f"{failed} registration(s) still have emails unsent; the log says why. "
                "They will be retried next time."
            )
