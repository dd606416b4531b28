from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "درخواست‌ها"

    def ready(self):
        # The plan's "requests per month" is counted here, where requests live (billing/usage.py).
        from billing.usage import REQUESTS_PER_MONTH, usage_counter_register

        usage_counter_register(limit=REQUESTS_PER_MONTH, counter=_requests_this_month)
        # The branding editor previews its draft on a real receipt (portal_themes/preview_pages.py).
        from portal_themes.preview_pages import preview_page_register

        preview_page_register("رسید یک درخواست (PDF)", _a_receipt)

        # Payments ask which request a payment belongs to and whether it may be refunded.
        from payments.hooks import request_state_reader_register

        request_state_reader_register(_request_states)


def _a_receipt():
    from django.urls import reverse

    from intake.models import ServiceRequest

    latest = ServiceRequest.objects.order_by("-id").only("id").first()
    return reverse("staff_requests:receipt_pdf", args=[latest.pk]) if latest else None


def _requests_this_month(tenant) -> int:
    from django.db import connection
    from django_tenants.utils import schema_context

    from intake.citizen.selectors import requests_this_month_count

    if connection.schema_name == tenant.schema_name:  # a submit, on its tenant already: no search_path back and forth
        return requests_this_month_count()
    with schema_context(tenant.schema_name):
        return requests_this_month_count()


def _request_states(tokens: list) -> dict:
    from intake.models import ServiceRequest
    from payments.hooks import RequestState

    found = {r.wizard_token: r for r in ServiceRequest.objects.filter(wizard_token__in=tokens)}
    states = {}
    for token in tokens:
        request = found.get(token)
        if request is None:
            states[token] = RequestState(tracking_code="", status_label="ثبت نشده", refundable=True)
        else:
            states[token] = RequestState(tracking_code=request.tracking_code, status_label=request.get_status_display(),
                                         refundable=request.status == ServiceRequest.Status.REJECTED)
    return states
