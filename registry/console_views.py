"""The vendor console's pages for the registry mirror: search it, sync it, follow a run."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from registry.forms import ServiceSearchForm
from registry.models import SyncRun
from registry.rows import REASON_LABELS
from registry.selectors import (
    national_service_search, national_service_totals, sync_run_progress, sync_runs_recent,
)
from registry.services import sync_run_queue
from registry.sources import SourceError
from tenants.console_views import vendor_required

PAGE_SIZE = 50
SHOWN_ROWS = 500


@vendor_required
def home(request):
    form = ServiceSearchForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {
            "query": form.cleaned_data["q"], "status": form.cleaned_data["status"],
            "service_type": form.cleaned_data["type"], "missing": form.cleaned_data["missing"],
            "short_id": form.cleaned_data["short_id"],
        }
    page = Paginator(national_service_search(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "registry/console/home.html", {
        "form": form, "page": page, "query": query.urlencode(), "totals": national_service_totals(),
        "runs": sync_runs_recent(),
    })


@vendor_required
@require_POST
def sync_start(request):
    try:
        run = sync_run_queue(triggered_by=request.user.email)
    except SourceError as error:
        messages.error(request, str(error))
        return redirect("registry_console:home")
    return redirect("registry_console:run", pk=run.pk)


@vendor_required
def run_detail(request, pk):
    run = get_object_or_404(SyncRun, pk=pk)
    invalid_rows = [(row, REASON_LABELS.get(row.reason, row.reason)) for row in run.invalid_rows.all()[:SHOWN_ROWS]]
    return render(request, "registry/console/run.html", {
        "run": run, "progress": sync_run_progress(run), "invalid_rows": invalid_rows,
        "changes": run.changes.select_related("service")[:SHOWN_ROWS],
    })
