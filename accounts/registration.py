"""Organization self-registration, verification by the department, staff invitations."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from applications.files import SCAN_EXTENSIONS, check_upload

from .forms import BootstrapFormMixin, SetPasswordForm
from .models import SHANXI, City, Organization
from .services import changes, invitations
from .services import registration as registration_services
from .validators import validate_credit_code

PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区", "台湾省",
]  # fmt: skip
ORG_TYPE_CHOICES = [
    ("enterprise", "企业"),
    ("university", "高等院校"),
    ("research_institute", "科研院所"),
    ("technical_institution", "技术机构"),
    ("new_rd_institution", "新型研发机构"),
]


class OrganizationDataForm(BootstrapFormMixin, forms.Form):
    """The organization's own data, with the same rules at registration and on a change."""

    name = forms.CharField(label="单位名称", max_length=200)
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        min_length=1,
        validators=[validate_credit_code],
        help_text="18位，按GB 32100-2015校验。",
    )
    org_type = forms.ChoiceField(label="单位类型", choices=ORG_TYPE_CHOICES)
    registered_province = forms.ChoiceField(
        label="注册地（省级）", choices=[(p, p) for p in PROVINCES], initial=SHANXI
    )
    registered_city = forms.ModelChoiceField(
        label="注册地（市）",
        queryset=City.objects.all(),
        required=False,
        empty_label="请选择（省外单位不填）",
    )
    address = forms.CharField(label="单位地址", max_length=300)
    is_legal_person = forms.BooleanField(label="具有独立法人资格", required=False, initial=True)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    contact_email = forms.EmailField(label="联系邮箱", max_length=254)  # the column's length

    organization = None  # the organization being changed; None when registering
    duplicate_code_message = "该统一社会信用代码已注册，请联系本单位已注册的人员邀请您加入。"
    FIELDSETS: list = []

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        others = Organization.objects.filter(credit_code=code)
        if self.organization is not None:
            others = others.exclude(pk=self.organization.pk)
        if others.exists():
            raise ValidationError(self.duplicate_code_message)
        return code

    def clean(self):
        data = super().clean()
        if data.get("registered_province") == SHANXI:
            if not data.get("registered_city"):
                self.add_error("registered_city", "山西省内单位请选择注册地所在的市。")
        elif "registered_city" in data:
            data["registered_city"] = None
        return data


class RegistrationForm(OrganizationDataForm):
    licence = forms.FileField(
        label="营业执照（或法人登记证书）扫描件", help_text="PDF或图片（jpg/png），不超过20 MB。"
    )
    # first user
    username = forms.CharField(label="登录用户名", max_length=150)
    last_name = forms.CharField(label="姓", max_length=50)
    first_name = forms.CharField(label="名", max_length=50)
    email = forms.EmailField(label="本人邮箱", max_length=254)  # User.email
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput, strip=False)

    FIELDSETS = [
        (
            "单位信息",
            [
                "name",
                "credit_code",
                "org_type",
                "registered_province",
                "registered_city",
                "address",
                "is_legal_person",
                "licence",
            ],
        ),
        ("联系人", ["contact_name", "contact_phone", "contact_email"]),
        (
            "首个用户账号",
            ["username", "last_name", "first_name", "email", "password1", "password2"],
        ),
    ]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError("该用户名已被使用。")
        return username

    def clean_licence(self):
        upload = self.cleaned_data["licence"]
        self.licence_name, self.licence_content_type = check_upload(
            upload, extensions=SCAN_EXTENSIONS
        )
        return upload

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致。")
        elif p1:
            probe = get_user_model()(
                username=data.get("username", ""),
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class OrganizationEditForm(OrganizationDataForm):
    """A change of the organization's data by its own staff."""

    licence = forms.FileField(
        label="新的营业执照（或法人登记证书）扫描件",
        required=False,
        help_text="变更单位名称、统一社会信用代码或注册地时请上传变更后的扫描件；"
        "PDF或图片（jpg/png），不超过20 MB。不上传则保留原扫描件。",
    )
    duplicate_code_message = "该统一社会信用代码已被其他单位注册，请核对后重新输入。"
    FIELDSETS = [
        (
            "单位信息",
            [
                "name",
                "credit_code",
                "org_type",
                "registered_province",
                "registered_city",
                "address",
                "is_legal_person",
                "licence",
            ],
        ),
        ("联系人", ["contact_name", "contact_phone", "contact_email"]),
    ]

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
                upload, extensions=SCAN_EXTENSIONS
            )
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    """Staff of the organization (applicant role) change its data."""
    if request.user.organization_id != pk:
        raise Http404("No such organization.")
    if not changes.can_update(request.user, pk):
        raise PermissionDenied("只有本单位的申报人员可以变更单位信息。")
    org = get_object_or_404(
        Organization.objects.select_related("registered_city", "verifying_department"), pk=pk
    )
    form = OrganizationEditForm(request.POST or None, request.FILES or None, organization=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = {k: d[k] for k in registration_services.IDENTITY_FIELDS + changes.CONTACT_FIELDS}
        if "contact_email" in d:
            data["contact_email"] = d["contact_email"]
        try:
            result = changes.organization_update(
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
        {"form": form, "organization": org, "identity_labels": _identity_labels()},
    )


def _identity_labels():
    return "、".join(
        changes.FIELD_LABELS[n]
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
                "label": changes.FIELD_LABELS.get(name, name),
                "old": before if before not in (None, "") else "—",
                "new": after if after not in (None, "") else "—",
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            org, user = registration_services.organization_register(
                actor=None,
                organization={
                    k: d[k]
                    for k in (
                        "name",
                        "credit_code",
                        "org_type",
                        "registered_province",
                        "registered_city",
                        "address",
                        "is_legal_person",
                        "contact_name",
                        "contact_phone",
                    )
                },
                user={
                    "username": d["username"],
                    "last_name": d["last_name"],
                    "first_name": d["first_name"],
                    "email": d["email"],
                    "password": d["password1"],
                },
                licence=d["licence"],
                licence_name=form.licence_name,
                licence_content_type=form.licence_content_type,
                contact_email=d["contact_email"],
            )
        except (ValidationError, IntegrityError) as exc:
            messages_ = getattr(exc, "messages", None) or ["注册信息与已有记录冲突，请核对后重试。"]
            for m in messages_:
                form.add_error(None, m)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"注册成功。单位注册信息已提交{org.verifying_department}核验；核验通过前可以填写建设方案，但不能提交。",
            )
            return redirect("applications:home")
    return render(request, "accounts/registration/register.html", {"form": form})


# ---- verification by the department --------------------------------------


def _pending_for(user):
    qs = Organization.objects.select_related(
        "registered_city", "verifying_department", "registration"
    )
    if not user.is_authenticated or user.department_id is None:
        return qs.none()
    qs = qs.filter(verifying_department_id=user.department_id)
    if not (user.has_role("department_reviewer") or user.has_role("provincial_officer")):
        return qs.none()
    if not user.has_role("department_reviewer"):
        qs = qs.filter(verifying_department__kind="province_st")
    return qs


def _get_for_verifier(user, pk):
    org = _pending_for(user).filter(pk=pk).first()
    if org is None:
        raise Http404("No such organization.")
    return org


@login_required
def pending_list(request):
    if not (
        request.user.has_role("department_reviewer") or request.user.has_role("provincial_officer")
    ):
        raise PermissionDenied("只有组织管理部门人员可以核验单位。")
    orgs = _pending_for(request.user).order_by("-created_at", "pk")
    pending = [o for o in orgs if o.status == Organization.Status.PENDING]
    decided = [o for o in orgs if o.status != Organization.Status.PENDING][:50]
    return render(
        request,
        "accounts/registration/pending_list.html",
        {"pending": pending, "decided": decided},
    )


class VerifyForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="核验结论",
        choices=[("verify", "核验通过"), ("refuse", "不予通过")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="理由（不予通过时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", "不予通过核验时须填写理由。")
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


# ---- invitations ------------------------------------------------------------


class InviteForm(BootstrapFormMixin, forms.Form):
    username = forms.CharField(label="登录用户名", max_length=150)
    last_name = forms.CharField(label="姓", max_length=50)
    first_name = forms.CharField(label="名", max_length=50)
    email = forms.EmailField(label="邮箱", max_length=254)  # User.email

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError("该用户名已被使用。")
        return username


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    if not invitations.is_first_user(request.user):
        raise PermissionDenied("只有本单位注册时的首个用户可以邀请其他人员。")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = invitations.organization_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(request, f"已向{person.email}发送邀请邮件。")
            return redirect("registration_invite")
    members = request.user.organization.members.order_by("pk")
    return render(
        request,
        "accounts/registration/invite.html",
        {"form": form, "members": members, "org": request.user.organization},
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, uidb64, token):
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/registration/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "密码已设置，欢迎使用。")
        return redirect("applications:home")
    return render(
        request, "accounts/registration/accept_invitation.html", {"form": form, "invitee": user}
    )
