from django.core.management.base import BaseCommand, CommandError

from collaboration.seed import SeedError, load_seed


class Command(BaseCommand):
    help = (
        "Load the EMPAC content stated in the source documents: create whatever is missing "
        "and leave everything that already exists, including curators' edits, as it is."
    )

    def handle(self, *args, **options):
        try:
            result = load_seed()
        except SeedError as exc:
            raise CommandError(f"Seed data is invalid, so nothing was saved. {exc}") from exc
        self.stdout.write(result.summary())
