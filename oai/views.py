from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from publishing.http import cached_by_content

from .protocol import Request, base_url


@csrf_exempt  # the protocol allows POST with the same arguments; nothing is written
@require_http_methods(["GET", "HEAD", "POST"])
@cached_by_content
def endpoint(request):
    """Answer one OAI-PMH request. Protocol errors are 200s with an <error>, as it says."""
    arguments = request.POST if request.method == "POST" else request.GET
    xml = Request(arguments, base_url=base_url(request), absolute=request.build_absolute_uri)
    return HttpResponse(xml.response(), content_type="text/xml; charset=utf-8")
