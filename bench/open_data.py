"""`make bench` additions for the open outputs: the reports API list, one API detail, an
OAI-PMH ListRecords page and the reports feed, each at least OPEN_RATIO of /healthz.

All four are answered through publishing.http.cached_by_content, so a repeated request
costs the content version, the API's per-address counter (API and OAI-PMH) and a cache
hit; wrk asks without If-None-Match, so no 304 flatters the figures.
"""

OPEN_RATIO = 0.20
# wrk sends everything from one address: allow it, while still counting every request.
ENVIRONMENT = {"EMPAC_API_RATE_LIMIT": "1000000000"}


def targets(found) -> list[dict]:
    """Given what bench/run.py found in the database (a report's slug)."""
    return [
        {"name": "reports API, first page", "path": "/api/reports/", "kind": "open"},
        {
            "name": "one report in the API",
            "path": f"/api/reports/{found['report']}/",
            "kind": "open",
        },
        {
            "name": "OAI-PMH ListRecords page",
            "path": "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
            "kind": "open",
        },
        {"name": "reports Atom feed", "path": "/feeds/reports/", "kind": "open"},
    ]
