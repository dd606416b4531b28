"""A request moves through its service's stages; every move is an event with who, when, from,
to and a note; the citizen sees only the visible ones; late stages reach the queue and their
unit manager once a day."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from intake.casework.digests import late_stages_notify
from intake.models import ServiceRequest
from tests.builders import NATIONAL_CODE, demo_units, request_submitted_make, user_make, row_values
from tests.clients import host_client, staff_client


@pytest.fixture
def case(alpha_catalog):
    hq, district_1, _ = demo_units()
    service_request = request_submitted_make(unit=district_1)
    clerk = user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1, full_name="سارا کارشناس")
    with schema_context("t_alpha"):
        stages = list(service_request.service.stages.all())
    return service_request, clerk, stages


def test_accept_and_move_with_visible_and_internal_notes(case):
    service_request, clerk, stages = case
    client = staff_client(clerk)
    page = client.post(f"/staff/requests/{service_request.pk}/accept/", {"note": ""}, follow=True).content.decode()
    assert "درخواست پذیرفته شد." in page and "در حال رسیدگی" in page
    client.post(f"/staff/requests/{service_request.pk}/move/", {"stage": stages[1].pk, "note": "مدارک کامل است", "note_visible": "1"})
    client.post(f"/staff/requests/{service_request.pk}/move/", {"stage": stages[0].pk, "note": "بازبینی درونی پرونده"})
    page = client.get(f"/staff/requests/{service_request.pk}/").content.decode()
    assert "بازبینی درونی پرونده" in page and "درونی" in page and "clerk@alpha.test" in page
    with schema_context("t_alpha"):
        moved = ServiceRequest.objects.get(pk=service_request.pk).events.filter(kind="moved").first()
        assert (moved.from_stage, moved.to_stage, moved.actor) == (stages[0].name, stages[1].name, "clerk@alpha.test")
        assert ServiceRequest.objects.get(pk=service_request.pk).assigned_to == clerk
    citizen = host_client("alpha.localhost")
    tracked = citizen.post("/track/", {"code": service_request.tracking_code, "identity": NATIONAL_CODE}).content.decode()
    assert "مدارک کامل است" in tracked and "پذیرش درخواست و آغاز رسیدگی" in tracked
    assert "بازبینی درونی پرونده" not in tracked


def test_a_move_note_is_internal_unless_staff_choose_otherwise(case):
    """The form's default: the tick for showing the note is off, and a note sent without it
    stays with the staff while the citizen still sees the move itself."""
    service_request, clerk, stages = case
    client = staff_client(clerk)
    client.post(f"/staff/requests/{service_request.pk}/accept/")
    form = client.get(f"/staff/requests/{service_request.pk}/").content.decode()
    tick = re.search(r'<input type="checkbox" name="note_visible"[^>]*>', form).group(0)
    assert "checked" not in tick and "متقاضی این یادداشت را هم ببیند" in form
    client.post(f"/staff/requests/{service_request.pk}/move/", {"stage": stages[1].pk, "note": "مالک پیشین بدهی دارد؛ پیگیری شود"})
    staff_page = client.get(f"/staff/requests/{service_request.pk}/").content.decode()
    assert "مالک پیشین بدهی دارد؛ پیگیری شود" in staff_page and "درونی" in staff_page
    tracked = host_client("alpha.localhost").post("/track/", {"code": service_request.tracking_code, "identity": NATIONAL_CODE}).content.decode()
    assert f"ورود به مرحله «{stages[1].name}»" in tracked
    assert "مالک پیشین بدهی دارد" not in tracked


def test_a_stage_of_another_service_is_refused(case, alpha_catalog):
    service_request, clerk, stages = case
    with schema_context("t_alpha"):
        from catalog.models import WorkflowStage

        foreign = WorkflowStage.objects.exclude(service_id=service_request.service_id).first()
    before = row_values(service_request)
    assert staff_client(clerk).post(f"/staff/requests/{service_request.pk}/move/", {"stage": foreign.pk}).status_code == 404
    assert row_values(service_request) == before


def test_a_desk_operator_cannot_move_requests(case):
    service_request, _, stages = case
    hq, _, _ = demo_units()
    desk = user_make(role=User.Role.DESK_OPERATOR, email="desk@alpha.test", unit=hq)
    before = row_values(service_request)
    assert staff_client(desk).post(f"/staff/requests/{service_request.pk}/move/", {"stage": stages[1].pk}).status_code == 403
    assert row_values(service_request) == before


def test_late_stage_shows_in_the_queue_and_its_manager_is_told_once_a_day(case, django_capture_on_commit_callbacks):
    service_request, clerk, stages = case
    hq, district_1, _ = demo_units()
    manager = user_make(role=User.Role.UNIT_MANAGER, email="manager@alpha.test", unit=hq)
    staff_client(clerk).post(f"/staff/requests/{service_request.pk}/accept/")
    with schema_context("t_alpha"):
        ServiceRequest.objects.filter(pk=service_request.pk).update(stage_due_date=timezone.localdate() - timezone.timedelta(days=1))
    queue = staff_client(clerk).get("/staff/requests/", {"late": "1"}).content.decode()
    assert "left left-late" in queue and "دیرکرد" in queue
    with schema_context("t_alpha"), django_capture_on_commit_callbacks(execute=True):
        assert late_stages_notify() == 1
        assert late_stages_notify() == 0
    sent = [m for m in mail.outbox if m.to == ["manager@alpha.test"]]
    assert len(sent) == 1 and "دیرکرد" in sent[0].subject and stages[0].name in sent[0].body
    with schema_context("t_alpha"), django_capture_on_commit_callbacks(execute=True):
        assert late_stages_notify(today=timezone.localdate() + timezone.timedelta(days=1)) == 1
    assert len([m for m in mail.outbox if m.to == ["manager@alpha.test"]]) == 2
