"""`make bench` additions for the open outputs: the reports API list, one API detail, an
OAI-PMH ListRecords page and the reports feed, each at least OPEN_RATIO of /healthz.

All four are answered through publishing.http.cached_by_content, so a repeated request
costs the content version, the API's per-address counter (API and OAI-PMH) and a cache
hit; wrk asks without If-None-Match, so no 304 flatters the figures.
"""

import json
import subprocess
import sys

OPEN_RATIO = 0.20
# wrk sends everything from one address: allow it, while still counting every request.
ENVIRONMENT = {"EMPAC_API_RATE_LIMIT": "1000000000"}

SCRIPT = """
import json
import django
django.setup()
from reports.models import Report
report = Report.objects.published().newest_first().first()
print(json.dumps({"report": report.slug}))
"""


def targets(root, env) -> list[dict]:
    found = json.loads(
        subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
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
