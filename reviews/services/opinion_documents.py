"""The issued panel opinion: stored once per concluded panel, with a verification code.

Two documents of kind ``panel_opinion`` target the panel: the full copy (the office and the
panel's experts) and the applicant's copy (no experts' names or scores). Both go through
``documents.services.issue_document``, so each prints its verification code and QR code.
Idempotent: the panel row is locked and existing documents are returned unchanged.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from documents.models import DocumentKind, IssuedDocument
from documents.services import issue_document
from reviews.models import Panel
from reviews.opinion_pdf import TEMPLATE, opinion_pdf_context
from reviews.services.common import ReviewError

FULL, APPLICANT = "full", "applicant"


def opinion_title(panel: Panel, variant: str) -> str:
    """Public on the verification page: the application number only, never the plan's name."""
    number = panel.application.number or f"#{panel.application_id}"
    suffix = "，申报单位存档本" if variant == APPLICANT else ""
    return f"专家组论证意见（申报编号{number}{suffix}）"


def opinion_documents(panel: Panel) -> dict[str, IssuedDocument]:
    """The issued opinions of a panel by variant (empty before the conclusion)."""
    titles = {opinion_title(panel, variant): variant for variant in (FULL, APPLICANT)}
    documents = IssuedDocument.objects.filter(
        kind=DocumentKind.PANEL_OPINION,
        content_type=ContentType.objects.get_for_model(Panel),
        object_id=panel.pk,
        title__in=titles,
    )
    return {titles[document.title]: document for document in documents}


def issue_opinion_documents(*, actor=None, panel_id: int) -> dict[str, IssuedDocument]:
    """Issue the concluded panel's opinion (both copies), once. ``actor=None``: the system."""
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel_id)
        if panel.status != Panel.Status.CONCLUDED:
            raise ReviewError("专家组作出论证结论后才印发专家组论证意见。")
        panel = Panel.objects.select_related("application__organization", "template").get(
            pk=panel.pk
        )
        documents = opinion_documents(panel)
        for variant in (FULL, APPLICANT):
            if variant not in documents:
                documents[variant] = issue_document(
                    actor=actor,
                    kind=DocumentKind.PANEL_OPINION,
                    title=opinion_title(panel, variant),
                    template_name=TEMPLATE,
                    context=opinion_pdf_context(panel, confidential=variant == APPLICANT),
                    target=panel,
                    numbered=False,
                )
    return documents
