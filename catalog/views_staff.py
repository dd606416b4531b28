"""The catalogue editor in the staff area, for tenant admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required
from catalog.forms import FaqFormSet, FeeFormSet, FormFileFormSet, ImportForm, LawFormSet, ServiceCardForm, StageFormSet, UnitForm
from catalog.fee_changes import fee_change_decide, fees_save
from catalog.models import FeeChange, Service, Unit
from catalog.publishing import card_checklist
from catalog.selectors import national_service_get, national_services_search, staff_service_list
from catalog.services import (
    service_add_from_registry, service_generate_external_bpmn, service_publish, service_unpublish, service_update, unit_save,
)
from catalog.xlsx import ImportRejected, catalog_export, catalog_import
from lib.forms_kept import form_files_choose_again

admin_only = staff_required(User.Role.TENANT_ADMIN)
FORMSETS = (("fees", FeeFormSet), ("laws", LawFormSet), ("faqs", FaqFormSet), ("stages", StageFormSet), ("forms", FormFileFormSet))


@admin_only
def service_list(request):
    query, status = request.GET.get("q", ""), request.GET.get("status", "")
    return render(request, "catalog/staff/list.html", {
        "services": staff_service_list(query=query, status=status), "query": query, "status": status,
        "statuses": Service.Status.choices,
    })


@admin_only
def service_pick(request):
    """Search the national mirror by ID or title and add services to the catalogue."""
    if request.method == "POST":
        try:
            service = service_add_from_registry(national_id=request.POST.get("national_id", ""), actor=request.user.email)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("«%(title)s» به فهرست خدمات افزوده شد.") % {"title": service.title})
            return redirect("catalog_staff:edit", national_id=service.national_id)
    query = request.GET.get("q", "")
    found = national_services_search(query=query) if query else []
    taken = set(Service.objects.filter(national_id__in=[n.service_id for n in found]).values_list("national_id", flat=True))
    return render(request, "catalog/staff/pick.html", {"query": query, "found": found, "taken": taken})


@admin_only
def service_edit(request, national_id):
    service = get_object_or_404(Service, national_id=national_id)
    form = ServiceCardForm(request.POST or None, request.FILES or None, instance=service)
    formsets = {name: cls(request.POST or None, request.FILES or None, instance=service, prefix=name) for name, cls in FORMSETS}
    for formset in (formsets["stages"],):
        for stage_form in formset.forms:
            stage_form.fields["unit"].queryset = Unit.objects.all()
    if request.method == "POST":
        if form.is_valid() and all(f.is_valid() for f in formsets.values()):
            proposed = []

            def save():
                form.save()
                for name, formset in formsets.items():
                    if name == "fees":
                        proposed.append(fees_save(service=service, formset=formset, actor=request.user.email))
                    else:
                        formset.save()

            service = service_update(service=service, actor=request.user.email, save=save)
            messages.success(request, _("شناسنامه ذخیره شد."))
            if sum(proposed):
                messages.warning(request, _("تغییر مبلغ یا حساب هزینه‌ها و هزینه‌های تازه پس از تایید مدیر سامانه دیگری اجرا می‌شود."))
            if service.status_reason and service.status == Service.Status.DRAFT:
                messages.warning(request, service.status_reason)
            return redirect("catalog_staff:edit", national_id=national_id)
        messages.error(request, _("برخی خانه‌ها نادرست است؛ پیام کنار هر خانه را ببینید. چیزی ذخیره نشد."))
        for bound in (form, *(f for formset in formsets.values() for f in formset.forms)):
            form_files_choose_again(bound, request.FILES)
    national = national_service_get(national_id)
    return render(request, "catalog/staff/edit.html", {
        "service": service, "form": form, "formsets": formsets, "national": national,
        "checklist": card_checklist(service, national=national),
        "fee_changes": service.fee_changes.filter(status=FeeChange.Status.PENDING).select_related("fee"),
    })


@admin_only
@require_POST
def fee_change_decide_view(request, national_id, change_id, decision):
    service = get_object_or_404(Service, national_id=national_id)
    get_object_or_404(FeeChange, pk=change_id, service=service)
    try:
        fee_change_decide(change_id=change_id, service=service, actor=request.user.email, approve=decision == "approve")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("تغییر هزینه تایید و اجرا شد.") if decision == "approve" else _("تغییر هزینه رد شد."))
    return redirect("catalog_staff:edit", national_id=national_id)


@admin_only
@require_POST
def service_publish_view(request, national_id):
    service = get_object_or_404(Service, national_id=national_id)
    try:
        service_publish(service=service, actor=request.user.email)
    except ValidationError as error:
        messages.error(request, _("منتشر نشد. موارد ناقص: ") + "، ".join(error.messages))
    else:
        messages.success(request, _("شناسنامه منتشر شد و در درگاه دیده می‌شود."))
    return redirect("catalog_staff:edit", national_id=national_id)


@admin_only
@require_POST
def service_unpublish_view(request, national_id):
    service = get_object_or_404(Service, national_id=national_id)
    service_unpublish(service=service, actor=request.user.email, reason=request.POST.get("reason") or _("به تصمیم مدیر سامانه"))
    messages.success(request, _("شناسنامه از درگاه برداشته شد."))
    return redirect("catalog_staff:edit", national_id=national_id)


@admin_only
@require_POST
def service_bpmn_generate(request, national_id):
    service = get_object_or_404(Service, national_id=national_id)
    try:
        service_generate_external_bpmn(service=service, actor=request.user.email)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("نمودار فرآیند بیرونی از مراحل گردش کار ساخته شد."))
    return redirect("catalog_staff:edit", national_id=national_id)


@admin_only
def service_preview(request, national_id):
    from catalog.views_portal import card_context

    service = get_object_or_404(Service, national_id=national_id)
    return render(request, "catalog/portal/card.html", {**card_context(service), "preview": True})


@admin_only
def catalog_export_view(request):
    response = HttpResponse(catalog_export(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="catalogue.xlsx"'
    return response


@admin_only
def catalog_import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            count = catalog_import(data=form.cleaned_data["workbook"].read(), actor=request.user.email)
        except ImportRejected as rejected:
            errors = rejected.errors
            form_files_choose_again(form, request.FILES)
        else:
            messages.success(request, _("%(count)s شناسنامه از کارپوشه خوانده و ذخیره شد.") % {"count": count})
            return redirect("catalog_staff:list")
    return render(request, "catalog/staff/import.html", {"form": form, "errors": errors})


@admin_only
def unit_list(request, unit_id=None):
    unit = get_object_or_404(Unit, pk=unit_id) if unit_id else None
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        unit_save(unit=unit, data=form.cleaned_data, actor=request.user.email)
        messages.success(request, _("واحد ذخیره شد."))
        return redirect("catalog_staff:units")
    return render(request, "catalog/staff/units.html", {"units": Unit.objects.select_related("parent"), "form": form, "editing": unit})
