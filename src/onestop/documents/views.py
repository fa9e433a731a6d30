import re
from urllib.parse import quote
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onestop.core.http import AuthenticatedRequest
from onestop.documents import selectors, services
from onestop.documents.models import Document

_ASCII_SAFE = re.compile(r"^[A-Za-z0-9 ._()-]+$")


@require_GET
@login_required
def download(request: AuthenticatedRequest, public_id: UUID) -> FileResponse:
    """Stream a private document to someone allowed to read it (HM 6.3).

    Others get the same 404 as for a made-up id; staff reads are audited by
    ``services.document_open``.
    """
    document = selectors.document_get_for(user=request.user, public_id=public_id)
    handle = services.document_open(reader=request.user, document=document)
    response = FileResponse(handle, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition(document)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it anyway: no scripts, no plugins, no requests.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def content_disposition(document: Document) -> str:
    """``attachment`` with an ASCII ``filename`` and, for Chinese names, ``filename*``.

    RFC 6266 / RFC 5987: browsers that understand ``filename*`` use the UTF-8
    name; the rest fall back to the plain one (the kind, e.g. id_card.jpg).
    """
    name = document.download_name
    if _ASCII_SAFE.match(name):
        return f'attachment; filename="{name}"'
    fallback = f"{document.kind}.{document.media_type.extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def integrity_pledge_template(request: HttpRequest) -> HttpResponse:
    """The blank 诚信承诺书 enterprises print, sign, seal and upload (WX 7.1.1.4)."""
    return render(request, "documents/integrity_pledge.html")
