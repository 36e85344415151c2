from django.core.management.base import BaseCommand, CommandError

from alerts.services import digests_enqueue, digests_given_up


class Command(BaseCommand):
    help = (
        "Email each confirmed subscriber whose daily or weekly digest is due what became "
        "public in their themes since their last one. Run it from cron, e.g. hourly: "
        "subscribers not yet due are left alone. The task worker sends the emails, and "
        "retries any the mail server refuses."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-given-up",
            action="store_true",
            help="Also try again digests whose tries (EMPAC_NOTIFICATION_MAX_ATTEMPTS) ran out.",
        )

    def handle(self, *args, retry_given_up: bool, **options):
        stuck = digests_given_up(retry=retry_given_up)
        claimed = digests_enqueue()
        self.stdout.write(f"Queued {claimed} digest(s) for the task worker.")
        if stuck and not retry_given_up:
            raise CommandError(
                f"{stuck} digest(s) could not be sent after every try; the log says why. "
                "'send_digests --retry-given-up' tries them again."
            )
