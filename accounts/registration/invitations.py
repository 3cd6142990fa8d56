"""Inviting colleagues and accepting an invitation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.backends import PATH
from accounts.forms import BootstrapFormMixin, SetPasswordForm
from accounts.services import invitations as invitations_services


class InviteForm(BootstrapFormMixin, forms.Form):
    username = forms.CharField(label=gettext_lazy("User name for signing in"), max_length=150)
    last_name = forms.CharField(label=pgettext_lazy("person", "Family name"), max_length=50)
    first_name = forms.CharField(label=pgettext_lazy("person", "Given name"), max_length=50)
    email = forms.EmailField(label=pgettext_lazy("person", "E-mail"), max_length=254)  # User.email

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken."))
        return username


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    if not invitations_services.is_first_user(request.user):
        raise PermissionDenied(
            _("Only the organization's first registered user can invite other staff.")
        )
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = invitations_services.organization_invite(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
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
        login(request, user, backend=PATH)
        messages.success(request, _("Password set. Welcome."))
        return redirect("applications:home")
    return render(
        request, "accounts/registration/accept_invitation.html", {"form": form, "invitee": user}
    )
