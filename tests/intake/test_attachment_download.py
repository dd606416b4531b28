"""A request's files: staff download them only within their reach (another unit's clerk gets
404, as for the request itself); the citizen only after the one-time code; anyone else gets the
404 of an id that does not exist, so ids cannot be probed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from accounts.models import User
from intake.models import Attachment
from tests.builders import SERVICE, applicant_post, demo_units, pdf_bytes, user_make
from tests.clients import host_client, staff_client


def _request_with_file(unit):
    from catalog.models import Service
    from intake.citizen.services import draft_attach, draft_save_step, draft_start, request_submit

    with schema_context("t_alpha"):
        draft = draft_start(service=Service.objects.get(national_id=SERVICE), unit=unit)
        draft_save_step(draft=draft, step="details", values={"text": "درخواست پروانه برای پلاک ۱۲"})
        draft_save_step(draft=draft, step="applicant", values=applicant_post())
        draft_attach(draft=draft, upload=SimpleUploadedFile("plan.pdf", pdf_bytes()))
        service_request = request_submit(token=draft.token)
        return service_request, service_request.attachments.get().pk


@pytest.fixture
def file_of_district_1(alpha_catalog):
    hq, district_1, district_2 = demo_units()
    service_request, attachment_id = _request_with_file(district_1)
    return attachment_id, hq, district_1, district_2


def _status(client, attachment_id):
    return client.get(f"/track/files/{attachment_id}/").status_code


def test_staff_download_within_their_reach_only(file_of_district_1):
    attachment_id, hq, district_1, district_2 = file_of_district_1
    own_clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk1@alpha.test", unit=district_1))
    download = own_clerk.get(f"/track/files/{attachment_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert _status(staff_client(user_make(role=User.Role.UNIT_MANAGER, email="m1@alpha.test", unit=district_1)), attachment_id) == 200
    assert _status(staff_client(user_make(role=User.Role.TENANT_ADMIN, email="boss@alpha.test")), attachment_id) == 200
    assert _status(staff_client(user_make(role=User.Role.CLERK, email="clerk2@alpha.test", unit=district_2)), attachment_id) == 404
    assert _status(staff_client(user_make(role=User.Role.UNIT_MANAGER, email="m2@alpha.test", unit=district_2)), attachment_id) == 404
    assert _status(staff_client(user_make(role=User.Role.DESK_OPERATOR, email="desk@alpha.test", unit=hq)), attachment_id) == 404


def test_a_citizen_without_the_one_time_code_is_refused(file_of_district_1):
    attachment_id = file_of_district_1[0]
    assert _status(host_client("alpha.localhost"), attachment_id) == 404


def test_an_existing_id_answers_as_a_missing_one_to_a_stranger(file_of_district_1):
    attachment_id = file_of_district_1[0]
    with schema_context("t_alpha"):
        request_id = Attachment.objects.get(pk=attachment_id).request_id
    stranger = host_client("alpha.localhost")
    for existing, missing in ((f"/track/request/{request_id}/", f"/track/request/{request_id + 1000}/"),
                              (f"/track/files/{attachment_id}/", f"/track/files/{attachment_id + 1000}/")):
        found, not_found = stranger.get(existing), stranger.get(missing)
        assert found.status_code == not_found.status_code == 404
        assert found.content == not_found.content
