"""`make bench` additions for the research agenda: the knowledge-gap register, a gap's page,
progress on recommendations, the impact log and the coverage page, each repeated, and a
random deep page of each paginated list (rendered afresh, never a cache hit).

``FIND`` runs inside bench/run.py's finder script (Django set up) and adds what these
targets need to what it prints; ``targets()`` turns that into wrk targets.
"""

FIND = """
from agenda.views import GapListView
from impact.models import ImpactEntry
from impact.views import ImpactEntryListView, RecommendationListView
from reports.models import KnowledgeGap, Recommendation
gaps = KnowledgeGap.objects.published()
found.update({
    "gap": gaps.order_by("pk").values_list("pk", flat=True).first(),
    "gap_pages": math.ceil(gaps.count() / GapListView.paginate_by),
    "recommendation_pages": math.ceil(
        Recommendation.objects.published().count() / RecommendationListView.paginate_by
    ),
    "impact_pages": math.ceil(
        ImpactEntry.objects.published().count() / ImpactEntryListView.paginate_by
    ),
})
"""

LISTS = [
    ("knowledge-gap register", "/gaps/", "gap_pages"),
    ("progress on recommendations", "/recommendations/", "recommendation_pages"),
    ("impact log", "/impact/", "impact_pages"),
]


def targets(found) -> list[dict]:
    """Given what bench/run.py found in the database (with ``FIND``'s additions)."""
    repeated = [(name, path) for name, path, _ in LISTS] + [("coverage", "/coverage/")]
    if found["gap"]:
        repeated.insert(1, ("a gap's page", f"/gaps/{found['gap']}/"))
    deep = [
        {"name": f"{name}, random deep page", "path": path, "kind": "deep", "pages": found[key]}
        for name, path, key in LISTS
        if found[key] > 1
    ]
    return [{"name": name, "path": path, "kind": "repeated"} for name, path in repeated] + deep
