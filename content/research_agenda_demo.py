"""The research agenda's demo data, in proportion to the demo reports: knowledge gaps with
dated status changes, registrations matched to them, and recommendations tracked to impact
(status, history, updates, impact entries). Part of ``generate_demo_data``."""

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from agenda.models import GapStatusChange, Introduction
from collaboration.models import Theme
from impact.models import ImpactEntry
from involvement.models import Discipline, InterestRegistration
from publishing.bulk import insert_rows
from publishing.models import Status
from reports.models import (
    KnowledgeGap,
    Recommendation,
    RecommendationStatusChange,
    RecommendationUpdate,
    Report,
)

# How far demo recommendations have gone: as many not recorded as in any other state,
# since real ones start that way. Updates and impact entries follow from these.
PROGRESS_WEIGHTS = {
    Recommendation.Status.NOT_RECORDED: 40,
    Recommendation.Status.NOT_STARTED: 15,
    Recommendation.Status.IN_PROGRESS: 25,
    Recommendation.Status.IMPLEMENTED: 15,
    Recommendation.Status.NOT_TAKEN_FORWARD: 5,
}
# One demo impact entry for about this many demo reports.
REPORTS_PER_IMPACT_ENTRY = 20
DEMO_IMPACT_NOTE = "Synthetic demo entry made by `manage.py generate_demo_data`; not a real change."


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


def first_letter_capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class ResearchAgendaDemo:
    """Methods of the generate_demo_data command; they read its ``rng`` and ``words``."""

    def recommendation_state(self, report, partners) -> tuple:
        """A demo recommendation's status, owner and target date, in PROGRESS_WEIGHTS' shares."""
        rng = self.rng
        status = rng.choices(list(PROGRESS_WEIGHTS), list(PROGRESS_WEIGHTS.values()))[0]
        if status == Recommendation.Status.NOT_RECORDED:
            return status, None, None, None
        owner = rng.choice(sorted(partners)) if partners else None
        start = report.published_on or datetime.date.today()
        target = start + datetime.timedelta(days=rng.randint(180, 3 * 365))
        return status, owner, target, connection.ops.adapt_datetimefield_value(self.now)

    def progress(self, report_ids, drafts) -> dict:
        """Status history, dated updates and impact entries for the demo recommendations."""
        rng, w = self.rng, self.words
        tracked = list(
            Recommendation.objects.filter(report_id__in=report_ids)
            .exclude(status=Recommendation.Status.NOT_RECORDED)
            .values_list("pk", "status", "report_id", "report__published_on", "report__status")
            .order_by("pk")
        )
        now = connection.ops.adapt_datetimefield_value(self.now)
        changes, updates = [], []
        for pk, status, _, published_on, _ in tracked:
            changes.append((pk, Recommendation.Status.NOT_RECORDED, status, now))
            if status == Recommendation.Status.NOT_STARTED:
                continue
            start = published_on or datetime.date.today()
            for step in range(rng.randint(1, 3)):
                happened = start + datetime.timedelta(days=90 * (step + 1) + rng.randint(0, 60))
                summary = f"Partners agreed to {rng.choice(w.next_steps)}."
                state = Status.DRAFT if rng.random() < drafts else Status.PUBLISHED
                updates.append(
                    (pk, min(happened, datetime.date.today()), summary, "", "", state, now, now)
                )
        insert_rows(
            RecommendationStatusChange,
            ["recommendation", "old_status", "new_status", "changed_at"],
            changes,
        )
        insert_rows(
            RecommendationUpdate,
            [
                "recommendation",
                "happened_on",
                "summary",
                "evidence_url",
                "evidence_file",
                "status",
                "created_at",
                "updated_at",
            ],
            updates,
        )
        entries = self.impact_entries(tracked, drafts, len(report_ids))
        return {"updates": len(updates), "entries": entries}

    def impact_entries(self, tracked, drafts, report_count) -> int:
        """About one impact entry per REPORTS_PER_IMPACT_ENTRY reports, each tied to the
        recommendation (and report, themes, owner) it came from."""
        rng = self.rng
        done = [row for row in tracked if row[1] != Recommendation.Status.NOT_STARTED]
        count = min(len(done), report_count // REPORTS_PER_IMPACT_ENTRY)
        if not done:
            return 0
        chosen = rng.sample(done, k=count)
        details = {
            r.pk: r
            for r in Recommendation.objects.filter(pk__in=[row[0] for row in chosen])
            .select_related("report")
            .prefetch_related("report__themes")
        }
        slugs = UniqueSlugs(ImpactEntry.objects.values_list("slug", flat=True))
        kinds = list(ImpactEntry.Kind)
        entries = []
        for pk, *_ in chosen:
            recommendation = details[pk]
            kind = rng.choice(kinds)
            title = f"{kind.label}: {recommendation.heading.lower()}"[:255]
            happened = (recommendation.report.published_on or datetime.date.today()) + (
                datetime.timedelta(days=rng.randint(120, 900))
            )
            entries.append(
                ImpactEntry(
                    title=title,
                    slug=slugs.make(title, 255),
                    kind=kind,
                    happened_on=min(happened, datetime.date.today()),
                    description=f"{recommendation.explanation} {DEMO_IMPACT_NOTE}",
                    status=Status.DRAFT if rng.random() < drafts else Status.PUBLISHED,
                )
            )
        ImpactEntry.objects.bulk_create(entries)
        links = {"recommendations": [], "reports": [], "themes": [], "organisations": []}
        for entry, (pk, *_) in zip(entries, chosen, strict=True):
            recommendation = details[pk]
            links["recommendations"].append((entry.pk, pk))
            links["reports"].append((entry.pk, recommendation.report_id))
            links["themes"] += [(entry.pk, t.pk) for t in recommendation.report.themes.all()]
            if recommendation.owner_organisation_id:
                links["organisations"].append((entry.pk, recommendation.owner_organisation_id))
        targets = {
            "recommendations": "recommendation",
            "reports": "report",
            "themes": "theme",
            "organisations": "organisation",
        }
        for name, rows in links.items():
            insert_rows(getattr(ImpactEntry, name).through, ["impactentry", targets[name]], rows)
        return len(entries)

    def gaps(self, count, report_ids) -> list[int]:
        """Gaps raised by demo reports, some moved on; registrations and matches in proportion.

        One registration per five gaps and one introduction per ten, as a busy
        collaboration might have; registrants are synthetic (example.org addresses) and
        already counted as emailed, so nothing is ever sent to them.
        """
        rng, w = self.rng, self.words
        reports = Report.objects.filter(pk__in=report_ids).values_list(
            "pk", "primary_theme", "published_on"
        )
        reports = rng.sample(list(reports), k=min(count, len(report_ids)))
        S = KnowledgeGap.Status
        statuses = [S.IDENTIFIED, S.SCOPED, S.BEING_RESEARCHED, S.ANSWERED, S.SUPERSEDED]
        gaps = []
        topics = {t.pk: w.topics.get(t.slug, w.every_topic) for t in Theme.objects.all()}
        now = timezone.now()
        for pk, theme, _published in reports:
            topic = rng.choice(topics.get(theme, w.every_topic))
            words = {
                "topic": topic,
                "place": rng.choice(w.places),
                "finding": rng.choice(w.findings),
                "next_step": rng.choice(w.next_steps),
            }
            status = rng.choices(statuses, [40, 20, 20, 12, 8])[0]
            gaps.append(
                KnowledgeGap(
                    report_id=pk,
                    theme_id=theme,
                    question=first_letter_capital(rng.choice(w.gap_questions).format(**words))[
                        :255
                    ],
                    detail=rng.choice(w.gap_backgrounds).format(**words),
                    status=status,
                    status_changed_at=None if status == S.IDENTIFIED else now,
                    answer="Answered by later work (demo)." if status == S.ANSWERED else "",
                    # Made to be shown, as the demo reports are: OFFICIAL and cleared.
                    cleared_at=now,
                    cleared_note="generate_demo_data",
                )
            )
        KnowledgeGap.objects.bulk_create(gaps, batch_size=2000)
        insert_rows(
            GapStatusChange,
            ["gap", "previous_status", "status", "changed_at", "note"],
            [
                (gap.pk, S.IDENTIFIED, gap.status, now, "Demo change.")
                for gap in gaps
                if gap.status != S.IDENTIFIED
            ],
        )
        self.registrations(len(gaps) // 5, gaps, now)
        return [gap.pk for gap in gaps]

    def registrations(self, count, gaps, now) -> None:
        rng, w = self.rng, self.words
        registrations = [
            InterestRegistration(
                name=f"{rng.choice(w.first_names)} {rng.choice(w.last_names)}",
                email=f"demo-registrant-{n}-{rng.randrange(10**9)}@example.org",
                institution="Demo University",
                discipline=rng.choice(Discipline.values[:-1]),
                expertise=", ".join(rng.sample(w.expertise, k=2)),
                consent=True,
                consented_at=now,
                notified_at=now,
                acknowledged_at=now,
                privacy_notice_version="demo",
            )
            for n in range(count)
        ]
        InterestRegistration.objects.bulk_create(registrations, batch_size=2000)
        open_gaps = [g for g in gaps if g.status not in ("answered", "superseded")]
        themes, chosen, introductions = [], [], []
        for n, registration in enumerate(registrations):
            gap = rng.choice(open_gaps) if open_gaps else None
            if gap is None:
                continue
            themes.append((registration.pk, gap.theme_id))
            chosen.append((registration.pk, gap.pk))
            if n % 2 == 0:
                introductions.append(
                    (registration.pk, gap.pk, Introduction.Status.PROPOSED, now, "Demo match.")
                    + ("", "", "")
                )
        insert_rows(
            InterestRegistration.themes.through, ["interestregistration", "theme"], set(themes)
        )
        insert_rows(
            InterestRegistration.chosen_gaps.through,
            ["interestregistration", "knowledgegap"],
            set(chosen),
        )
        insert_rows(
            Introduction,
            ["registration", "gap", "status", "confirmed_at", "reason"]
            + ["notes", "email_subject", "email_body"],
            introductions,
        )
