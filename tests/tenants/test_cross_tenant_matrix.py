"""Tenant isolation, route by route: every route of the tenant URL conf, walked from the
resolver (so a new route is covered without editing this test), with alpha's objects in its
path parameters, asked on beta's host by beta's admin and anonymously, with GET and with POST
(the test client does not check CSRF, so a POST reaches the view as a valid form would).

A route that names one of alpha's objects answers 404, 403 or (anonymously) the sign-in page,
the same as for an object that exists nowhere, so beta's host cannot even tell that alpha's
object exists; a route that names none (beta's own pages) answers without a 500. No answer
holds anything of alpha's: its marker text, tracking code, tokens or staff e-mail.

`OBJECTS` says which of alpha's objects each path parameter names. A parameter it does not
know (a new route with a new name) fails the test, so it is added there on purpose."""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, get_emailconfirmation_model
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import resolve
from django.utils.http import int_to_base36
from django_tenants.utils import schema_context

from accounts.models import User
from catalog.models import Fee, FeeChange, FormFile, Service, Unit
from intake.models import AnswerLetter, Attachment, DraftFile, Inquiry, ServiceRequest, Survey
from lib.persian import to_persian_digits
from notifications.models import StaffNotice
from open311.keys import api_key_issue
from payments.models import Gateway, Payment
from payments.services import gateway_save
from tests.builders import (
    ALPHA, SESSION_TENANTS, applicant_post, demo_units, inquiry_make, letter_post, pdf_bytes, png_bytes, row_values, user_make,
)
from tests.clients import Wizard, host_client, staff_client
from tests.payment_gateways import ZARINPAL_MERCHANT
from tests.url_walk import REGEX, Parameter, fill, parameters, routes

BETA = "t_beta"
BETA_HOST = "beta.localhost"
# Written into every text field of alpha's objects that a page could show.
MARKER = "نشانه‌آلفا"
MARKER_ASCII = "zqalphamark"

# Path parameters that name one of alpha's objects: (name, converter) -> the attribute of
# AlphaObjects whose values fill it (each is tried).
OBJECTS = {
    ("pk", "int"): "request_and_notice_ids",
    ("unit_id", "int"): "unit_ids",
    ("user_id", "int"): "staff_ids",
    ("inquiry_id", "int"): "inquiry_ids",
    ("file_id", "int"): "draft_file_ids",
    ("attachment_id", "int"): "attachment_ids",
    ("national_id", "str"): "card_ids",
    ("national_id", REGEX): "card_ids",
    ("slot", "int"): "wizard_slots",
    ("token", "str"): "survey_tokens",
    ("public_id", "str"): "letter_ids",
    ("public_id", "uuid"): "payment_ids",
    ("fee_id", "int"): "fee_ids",
    ("form_id", "int"): "form_ids",
    ("gateway_id", "int"): "gateway_ids",
    ("service_code", "str"): "card_ids",
    ("request_id", "str"): "tracking_codes",
    ("key_id", "int"): "api_key_ids",
    ("change_id", "int"): "fee_change_ids",
    ("uidb36", REGEX): "staff_ids_base36",
    ("key", REGEX): "account_keys",
}
# Path parameters that name no tenant's object, with the value given to them.
NOT_OBJECTS = {
    ("step", "int"): "1",
    ("fmt", REGEX): "csv",
    ("format", REGEX): "json",
    ("format", "drf_format_suffix"): ".json",
    # The national registry's mirror is the platform's, the same on every host.
    ("service_id", "str"): "10901010100",
    ("decision", "str"): "approve",  # of a fee change, which change_id names
}
# What an object that exists nowhere is called, per converter.
NOWHERE = {"int": "987654", "uuid": str(uuid.UUID(int=7)), "str": "no-such-object", "drf_format_suffix": ".json"}
NOWHERE_REGEX = {"uidb36": "zzzz", "key": "no-such-key", "national_id": "no-such-object"}


@dataclass
class AlphaObjects:
    request_and_notice_ids: list = field(default_factory=list)
    unit_ids: list = field(default_factory=list)
    staff_ids: list = field(default_factory=list)
    inquiry_ids: list = field(default_factory=list)
    draft_file_ids: list = field(default_factory=list)
    attachment_ids: list = field(default_factory=list)
    card_ids: list = field(default_factory=list)
    wizard_slots: list = field(default_factory=list)
    tracking_codes: list = field(default_factory=list)
    api_key_ids: list = field(default_factory=list)
    survey_tokens: list = field(default_factory=list)
    letter_ids: list = field(default_factory=list)
    payment_ids: list = field(default_factory=list)
    fee_ids: list = field(default_factory=list)
    form_ids: list = field(default_factory=list)
    gateway_ids: list = field(default_factory=list)
    fee_change_ids: list = field(default_factory=list)
    staff_ids_base36: list = field(default_factory=list)
    account_keys: list = field(default_factory=list)
    # What must never appear on beta's host.
    secrets: list = field(default_factory=list)
    # Alpha's rows, which nothing asked on beta's host may change.
    rows: list = field(default_factory=list)

    def state(self) -> list[dict]:
        return [row_values(row) for row in self.rows]


@pytest.fixture
def alpha_objects(alpha_catalog, client_a, payment_gateways) -> AlphaObjects:
    """One of each of alpha's objects a route can name, through the use cases that make them:
    a request submitted through the wizard with two files, accepted, asked about by an
    inquiry and answered by a letter (so it has a survey), a draft with a file, a payment
    gateway for the card's fee and a wizard's payment started on it (the local Zarinpal), a
    clerk with a notice, an e-mail confirmation and a password reset key."""
    _, district_1, _ = demo_units()
    with schema_context(ALPHA):
        Unit.objects.filter(pk=district_1.pk).update(name=f"{district_1.name} {MARKER}")
        Service.objects.update(common_name=MARKER, description=f"{MARKER} {MARKER_ASCII}")
    clerk = user_make(role=User.Role.CLERK, email=f"{MARKER_ASCII}@alpha.test", unit=district_1, full_name=f"کارشناس {MARKER}")
    wizard = Wizard(client_a).start().fill(
        files=((f"plan-{MARKER_ASCII}.pdf", pdf_bytes()), (f"photo-{MARKER_ASCII}.png", png_bytes())),
        applicant=applicant_post(first_name=MARKER, last_name=MARKER, address=MARKER),
    )
    assert wizard.submit().status_code == 302
    draft = Wizard(client_a).start()
    draft.post_step(1)
    draft.post_step(2, {"text": f"{MARKER} {MARKER_ASCII}"})
    draft.attach(f"draft-{MARKER_ASCII}.pdf", pdf_bytes())
    with schema_context(ALPHA):
        admin = User.objects.get(email=SESSION_TENANTS["alpha"]["admin_email"])
        service_request = ServiceRequest.objects.get(wizard_token=wizard.token)
        fee = service_request.service.fees.get()
        card_form = FormFile(service=service_request.service, title=MARKER)
        card_form.file.save("form.pdf", ContentFile(pdf_bytes()), save=True)
        # After the submit: from now on the card's fee must be paid before a submit.
        gateway = gateway_save(title=MARKER, provider="zarinpal", mode="test", credentials={"merchant_id": ZARINPAL_MERCHANT},
                               fees=[fee], collects_other_fees=False, is_active=True)
    paying = Wizard(client_a).start().fill(files=())
    assert paying.client.post(paying.url(f"pay/{fee.pk}/")).status_code == 302
    admin_client = staff_client(admin)
    assert admin_client.post(f"/staff/requests/{service_request.pk}/accept/").status_code == 302
    inquiry = inquiry_make(service_request=service_request, body=MARKER, sent_on=service_request.submitted_at.date(),
                           due_on=service_request.promised_date)
    issued = admin_client.post(f"/staff/requests/{service_request.pk}/letter/", letter_post(content=MARKER, notes=MARKER_ASCII))
    assert issued.status_code == 302
    with schema_context(ALPHA):
        notice = StaffNotice.objects.create(recipient=clerk, kind=StaffNotice.Kind.REGISTRY_CHANGES, payload={}, dedupe_key=MARKER_ASCII)
        address = EmailAddress.objects.create(user=clerk, email=clerk.email, primary=True, verified=False)
        confirmation = get_emailconfirmation_model().create(address)
        letter = AnswerLetter.objects.get(request=service_request)
        survey = Survey.objects.get(request=service_request)
        payment = Payment.objects.get(wizard_token=paying.token)
        api_key = api_key_issue(name=MARKER[:20], per_minute=60, actor=admin.email).row
        fee_change = FeeChange.objects.create(service=fee.service, fee=fee, title=MARKER, amount_rial=fee.amount_rial + 1,
                                              sheba=fee.sheba, bank=MARKER, proposed_by="someone@alpha.test")
        objects = AlphaObjects(
            request_and_notice_ids=[service_request.pk, notice.pk],
            unit_ids=[district_1.pk],
            staff_ids=[clerk.pk],
            inquiry_ids=[inquiry.pk],
            draft_file_ids=list(DraftFile.objects.filter(draft__token=draft.token).values_list("pk", flat=True)),
            attachment_ids=list(Attachment.objects.filter(request=service_request).values_list("pk", flat=True)),
            card_ids=[service_request.service.national_id],
            wizard_slots=[draft.slot, wizard.slot, paying.slot],
            tracking_codes=[service_request.tracking_code],
            api_key_ids=[api_key.pk],
            survey_tokens=[survey.token],
            letter_ids=[letter.public_id],
            payment_ids=[payment.public_id],
            fee_ids=[fee.pk],
            form_ids=[card_form.pk],
            gateway_ids=[gateway.pk],
            fee_change_ids=[fee_change.pk],
            staff_ids_base36=[int_to_base36(clerk.pk)],
            account_keys=[confirmation.key, default_token_generator.make_token(clerk)],
        )
        objects.secrets = [MARKER, MARKER_ASCII, service_request.tracking_code, to_persian_digits(service_request.tracking_code),
                           str(draft.token), str(service_request.wizard_token), str(paying.token), survey.token, letter.public_id,
                           letter.content_hash, str(payment.public_id), payment.public_id.hex]
        objects.rows = [service_request, letter, survey, inquiry, notice, address, clerk, district_1, service_request.service,
                        fee, gateway, payment, api_key, card_form, fee_change,
                        *DraftFile.objects.filter(draft__token=draft.token), *Attachment.objects.filter(request=service_request)]
    assert all(len(values) >= 1 for values in vars(objects).values()), objects
    _nothing_of_beta_answers_to(objects)
    _beta_address_with_the_same_id(address)
    _warm_alpha_pages(client_a, objects)
    return objects


def _nothing_of_beta_answers_to(objects: AlphaObjects):
    """Beta holds no row with the ids of alpha's objects, so a 200 on beta's host could only be
    alpha's row (else the test would prove nothing)."""
    by_model = {
        ServiceRequest: objects.request_and_notice_ids, StaffNotice: objects.request_and_notice_ids, Unit: objects.unit_ids,
        User: objects.staff_ids, Inquiry: objects.inquiry_ids, DraftFile: objects.draft_file_ids,
        Attachment: objects.attachment_ids, Fee: objects.fee_ids, Gateway: objects.gateway_ids, FeeChange: objects.fee_change_ids,
    }
    with schema_context(BETA):
        taken = [(model.__name__, pk) for model, ids in by_model.items() for pk in ids if model.objects.filter(pk=pk).exists()]
        taken += [("Service", nid) for nid in objects.card_ids if Service.objects.filter(national_id=nid).exists()]
    assert not taken, f"beta already has rows with these ids; make alpha's objects after more rows: {taken}"


def _beta_address_with_the_same_id(address: EmailAddress):
    """An unconfirmed e-mail address on beta with the id of alpha's: a confirmation key that
    named its address by id alone would confirm beta's (allauth's signed keys did)."""
    with schema_context(BETA):
        assert not EmailAddress.objects.filter(pk=address.pk).exists()
        admin = User.objects.get(email=SESSION_TENANTS["beta"]["admin_email"])
        EmailAddress.objects.create(pk=address.pk, user=admin, email="second@beta.test", primary=False, verified=False)


def _warm_alpha_pages(client_a: Client, objects: AlphaObjects):
    """Alpha's public pages once on its own host, so a cache entry keyed without the tenant
    would now serve alpha's data to beta."""
    for path in ("/", "/services/", f"/services/{objects.card_ids[0]}/", "/units/", "/faq/", "/api/catalog/services/"):
        assert client_a.get(path).status_code == 200, path


def _beta_admin() -> Client:
    client = host_client(BETA_HOST)
    client.raise_request_exception = False
    with schema_context(BETA):
        client.force_login(User.objects.get(email=SESSION_TENANTS["beta"]["admin_email"]))
    return client


def _anonymous() -> Client:
    client = host_client(BETA_HOST)
    client.raise_request_exception = False
    return client


def _values(parameter: Parameter, objects: AlphaObjects) -> list[str]:
    key = (parameter.name, parameter.converter)
    if key in OBJECTS:
        return [str(value) for value in getattr(objects, OBJECTS[key])]
    return [NOT_OBJECTS[key]]


def _nowhere(parameter: Parameter) -> str:
    key = (parameter.name, parameter.converter)
    if key in NOT_OBJECTS:
        return NOT_OBJECTS[key]
    return NOWHERE_REGEX[parameter.name] if parameter.converter == REGEX else NOWHERE[parameter.converter]


def _alpha_urls(route: str, objects: AlphaObjects) -> list[str]:
    """The route with every combination of alpha's objects in its parameters."""
    named = parameters(route)
    combinations = itertools.product(*(_values(parameter, objects) for parameter in named))
    return list(dict.fromkeys(
        fill(route, lambda parameter, chosen=dict(zip([p.name for p in named], values)): chosen[parameter.name])
        for values in combinations
    ))


def test_every_path_parameter_is_known():
    """A new route's parameter is named in OBJECTS (it addresses a tenant's object) or in
    NOT_OBJECTS (it does not), and has a value that exists nowhere."""
    every = [(route, parameter) for route in routes(settings.ROOT_URLCONF) for parameter in parameters(route)]
    unknown = sorted({
        f"{parameter.name} ({parameter.converter}) in {route}" for route, parameter in every
        if (parameter.name, parameter.converter) not in OBJECTS and (parameter.name, parameter.converter) not in NOT_OBJECTS
    })
    assert not unknown, "say in OBJECTS or NOT_OBJECTS what these path parameters name:\n" + "\n".join(unknown)
    no_nowhere = sorted({
        f"{parameter.name} ({parameter.converter})" for _, parameter in every
        if (parameter.name, parameter.converter) in OBJECTS
        and (parameter.name not in NOWHERE_REGEX if parameter.converter == REGEX else parameter.converter not in NOWHERE)
    })
    assert not no_nowhere, f"say in NOWHERE or NOWHERE_REGEX what names no object for: {no_nowhere}"


def _object_parameters(route: str) -> list[Parameter]:
    return [p for p in parameters(route) if (p.name, p.converter) in OBJECTS]


def _ask(client: Client, method: str, url: str, objects: AlphaObjects, before: list[dict]):
    """One request, rolled back after it (so beta stays as it was, and a 500 does not spoil
    the rest of the walk), once it is checked that alpha's rows are as they were."""
    savepoint = transaction.savepoint()
    response = client.get(url) if method == "GET" else client.post(url, {})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    changed = method == "POST" and response.status_code < 500 and objects.state() != before
    transaction.savepoint_rollback(savepoint)
    assert not changed, f"{method} {url} on beta's host changed alpha's rows"
    return response, body.decode("utf-8", "replace")


def _leaks(response, body: str, secrets: list[str]) -> list[str]:
    """What of alpha's the answer holds (a redirect's target is checked without its query,
    which only repeats the URL asked for)."""
    where = body + " " + response.get("Content-Disposition", "") + " " + response.get("Location", "").split("?")[0]
    return [secret for secret in secrets if secret in where]


def _refusal(response, body: str, anonymous: bool, url_name: str) -> str | None:
    """How the answer refuses, or None when it does not."""
    if response.status_code in (403, 404):
        return str(response.status_code)
    if anonymous and response.status_code == 302 and response["Location"].split("?")[0] == resolve_url(settings.LOGIN_URL):
        return "sign-in"
    if url_name in LINK_NOT_VALID and response.status_code == 200:
        return _CSRF_TOKEN.sub("", body)  # the page as for any wrong key
    return None


# allauth's e-mail and password-reset links answer a wrong key with a page saying the link is
# not valid (200), whatever the key; alpha's key must get exactly that page.
LINK_NOT_VALID = {"account_confirm_email", "account_reset_password_from_key"}
_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

CLIENTS = {"beta-admin": _beta_admin, "anonymous": _anonymous}


def test_alphas_objects_are_not_found_on_betas_host(alpha_objects):
    failures, asked, before = [], 0, alpha_objects.state()
    for route in routes(settings.ROOT_URLCONF):
        if not _object_parameters(route):
            continue
        nowhere_url = fill(route, _nowhere)
        url_name = resolve(nowhere_url).url_name
        for who, make_client in CLIENTS.items():
            client = make_client()
            for method in ("GET", "POST"):
                nowhere, nowhere_body = _ask(client, method, nowhere_url, alpha_objects, before)
                if nowhere.status_code == 405:
                    continue  # the route does not take this method, whatever the object
                expected = _refusal(nowhere, nowhere_body, who == "anonymous", url_name)
                for url in _alpha_urls(route, alpha_objects):
                    response, body = _ask(client, method, url, alpha_objects, before)
                    asked += 1
                    refusal = _refusal(response, body, who == "anonymous", url_name)
                    if refusal is None or refusal != expected:
                        failures.append(f"{who} {method} {url}: {response.status_code} (for an object that exists nowhere: {nowhere.status_code})")
                    if leaked := _leaks(response, body, alpha_objects.secrets):
                        failures.append(f"{who} {method} {url}: shows alpha's {leaked}")
    assert asked > 100, asked
    assert not failures, "\n".join(failures)


def test_betas_own_pages_show_nothing_of_alpha(alpha_objects):
    failures, asked, before = [], 0, alpha_objects.state()
    for route in routes(settings.ROOT_URLCONF):
        if _object_parameters(route):
            continue
        url = fill(route, _nowhere)
        for who, make_client in CLIENTS.items():
            client = make_client()
            for method in ("GET", "POST"):
                response, body = _ask(client, method, url, alpha_objects, before)
                asked += 1
                if response.status_code >= 500:
                    failures.append(f"{who} {method} {url}: {response.status_code}")
                if leaked := _leaks(response, body, alpha_objects.secrets):
                    failures.append(f"{who} {method} {url}: shows alpha's {leaked}")
    assert asked > 100, asked
    assert not failures, "\n".join(failures)
