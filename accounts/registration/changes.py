"""Editing a registered organization and the changes awaiting verification."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
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
        label="新的营业执照（或法人登记证书）扫描件",
        required=False,
        help_text="变更单位名称、统一社会信用代码或注册地时请上传变更后的扫描件；"
        "PDF或图片（jpg/png），不超过20 MB。不上传则保留原扫描件。",
    )
    duplicate_code_message = "该统一社会信用代码已被其他单位注册，请核对后重新输入。"
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
        raise PermissionDenied("只有本单位的申报人员可以变更单位信息。")
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
                None, "单位信息与已有记录冲突（例如统一社会信用代码重复），请核对后重试。"
            )
        else:
            updated = result.organization
            if not result.changed:
                messages.info(request, "单位信息没有变化。")
            elif result.reverify:
                messages.success(
                    request,
                    f"单位信息已变更，已提交{updated.verifying_department}重新核验；"
                    "核验通过前不能提交建设方案。",
                )
            else:
                messages.success(request, "单位信息已更新。")
            for app in result.drafts_moved:
                messages.info(
                    request,
                    f"草稿「{app.full_name}」的组织管理部门已随注册地改为{app.department}。",
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
            before, after = ("是" if before else "否"), ("是" if after else "否")
        rows.append(
            {
                "label": changes_services.FIELD_LABELS.get(name, name),
                "old": before if before not in (None, "") else "—",
                "new": after if after not in (None, "") else "—",
            }
        )
    return rows
