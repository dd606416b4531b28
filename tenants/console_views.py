"""The vendor console (platform domain only): list, onboard, suspend, reactivate, close, domains."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.worker_heartbeat import worker_state
from tenants import cluster
from tenants.forms import ConsoleSearchForm, DomainForm, OnboardForm
from tenants.models import Domain, Tenant, TenantEvent
from tenants.selectors import migration_run_last, spare_schemas_ready, tenant_console_list
from tenants.services import OnboardingError, domain_add, domain_verify, tenant_draft_clean, tenant_onboard, tenant_set_status

# The list pages name and order by name (an index): one page of tenants whatever their number.
TENANTS_PER_PAGE = 50


def vendor_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_vendor:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@vendor_required
def home(request):
    form = ConsoleSearchForm(request.GET or None)
    filters = {"query": "", "province_code": "", "status": ""}
    if form.is_valid():
        filters = {
            "query": form.cleaned_data["q"] or "",
            "province_code": form.cleaned_data["province"].code if form.cleaned_data["province"] else "",
            "status": form.cleaned_data["status"] or "",
        }
    page = Paginator(tenant_console_list(**filters), TENANTS_PER_PAGE).get_page(request.GET.get("page"))
    nodes = cluster.tenant_nodes()
    for tenant in page:
        tenant.node = nodes.get(tenant.schema_name, "")
    return render(request, "tenants/console/home.html", {
        "form": form, "page": page, "query": _without_page(request), "worker_state": worker_state(),
        "citus": cluster.cluster_on(), "workers": cluster.cluster_workers(),
    })


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@vendor_required
def migrations(request):
    """The last `migrate_tenants` run: when, how many schemas, each migration's path, failures."""
    return render(request, "tenants/console/migrations.html", {"run": migration_run_last()})


@vendor_required
def onboard(request):
    form = OnboardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["province"] = data["province"]
        try:
            draft = tenant_draft_clean(**data)
            tenant = tenant_onboard(draft=draft, actor=request.user.email)
        except OnboardingError as error:
            for field, field_errors in error.errors.items():
                for message in field_errors:
                    form.add_error(None if field == "__all__" or field not in form.fields else field, message)
        else:
            messages.success(request, _("«%(name)s» راه‌اندازی شد و دعوت‌نامه مدیر آن فرستاده شد.") % {"name": tenant.name})
            return redirect("console:tenant", slug=tenant.slug)
    return render(request, "tenants/console/onboard.html", {
        "form": form, "spares_ready": spare_schemas_ready(), "spares_target": settings.TENANT_SPARE_SCHEMAS,
        "worker_state": worker_state(),
    })


@vendor_required
def tenant_detail(request, slug, *, domain_form=None, status: int = 200):
    tenant = get_object_or_404(Tenant.objects.select_related("province", "parent"), slug=slug)
    return render(request, "tenants/console/tenant.html", {
        "tenant": tenant, "domains": tenant.domains.order_by("-is_primary", "domain"), "events": tenant.events.all()[:50],
        "domain_form": domain_form or DomainForm(),
        "citus": cluster.cluster_on(), "node": cluster.tenant_nodes().get(tenant.schema_name, ""),
        "workers": cluster.cluster_workers(),
    }, status=status)


@vendor_required
@require_POST
def tenant_move(request, slug):
    """Move the tenant's schema to another worker of the Citus cluster; it keeps serving."""
    tenant = get_object_or_404(Tenant, slug=slug)
    try:
        seconds = cluster.tenant_move(tenant=tenant, node=request.POST.get("node", ""), actor=request.user.email)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("console:tenant", slug=slug)
    messages.success(request, _("«%(name)s» در %(seconds)s ثانیه جابه‌جا شد.") % {
        "name": tenant.name, "seconds": f"{seconds:.1f}"})
    return redirect("console:tenant", slug=slug)


@vendor_required
@require_POST
def tenants_rebalance(request):
    """Let Citus balance every tenant schema over the workers."""
    try:
        moves = cluster.tenants_rebalance()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("توازن انجام شد: %(moves)s جابه‌جایی.") % {"moves": moves})
    return redirect("console:home")


@vendor_required
@require_POST
def tenant_status(request, slug, action):
    tenant = get_object_or_404(Tenant, slug=slug)
    if action not in (TenantEvent.Action.SUSPEND, TenantEvent.Action.REACTIVATE, TenantEvent.Action.CLOSE):
        raise PermissionDenied
    try:
        tenant_set_status(tenant=tenant, action=action, actor=request.user.email, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("وضعیت «%(name)s» تغییر کرد.") % {"name": tenant.name})
    return redirect("console:tenant", slug=slug)


@vendor_required
@require_POST
def tenant_domain_add(request, slug):
    tenant = get_object_or_404(Tenant, slug=slug)
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            domain_add(tenant=tenant, domain=form.cleaned_data["domain"], verified=form.cleaned_data["verified"], actor=request.user.email)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("دامنه افزوده شد."))
            return redirect("console:tenant", slug=slug)
    else:
        messages.error(request, _("نام دامنه را وارد کنید."))
    # Refused: the tenant's page again with the domain and the tick kept.
    return tenant_detail(request, slug, domain_form=form, status=400)


@vendor_required
@require_POST
def tenant_domain_verify(request, slug, domain_id):
    domain = get_object_or_404(Domain, pk=domain_id, tenant__slug=slug, is_custom=True)
    domain_verify(domain=domain, actor=request.user.email)
    messages.success(request, _("دامنه تأیید شد و از این پس پاسخ می‌دهد."))
    return redirect("console:tenant", slug=slug)
