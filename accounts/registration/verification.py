"""Verification of registering organizations by their department (核验)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.forms import BootstrapFormMixin
from accounts.list_views import list_page
from accounts.lists import ORGANIZATIONS, pending_for
from accounts.models import Organization
from accounts.registration.changes import changes_awaiting_verification
from accounts.services import registration as registration_services


def _get_for_verifier(user, pk):
    org = pending_for(user).filter(pk=pk).first()
    if org is None:
        raise Http404("No such organization.")
    return org


@login_required
def pending_list(request):
    if not (
        request.user.has_role("department_reviewer") or request.user.has_role("provincial_officer")
    ):
        raise PermissionDenied(
            _("Only the staff of an organizing department may verify organizations.")
        )
    return list_page(request, ORGANIZATIONS, "accounts/registration/pending_list.html")


class VerifyForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Verification decision"),
        choices=[("verify", _("Verified")), ("refuse", _("Not approved"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required when not approved)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("A refused verification needs a reason."))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def pending_detail(request, pk):
    from audit.selectors import events_for

    org = _get_for_verifier(request.user, pk)
    fingerprint = registration_services.identity_fingerprint(org)
    form = VerifyForm(request.POST or None, initial={"seen": fingerprint})
    if request.method == "POST" and form.is_valid():
        try:
            registration_services.organization_verify(
                actor=request.user,
                organization_id=org.pk,
                approve=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
                seen=form.cleaned_data["seen"] or None,
            )
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
            # the page now shows the current data: the next decision is about them
            form.data = form.data.copy()
            form.data["seen"] = fingerprint
        else:
            messages.success(request, f"已处理：{org.name}")
            return redirect("registration_pending")
    return render(
        request,
        "accounts/registration/pending_detail.html",
        {
            "org": org,
            "registration": getattr(org, "registration", None),
            "form": form,
            "events": events_for(target=org),
            "members": org.members.order_by("pk"),
            "changes": changes_awaiting_verification(org)
            if org.status == Organization.Status.PENDING
            else [],
        },
    )


@login_required
def licence_download(request, pk):
    """The licence scan: for the verifying department, and for the organization's own members."""
    if request.user.organization_id == pk:
        org = get_object_or_404(Organization.objects.select_related("registration"), pk=pk)
    else:
        org = _get_for_verifier(request.user, pk)
    registration = getattr(org, "registration", None)
    if registration is None:
        raise Http404("No licence.")
    return FileResponse(
        registration.licence.open("rb"),
        as_attachment=True,
        filename=registration.licence_name,
        content_type=registration.licence_content_type,
    )
