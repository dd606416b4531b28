"""Alpha's demo catalogue with a gateway collecting the building permit's fee (25,000,000 Rial),
on the local Zarinpal or SEP, and a citizen's wizard filled up to the payment step."""

import pytest
from django_tenants.utils import schema_context

from catalog.models import Service
from payments.services import gateway_save
from tests.clients import Wizard
from tests.payment_gateways import SEP_TERMINAL, ZARINPAL_MERCHANT

PERMIT = "10901010100"


def _gateway(provider, credentials):
    with schema_context("t_alpha"):
        fee = Service.objects.get(national_id=PERMIT).fees.get()
        return gateway_save(title="درگاه شهرداری", provider=provider, mode="test", credentials=credentials,
                            fees=[fee], collects_other_fees=False, is_active=True)


@pytest.fixture
def zarinpal_gateway(alpha_catalog, payment_gateways):
    return _gateway("zarinpal", {"merchant_id": ZARINPAL_MERCHANT})


@pytest.fixture
def sep_gateway(alpha_catalog, payment_gateways):
    return _gateway("sep", {"terminal_id": SEP_TERMINAL})


@pytest.fixture
def wizard(client_a):
    """A citizen's wizard for the building permit, every step filled in, not yet paid."""
    return Wizard(client_a, national_id=PERMIT).start().fill(files=())
