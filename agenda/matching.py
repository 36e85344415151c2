"""How well a registration fits a knowledge gap, and why, in both directions.

The fit adds up three things a curator can check: the person chose the gap on the
form; the themes they offered that the gap is about; and the words of their expertise
that the gap's question or background holds. The words are found and scored by the
site's search engine (``search.engine``: stemmed, accents folded, a word in the
question counting for more than one in the background), over public gaps only.
Only registrations of people who consented to be contacted, still open, take part.
"""

import re
from dataclasses import dataclass, field

from involvement.models import InterestRegistration
from reports.models import KnowledgeGap
from search.backends import backend
from search.documents import MARK_END, MARK_START, object_id_of_key
from search.engine import Filters, visible_hits
from search.query import fold, parse, words

from .models import Introduction

CHOSE_WEIGHT = 100
THEME_WEIGHT = 10
# Bounds on the work one admin page does.
MAX_EXPERTISE_WORDS = 20
MAX_CANDIDATES = 200
SHOWN = 20
GAP_KIND = Filters(kind=3)  # search.documents.KnowledgeGapKind.code
MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.S)


@dataclass
class Fit:
    gap: KnowledgeGap
    registration: InterestRegistration
    chose: bool = False
    themes: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    search_score: int = 0
    introduction: Introduction | None = None

    @property
    def pair(self) -> str:
        return f"{self.registration.pk}-{self.gap.pk}"

    @property
    def score(self) -> int:
        return CHOSE_WEIGHT * self.chose + THEME_WEIGHT * len(self.themes) + self.search_score

    @property
    def reason(self) -> str:
        parts = []
        if self.chose:
            parts.append("chose this gap on the form")
        if self.themes:
            parts.append(f"themes in common: {', '.join(self.themes)}")
        if self.words:
            parts.append(
                f"words of their expertise in the gap: {', '.join(self.words)} "
                f"(search score {self.search_score})"
            )
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] if text else "No themes or words in common"


def expertise_query(registration: InterestRegistration):
    """Any word of their expertise keywords (stop words left out), as a search query."""
    found, seen = [], set()
    for word in words(registration.expertise):
        folded = fold(word)
        if len(folded) > 2 and folded not in seen:
            seen.add(folded)
            found.append(word)
    return parse(" OR ".join(found[:MAX_EXPERTISE_WORDS]))


def gap_themes(gap: KnowledgeGap) -> dict[int, str]:
    """The public themes a gap is about: its own or, having none, its analysis's."""
    if gap.theme_id:
        return {gap.theme_id: gap.theme.short_name} if gap.theme.is_published() else {}
    if gap.analysis_id:
        return {t.pk: t.short_name for t in gap.analysis.themes.all() if t.is_published()}
    return {}


def _public_open_gaps():
    return (
        KnowledgeGap.objects.published()
        .open()
        .select_related("theme", "analysis")
        .prefetch_related("analysis__themes")
    )


def _search(query, keys_wanted=None) -> tuple[dict[int, int], dict[int, str]]:
    """Gap id → score and gap entry key for every public gap the query matches."""
    if not query:
        return {}, {}
    hits, _ = visible_hits(query, GAP_KIND)
    scores, keys = {}, {}
    for hit in hits:
        pk = object_id_of_key(hit.key)
        if keys_wanted is None or pk in keys_wanted:
            scores[pk], keys[pk] = hit.score, hit.key
    return scores, keys


def _marked_words(query, keys: dict[int, int]) -> dict[int, list[str]]:
    """For each gap, the words of its text the query matched, as the engine marked them."""
    if not keys:
        return {}
    texts = backend().highlights(query, list(keys.values()))
    by_key = {key: pk for pk, key in keys.items()}
    found = {}
    for key, parts in texts.items():
        marked = []
        for text in parts[:2]:  # the question and its background
            for word in MARKED.findall(text):
                if fold(word) not in {fold(w) for w in marked}:
                    marked.append(word)
        found[by_key[key]] = marked
    return found


def gaps_for_registration(registration: InterestRegistration, limit: int = SHOWN) -> list[Fit]:
    """Open public gaps, best fit first, each with why."""
    if not registration.consent or registration.status == InterestRegistration.Status.CLOSED:
        return []
    theme_names = {t.pk: t.short_name for t in registration.themes.all()}
    chosen = set(registration.chosen_gaps.values_list("pk", flat=True))
    query = expertise_query(registration)
    scores, keys = _search(query)
    introductions = {i.gap_id: i for i in registration.introductions.all()}
    fits = []
    for gap in _public_open_gaps():
        common = [name for pk, name in gap_themes(gap).items() if pk in theme_names]
        fit = Fit(
            gap=gap,
            registration=registration,
            chose=gap.pk in chosen,
            themes=common,
            search_score=scores.get(gap.pk, 0),
            introduction=introductions.get(gap.pk),
        )
        if fit.score:
            fits.append(fit)
    fits.sort(key=lambda f: (-f.score, -f.gap.pk))
    fits = fits[:limit]
    marked = _marked_words(query, {f.gap.pk: keys[f.gap.pk] for f in fits if f.gap.pk in keys})
    for fit in fits:
        fit.words = marked.get(fit.gap.pk, [])
    return fits


def registrations_for_gap(gap: KnowledgeGap, limit: int = SHOWN) -> list[Fit]:
    """People who consented to be contacted, best fit for this gap first, each with why."""
    themes = gap_themes(gap)
    candidates = (
        InterestRegistration.objects.contactable()
        .prefetch_related("themes")
        .order_by("-created_at")
        .distinct()
    )
    chose = set(gap.offered_registrations.values_list("pk", flat=True))
    introductions = {i.registration_id: i for i in gap.introductions.all()}
    fits = []
    for registration in candidates[:MAX_CANDIDATES]:
        common = [t.short_name for t in registration.themes.all() if t.pk in themes]
        fit = Fit(
            gap=gap,
            registration=registration,
            chose=registration.pk in chose,
            themes=common,
            introduction=introductions.get(registration.pk),
        )
        query = expertise_query(registration)
        if query and (fit.chose or common or registration.expertise):
            scores, keys = _search(query, keys_wanted={gap.pk})
            fit.search_score = scores.get(gap.pk, 0)
            fit.words = _marked_words(query, keys).get(gap.pk, [])
        if fit.score:
            fits.append(fit)
    fits.sort(key=lambda f: (-f.score, -f.registration.pk))
    return fits[:limit]
