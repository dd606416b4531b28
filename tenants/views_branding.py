"""The branding editor (/staff/branding/, tenant admins): the draft, its preview on the real
pages, presets, publishing and rolling back; and the tenant's domains, read-only (the vendor
manages them in the console). Here, above accounts (roles) and portal_themes (the theme),
beside the domains it lists."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required
from lib.forms_kept import form_files_choose_again
from lib.persian import to_persian_digits
from portal_themes.forms import BrandingForm
from portal_themes.presets import PRESETS
from portal_themes.preview_pages import preview_pages
from portal_themes.selectors import PREVIEW_SESSION_KEY, preview_on, theme_history, theme_published, theme_rollback_target
from portal_themes.services import (
    draft_apply_preset, draft_discard, draft_get_or_create, draft_save, theme_publish, theme_rollback,
)

admin_only = staff_required(User.Role.TENANT_ADMIN)




def _page(request, form, *, status=200):
    draft = draft_get_or_create()
    return render(request, "staff/branding.html", {
        "form": form, "draft": draft, "published": theme_published(), "presets": PRESETS,
        "history": theme_history(), "can_roll_back": theme_rollback_target() is not None,
        "pages": preview_pages(), "previewing": preview_on(request),
        "domains": request.tenant.domains.order_by("-is_primary", "domain"),
    }, status=status)


@admin_only
def edit(request):
    """GET: the draft in the form. POST: the draft saved (nothing saved when anything is refused)."""
    if request.method != "POST":
        return _page(request, BrandingForm(initial=BrandingForm.initial_from(draft_get_or_create())))
    data = request.POST.copy()
    for name in ("primary_color", "accent_color"):  # «take the offered shade» posts the form with it
        offered = request.POST.get(f"take_{name}", "")
        if offered:
            data[name] = offered
    form = BrandingForm(data, request.FILES)
    if not form.is_valid():
        form_files_choose_again(form, request.FILES)
        return _page(request, form, status=400)
    draft_save(
        values=form.draft_values(), logo=form.cleaned_data["logo"], favicon=form.cleaned_data["favicon"],
        remove_logo=form.cleaned_data["remove_logo"], remove_favicon=form.cleaned_data["remove_favicon"],
        actor=request.user.email,
    )
    messages.success(request, "پیش‌نویس ذخیره شد. آن را پیش‌نمایش کنید و سپس منتشر کنید؛ شهروندان تا انتشار ظاهر پیشین را می‌بینند.")
    return redirect("branding:edit")


@admin_only
@require_POST
def preset(request):
    try:
        draft_apply_preset(preset=request.POST.get("preset", ""), actor=request.user.email)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"الگوی «{PRESETS[request.POST['preset']].label}» روی پیش‌نویس نشست. پیش از انتشار آن را ببینید.")
    return redirect("branding:edit")


@admin_only
@require_POST
def preview(request):
    """Preview on (this admin's session only) and off."""
    if request.POST.get("on"):
        request.session[PREVIEW_SESSION_KEY] = True
        offered = {page["url"] for page in preview_pages() if page["url"]}
        target = request.POST.get("page", "")
        return redirect(target if target in offered else "/")  # only the pages the editor offers: no open redirect
    request.session.pop(PREVIEW_SESSION_KEY, None)
    messages.success(request, "پیش‌نمایش پایان یافت.")
    return redirect("branding:edit")


@admin_only
@require_POST
def publish(request):
    theme = theme_publish(actor=request.user.email)
    request.session.pop(PREVIEW_SESSION_KEY, None)
    messages.success(request, f"ظاهر درگاه منتشر شد (نسخه {to_persian_digits(theme.version)}). شهروندان از همین حالا آن را می‌بینند.")
    return redirect("branding:edit")


@admin_only
@require_POST
def rollback(request):
    try:
        theme_rollback(actor=request.user.email)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        request.session.pop(PREVIEW_SESSION_KEY, None)
        messages.success(request, "ظاهر پیشین درگاه برگردانده شد و پیش‌نویس نیز همان شد.")
    return redirect("branding:edit")


@admin_only
@require_POST
def discard(request):
    draft_discard(actor=request.user.email)
    messages.success(request, "پیش‌نویس کنار گذاشته شد و با ظاهر منتشرشده یکی شد.")
    return redirect("branding:edit")
