"""The request size cap: a body larger than the largest evidence upload is never read."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext


class RequestSizeLimitMiddleware:
    """Answer 413 when the declared body is larger than REQUEST_MAX_BYTES.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count files, so without this a 25 MB upload
    is read and written to a temporary file before the evidence check refuses it. Placed before
    any middleware that reads `request.POST`. A body without Content-Length is read as empty by
    Django, so the declared length is the whole of what can be read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if declared_length(request) > settings.REQUEST_MAX_BYTES:
            return too_large()
        return self.get_response(request)


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads such a body as empty too


def too_large() -> HttpResponse:
    message = gettext("The request is too large: files of up to 20 MB are accepted.")
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
