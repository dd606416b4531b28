"""Browser tests speak English to the server, and no page they walk may answer in English.

Many phones in Iran are set to English, so every context made here (through `browser` or
`phone_page`) sends `Accept-Language: en-US` and has the en-US locale, whatever a test asks
for. Every page of those contexts is read by the English-free check (`tests/english.py`);
a test fails when any page it walked shows a Latin-letter word outside the allowed list.
Every page is also watched for the Content-Security-Policy: a test fails when the browser
reports a violation (a `securitypolicyviolation` event or its console message) on any of them.
Fixtures more than one module uses live here too (gamma's test gateway, alpha's year 1402).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.builders import request_make, service_card_make, survey_make, unit_make
from tests.csp import CSP, describe_violations
from tests.english import FINDER, describe
from tests.report_data import LONG_UNIT

ENGLISH = "en-US"


class EnglishSpeakingBrowser:
    """The session's Chromium, whose new contexts speak English and are watched by the check."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs):
        kwargs["locale"] = ENGLISH
        kwargs["extra_http_headers"] = {**(kwargs.get("extra_http_headers") or {}), "Accept-Language": "en-US,en;q=0.9"}
        context = self._browser.new_context(**kwargs)
        FINDER.watch(context)
        CSP.watch(context)
        return context

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()


@pytest.fixture(scope="session")
def browser(browser):
    return EnglishSpeakingBrowser(browser)


@pytest.fixture
def phone_page(browser):
    """A page the size of a phone screen, on a phone set to English."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def gamma_gateway(demo_catalog_on_server, django_db_blocker):
    """A committed gateway of gamma (the local Zarinpal) collecting the clearance's fee only;
    switched off after, so that the other browser tests' services stay free of payment."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from catalog.models import Service
    from payments.services import gateway_save
    from tests.builders import CLEARANCE
    from tests.payment_gateways import ZARINPAL_MERCHANT

    with django_db_blocker.unblock(), schema_context("t_gamma"):
        fee = Service.objects.get(national_id=CLEARANCE).fees.get()
        gateway = gateway_save(title="درگاه آزمایشی", provider="zarinpal", mode="test", credentials={"merchant_id": ZARINPAL_MERCHANT},
                               fees=[fee], collects_other_fees=False, is_active=True)
    connection.set_schema_to_public()
    yield gateway
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        gateway.is_active = False
        gateway.save(update_fields=["is_active"])
    connection.set_schema_to_public()


@pytest.fixture(scope="module")
def alpha_year_1402(django_db_blocker):
    """Committed requests of alpha over eight months of 1402 (the server sees only committed
    rows), in three units, one with a long name, so that the report's charts have bars to draw;
    removed after the module."""
    from catalog.models import Unit
    from intake.surveys.services import AXES, questionnaire_default_ensure
    from tenants.models import Tenant

    with django_db_blocker.unblock():
        schema = Tenant.objects.get(slug="alpha").schema_name
        with schema_context(schema):
            hq = unit_make(name="ستاد مرورگر", kind=Unit.Kind.HEADQUARTERS, schema=schema)
            units = [hq, unit_make(name=LONG_UNIT, kind=Unit.Kind.DISTRICT, parent=hq, schema=schema),
                     unit_make(name="منطقه دو مرورگر", kind=Unit.Kind.DISTRICT, parent=hq, schema=schema)]
            service = service_card_make(national_id="19900000091", title="خدمت مرورگر", schema=schema)
            channels = ["online", "online", "in_person", "assisted", "online"]
            # The tenant's real default questionnaire (made now if missing, as the first survey
            # would), never a bare one left committed for the tests that run after this module.
            from intake.models import Questionnaire

            questionnaire_made = not Questionnaire.objects.exists()
            questionnaire_default_ensure()
            for index in range(24):
                month = 4 + index % 8  # Gregorian April to November 2023: Farvardin to Aban 1402
                submitted = date(2023, month, 5 + index % 3)
                answered = date(2023, month, 8 + index % 11) if index % 4 else None
                service_request = request_make(service=service, unit=units[index % 3], submitted=submitted, answered=answered,
                                   promised=date(2023, month, 15), channel=channels[index % 5], schema=schema)
                if answered:
                    survey_make(service_request=service_request, schema=schema, scores={axis: 1 + (index + position) % 5 for position, axis in enumerate(AXES)})
        connection.set_schema_to_public()
    yield
    with django_db_blocker.unblock():
        with schema_context(schema):
            from intake.models import Questionnaire, ServiceRequest, Survey

            Survey.objects.filter(request__service=service).delete()
            ServiceRequest.objects.filter(service=service).delete()
            if questionnaire_made:
                Questionnaire.objects.all().delete()
            service.delete()
            Unit.objects.filter(pk__in=[u.pk for u in units[1:]]).delete()
            hq.delete()
        connection.set_schema_to_public()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    FINDER.take()
    CSP.take()
    result = yield  # a test that failed on its own stops here, with its own failure
    FINDER.check_all()
    found = FINDER.take()
    if found:
        pytest.fail(describe(found), pytrace=False)
    violations = CSP.take()
    if violations:
        pytest.fail(describe_violations(violations), pytrace=False)
    return result
