"""Small helpers shared by the centers views."""

from django.http import FileResponse, Http404

from accounts.permissions import require_role
from accounts.roles import PROVINCIAL_OFFICER
from audit.client_ip import client_ip as real_client_ip
from documents.uploads import CONTENT_TYPES, sniff

officer_required = require_role(PROVINCIAL_OFFICER)


def private_file_response(field_file, name: str) -> FileResponse:
    """Serve a private file (already authorized by the caller) as a download."""
    if not field_file:
        raise Http404("No file.")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("File missing.") from exc
    content_type = CONTENT_TYPES.get(sniff(handle) or "", "application/octet-stream")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def client_ip(request) -> str | None:
    """The real client address (behind the trusted proxies, audit.client_ip)."""
    return real_client_ip(request)
