"""The public site on the platform domain: the landing page and the tenants' directory."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lib.client_ip import client_ip
from lib.throttle import attempt_allowed
from lib.hosts import host_url

from tenants.forms import DirectorySearchForm
from tenants.selectors import tenant_directory
from tenants.tracking_codes import MISTYPED_MESSAGE, TOO_MANY_MESSAGE, tracking_code_clean, tracking_code_tenant

DIRECTORY_PER_PAGE = 60  # one page of the directory, ordered by name (an index), whatever the number of tenants


def landing(request, *, code: str = "", status: int = 200):
    form = DirectorySearchForm(request.GET or None)
    query, province = "", ""
    if form.is_valid():
        query = form.cleaned_data["q"] or ""
        province = form.cleaned_data["province"].code if form.cleaned_data["province"] else ""
    page = Paginator(tenant_directory(query=query, province_code=province), DIRECTORY_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "tenants/landing.html", {
        "form": form, "page": page, "query": params.urlencode(), "searched": bool(query or province), "code": code,
    }, status=status)


@require_POST
def track_redirect(request):
    """The platform's home takes a tracking code and sends the citizen to the tenant that
    issued it; the code rides in the URL fragment, which no server ever receives or logs."""
    typed = request.POST.get("code", "")
    code = tracking_code_clean(typed)
    # A refused code comes back in its box (the page, not a redirect), to be corrected.
    if code is None:
        messages.error(request, MISTYPED_MESSAGE)
        return landing(request, code=typed, status=400)
    # The tracking page's limit per IP and its window: forwarding is one more way to look up a code.
    if not attempt_allowed(scope="platform-track-ip", key=client_ip(request), limit=settings.INTAKE_TRACK_LIMIT_PER_IP,
                           window_seconds=settings.INTAKE_TRACK_WINDOW_SECONDS, across_tenants=True):
        messages.error(request, TOO_MANY_MESSAGE)
        return landing(request, code=typed, status=429)
    tenant = tracking_code_tenant(code)
    if tenant is None or not tenant.is_serving:
        messages.error(request, "درخواستی با این کد رهگیری یافت نشد.")
        return landing(request, code=typed, status=404)
    return redirect(host_url(tenant.subdomain, "/track/") + f"#{code}")
