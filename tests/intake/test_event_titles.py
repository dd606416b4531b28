"""A request event's title is rendered from its kind and data when shown; an older row keeps
the words it was stored with, and the migration turned the titles it could read into data."""

import importlib

import pytest
from django.apps import apps
from django_tenants.utils import schema_context

from accounts.models import User
from intake.models import RequestEvent
from tests.builders import demo_units, request_submitted_make, user_make
from tests.clients import staff_client

Kind = RequestEvent.Kind

# Each kind with the data its call site stores and the title every page showed before.
TITLES = {
    Kind.SUBMITTED: ({}, "ثبت درخواست"),
    Kind.OBJECTION_SUBMITTED: ({"number": "1404/7"}, "ثبت اعتراض به پاسخ شماره ۱۴۰۴/۷"),
    Kind.ASSIGNED: ({}, "ارجاع به کارشناس"),
    Kind.ACCEPTED: ({}, "پذیرش درخواست و آغاز رسیدگی"),
    Kind.MOVED: ({"stage": "بازدید 2"}, "ورود به مرحله «بازدید 2»"),
    Kind.NOTE: ({}, "یادداشت درونی"),
    Kind.ASKED: ({}, "درخواست مدارک یا اطلاعات از متقاضی"),
    Kind.CITIZEN_ANSWERED: ({}, "پاسخ متقاضی دریافت شد"),
    Kind.INQUIRY_SENT: ({"body": "اداره ثبت منطقه 3"}, "استعلام از اداره ثبت منطقه 3"),
    Kind.INQUIRY_REPLIED: ({"body": "اداره ثبت منطقه 3"}, "پاسخ استعلام از اداره ثبت منطقه 3 رسید"),
    Kind.ANSWERED: ({"number": "1404/12"}, "صدور پاسخ به شماره ۱۴۰۴/۱۲"),
    Kind.OBJECTION: ({"code": "140412345678"}, "اعتراض متقاضی با کد رهگیری ۱۴۰۴۱۲۳۴۵۶۷۸ ثبت شد"),
}

migration = importlib.import_module("intake.migrations.0013_event_kinds_titles_rendered")


def test_every_kind_has_its_title():
    assert set(TITLES) == set(Kind)


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_renders_its_persian_title(kind):
    data, title = TITLES[kind]
    assert RequestEvent(kind=kind, data=data).title == title


def test_a_title_given_in_words_is_shown_as_given():
    assert RequestEvent(kind=Kind.MOVED, data={"stage": "بررسی"}, title="بازدید انجام شد").title == "بازدید انجام شد"


def test_an_old_stored_row_still_shows_its_title(alpha_catalog):
    _, district, _ = demo_units()
    service_request = request_submitted_make(unit=district)
    with schema_context("t_alpha"):
        RequestEvent.objects.create(request=service_request, kind=Kind.MOVED, stored_title="بازدید کارشناس از ملک انجام شد")
    admin = staff_client(user_make(role=User.Role.TENANT_ADMIN, email="admin2@alpha.test"))
    page = admin.get(f"/staff/requests/{service_request.pk}/").content.decode()
    assert "بازدید کارشناس از ملک انجام شد" in page and "ثبت درخواست" in page


def test_the_migration_turns_readable_titles_into_data_and_keeps_the_rest(alpha_catalog):
    service_request = request_submitted_make()
    old_rows = [(kind.value if kind != Kind.OBJECTION_SUBMITTED else "submitted", title) for kind, (_, title) in TITLES.items()]
    unreadable = [("moved", "بررسی"), ("", "بازدید انجام شد"), ("answered", "صدور پاسخ به شماره 1404/12")]
    with schema_context("t_alpha"):
        RequestEvent.objects.filter(request=service_request).delete()
        made = [RequestEvent.objects.create(request=service_request, kind=kind, stored_title=title) for kind, title in old_rows + unreadable]
        migration.titles_to_data(apps, None)
        rows = [RequestEvent.objects.get(pk=event.pk) for event in made]
    assert [row.title for row in rows] == [title for _, title in old_rows + unreadable]
    rebuilt, kept = rows[: len(old_rows)], rows[len(old_rows):]
    assert [(row.kind, row.data, row.stored_title) for row in rebuilt] == [(kind, data, "") for kind, (data, _) in TITLES.items()]
    assert all(row.stored_title for row in kept)
