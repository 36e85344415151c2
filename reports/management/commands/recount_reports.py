"""Count every theme's published reports again (reports.counts keeps them as content changes).

For after writes that send no signals: QuerySet.update(), raw SQL, a restored table.
"""

from django.core.management.base import BaseCommand

from publishing.versioning import bump_content_version
from reports.counts import recount_all


class Command(BaseCommand):
    help = "Count every theme's published reports again, after writes that sent no signals."

    def handle(self, *args, **options):
        recount_all()
        bump_content_version()
        self.stdout.write(self.style.SUCCESS("Counted every theme's published reports again."))
