"""Tenant admins' questionnaires: the list, a new one, and the choice of one per service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required
from catalog.models import Service
from intake.models import Questionnaire, ServiceQuestionnaire
from intake.surveys.questionnaires import questionnaire_create, service_questionnaire_choose
from intake.surveys.services import AXES, SCALE, questionnaire_default

ROWS = 20


@staff_required(User.Role.TENANT_ADMIN)
def questionnaires(request):
    default = questionnaire_default()
    chosen = dict(ServiceQuestionnaire.objects.values_list("service_id", "questionnaire_id"))
    services = [(service, chosen.get(service.pk)) for service in Service.objects.order_by("approved_title", "id")]
    return render(request, "intake/staff/questionnaires.html", {
        "default": default, "own": Questionnaire.objects.filter(is_default=False).order_by("id"),
        "services": services, "scale": SCALE,
    })


@staff_required(User.Role.TENANT_ADMIN)
def questionnaire_new(request):
    title, rows, errors = "", [("", "")] * ROWS, {}
    if request.method == "POST":
        title = request.POST.get("title", "")
        texts, axes = request.POST.getlist("text"), request.POST.getlist("axis")
        rows = list(zip(texts, axes))
        try:
            questionnaire_create(title=title, questions=rows)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, "پرسشنامه ذخیره شد؛ اکنون می‌توانید آن را برای خدمت‌ها برگزینید.")
            return redirect("staff_surveys:list")
        rows += [("", "")] * max(0, ROWS - len(rows))
    return render(request, "intake/staff/questionnaire_new.html", {
        "title": title, "rows": list(enumerate(rows, start=1)), "errors": errors, "axes": AXES, "scale": SCALE,
    }, status=400 if errors else 200)


@staff_required(User.Role.TENANT_ADMIN)
@require_POST
def services_choose(request):
    """Every service's select is posted; an empty value means the default questionnaire."""
    own = {str(q.pk): q for q in Questionnaire.objects.filter(is_default=False)}
    for service in Service.objects.all():
        key = f"service_{service.pk}"
        if key not in request.POST:
            continue
        value = request.POST[key]
        if value and value not in own:
            continue
        service_questionnaire_choose(service=service, questionnaire=own.get(value), actor=request.user.email or "")
    messages.success(request, "پرسشنامه خدمت‌ها ذخیره شد.")
    return redirect("staff_surveys:list")
