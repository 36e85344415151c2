from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.loader import EMPAC, SeedError, load


class Command(BaseCommand):
    help = (
        "Load the EMPAC content stated in the source documents (or, with --from, another "
        "collaboration's content folder): create what has never been seeded in this "
        "database and leave everything else, including curators' edits and deletions, as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="folder",
            type=Path,
            default=EMPAC,
            metavar="PATH",
            help="A folder of content files laid out like content/empac/ (the default).",
        )
        parser.add_argument(
            "--restore",
            action="store_true",
            help="Also recreate seeded objects that a curator has since deleted.",
        )

    def handle(self, *args, **options):
        try:
            result = load(options["folder"], restore=options["restore"])
        except SeedError as exc:
            raise CommandError(f"The content is invalid, so nothing was saved.\n{exc}") from exc
        if options["verbosity"] >= 1:  # 0 is for scripts and tests: silent unless it fails
            self.stdout.write(result.summary())
