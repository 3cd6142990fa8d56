"""Organization self-registration, verification and staff invitations (one write path each).

Every function is keyword-only with ``actor`` first, runs in one transaction,
writes its audit event there and queues notifications on commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from audit.services import record

from .models import SHANXI, City, Department, Organization, User
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

    from .models import OrganizationRegistration

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
            raise PermissionDenied("您无权核验该单位。")
        if org.status != Organization.Status.PENDING:
            raise ValidationError(
                f"该单位已被处理（当前状态：{org.get_status_display()}），请刷新页面后查看。"
            )
        if not approve and not reason:
            raise ValidationError("不予通过核验时须填写理由。")
        if seen and seen != identity_fingerprint(org):
            raise ValidationError(
                "该单位在您查看后变更了注册信息，请查看变更后的信息再作核验结论。"
            )
        from_state = org.status
        org.status = Organization.Status.VERIFIED if approve else Organization.Status.REFUSED
        if approve:
            # from now on public pages and exports show this name (registry, centers)
            org.verified_name = org.name
        org.save(update_fields=["status", "verified_name"])
        from .models import OrganizationRegistration

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


# ---- changes of the organization's data by its own staff ----------------------

# Changing any of these (or uploading a new licence scan) needs a new verification.
IDENTITY_FIELDS = (
    "name",
    "credit_code",
    "org_type",
    "registered_province",
    "registered_city",
    "is_legal_person",
)
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
    from .roles import APPLICANT

    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organization_id is not None
        and user.organization_id == organization_id
        and user.has_role(APPLICANT)
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
    from .models import OrganizationRegistration

    with transaction.atomic():
        org = (
            Organization.objects.select_for_update(of=("self",))
            .select_related("registered_city", "verifying_department")
            .get(pk=organization_id)
        )
        if not can_update(actor, org.pk):
            raise PermissionDenied("只有本单位的申报人员可以变更单位信息。")
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
                    raise ValidationError("请选择有效的注册地（市）。")
            values["registered_city"] = city
        elif "registered_city" in values:
            values["registered_city"] = None
        province = values.get("registered_province", org.registered_province) or SHANXI
        values["registered_province"] = province
        if province != SHANXI:
            values["registered_city"] = None
        elif values.get("registered_city", org.registered_city) is None:
            raise ValidationError("山西省内单位请选择注册地所在的市。")
        new_code = values.get("credit_code", org.credit_code)
        if (
            new_code != org.credit_code
            and Organization.objects.filter(credit_code=new_code).exclude(pk=org.pk).exists()
        ):
            raise ValidationError("该统一社会信用代码已被其他单位注册，请核对后重新输入。")

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
                raise ValidationError("本单位没有注册记录，不能更换营业执照扫描件。")
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
            _notify(
                verifiers_of(org),
                subject=f"单位信息变更待重新核验：{org.name}",
                body=(
                    f"{org.name}变更了单位注册信息（{'、'.join(_labels(new))}），"
                    "请核验变更后的信息。"
                ),
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


def is_first_user(user) -> bool:
    from .models import OrganizationRegistration

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
