"""Organization self-registration and its verification by the department (Art. 8)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import SHANXI, Department, Organization, User
from accounts.roles import (
    APPLICANT,
    DEPARTMENT_REVIEWER,
    PROVINCIAL_OFFICER,
    grant_role,
    group_name,
)
from audit.services import record
from notifications.services import notify


def verifying_department_for(*, province: str, city) -> Department:
    """The S&T bureau of the organization's city; the provincial department outside Shanxi
    or without a city."""
    if province == SHANXI and city is not None:
        bureau = Department.objects.filter(kind=Department.Kind.CITY_BUREAU, city=city).first()
        if bureau is not None:
            return bureau
    return Department.province()


def verifiers_of(organization: Organization):
    """Users who may verify the organization: reviewers of its verifying department (and
    provincial officers when that department is the provincial S&T department)."""
    dept = organization.verifying_department
    if dept is None:
        return User.objects.none()
    users = User.objects.filter(
        is_active=True, department=dept, groups__name=group_name(DEPARTMENT_REVIEWER)
    )
    if dept.kind == Department.Kind.PROVINCE_ST:
        users = users | User.objects.filter(
            is_active=True, department=dept, groups__name=group_name(PROVINCIAL_OFFICER)
        )
    return users.distinct()


def can_verify(user, organization: Organization) -> bool:
    if not getattr(user, "is_authenticated", False) or organization.verifying_department_id is None:
        return False
    if user.department_id != organization.verifying_department_id:
        return False
    if user.has_role(DEPARTMENT_REVIEWER):
        return True
    return (
        user.has_role(PROVINCIAL_OFFICER)
        and organization.verifying_department.kind == Department.Kind.PROVINCE_ST
    )


def organization_register(
    *,
    actor=None,
    organization: dict,
    user: dict,
    licence,
    licence_name: str,
    licence_content_type: str,
    contact_email: str = "",
):
    """Register an organization (pending) with its first user (applicant role).

    ``organization``: name, credit_code, org_type, registered_province, registered_city,
    address, is_legal_person, contact_name, contact_phone.
    ``user``: username, last_name, first_name, email, password.
    """
    from accounts.models import OrganizationRegistration
    from applications.files import sha256_of

    with transaction.atomic():
        city = organization.get("registered_city")
        province = organization.get("registered_province") or SHANXI
        if province != SHANXI:
            city = None
        org = Organization(
            name=organization["name"],
            credit_code=organization["credit_code"],
            org_type=organization["org_type"],
            registered_province=province,
            registered_city=city,
            address=organization.get("address", ""),
            is_legal_person=bool(organization.get("is_legal_person")),
            contact_name=organization.get("contact_name", ""),
            contact_phone=organization.get("contact_phone", ""),
            status=Organization.Status.PENDING,
            verifying_department=verifying_department_for(province=province, city=city),
        )
        org.full_clean()
        org.save()
        person = User(
            username=user["username"],
            last_name=user.get("last_name", ""),
            first_name=user.get("first_name", ""),
            email=user.get("email", ""),
            organization=org,
        )
        person.set_password(user["password"])
        person.save()
        grant_role(person, APPLICANT)
        registration = OrganizationRegistration(
            organization=org,
            licence_name=licence_name,
            licence_size=licence.size,
            licence_sha256=sha256_of(licence),
            licence_content_type=licence_content_type,
            contact_email=contact_email,
            registered_by=person,
        )
        registration.licence.save(licence_name, licence, save=False)
        registration.save()
        record(
            actor=actor if getattr(actor, "is_authenticated", False) else person,
            action="organization.register",
            target=org,
            to_state=org.status,
            data={
                "label": "单位注册",
                "to_label": "待核验",
                "verifying_department": org.verifying_department.name,
                "user": person.username,
            },
        )
        notify(
            recipients=verifiers_of(org),
            subject=f"新注册单位待核验：{org.name}",
            body=f"{org.name}（统一社会信用代码 {org.credit_code}）已在平台注册，请核验其注册信息和营业执照。",
            link=reverse("registration_pending_detail", args=[org.pk]),
        )
    return org, person


def organization_verify(
    *, actor, organization_id: int, approve: bool, reason: str = "", seen: str | None = None
) -> Organization:
    """Verify (approve) or refuse a pending organization; refusing needs a reason.

    ``seen``: the ``identity_fingerprint`` of the data the verifier looked at; when the
    organization changed them meanwhile, the decision is refused with a message.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        org = (
            Organization.objects.select_for_update(of=("self",))
            .select_related("verifying_department")
            .get(pk=organization_id)
        )
        if not can_verify(actor, org):
            raise PermissionDenied(_("You may not verify this organization."))
        if org.status != Organization.Status.PENDING:
            raise ValidationError(
                _(
                    "This organization has been dealt with (now: %(status)s); reload the page "
                    "to see it."
                )
                % {"status": org.get_status_display()}
            )
        if not approve and not reason:
            raise ValidationError(_("A refused verification needs reasons."))
        if seen and seen != identity_fingerprint(org):
            raise ValidationError(
                _(
                    "The organization changed its registration details after you opened them; "
                    "look at the changed details before concluding."
                )
            )
        from_state = org.status
        org.status = Organization.Status.VERIFIED if approve else Organization.Status.REFUSED
        if approve:
            # from now on public pages and exports show this name (registry, centers)
            org.verified_name = org.name
        org.save(update_fields=["status", "verified_name"])
        from accounts.models import OrganizationRegistration

        OrganizationRegistration.objects.filter(organization=org).update(
            decided_by=actor, decided_at=timezone.now(), reason=reason
        )
        data = {
            "label": "单位核验通过" if approve else "单位核验不予通过",
            "from_label": "待核验",
            "to_label": "已核验" if approve else "核验未通过",
        }
        if reason:
            data["reason"] = reason
        record(
            actor=actor,
            action="organization.verify" if approve else "organization.refuse",
            target=org,
            from_state=from_state,
            to_state=org.status,
            data=data,
        )
        members = list(org.members.filter(is_active=True))
        if approve:
            subject = f"单位注册信息已核验通过：{org.name}"
            body = "您单位的注册信息已通过核验，现在可以提交建设方案。"
        else:
            subject = f"单位注册信息核验未通过：{org.name}"
            body = f"您单位的注册信息未通过核验。理由：{reason}"
        notify(recipients=members, subject=subject, body=body, link=reverse("applications:home"))
    return org


# Changing any of these (or uploading a new licence scan) needs a new verification.
IDENTITY_FIELDS = (
    "name",
    "credit_code",
    "org_type",
    "registered_province",
    "registered_city",
    "is_legal_person",
)


def identity_fingerprint(org: Organization) -> str:
    """A short digest of the data a department verifies; the verification form carries
    it so that a decision on data changed meanwhile is refused."""
    parts = [
        str(getattr(org, f"{name}_id" if name == "registered_city" else name))
        for name in IDENTITY_FIELDS
    ]
    registration = getattr(org, "registration", None) if org.pk else None
    parts.append(getattr(registration, "licence_sha256", "") or "")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
