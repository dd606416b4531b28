"""One builder per model the tests make, and the form data they post.

Each builder is a keyword-only `<model>_make` function that writes into `schema` (tenant
alpha's unless told: most tests live there) and returns the saved row. Rows a real user
would make through a use case are made through that use case (`request_submitted_make`
goes through the wizard's services); rows a test needs with chosen dates or counts are
written directly (`request_make`). Test modules import builders from here, never from
each other.
"""

from __future__ import annotations

import io
import itertools
import uuid
from datetime import date, datetime, time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image

from accounts.models import User
from catalog.models import Service, StaffMembership, Unit
from intake.citizen.services import draft_save_step, draft_start, request_submit
from intake.models import Inquiry, Questionnaire, RequestEvent, RequestMessage, ServiceRequest, Survey

ALPHA = "t_alpha"

# The session's tenants and platform users, made once per session by tests/conftest.py.
STAFF_PASSWORD = "Test-Passw0rd-1405"  # every user the suite signs in with by password
VENDOR_EMAIL = "vendor@mizban.test"
SUPERVISOR_EMAIL = "supervisor@mizban.test"
SESSION_TENANTS = {
    "alpha": {
        "slug": "alpha", "name": "شهرداری آلفا", "kind": "municipality", "province": "tehran",
        "admin_email": "admin@alpha.test", "national_id": "1410000999", "phone": "021-11112222",
    },
    "beta": {"slug": "beta", "name": "دهیاری بتا", "kind": "dehyari", "province": "fars", "admin_email": "admin@beta.test"},
}

# A national code and a mobile that pass their checks.
NATIONAL_CODE = "0084575948"
MOBILE = "09121234567"
# A card every demo municipality publishes (building permit); no dehyari does.
SERVICE = "10901010100"
# A demo municipality's card with one fee: the renewal-duty clearance, 1,500,000 Rial.
CLEARANCE = "10901040200"

_tracking_codes = itertools.count(1)


# --- accounts ------------------------------------------------------------------------------


def user_make(*, email, role, password=STAFF_PASSWORD, unit=None, schema=ALPHA, **fields):
    """A user of `role`; with `unit`, also a member of that unit (StaffMembership).
    `password=None` leaves the user without a usable password, as an invitation does."""
    with schema_context(schema):
        user = User.objects.create_user(email=email, password=password, role=role, **fields)
        if unit is not None:
            StaffMembership.objects.create(user=user, unit=unit)
        return user


# --- catalog -------------------------------------------------------------------------------


def unit_make(*, name, parent=None, schema=ALPHA, **fields):
    with schema_context(schema):
        return Unit.objects.create(name=name, parent=parent, **fields)


def service_card_make(*, national_id, title, status="published", schema=ALPHA, **fields):
    """A service card (catalog.Service) with only what a test names; not a complete card."""
    with schema_context(schema):
        return Service.objects.create(national_id=national_id, approved_title=title, status=status, **fields)


def demo_units(schema=ALPHA) -> tuple:
    """(headquarters, first district, second district) of the demo catalogue."""
    with schema_context(schema):
        hq = Unit.objects.get(parent=None)
        districts = list(Unit.objects.filter(parent=hq).order_by("order", "id")[:2])
        return hq, districts[0], districts[1]


# --- intake --------------------------------------------------------------------------------


def request_submitted_make(*, unit=None, service=SERVICE, schema=ALPHA, channel="online", assisted_by="", **applicant):
    """A request submitted through the wizard's services (tracking code, SMS, promised date),
    for the demo card `service`; `applicant` overrides fields of `applicant_post()`."""
    with schema_context(schema):
        card = Service.objects.get(national_id=service)
        draft = draft_start(service=card, unit=unit, channel=channel, assisted_by=assisted_by)
        draft_save_step(draft=draft, step="details", values={"text": "درخواست پروانه برای پلاک ۱۲"})
        draft_save_step(draft=draft, step="applicant", values=applicant_post(**applicant))
        return request_submit(token=draft.token)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_default_timezone())


def request_make(*, service, unit, submitted: date, promised: date, answered: date | None = None,
                 channel="online", paused_days=0, schema=ALPHA):
    """A request row with chosen dates (submitted at 10:00, answered at 12:00), written
    directly: for reports that count by date. Answered when `answered` is given."""
    with schema_context(schema):
        service_request = ServiceRequest.objects.create(
            tracking_code=f"{next(_tracking_codes):016d}", wizard_token=uuid.uuid4(), service=service, unit=unit,
            text="درخواست", national_code=NATIONAL_CODE, first_name="مریم", last_name="احمدی", mobile=MOBILE,
            promised_date=promised, channel=channel, paused_days=paused_days,
            status=ServiceRequest.Status.ANSWERED if answered else ServiceRequest.Status.IN_PROGRESS,
        )
        ServiceRequest.objects.filter(pk=service_request.pk).update(submitted_at=_at(submitted), answered_at=_at(answered, 12) if answered else None)
        service_request.refresh_from_db()
        return service_request


def request_event_make(*, service_request, kind, schema=ALPHA, **fields):
    """An event of the request's history; its title is rendered from `kind` and `data`."""
    with schema_context(schema):
        return RequestEvent.objects.create(request=service_request, kind=kind, **fields)


def request_message_make(*, service_request, sender, text, schema=ALPHA):
    with schema_context(schema):
        return RequestMessage.objects.create(request=service_request, sender=sender, text=text)


def inquiry_make(*, service_request, body, sent_on: date, due_on: date, replied_on: date | None = None, schema=ALPHA):
    with schema_context(schema):
        return Inquiry.objects.create(request=service_request, body=body, sent_on=sent_on, due_on=due_on, replied_on=replied_on)


def survey_make(*, service_request, scores: dict, schema=ALPHA):
    """An answered survey with the given axis scores, on the tenant's first questionnaire
    (a default one is made if there is none)."""
    with schema_context(schema):
        questionnaire = Questionnaire.objects.first() or Questionnaire.objects.create(title="پرسشنامه", is_default=True)
        return Survey.objects.create(request=service_request, questionnaire=questionnaire, answers=[1], axis_scores=scores,
                                     answered_at=service_request.answered_at)


# --- Checking that nothing changed -----------------------------------------------------------


def row_values(row, schema=ALPHA) -> dict:
    """Every field of `row` as the database holds it now: compare before and after a refused
    action to show that it changed nothing."""
    with schema_context(schema):
        return model_to_dict(type(row).objects.get(pk=row.pk))


# --- What forms receive --------------------------------------------------------------------


def applicant_post(**overrides) -> dict:
    """The applicant step of the wizard, filled in by a natural person."""
    data = {"applicant_kind": "natural", "national_code": NATIONAL_CODE, "first_name": "مریم", "last_name": "احمدی",
            "mobile": MOBILE, "landline": "02188776655", "email": "maryam@example.com", "address": "تهران، خیابان آزادی"}
    data.update(overrides)
    return data


def request_api_post(**overrides) -> dict:
    """A submission to the request API (files aside: see `request_files`)."""
    data = {"service": SERVICE, "text": "درخواست صدور پروانه برای پلاک ۱۲", **applicant_post()}
    data.update(overrides)
    return data


def request_files() -> list:
    """The two documents the demo building-permit card asks for."""
    return [SimpleUploadedFile("plan.pdf", pdf_bytes()), SimpleUploadedFile("photo.png", png_bytes())]


def letter_post(**overrides) -> dict:
    """The answer letter a clerk sends: granted, with its legal basis."""
    data = {"outcome": "granted", "legal_basis": "ماده ۱۰۰ قانون شهرداری‌ها", "content": "پروانه ساختمان صادر می‌شود.",
            "objection_route": "", "notes": "اعتبار پروانه یک سال است."}
    data.update(overrides)
    return data


def pdf_bytes(size: int = 2000) -> bytes:
    """A minimal PDF of about `size` bytes (enough for the upload checks)."""
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
    return body + b"%" + b"0" * max(0, size - len(body) - 7) + b"\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def theme_form(**overrides) -> dict:
    """The branding editor's form for alpha (portal_themes), every field filled."""
    data = {
        "display_name": "درگاه شهرداری آلفا", "primary_color": "#0f5e9c", "accent_color": "#c8102e",
        "header_links": "سامانه شفافیت | https://shafaf.ir", "footer_links": "", "social_links": "",
        "address": "میدان آزادی، ساختمان شهرداری", "phone": "021-11112222", "hours": "شنبه تا چهارشنبه ۸ تا ۱۴",
        "location": "طبقه همکف، باجه ۳", "map_url": "", "welcome_text": "به درگاه تازه آلفا خوش آمدید.",
        "notice_text": "", "notice_until": "",
    }
    data.update(overrides)
    return data
