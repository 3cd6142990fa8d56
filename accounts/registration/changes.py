"""Editing a registered organization and the changes awaiting verification."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Organization
from accounts.registration.common import (
    ORG_TYPE_CHOICES,
    ORGANIZATION_FIELDSETS,
    OrganizationDataForm,
)
from accounts.services import changes as changes_services
from accounts.services import registration as registration_services
from applications.files import SCAN_EXTENSIONS, check_upload
from documents.languages import punct


class OrganizationEditForm(OrganizationDataForm):
    """A change of the organization's data by its own staff."""

    licence = forms.FileField(
        label=gettext_lazy(
            "New scan of the business licence (or legal person registration certificate)"
        ),
        required=False,
        help_text=gettext_lazy(
            "Upload the new scan when the name, the unified social credit code or the place "
            "of registration changes; PDF or image (jpg/png), at most 20 MB. Without an "
            "upload the current scan is kept."
        ),
    )
    duplicate_code_message = gettext_lazy(
        "This unified social credit code is registered by another organization; check it "
        "and enter it again."
    )
    FIELDSETS = ORGANIZATION_FIELDSETS

    def __init__(self, *args, organization, **kwargs):
        registration = getattr(organization, "registration", None)
        initial = {
            "name": organization.name,
            "credit_code": organization.credit_code,
            "org_type": organization.org_type,
            "registered_province": organization.registered_province,
            "registered_city": organization.registered_city_id,
            "address": organization.address,
            "is_legal_person": organization.is_legal_person,
            "contact_name": organization.contact_name,
            "contact_phone": organization.contact_phone,
            "contact_email": getattr(registration, "contact_email", ""),
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.licence_name = self.licence_content_type = ""
        # keep values outside the lists (e.g. set by an administrator) selectable
        for name, value, label in (
            ("org_type", organization.org_type, organization.get_org_type_display()),
            ("registered_province", organization.registered_province, None),
        ):
            choices = list(self.fields[name].choices)
            if value and value not in {c for c, _label in choices}:
                self.fields[name].choices = choices + [(value, label or value)]
        if registration is None:
            # organizations created by an administrator have no registration record
            del self.fields["licence"]
            del self.fields["contact_email"]
            self.FIELDSETS = [
                (title, [n for n in names if n in self.fields]) for title, names in self.FIELDSETS
            ]

    def clean_licence(self):
        upload = self.cleaned_data.get("licence")
        if upload:
            self.licence_name, self.licence_content_type = check_upload(
                upload, extensions=SCAN_EXTENSIONS, whole=True
            )
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    """Staff of the organization (applicant role) change its data."""
    if request.user.organization_id != pk:
        raise Http404("No such organization.")
    if not changes_services.can_update(request.user, pk):
        raise PermissionDenied(
            _("Only the organization's own applicant users can change its details.")
        )
    org = get_object_or_404(
        Organization.objects.select_related("registered_city", "verifying_department"), pk=pk
    )
    form = OrganizationEditForm(request.POST or None, request.FILES or None, organization=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = {
            k: d[k] for k in registration_services.IDENTITY_FIELDS + changes_services.CONTACT_FIELDS
        }
        if "contact_email" in d:
            data["contact_email"] = d["contact_email"]
        try:
            result = changes_services.organization_update(
                actor=request.user,
                organization_id=org.pk,
                data=data,
                licence=d.get("licence") or None,
                licence_name=form.licence_name,
                licence_content_type=form.licence_content_type,
            )
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        except IntegrityError:
            form.add_error(
                None,
                _(
                    "The organization's details conflict with an existing record (a duplicate "
                    "unified social credit code, for example); check them and try again."
                ),
            )
        else:
            updated = result.organization
            if not result.changed:
                messages.info(request, _("The organization's details have not changed."))
            elif result.reverify:
                messages.success(
                    request,
                    _(
                        "The organization's details were changed and sent to %(department)s "
                        "to be verified again; plans cannot be submitted until then."
                    )
                    % {"department": updated.verifying_department},
                )
            else:
                messages.success(request, _("The organization's details were updated."))
            for app in result.drafts_moved:
                messages.info(
                    request,
                    _(
                        "The organizing department of the draft “%(plan)s” moved with the "
                        "place of registration to %(department)s."
                    )
                    % {"plan": app.full_name, "department": app.department},
                )
            return redirect("organization_detail", pk=org.pk)
    return render(
        request,
        "accounts/organization_edit.html",
        {"form": form, "organization": org, "identity_labels": _identity_labels(form)},
    )


def _identity_labels(form):
    """The labels (in the page's language) of the fields whose change needs verification."""
    return punct("、").join(
        str(form.fields[n].label if n in form.fields else changes_services.FIELD_LABELS[n])
        for n in registration_services.IDENTITY_FIELDS
        if n != "registered_city"
    )


def changes_awaiting_verification(org) -> list[dict]:
    """The changes the organization made since the last verification decision, merged per
    field (first old value, last new value), for the verifier's page."""
    from audit.selectors import events_for

    merged: dict[str, list] = {}
    for event in events_for(target=org):
        if event.action in ("organization.verify", "organization.refuse"):
            merged = {}
        elif event.action == "organization.update" and isinstance(event.data, dict):
            old, new = event.data.get("old") or {}, event.data.get("new") or {}
            for name, value in new.items():
                if name in merged:
                    merged[name][1] = value
                else:
                    merged[name] = [old.get(name), value]
    types = {**dict(Organization.Type.choices), **dict(ORG_TYPE_CHOICES)}
    rows = []
    for name, (before, after) in merged.items():
        if before == after:
            continue
        if name == "org_type":
            before, after = types.get(before, before), types.get(after, after)
        elif name == "is_legal_person":
            before, after = (_("Yes") if before else _("No")), (_("Yes") if after else _("No"))
        rows.append(
            {
                "label": changes_services.FIELD_LABELS.get(name, name),
                "old": before if before not in (None, "") else "—",
                "new": after if after not in (None, "") else "—",
            }
        )
    return rows
