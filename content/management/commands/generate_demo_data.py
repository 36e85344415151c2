"""Fill the database with realistic synthetic reports, for trying the site at scale.

Runs on top of the seeded content (``seed_empac``): demo reports are spread over the
existing themes, organisations and people, plus demo researchers made here. Every
demo report says in its provenance that it is synthetic, so curators can find them.
Rows are written in bulk in one transaction, which sends no signals, so the command
indexes what it made for search and invalidates the page cache itself when it is done.
"""

import datetime
import random
import time
import tomllib
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from collaboration.models import Organisation, Person, Theme
from publishing.bulk import insert_rows
from publishing.models import Status
from publishing.versioning import bump_content_version
from reports.counts import recount_all as recount_reports
from reports.models import (
    KnowledgeGap,
    Recommendation,
    Report,
)
from search.indexing import index_instances as search_index

from ...research_agenda_demo import ResearchAgendaDemo, UniqueSlugs, first_letter_capital

PROVENANCE = "Synthetic demo report made by `manage.py generate_demo_data`; not a real document."
# The words demo reports are made of, and each theme's topics and tags by its slug.
VOCABULARY = Path(__file__).resolve().parents[2] / "demo" / "vocabulary.toml"

KIND_WEIGHTS = {
    Report.Kind.PROGRESS: 50,
    Report.Kind.INTERIM: 25,
    Report.Kind.NEWS: 15,
    Report.Kind.PRESS: 10,
}
FIRST_DATE = datetime.date(2015, 1, 1)
# Every demo report has a date, so every one may be published.
DATED_PRECISIONS = [
    Report.DatePrecision.DAY,
    Report.DatePrecision.MONTH,
    Report.DatePrecision.YEAR,
]
# Reports built and written at a time: 100,000 in one go held about 900 MB.
CHUNK = 5000


def load_vocabulary(path: Path = VOCABULARY) -> SimpleNamespace:
    with path.open("rb") as file:
        words = tomllib.load(file)
    themes = words.pop("themes", {})
    every_topic = [topic for theme in themes.values() for topic in theme["topics"]]
    return SimpleNamespace(
        **words,
        every_topic=every_topic,
        topics={slug: theme["topics"] for slug, theme in themes.items()},
        tags={slug: theme["tags"] + words["general_tags"] for slug, theme in themes.items()},
    )


class Command(ResearchAgendaDemo, BaseCommand):
    help = "Add realistic synthetic reports (and demo researchers) on top of the seeded content."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=1000, help="How many reports to add.")
        parser.add_argument(
            "--people",
            type=int,
            default=None,
            help="Demo researchers to add as authors (default: one per 50 reports, at least 10).",
        )
        parser.add_argument(
            "--drafts",
            type=float,
            default=0.05,
            help="Share of the new reports left as drafts, 0 to 1 (default 0.05).",
        )
        parser.add_argument(
            "--gaps",
            type=int,
            default=None,
            help="Knowledge gaps to add, each raised by a demo report (default: one per 10).",
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed, to repeat a run exactly."
        )

    def handle(self, *args, **options):
        count, drafts = options["reports"], options["drafts"]
        if count < 0:
            raise CommandError("--reports must be zero or more.")
        if not 0 <= drafts <= 1:
            raise CommandError("--drafts is a share between 0 and 1, e.g. 0.05.")
        people_count = options["people"]
        if people_count is None:
            people_count = max(10, count // 50)
        if people_count < 0:
            raise CommandError("--people must be zero or more.")
        gap_count = options["gaps"] if options["gaps"] is not None else count // 10
        if gap_count < 0:
            raise CommandError("--gaps must be zero or more.")
        themes = list(Theme.objects.published().order_by("position"))
        if not themes:
            raise CommandError(
                "There are no published themes to file reports under; "
                "run `python manage.py seed_empac` first."
            )
        seed = options["seed"] if options["seed"] is not None else random.randrange(1_000_000)
        self.rng = random.Random(seed)
        self.words = load_vocabulary()
        self.now = timezone.now()

        started = time.perf_counter()
        statuses, made_ids = Counter(), []
        with transaction.atomic():
            organisations = self.organisations()
            people = self.people(people_count, organisations)
            self.slugs = UniqueSlugs(Report.objects.values_list("slug", flat=True))
            # A chunk at a time, so memory stays flat however many reports are asked for.
            for start in range(0, count, CHUNK):
                made = self.reports(
                    min(CHUNK, count - start), drafts, themes, people, organisations
                )
                statuses.update(report.status for report in made)
                made_ids += [report.pk for report in made]
            gap_ids = self.gaps(gap_count, made_ids) if made_ids else []
            # Statistics for the rows just written, so indexing them reads by key, and so
            # SQLite reads twenty reports' authors through their links rather than by
            # walking every published person (55 ms against 2 at 100,000 reports).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            # bulk writes send no signals: index what was made, in the same transaction.
            search_index(Person, [person.pk for person in people])
            search_index(Report, made_ids)
            search_index(KnowledgeGap, gap_ids)
            progress = self.progress(made_ids, drafts)
            # Nor do they keep the counts of published reports: count them all again.
            recount_reports()
            bump_content_version()
        if connection.vendor == "postgresql":
            # Fresh planner statistics and visibility map, so list pages can read their
            # indexes alone straight away (VACUUM cannot run inside a transaction).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elapsed = time.perf_counter() - started

        published, drafted = statuses[Status.PUBLISHED], statuses[Status.DRAFT]
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {published + drafted:,} demo reports ({published:,} published, "
                f"{drafted:,} drafts), {len(gap_ids):,} knowledge gaps, "
                f"{len(people):,} demo researchers, "
                f"{progress['updates']:,} progress updates and {progress['entries']:,} impact "
                f"entries in {elapsed:.1f} s (seed {seed})."
            )
        )

    def organisations(self) -> list[Organisation]:
        organisations = list(Organisation.objects.published())
        for made in self.words.organisations if not organisations else []:
            name, kind = made["name"], made["kind"]
            organisation, _ = Organisation.objects.get_or_create(
                name=name,
                defaults={
                    "slug": slugify(name),
                    "kind": kind,
                    "is_member": True,
                    "status": Status.PUBLISHED,
                    "description": "A fictional partner made for demo data.",
                },
            )
            organisations.append(organisation)
        return organisations

    def people(self, count: int, organisations) -> list[Person]:
        rng = self.rng
        slugs = UniqueSlugs(Person.objects.values_list("slug", flat=True))
        new = []
        for _ in range(count):
            name = f"{rng.choice(self.words.first_names)} {rng.choice(self.words.last_names)}"
            organisation = rng.choice(organisations) if organisations else None
            new.append(
                Person(
                    honorific=rng.choice(self.words.honorifics),
                    name=name,
                    slug=slugs.make(name, 200),
                    organisation=organisation,
                    biography="A fictional researcher made for demo data.",
                    status=Status.PUBLISHED,
                )
            )
        # Only made-up people author made-up reports; real names stay on real work.
        return Person.objects.bulk_create(new)

    def reports(self, count, drafts, themes, people, organisations) -> list[Report]:
        rng, w, slugs = self.rng, self.words, self.slugs
        span = (datetime.date.today() - FIRST_DATE).days
        kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        reports, plans = [], []
        cleared_at = timezone.now()
        for _ in range(count):
            primary = rng.choice(themes)
            others = rng.sample(themes, k=min(len(themes), rng.choice([0, 0, 1, 1, 2])))
            report_themes = [primary] + [t for t in others if t != primary]
            topic = rng.choice(w.topics.get(primary.slug, w.every_topic))
            kind = rng.choices(kinds, weights)[0]
            published_on = (
                FIRST_DATE + datetime.timedelta(days=rng.randrange(span))
                if rng.random() > 0.005
                else None
            )
            words = {
                "topic": topic,
                "Topic": first_letter_capital(topic),
                "other": rng.choice(w.every_topic),
                "place": rng.choice(w.places),
                "stage": rng.choice(w.stages),
                "Stage": first_letter_capital(rng.choice(w.stages)),
                "kind": Report.Kind(kind).label.lower(),
            }
            title = first_letter_capital(rng.choice(w.title_patterns).format(**words))
            slug = slugs.make(title, 255)
            summary = " ".join(
                [
                    rng.choice(w.openings).format(**words),
                    f"Early results suggest that {rng.choice(w.findings)}.",
                    f"The next phase will {rng.choice(w.next_steps)}.",
                ]
            )
            body = "\n\n".join(
                " ".join(
                    [
                        rng.choice(w.openings).format(**words),
                        f"One finding stands out: {rng.choice(w.findings)}.",
                        f"Partners agreed to {rng.choice(w.next_steps)}.",
                    ]
                )
                for _ in range(rng.randint(2, 4))
            )
            reports.append(
                Report(
                    title=title[:255],
                    slug=slug,
                    kind=kind,
                    published_on=published_on,
                    date_precision=rng.choices(DATED_PRECISIONS, [80, 18, 2])[0]
                    if published_on
                    else Report.DatePrecision.UNDATED,
                    primary_theme=primary,
                    summary=summary,
                    body=body,
                    source_url=f"https://example.org/empac-demo/{slug}"
                    if rng.random() < 0.3
                    else "",
                    provenance=PROVENANCE,
                    status=Status.DRAFT if rng.random() < drafts else Status.PUBLISHED,
                    # Demo content is made to be shown: OFFICIAL and cleared, by this command.
                    cleared_at=cleared_at,
                    cleared_note="generate_demo_data",
                )
            )
            authors = rng.sample(people, k=min(len(people), rng.randint(1, 4)))
            report_organisations = {a.organisation_id for a in authors if a.organisation_id}
            if organisations and rng.random() < 0.4:
                report_organisations.add(rng.choice(organisations).pk)
            tag_pool = w.tags.get(primary.slug, w.general_tags)
            plans.append(
                (
                    report_themes,
                    authors,
                    report_organisations,
                    rng.sample(tag_pool, k=rng.randint(1, 4)),
                    rng.randint(0, 4) if kind == Report.Kind.PROGRESS else 0,
                )
            )
        Report.objects.bulk_create(reports, batch_size=2000)
        self.link(reports, plans)
        return reports

    def link(self, reports, plans) -> None:
        """Write the reports' many-to-many rows, tags and recommendations in bulk."""
        rng = self.rng
        tags = self.tags({name for plan in plans for name in plan[3]})
        report_type = ContentType.objects.get_for_model(Report).pk
        themes, authors, organisations, tagged, advice = [], [], [], [], []
        explanation = "Agreed by the collaboration's partners for the next phase."
        for report, (report_themes, people, partners, tag_names, count) in zip(
            reports, plans, strict=True
        ):
            pk = report.pk
            themes += [(pk, theme.pk) for theme in report_themes]
            authors += [(pk, person.pk) for person in people]
            organisations += [(pk, partner) for partner in partners]
            tagged += [(report_type, pk, tags[name.lower()]) for name in tag_names]
            advice += [
                (pk, number, heading, explanation, *self.recommendation_state(report, partners))
                for number, heading in enumerate(rng.sample(self.words.recommendations, k=count), 1)
            ]
        insert_rows(Report.themes.through, ["report", "theme"], themes)
        insert_rows(Report.authors.through, ["report", "person"], authors)
        insert_rows(Report.organisations.through, ["report", "organisation"], organisations)
        insert_rows(TaggedItem, ["content_type", "object_id", "tag"], tagged)
        insert_rows(
            Recommendation,
            [
                "report",
                "number",
                "heading",
                "explanation",
                "status",
                "owner_organisation",
                "target_date",
                "status_changed_at",
            ],
            advice,
        )

    @staticmethod
    def tags(names) -> dict[str, int]:
        """Primary keys of the named tags, reusing existing ones whatever their case."""
        existing = {tag.name.lower(): tag for tag in Tag.objects.all()}
        slugs = UniqueSlugs(Tag.objects.values_list("slug", flat=True))
        missing = sorted({name.lower() for name in names} - set(existing))
        created = Tag.objects.bulk_create(
            Tag(name=name, slug=slugs.make(name, 100)) for name in missing
        )
        existing.update((tag.name, tag) for tag in created)
        return {name: tag.pk for name, tag in existing.items()}
