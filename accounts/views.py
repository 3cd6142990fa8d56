from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from .access import organization_for
from .inbox import TaskList, inbox_for, with_waited_days
from .models import Organization
from .roles import ROLE_LABELS, user_roles

# The home page includes one partial per app: templates/_home/<app>.html.
HOME_PARTIALS = [
    "_home/workdays.html",
    "_home/applications.html",
    "_home/reviews.html",
    "_home/centers.html",
    "_home/evaluations.html",
]


def home(request):
    """Public landing page for visitors; "what is expected of you next" for users."""
    context = {"home_partials": HOME_PARTIALS}
    if request.user.is_authenticated:
        roles = user_roles(request.user)
        context["role_labels"] = [label for code, label in ROLE_LABELS.items() if code in roles]
        context["inbox"] = inbox_for(request.user)
    return render(request, "home.html", context)


# tasks per page of the full task list (the home page shows the oldest inbox.HOME_TASKS)
TASK_PAGE = 50


@login_required
def my_tasks(request):
    """Every task of the user, oldest first, in pages: only the tasks up to the page's end
    are built (accounts.inbox.TaskList)."""
    number = request.GET.get("page")
    number = int(number) if number and number.isdigit() and 0 < int(number) < 10_000 else 1
    tasks = TaskList(request.user, upto=number * TASK_PAGE)
    page = Paginator(tasks, TASK_PAGE).get_page(number)
    inbox = with_waited_days(page.object_list)
    inbox.total = page.paginator.count
    return render(
        request,
        "accounts/my_tasks.html",
        {"inbox": inbox, "page": page, "query": "", "start": page.start_index()},
    )


@login_required
def organization_detail(request, pk):
    """An organization's profile: for its members, the departments that verify it or review
    its plans, and the provincial S&T department (accounts.access); 404 for everyone else."""
    user = request.user
    queryset = Organization.objects.select_related("registered_city", "verifying_department")
    organization = organization_for(user, pk, queryset)
    from .services.changes import can_update

    members = organization.members.filter(is_active=True).order_by("username")
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "members": members,
            "is_member": user.organization_id == organization.pk,
            "can_edit": can_update(user, organization.pk),
        },
    )


def error_403(request, exception=None):
    reason = str(exception) if exception is not None and str(exception) else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # A plain render without context processors: the failure may be the database itself.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
