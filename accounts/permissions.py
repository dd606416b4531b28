"""Who may enter the staff area, and with which role."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def staff_required(*roles):
    """Signed-in tenant staff only; with `roles`, only those roles (tenant admins always pass)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_tenant_staff:
                raise PermissionDenied
            if roles and user.role not in roles and user.role != user.Role.TENANT_ADMIN:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
