from django.shortcuts import render

from accounts.permissions import staff_required
from notifications.selectors import staff_notices_unread


@staff_required()
def staff_home(request):
    """The staff area's home: what each role will find here as the product grows."""
    return render(request, "staff/home.html", {
        "role": request.user.get_role_display(), "notices": staff_notices_unread(user=request.user),
    })
