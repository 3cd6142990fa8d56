from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 20


@login_required
def message_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        selectors.messages_for(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only},
    )


def _safe_link(request, link):
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return link
    return None


@login_required
@require_POST
def mark_read(request, pk):
    message = selectors.get_message_for(user=request.user, pk=pk)
    services.mark_read(user=request.user, message_ids=[message.pk])
    if request.POST.get("open") and (link := _safe_link(request, message.link)):
        return redirect(link)
    if request.headers.get("HX-Request"):
        message.refresh_from_db()
        # The row, and the navigation badge out of band.
        return render(request, "notifications/_message_swap.html", {"message": message})
    return redirect(_safe_link(request, request.POST.get("next")) or "notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_read(user=request.user)
    if count:
        messages.success(request, _("%(count)d messages marked as read.") % {"count": count})
    else:
        messages.info(request, _("There were no unread messages."))
    return redirect("notifications:list")
