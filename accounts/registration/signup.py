"""Organization self-registration (注册): the form and the page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.auth_views import too_many_message
from accounts.backends import PATH
from accounts.registration.common import ORGANIZATION_FIELDSETS, OrganizationDataForm
from accounts.services import registration as registration_services
from accounts.throttle import hit, hit_client, rate
from applications.files import SCAN_EXTENSIONS, check_upload


class RegistrationForm(OrganizationDataForm):
    licence = forms.FileField(
        label=_("Scan of the business licence (or legal person registration certificate)"),
        help_text=_("PDF or image (jpg/png), at most 20 MB."),
    )
    # first user
    username = forms.CharField(label=_("User name for login"), max_length=150)
    last_name = forms.CharField(label=_("Family name"), max_length=50)
    first_name = forms.CharField(label=_("Given name"), max_length=50)
    email = forms.EmailField(label=_("Your e-mail"), max_length=254)  # User.email
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=_("Confirm the password"), widget=forms.PasswordInput, strip=False
    )

    FIELDSETS = [
        *ORGANIZATION_FIELDSETS,
        (
            _("First user account"),
            ["username", "last_name", "first_name", "email", "password1", "password2"],
        ),
    ]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken."))
        return username

    def clean_licence(self):
        upload = self.cleaned_data["licence"]
        self.licence_name, self.licence_content_type = check_upload(
            upload, extensions=SCAN_EXTENSIONS, whole=True
        )
        return upload

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
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


def _throttled(request, form):
    """A 429 page with the form (what was typed stays) when this client, or this credit code /
    e-mail address, registered too often."""
    per_client = rate("REGISTRATION_RATE_PER_CLIENT", (10, 3600))
    per_target = rate("REGISTRATION_RATE_PER_TARGET", (10, 3600))
    over = per_client if hit_client(request, "registration", per_client) else None
    for field in ("credit_code", "email"):
        value = (request.POST.get(field) or "").strip().upper()
        if value and hit(f"registration-{field}", value, per_target) and over is None:
            over = per_target
    if over is None:
        return None
    form.is_valid()
    form.add_error(None, too_many_message(over))
    return render(request, "accounts/registration/register.html", {"form": form}, status=429)


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and (refused := _throttled(request, form)):
        return refused
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
            messages_ = getattr(exc, "messages", None) or [
                _("The registration conflicts with an existing record; check it and try again.")
            ]
            for m in messages_:
                form.add_error(None, m)
        else:
            login(request, user, backend=PATH)
            messages.success(
                request,
                f"注册成功。单位注册信息已提交{org.verifying_department}核验；核验通过前可以填写建设方案，但不能提交。",
            )
            return redirect("applications:home")
    return render(request, "accounts/registration/register.html", {"form": form})
