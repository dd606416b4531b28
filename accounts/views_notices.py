"""The staff area's notices (marking one read) and the admins' message templates: pages of the
staff area, which accounts owns, over notifications' models (notifications sits below accounts)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required
from notifications.messages import EVENTS, FIELDS, template_reset, template_save
from notifications.models import MessageTemplate, StaffNotice
from notifications.services import staff_notice_mark_read


@staff_required()
@require_POST
def notice_read(request, pk):
    notice = get_object_or_404(StaffNotice, pk=pk, recipient=request.user)
    staff_notice_mark_read(notice=notice, user=request.user)
    return redirect("staff:home")


@staff_required(User.Role.TENANT_ADMIN)
def message_templates(request):
    """Every event's SMS and e-mail wording, editable; placeholders are checked before saving."""
    saved = {row.event: row for row in MessageTemplate.objects.all()}
    errors, posted = {}, {}
    if request.method == "POST" and request.POST.get("event") in EVENTS:
        event = request.POST["event"]
        if "reset" in request.POST:
            template_reset(event=event)
            messages.success(request, "متن پیش‌فرض برگردانده شد.")
            return redirect("staff:messages")
        posted = {field: request.POST.get(field, "").replace("\r\n", "\n") for field in FIELDS}
        try:
            template_save(event=event, texts=posted, actor=request.user.email or "")
        except ValidationError as error:
            errors[event] = error.message_dict
        else:
            messages.success(request, "متن پیام‌ها ذخیره شد.")
            return redirect("staff:messages")
    rows = []
    for key, spec in EVENTS.items():
        current = saved.get(key)
        values = posted if key in errors else {f: (getattr(current, f) if current else "") or getattr(spec, f) for f in FIELDS}
        rows.append({"key": key, "spec": spec, "values": values, "errors": errors.get(key, {}), "custom": current is not None})
    return render(request, "staff/messages.html", {"rows": rows})
