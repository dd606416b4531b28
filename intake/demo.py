"""Demo requests for `seed_demo`, so that a demo tenant's queue is not empty on day one."""

from __future__ import annotations

from django_tenants.utils import schema_context

from catalog.models import Service
from intake.citizen.services import draft_save_step, draft_start, request_submit
from intake.models import ServiceRequest
from lib.identifiers import make_national_code

APPLICANTS = [
    ("علی", "محمدی", "09121110001", "توضیح: متقاضی پروانه ساخت برای ملک شخصی است."),
    ("زهرا", "کریمی", "09121110002", "درخواست بررسی هرچه زودتر پرونده."),
    ("حسین", "رضایی", "09121110003", "پرونده پیش‌تر در منطقه ثبت شده است."),
    ("فاطمه", "حسینی", "09121110004", "لطفاً نتیجه را پیامک کنید."),
    ("مهدی", "احمدی", "09121110005", "درخواست برای ملک تجاری است."),
]


def intake_demo_for_tenant(*, tenant, spec: dict) -> None:
    """seed_demo's step: five requests on the tenant's first published services (once)."""
    with schema_context(tenant.schema_name):
        if ServiceRequest.objects.exists():
            return
        services = list(Service.objects.filter(status=Service.Status.PUBLISHED, online_request=True, parent__isnull=False)[:3])
        services = services or list(Service.objects.filter(status=Service.Status.PUBLISHED)[:3])
        for index, (first, last, mobile, text) in enumerate(APPLICANTS):
            service = services[index % len(services)]
            draft = draft_start(service=service, unit=service.units.order_by("order", "id").first())
            draft_save_step(draft=draft, step="details", values={"text": text})
            draft_save_step(draft=draft, step="applicant", values={
                "applicant_kind": "natural", "national_code": make_national_code(f"00{index}457594"[:9]),
                "first_name": first, "last_name": last, "mobile": mobile,
            })
            request_submit(token=draft.token)
