"""The six-step request wizard of seed 002, and the receipt."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from catalog.models import Service, Unit
from catalog.selectors import published_services
from intake.access import wizard_own_or_404, wizard_remember
from intake.citizen.forms import ApplicantForm, ChooseServiceForm, DetailsForm, UploadForm, VisitForm
from intake.citizen.receipts import receipt_context, receipt_response, review_context
from intake.citizen.services import draft_attach, draft_detach, draft_save_step, draft_start, request_submit
from intake.models import ServiceRequest
from payments.error_codes import PAYMENT_REQUIRED
from payments.selectors import payment_required

STEPS = ["preamble", "details", "attachments", "applicant", "visit", "review"]
STEP_TITLES = ["پیش مقدمه", "مشخصات درخواست", "ضمائم درخواست", "مشخصات ارباب رجوع", "مراجعه به سازمان", "بررسی و ثبت نهایی"]
FORMS = {"details": DetailsForm, "applicant": ApplicantForm, "visit": VisitForm}


def choose(request):
    """Choose the unit, then one of its services, and agree to the rules."""
    unit = _unit_named(request.POST.get("unit") or request.GET.get("unit") or "")
    initial = {}
    if request.GET.get("service"):
        service = published_services().filter(national_id=request.GET["service"]).first()
        if service:
            initial["service"] = service
            unit = unit or service.units.order_by("order", "id").first()
    if unit:
        initial["unit"] = unit
    form = ChooseServiceForm(request.POST or None, unit=unit, initial=initial)
    if request.method == "POST" and "choose" in request.POST and form.is_valid():
        draft = draft_start(service=form.cleaned_data["service"], unit=form.cleaned_data["unit"])
        return redirect("intake:step", slot=wizard_remember(request, draft), step=1)
    chosen = form["service"].value()
    service = Service.objects.filter(national_id=chosen).first() if chosen else initial.get("service")
    return render(request, "intake/choose.html", {"form": form, "service": service})


def _unit_named(unit_id: str) -> Unit | None:
    """The unit a link or the form names; none for an id that is not a number (a hand-edited link)."""
    return Unit.objects.filter(pk=unit_id).first() if unit_id.isascii() and unit_id.isdigit() else None


def step(request, slot, step):
    draft = wizard_own_or_404(request, slot)
    if ServiceRequest.objects.filter(wizard_token=draft.token).exists():
        return redirect("intake:receipt", slot=slot)
    if not 1 <= step <= len(STEPS):
        raise Http404
    name = STEPS[step - 1]
    form = None
    if name in FORMS:
        form = FORMS[name](request.POST if request.method == "POST" else None, initial=draft.data.get(name))
        if request.method == "POST":
            if "back" in request.POST:
                draft_save_step(draft=draft, step=name, values=_raw(request.POST, form))
                return redirect("intake:step", slot=slot, step=step - 1)
            if form.is_valid():
                draft_save_step(draft=draft, step=name, values=_stored(form.cleaned_data))
                return redirect("intake:step", slot=slot, step=step + 1)
    elif request.method == "POST":
        return redirect("intake:step", slot=slot, step=step - 1 if "back" in request.POST else step + 1)
    return render(request, f"intake/step_{name}.html", {
        "draft": draft, "service": draft.service, "form": form, "step": step, "steps": list(zip(range(1, 7), STEP_TITLES)),
        "upload_form": UploadForm(), "review": review_context(draft) if name == "review" else None, "slot": slot,
        "payment_due": name == "review" and draft.channel == ServiceRequest.Channel.ONLINE and payment_required(service=draft.service),
    })


def _raw(post, form) -> dict:
    """What was typed, unchecked, so that going back keeps it."""
    return {key: post.getlist(key) if len(post.getlist(key)) > 1 else post.get(key) for key in post if key in form.fields or key.startswith("visit_date")}


def _stored(cleaned: dict) -> dict:
    values = {}
    for key, value in cleaned.items():
        if hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        values[key] = value
    return values


@require_POST
def attach(request, slot):
    draft = wizard_own_or_404(request, slot)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            draft_attach(draft=draft, upload=form.cleaned_data["document"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "پرونده پیوست شد.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("intake:step", slot=slot, step=3)


@require_POST
def detach(request, slot, file_id):
    draft_detach(draft=wizard_own_or_404(request, slot), file_id=file_id)
    return redirect("intake:step", slot=slot, step=3)


@require_POST
def submit(request, slot):
    draft = wizard_own_or_404(request, slot)
    citizen = request.user if request.user.is_authenticated and not request.user.is_tenant_staff else None
    try:
        request_submit(token=draft.token, citizen=citizen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if error.code == PAYMENT_REQUIRED:
            return redirect("intake:pay", slot=slot)
        return redirect("intake:step", slot=slot, step=6)
    return redirect("intake:receipt", slot=slot)


def receipt(request, slot):
    draft = wizard_own_or_404(request, slot)
    service_request = get_object_or_404(ServiceRequest, wizard_token=draft.token)
    context = receipt_context(service_request=service_request, tenant=request.tenant)
    return render(request, "intake/receipt.html", {**context, "pdf_url": reverse("intake:receipt_pdf", kwargs={"slot": slot})})


def receipt_download(request, slot):
    draft = wizard_own_or_404(request, slot)
    service_request = get_object_or_404(ServiceRequest, wizard_token=draft.token)
    return receipt_response(service_request=service_request, tenant=request.tenant)
