"""Organization self-registration, verification and staff invitations (one write path each).

Every function is keyword-only with ``actor`` first, runs in one transaction,
writes its audit event there and queues notifications on commit.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from audit.services import record

from .models import SHANXI, Department, Organization, User
from .roles import APPLICANT, DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, grant_role, group_name


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
    from applications.files import sha256_of
    from applications.models import OrganizationRegistration

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
        _notify(
            verifiers_of(org),
            subject=f"新注册单位待核验：{org.name}",
            body=f"{org.name}（统一社会信用代码 {org.credit_code}）已在平台注册，请核验其注册信息和营业执照。",
            link=reverse("registration_pending_detail", args=[org.pk]),
        )
    return org, person


def organization_verify(
    *, actor, organization_id: int, approve: bool, reason: str = ""
) -> Organization:
    """Verify (approve) or refuse a pending organization; refusing needs a reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        org = (
            Organization.objects.select_for_update(of=("self",))
            .select_related("verifying_department")
            .get(pk=organization_id)
        )
        if not can_verify(actor, org):
            raise PermissionDenied("您无权核验该单位。")
        if org.status != Organization.Status.PENDING:
            raise ValidationError(
                f"该单位已被处理（当前状态：{org.get_status_display()}），请刷新页面后查看。"
            )
        if not approve and not reason:
            raise ValidationError("不予通过核验时须填写理由。")
        from_state = org.status
        org.status = Organization.Status.VERIFIED if approve else Organization.Status.REFUSED
        org.save(update_fields=["status"])
        from applications.models import OrganizationRegistration

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
        _notify(members, subject=subject, body=body, link=reverse("applications:home"))
    return org


def is_first_user(user) -> bool:
    from applications.models import OrganizationRegistration

    return (
        getattr(user, "is_authenticated", False)
        and user.organization_id is not None
        and OrganizationRegistration.objects.filter(
            organization_id=user.organization_id, registered_by=user
        ).exists()
    )


def organization_invite(
    *, actor, username: str, last_name: str, first_name: str, email: str
) -> User:
    """The first user of a verified organization invites a colleague (applicant role).

    The new account has no usable password; the e-mail carries a one-time link
    (Django's password-reset token) where the colleague sets one.
    """
    with transaction.atomic():
        if not is_first_user(actor):
            raise PermissionDenied("只有本单位注册时的首个用户可以邀请其他人员。")
        org = Organization.objects.select_for_update().get(pk=actor.organization_id)
        if not org.is_verified:
            raise ValidationError("单位注册信息核验通过后才能邀请其他人员。")
        person = User(
            username=username,
            last_name=last_name,
            first_name=first_name,
            email=email,
            organization=org,
        )
        person.set_unusable_password()
        person.save()
        grant_role(person, APPLICANT)
        record(
            actor=actor,
            action="organization.invite",
            target=org,
            data={"label": "邀请单位人员", "user": username, "email": email},
        )
        link = invitation_link(person)
        _notify(
            [person],
            subject=f"{org.name}邀请您使用山西省技术创新中心管理平台",
            body=(
                f"{actor}邀请您以{org.name}人员身份使用平台。请打开以下链接设置密码"
                f"（链接仅可使用一次）：\n{link}\n用户名：{username}"
            ),
            link=link,
        )
    return person


def invitation_link(user: User) -> str:
    from django.conf import settings

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("registration_accept_invitation", args=[uid, token])
    return settings.SITE_URL.rstrip("/") + path


def _notify(recipients, *, subject, body, link):
    from notifications.services import notify

    people = list(recipients)
    if people:
        notify(recipients=people, subject=subject, body=body, link=link)
