from django.http import FileResponse
from django.views.decorators.http import require_GET

from .selectors import get_document_for


@require_GET
def download(request, pk):
    """The stored PDF of an issued document; 404 unless the user may see it."""
    document = get_document_for(user=request.user, pk=pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
