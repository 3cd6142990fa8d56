"""Changes to a registered organization: contact data at once, identity re-verified."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import SHANXI, City, Organization
from accounts.roles import APPLICANT
from accounts.services.registration import IDENTITY_FIELDS, verifiers_of, verifying_department_for
from audit.services import record
from notifications.services import notify

CONTACT_FIELDS = ("address", "contact_name", "contact_phone")


@dataclass
class OrganizationUpdate:
    """What ``organization_update`` did: the changed fields (old and new values, as
    stored in the audit event), whether a new verification was requested, and the
    draft plans whose organizing department followed the new registered city."""

    organization: Organization
    old: dict = field(default_factory=dict)
    new: dict = field(default_factory=dict)
    reverify: bool = False
    drafts_moved: list = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.new)


def can_update(user, organization_id: int) -> bool:
    """Staff of the organization (applicant role) may change its data."""

    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organization_id is not None
        and user.organization_id == organization_id
        and user.has_role(APPLICANT)
    )


def _audit_value(name, value):
    if name == "registered_city":
        return value.name if value is not None else ""
    return value


def organization_update(
    *,
    actor,
    organization_id: int,
    data: dict,
    licence=None,
    licence_name: str = "",
    licence_content_type: str = "",
) -> OrganizationUpdate:
    """Change the organization's data (its own applicant staff only).

    ``data`` may hold any of: name, credit_code, org_type, registered_province,
    registered_city (a City, its pk or None), address, is_legal_person, contact_name,
    contact_phone, contact_email; missing keys stay as they are. ``licence``: an
    optional new licence scan (already checked by the form).

    Changing an identity field (name, credit code, type, province, city, legal-person
    flag) or the licence puts the organization back to ``pending``, routes it to the
    verifying department of its (new) city — the provincial S&T department outside
    Shanxi — and notifies that department's verifiers. Address and contact changes need
    no new verification. A refused organization goes back to ``pending`` on any change.
    Draft plans whose organizing department was the old default follow the new one.
    """
    from accounts.models import OrganizationRegistration

    with transaction.atomic():
        org = (
            Organization.objects.select_for_update(of=("self",))
            .select_related("registered_city", "verifying_department")
            .get(pk=organization_id)
        )
        if not can_update(actor, org.pk):
            raise PermissionDenied(
                _("Only the organization's own applicant users can change its details.")
            )
        registration = OrganizationRegistration.objects.filter(organization=org).first()

        values = {}
        for name in IDENTITY_FIELDS + CONTACT_FIELDS:
            if name in data:
                value = data[name]
                if isinstance(value, str):
                    value = value.strip()
                values[name] = value
        if "credit_code" in values:
            values["credit_code"] = (values["credit_code"] or "").upper()
        if "is_legal_person" in values:
            values["is_legal_person"] = bool(values["is_legal_person"])
        if "registered_city" in values and values["registered_city"] not in (None, ""):
            city = values["registered_city"]
            if not isinstance(city, City):
                city = City.objects.filter(pk=city).first()
                if city is None:
                    raise ValidationError(_("Choose a valid city of registration."))
            values["registered_city"] = city
        elif "registered_city" in values:
            values["registered_city"] = None
        province = values.get("registered_province", org.registered_province) or SHANXI
        values["registered_province"] = province
        if province != SHANXI:
            values["registered_city"] = None
        elif values.get("registered_city", org.registered_city) is None:
            raise ValidationError(
                _("An organization in Shanxi must choose the city where it is registered.")
            )
        new_code = values.get("credit_code", org.credit_code)
        if (
            new_code != org.credit_code
            and Organization.objects.filter(credit_code=new_code).exclude(pk=org.pk).exists()
        ):
            raise ValidationError(
                _(
                    "This unified social credit code is registered by another organization; "
                    "check it and enter it again."
                )
            )

        old_default = verifying_department_for(
            province=org.registered_province, city=org.registered_city
        )
        old, new = {}, {}
        for name, value in values.items():
            current = getattr(org, name)
            if current != value:
                old[name] = _audit_value(name, current)
                new[name] = _audit_value(name, value)
                setattr(org, name, value)
        contact_email = (data.get("contact_email") or "").strip()
        if (
            registration is not None
            and "contact_email" in data
            and contact_email != registration.contact_email
        ):
            old["contact_email"] = registration.contact_email
            new["contact_email"] = contact_email
            registration.contact_email = contact_email
        if licence is not None:
            if registration is None:
                raise ValidationError(
                    _(
                        "The organization has no registration record; its licence scan cannot "
                        "be replaced."
                    )
                )
            old["licence"] = registration.licence_name
            new["licence"] = licence_name

        result = OrganizationUpdate(organization=org, old=old, new=new)
        if not new:
            return result
        org.full_clean()

        identity_changed = any(n in new for n in IDENTITY_FIELDS + ("licence",))
        result.reverify = identity_changed or org.status == Organization.Status.REFUSED
        from_state = org.status
        if result.reverify:
            org.status = Organization.Status.PENDING
            org.verifying_department = verifying_department_for(
                province=org.registered_province, city=org.registered_city
            )
        org.save()

        if registration is not None:
            if licence is not None:
                from applications.files import sha256_of

                registration.licence_size = licence.size
                registration.licence_sha256 = sha256_of(licence)
                registration.licence_content_type = licence_content_type
                registration.licence_name = licence_name
                registration.licence.save(licence_name, licence, save=False)
            if result.reverify:
                # the previous decision no longer applies; it stays in the audit trail
                registration.decided_by = None
                registration.decided_at = None
                registration.reason = ""
            registration.save()

        audit = {"label": "变更单位信息", "old": old, "new": new}
        status_changed = from_state != org.status
        if result.reverify:
            audit["reverify"] = True
            audit["verifying_department"] = org.verifying_department.name
        if status_changed:
            audit["from_label"] = STATUS_LABELS[from_state]
            audit["to_label"] = STATUS_LABELS[org.status]
        record(
            actor=actor,
            action="organization.update",
            target=org,
            from_state=from_state if status_changed else "",
            to_state=org.status if status_changed else "",
            data=audit,
        )
        new_default = verifying_department_for(
            province=org.registered_province, city=org.registered_city
        )
        if new_default.pk != old_default.pk:
            result.drafts_moved = _move_drafts(actor, org, old_default, new_default)
        if result.reverify:
            notify(
                recipients=verifiers_of(org),
                subject=f"单位信息变更待重新核验：{org.name}",
                body=f"{org.name}变更了单位注册信息（{'、'.join(_labels(new))}），"
                "请核验变更后的信息。",
                link=reverse("registration_pending_detail", args=[org.pk]),
            )
    return result


STATUS_LABELS = {"pending": "待核验", "verified": "已核验", "refused": "核验未通过"}
FIELD_LABELS = {
    "name": "单位名称",
    "credit_code": "统一社会信用代码",
    "org_type": "单位类型",
    "registered_province": "注册地（省级）",
    "registered_city": "注册地（市）",
    "address": "单位地址",
    "is_legal_person": "具有独立法人资格",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "contact_email": "联系邮箱",
    "licence": "营业执照扫描件",
}


def _labels(changes: dict) -> list[str]:
    return [FIELD_LABELS.get(name, name) for name in changes]


def _move_drafts(actor, org, old_department, new_department) -> list:
    """Drafts (never submitted) whose organizing department is the old default follow the
    organization to the department of its new registered place."""
    from applications.models import Application
    from applications.services import application_update_basics

    moved = []
    drafts = Application.objects.filter(
        organization=org,
        status="draft",
        submitted_at__isnull=True,
        department=old_department,
    ).order_by("pk")
    for app in drafts:
        application_update_basics(
            actor=actor,
            application_id=app.pk,
            name=app.name,
            kind=app.kind,
            industry_field=app.industry_field,
            strategic_areas=list(app.strategic_areas.all()),
            department=new_department,
        )
        record(
            actor=actor,
            action="application.department_follow",
            target=app,
            data={
                "label": "组织管理部门随单位注册地变更",
                "old": {"department": old_department.name},
                "new": {"department": new_department.name},
            },
        )
        app.department = new_department
        moved.append(app)
    return moved
