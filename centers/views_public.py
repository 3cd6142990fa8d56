"""Public pages without login: publicity notices, the objection form, the receipt lookup."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.http import require_http_methods

from centers.services.common import CentersError
from documents.formatting import cn_date

from . import public_cache, public_pdf, rules, selectors
from .forms import ObjectionForm, ObjectionLookupForm
from .services import objections
from .views_common import client_ip

SESSION_RECEIPT = "centers_objection_receipt"


def _rate(name: str, default: tuple[int, int]) -> tuple[int, int]:
    return getattr(settings, name, default)


def over_limit(request, bucket: str, setting: str, default: tuple[int, int]) -> bool:
    """Count one attempt of this client (by IP) in ``bucket``; True when over the limit."""
    limit, window = _rate(setting, default)
    key = f"centers:rate:{bucket}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


@public_cache.cached_page
def notice_index(request):
    page = Paginator(selectors.current_notices(), 20).get_page(request.GET.get("page"))
    return render(request, "centers/public/index.html", {"page": page, "notices": page.object_list})


@public_cache.cached_page
def notice_archive(request):
    page = Paginator(selectors.archived_notices(), 20).get_page(request.GET.get("page"))
    return render(
        request, "centers/public/archive.html", {"page": page, "notices": page.object_list}
    )


def _notice_context(notice):
    return {
        "notice": notice,
        "items": list(notice.items.all()),
        "window_open": rules.objection_window_open(notice),
        "over": rules.publicity_over(notice),
        "department": settings.ST_DEPARTMENT_NAME,
    }


@public_cache.cached_page
def notice_detail(request, pk):
    notice = selectors.public_notice(pk=pk)
    return render(request, "centers/public/notice_detail.html", _notice_context(notice))


def fonts_template() -> str | None:
    try:
        get_template("documents/_fonts.html")
    except TemplateDoesNotExist:
        return None
    return "documents/_fonts.html"


def notice_pdf(request, pk):
    """The notice's PDF, rendered once per content into storage (public_pdf); visitors the
    public cache serves get its bytes from there."""

    def produce():
        from documents.pdf import render_pdf

        notice = selectors.public_notice(pk=pk)  # 404 before anything is sent
        context = _notice_context(notice) | {"fonts_template": fonts_template()}
        stored = public_pdf.stored(
            f"publicity-notice-{notice.pk}",
            context,
            lambda: render_pdf("centers/pdf/publicity_notice.html", context),
        )
        return public_pdf.chunks(stored)

    return public_cache.download(
        request,
        "pdf",
        produce,
        "application/pdf",
        f'inline; filename="publicity-notice-{pk}.pdf"',
    )


@require_http_methods(["GET", "POST"])
def objection_create(request, pk):
    notice = selectors.public_notice(pk=pk)
    context = _notice_context(notice)
    if not context["window_open"]:
        context["closed_message"] = (
            f"公示期已于{cn_date(notice.end_date)}24时结束，不再受理异议。"
            if context["over"]
            else "公示尚未开始。"
        )
        return render(request, "centers/public/objection_form.html", context, status=200)
    items = notice.items.filter(application__status="publicity").order_by("order", "pk")
    form = ObjectionForm(request.POST or None, request.FILES or None, items=items)
    status = 200
    if request.method == "POST":
        if over_limit(request, "objection", "CENTERS_OBJECTION_RATE", (5, 3600)):
            limit, window = _rate("CENTERS_OBJECTION_RATE", (5, 3600))
            form.add_error(
                None,
                f"提交过于频繁：同一网络每{window // 60}分钟最多提交{limit}次，请稍后再试。"
                "如需提交多件异议，也可按公示中的联系方式书面寄送。",
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                objection = objections.objection_submit(
                    item_id=data["item"].pk,
                    data=data,
                    statement=data["statement"],
                    evidence=data["evidence"],
                    ip=client_ip(request),
                )
            except CentersError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                status = 400
            else:
                request.session[SESSION_RECEIPT] = objection.receipt_number
                return redirect("centers:objection_receipt")
        else:
            status = 400
    context["form"] = form
    return render(request, "centers/public/objection_form.html", context, status=status)


def objection_receipt(request):
    receipt = request.session.get(SESSION_RECEIPT)
    objection = None
    if receipt:
        objection = selectors.objections_for_officer().filter(receipt_number=receipt).first()
    return render(request, "centers/public/objection_receipt.html", {"objection": objection})


@require_http_methods(["GET", "POST"])
def objection_status(request):
    """Status by receipt number + the last 4 digits of the phone; shows no identity."""
    form = ObjectionLookupForm(request.POST or None)
    result = None
    searched = False
    status = 200
    if request.method == "POST":
        if over_limit(request, "lookup", "CENTERS_LOOKUP_RATE", (30, 3600)):
            form.add_error(None, "查询过于频繁，请稍后再试。")
            status = 429
        elif form.is_valid():
            searched = True
            result = selectors.objection_status_lookup(**form.cleaned_data)
    return render(
        request,
        "centers/public/objection_status.html",
        {"form": form, "result": result, "searched": searched},
        status=status,
    )
