"""Fill the database with realistic synthetic reports, for trying the site at scale.

Runs on top of the seeded content (``seed_empac``): demo reports are spread over the
existing themes, organisations and people, plus demo researchers made here. Every
demo report says in its provenance that it is synthetic, so curators can find them.
Rows are written with bulk_create in one transaction, which sends no signals, so the
command retires cached pages itself when it is done.
"""

import datetime
import random
import time
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from collaboration.models import Organisation, Person, Theme
from publishing.models import Status
from publishing.versioning import bump_content_version
from reports.models import Recommendation, Report

PROVENANCE = "Synthetic demo report made by `manage.py generate_demo_data`; not a real document."

# Subjects a report might cover, by the position of the theme it belongs to.
TOPICS = {
    1: [
        "cross-border drug supply routes",
        "links between regional and overseas crime groups",
        "county lines networks reaching beyond the region",
        "firearms trafficking routes",
        "organised immigration crime",
        "international money flows of regional groups",
        "ports and logistics hubs as crime enablers",
    ],
    2: [
        "cryptocurrency in money laundering",
        "online recruitment of young people",
        "encrypted messaging among crime groups",
        "dark web drug markets",
        "digital evidence in organised crime cases",
        "social media as a recruiting ground",
        "online fraud run by organised groups",
    ],
    3: [
        "cash-intensive front businesses",
        "labour exploitation in hand car washes",
        "counterfeit goods markets",
        "the illicit tobacco trade",
        "waste crime as an organised market",
        "modern slavery in nail bars",
        "criminal use of the night-time economy",
    ],
    4: [
        "the effect of disruption tactics",
        "measuring what prevention work achieves",
        "serious crime prevention orders",
        "asset recovery outcomes",
        "partnership disruption panels",
        "the evidence behind place-based interventions",
        "outcome measures for organised crime policing",
    ],
    5: [
        "community resilience to organised crime",
        "child criminal exploitation",
        "cuckooing of vulnerable adults",
        "prevention work in schools",
        "early intervention with young people at risk",
        "organised crime in rural communities",
        "support for families of exploited children",
    ],
    6: [
        "red teaming in policing",
        "organisational adaptability",
        "horizon scanning for emerging threats",
        "learning from operational debriefs",
        "agile tasking and coordination",
        "skills for digital investigation",
        "sharing knowledge between forces and universities",
    ],
}
GENERAL_TOPICS = [topic for topics in TOPICS.values() for topic in topics]

TAGS = {
    1: ["county lines", "drugs supply", "firearms", "organised immigration crime", "borders"],
    2: ["cryptocurrency", "cyber crime", "dark web", "encrypted communications", "fraud"],
    3: ["money laundering", "modern slavery", "counterfeiting", "illicit finance", "business"],
    4: ["evaluation", "disruption", "asset recovery", "prevention", "evidence base"],
    5: ["child criminal exploitation", "cuckooing", "vulnerability", "young people", "schools"],
    6: ["red teaming", "horizon scanning", "workforce", "training", "intelligence"],
}
GENERAL_TAGS = ["partnership working", "community resilience", "victims", "data analytics"]

PLACES = [
    "the East Midlands",
    "Derbyshire",
    "Leicestershire",
    "Lincolnshire",
    "Northamptonshire",
    "Nottinghamshire",
    "Leicester",
    "Nottingham",
    "Derby",
    "Lincoln",
    "Northampton",
    "the region's market towns",
    "rural Lincolnshire",
]
STAGES = [
    "interim findings",
    "progress report",
    "a scoping review",
    "early evidence",
    "what practitioners told us",
    "lessons for policing",
    "a rapid evidence assessment",
    "findings from a regional survey",
]
TITLE_PATTERNS = [
    "{Topic} in {place}",
    "{Topic}: {stage}",
    "{Stage} on {topic}",
    "Understanding {topic} in {place}",
    "{Topic} and {other}: {stage}",
    "What we know about {topic}",
]
OPENINGS = [
    "This {kind} looks at {topic} in {place}.",
    "We set out what is known about {topic} and where the evidence is thin.",
    "Drawing on interviews with officers and partner agencies, we examine {topic}.",
    "Researchers and analysts worked together on {topic} across {place}.",
    "The work began with a question from practitioners about {topic}.",
]
FINDINGS = [
    "information sharing between partners is uneven",
    "intelligence often arrives too late to prevent harm",
    "small changes to tasking could free specialist capacity",
    "people being exploited rarely describe themselves as victims",
    "groups adapt quickly once a route or method is disrupted",
    "local knowledge held by neighbourhood teams is under-used",
    "the data needed to measure success is rarely collected",
    "training has not kept pace with the technology involved",
]
NEXT_STEPS = [
    "test these findings with a second force",
    "build a shared dataset with partner agencies",
    "run a red-team exercise on the proposed approach",
    "pilot a short training package for investigators",
    "report back to the collaboration's strategic board",
    "widen the interviews to community groups",
]
RECOMMENDATIONS = [
    "Share analysis with partner agencies at an earlier stage",
    "Fund a dedicated analyst post for this work",
    "Build evaluation into every disruption plan",
    "Run joint training for officers and researchers",
    "Agree common data standards across the region",
    "Review the approach again in twelve months",
]
FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farhan", "Grace", "Harpreet", "Isaac",
    "Jasmine", "Kieran", "Laura", "Mohammed", "Naomi", "Owen", "Priya", "Rachel", "Samuel",
    "Tom", "Uma", "Victoria", "William", "Yasmin", "Zoe", "Adam", "Bethany", "Callum",
    "Deborah", "Ethan", "Fiona", "Gareth", "Hannah", "Imran", "Joanna", "Karen", "Liam",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Gill", "Hughes", "Iqbal",
    "Johnson", "Kaur", "Lewis", "Mitchell", "Nowak", "O'Brien", "Patel", "Quinn", "Robinson",
    "Singh", "Turner", "Underwood", "Walker", "Wright", "Young", "Barnes", "Chapman", "Dixon",
    "Ellis", "Foster", "Green", "Hall", "Jackson", "Khan", "Lawson", "Morgan", "Parker",
]  # fmt: skip
HONORIFICS = ["Dr", "Dr", "Professor", "DI", "DS", "DC", ""]
DEMO_ORGANISATIONS = [
    ("Northfield University", Organisation.Kind.UNIVERSITY),
    ("Eastshire Police", Organisation.Kind.POLICE_FORCE),
    ("Midshire Regional Crime Unit", Organisation.Kind.ROCU),
]

KIND_WEIGHTS = {
    Report.Kind.PROGRESS: 50,
    Report.Kind.INTERIM: 25,
    Report.Kind.NEWS: 15,
    Report.Kind.PRESS: 10,
}
FIRST_DATE = datetime.date(2015, 1, 1)


class UniqueSlugs:
    def __init__(self, taken):
        self.taken = set(taken)

    def make(self, text: str, max_length: int) -> str:
        base = slugify(text)[: max_length - 8].strip("-") or "item"
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Command(BaseCommand):
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
        themes = list(Theme.objects.published().order_by("position"))
        if not themes:
            raise CommandError(
                "There are no published themes to file reports under; "
                "run `python manage.py seed_empac` first."
            )
        seed = options["seed"] if options["seed"] is not None else random.randrange(1_000_000)
        self.rng = random.Random(seed)

        started = time.perf_counter()
        with transaction.atomic():
            organisations = self.organisations()
            people = self.people(people_count, organisations)
            reports = self.reports(count, drafts, themes, people, organisations)
            bump_content_version()
        if connection.vendor == "postgresql":
            # Fresh planner statistics and visibility map, so list pages can read their
            # indexes alone straight away (VACUUM cannot run inside a transaction).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elapsed = time.perf_counter() - started

        statuses = Counter(report.status for report in reports)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {len(reports):,} demo reports ({statuses[Status.PUBLISHED]:,} published, "
                f"{statuses[Status.DRAFT]:,} drafts) and {len(people):,} demo researchers "
                f"in {elapsed:.1f} s (seed {seed})."
            )
        )

    def organisations(self) -> list[Organisation]:
        organisations = list(Organisation.objects.published())
        for name, kind in DEMO_ORGANISATIONS if not organisations else []:
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
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            organisation = rng.choice(organisations) if organisations else None
            new.append(
                Person(
                    honorific=rng.choice(HONORIFICS),
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
        rng = self.rng
        slugs = UniqueSlugs(Report.objects.values_list("slug", flat=True))
        span = (datetime.date.today() - FIRST_DATE).days
        kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        reports, plans = [], []
        for _ in range(count):
            primary = rng.choice(themes)
            others = rng.sample(themes, k=min(len(themes), rng.choice([0, 0, 1, 1, 2])))
            report_themes = [primary] + [t for t in others if t != primary]
            topic = rng.choice(TOPICS.get(primary.position, GENERAL_TOPICS))
            kind = rng.choices(kinds, weights)[0]
            published_on = (
                FIRST_DATE + datetime.timedelta(days=rng.randrange(span))
                if rng.random() > 0.005
                else None
            )
            words = {
                "topic": topic,
                "Topic": _cap(topic),
                "other": rng.choice(GENERAL_TOPICS),
                "place": rng.choice(PLACES),
                "stage": rng.choice(STAGES),
                "Stage": _cap(rng.choice(STAGES)),
                "kind": Report.Kind(kind).label.lower(),
            }
            title = _cap(rng.choice(TITLE_PATTERNS).format(**words))
            slug = slugs.make(title, 255)
            summary = " ".join(
                [
                    rng.choice(OPENINGS).format(**words),
                    f"Early results suggest that {rng.choice(FINDINGS)}.",
                    f"The next phase will {rng.choice(NEXT_STEPS)}.",
                ]
            )
            body = "\n\n".join(
                " ".join(
                    [
                        rng.choice(OPENINGS).format(**words),
                        f"One finding stands out: {rng.choice(FINDINGS)}.",
                        f"Partners agreed to {rng.choice(NEXT_STEPS)}.",
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
                    date_precision=rng.choices(list(Report.DatePrecision), [80, 18, 2])[0],
                    primary_theme=primary,
                    summary=summary,
                    body=body,
                    source_url=f"https://example.org/empac-demo/{slug}"
                    if rng.random() < 0.3
                    else "",
                    provenance=PROVENANCE,
                    status=Status.DRAFT if rng.random() < drafts else Status.PUBLISHED,
                )
            )
            authors = rng.sample(people, k=min(len(people), rng.randint(1, 4)))
            report_organisations = {a.organisation_id for a in authors if a.organisation_id}
            if organisations and rng.random() < 0.4:
                report_organisations.add(rng.choice(organisations).pk)
            tag_pool = TAGS.get(primary.position, GENERAL_TAGS) + GENERAL_TAGS
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
        report_type = ContentType.objects.get_for_model(Report)
        theme_rows, author_rows, organisation_rows, tag_rows, recommendations = [], [], [], [], []
        for report, (themes, authors, organisations, tag_names, advice) in zip(
            reports, plans, strict=True
        ):
            theme_rows += [
                Report.themes.through(report_id=report.pk, theme_id=t.pk) for t in themes
            ]
            author_rows += [
                Report.authors.through(report_id=report.pk, person_id=p.pk) for p in authors
            ]
            organisation_rows += [
                Report.organisations.through(report_id=report.pk, organisation_id=pk)
                for pk in organisations
            ]
            tag_rows += [
                TaggedItem(
                    content_type_id=report_type.pk, object_id=report.pk, tag_id=tags[name.lower()]
                )
                for name in tag_names
            ]
            recommendations += [
                Recommendation(
                    report_id=report.pk,
                    number=number,
                    heading=heading,
                    explanation="Agreed by the collaboration's partners for the next phase.",
                )
                for number, heading in enumerate(rng.sample(RECOMMENDATIONS, k=advice), 1)
            ]
        for rows in (theme_rows, author_rows, organisation_rows, tag_rows, recommendations):
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=5000)

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
