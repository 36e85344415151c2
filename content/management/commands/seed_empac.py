from django.core.management.base import BaseCommand, CommandError

from content.seed import SeedError, load_seed


class Command(BaseCommand):
    help = (
        "Load the EMPAC content stated in the source documents: create what has never been "
        "seeded in this database and leave everything else, including curators' edits and "
        "deletions, as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--restore",
            action="store_true",
            help="Also recreate seeded objects that a curator has since deleted.",
        )

    def handle(self, *args, **options):
        try:
            result = load_seed(restore=options["restore"])
        except SeedError as exc:
            raise CommandError(f"Seed data is invalid, so nothing was saved. {exc}") from exc
        if options["verbosity"] >= 1:  # 0 is for scripts and tests: silent unless it fails
            self.stdout.write(result.summary())
