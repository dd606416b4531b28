"""The staff area's notices: marking one read."""

from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from accounts.permissions import staff_required
from notifications.models import StaffNotice
from notifications.services import staff_notice_mark_read


@staff_required()
@require_POST
def notice_read(request, pk):
    notice = get_object_or_404(StaffNotice, pk=pk, recipient=request.user)
    staff_notice_mark_read(notice=notice, user=request.user)
    return redirect("staff:home")
