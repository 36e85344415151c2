"""Empty the search index and fill it again from everything public, for restores and upgrades."""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.template.defaultfilters import filesizeformat

from reports.models import Report
from reports.pdf import read_report_pdf
from search import indexing
from search.backends import backend
from search.models import Word

BAR = 30


class Command(BaseCommand):
    help = (
        "Rebuild the search index from scratch: empty it, then index everything public, "
        "in one transaction (searches see the old index until it commits)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--read-pdfs",
            action="store_true",
            help="Read the text of every report PDF again first (after upgrading pypdf).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        self.interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False
        if options["read_pdfs"]:
            reports = Report.objects.exclude(pdf="")
            for report in reports.iterator():
                read_report_pdf(report)
            self.stdout.write(f"Read the text of {reports.count():,} report PDFs.")
        self.shown = {}
        counts = indexing.rebuild(progress=self.progress)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The old entries are dead rows now: without this every search would still
            # read past them (629 MB on disk at 100,000 reports, p95 367 ms; VACUUM
            # cannot run inside the rebuild's transaction).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE search_entry")
                cursor.execute("VACUUM ANALYZE search_match")
                cursor.execute("VACUUM ANALYZE search_word")
        elapsed = time.perf_counter() - started
        size = backend().size()
        total = sum(counts.values())
        described = ", ".join(
            f"{count:,} {(kind.label if count == 1 else kind.plural).lower()}"
            for kind, count in counts.items()
        )
        on_disk = f", {filesizeformat(size)} on disk" if size is not None else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total:,} public items ({described}) and {Word.objects.count():,} "
                f"words in {elapsed:.1f} s{on_disk}."
            )
        )

    def progress(self, kind, done, total):
        """A bar that redraws in place on a terminal; a line per tenth elsewhere."""
        share = done / total if total else 1.0
        filled = round(BAR * share)
        line = f"{kind.plural:<15} [{'#' * filled}{'.' * (BAR - filled)}] {done:,}/{total:,}"
        if self.interactive:
            self.stdout.write(f"\r{line}", ending="\n" if done >= total else "")
            self.stdout.flush()
            return
        tenth = int(share * 10)
        if self.shown.get(kind.name) != tenth:
            self.shown[kind.name] = tenth
            self.stdout.write(line)
        sys.stdout.flush()
