"""The request API's kept online offer knows whether a card has fees due at submit (catalog's
online_offer): with none, a submit asks nothing about fees; with one a gateway collects, an
unpaid submit is refused, also when the offer is the process's kept copy, and a fee added or
removed counts from the next submit."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from catalog.models import Fee, FeeDue, Service
from tests.builders import request_api_post, request_files

PERMIT = "10901010100"


def _submit(client):
    return client.post("/api/requests/", {**request_api_post(), "files": request_files()})


def _refused_unpaid(answer) -> bool:
    return answer.status_code == 400 and answer.json()["codes"]["non_field_errors"] == ["payment_required"]


def test_a_kept_offer_refuses_unpaid_fees_and_reads_none_without_them(zarinpal_gateway, client_a, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_CATALOGUE_KEEP_SECONDS = 60
    for _ in range(2):  # read, then kept
        answer = _submit(client_a)
        assert _refused_unpaid(answer), answer.content[:300]
    with django_capture_on_commit_callbacks(execute=True), schema_context("t_alpha"):
        fee = Service.objects.get(national_id=PERMIT).fees.get()
        fee_values = {f.attname: getattr(fee, f.attname) for f in Fee._meta.concrete_fields if f.attname != "id"}
        fee.delete()
    connection.set_schema_to_public()
    assert _submit(client_a).status_code == 201
    with CaptureQueriesContext(connection) as submit:
        assert _submit(client_a).status_code == 201
    assert not any('"catalog_fee"' in query["sql"] or '"payments_' in query["sql"] for query in submit.captured_queries)
    with django_capture_on_commit_callbacks(execute=True), schema_context("t_alpha"):
        fee = Fee.objects.create(**{**fee_values, "due": FeeDue.SUBMIT})
        zarinpal_gateway.fees.add(fee)
    connection.set_schema_to_public()
    answer = _submit(client_a)
    assert _refused_unpaid(answer), answer.content[:300]


def test_a_kept_no_gateway_reads_nothing_and_a_gateway_switched_on_or_off_counts_at_once(alpha_catalog, payment_gateways, client_a, settings):
    """Most tenants collect nothing online: each web process keeps that, and a gateway saved
    (switched on, or off) counts from the next submit."""
    from payments.services import gateway_save
    from tests.payment_gateways import ZARINPAL_MERCHANT

    settings.PORTAL_CATALOGUE_KEEP_SECONDS = 60
    assert _submit(client_a).status_code == 201
    with CaptureQueriesContext(connection) as submit:
        assert _submit(client_a).status_code == 201
    assert not any('"catalog_fee"' in query["sql"] or '"payments_' in query["sql"] for query in submit.captured_queries)
    with schema_context("t_alpha"):
        fee = Service.objects.get(national_id=PERMIT).fees.get()
        gateway = gateway_save(title="درگاه شهرداری", provider="zarinpal", mode="test", credentials={"merchant_id": ZARINPAL_MERCHANT},
                               fees=[fee], collects_other_fees=False, is_active=True)
    connection.set_schema_to_public()
    answer = _submit(client_a)
    assert _refused_unpaid(answer), answer.content[:300]
    with schema_context("t_alpha"):
        gateway.is_active = False
        gateway.save()
    connection.set_schema_to_public()
    assert _submit(client_a).status_code == 201
