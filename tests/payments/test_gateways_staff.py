"""/staff/payments/: an admin adds a gateway; its credentials are sealed, never shown again;
another tenant's host knows neither the gateway nor the payments."""

from django_tenants.utils import schema_context

from catalog.models import Service
from payments.models import Gateway, Payment
from tests.builders import row_values
from tests.clients import signed_in
from tests.payment_gateways import ZARINPAL_MERCHANT


def test_an_admin_adds_a_gateway_whose_merchant_id_is_never_shown_again(admin_a, alpha_catalog):
    with schema_context("t_alpha"):
        fee = Service.objects.get(national_id="10901010100").fees.get()
    response = admin_a.post("/staff/payments/gateways/new/", {"title": "زرین‌پال شهرداری", "provider": "zarinpal", "mode": "test", "fees": [fee.pk], "is_active": "on"})
    assert response.status_code == 400 and "اطلاعات پذیرنده" in response.content.decode()
    assert "زرین‌پال شهرداری" in response.content.decode()  # what was typed is kept

    response = admin_a.post("/staff/payments/gateways/new/", {"title": "زرین‌پال شهرداری", "provider": "zarinpal", "mode": "test",
                                                               "merchant_id": ZARINPAL_MERCHANT, "fees": [fee.pk], "is_active": "on"})
    assert response.status_code == 302
    with schema_context("t_alpha"):
        gateway = Gateway.objects.get()
        assert ZARINPAL_MERCHANT not in gateway.credentials_sealed and list(gateway.fees.all()) == [fee]
    for url in ("/staff/payments/", f"/staff/payments/gateways/{gateway.pk}/"):
        page = admin_a.get(url).content.decode()
        assert ZARINPAL_MERCHANT not in page and ZARINPAL_MERCHANT[-20:] not in page

    # Saved again without the merchant ID: the sealed one is kept.
    sealed = gateway.credentials_sealed
    response = admin_a.post(f"/staff/payments/gateways/{gateway.pk}/", {"title": "درگاه اصلی", "provider": "zarinpal", "mode": "live", "fees": [fee.pk], "is_active": "on"})
    assert response.status_code == 302
    with schema_context("t_alpha"):
        assert Gateway.objects.get().credentials_sealed == sealed


def test_another_tenant_reaches_neither_the_gateway_nor_the_payment(zarinpal_gateway, wizard, client_b, tenant_b):
    fee_id = wizard.client.get(wizard.url("pay/")).context["fee_states"][0].fee.pk
    wizard.client.post(wizard.url(f"pay/{fee_id}/"))
    with schema_context("t_alpha"):
        payment = Payment.objects.get()
    before = row_values(payment)
    admin_b = signed_in(client_b, "admin@beta.test")
    assert admin_b.get(f"/staff/payments/gateways/{zarinpal_gateway.pk}/").status_code == 404
    assert client_b.get(f"/payments/callback/{payment.public_id}/", {"Authority": payment.authority, "Status": "OK"}).status_code == 404
    assert "درگاه شهرداری" not in admin_b.get("/staff/payments/").content.decode()
    assert row_values(payment) == before


def test_only_admins_configure_gateways(client_a, alpha_catalog):
    assert client_a.get("/staff/payments/").status_code == 302  # sign in first
