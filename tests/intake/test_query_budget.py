"""What the request API's two calls cost the database (README, "Load"): a submit with two files
and a tracking look-up answer as a citizen expects, within a bound of SQL statements that guards
the load bench's figures against a query creeping back in (a submit was 55 statements, then 23, then 20, now 18 (the receipt shows the SMS it queued, unread);
the look-up is the tenancy's search_path and one query). The counts include the search_path of
django-tenants and, since each test runs inside a transaction, a SAVEPOINT and RELEASE for the
submit's own transaction and one pair for its draft."""

from __future__ import annotations

import uuid

from django_tenants.utils import schema_context

from intake.models import ServiceRequest
from notifications.models import SmsMessage
from tests.builders import NATIONAL_CODE, SERVICE, request_api_post, request_files
from tests.clients import api_submit

SUBMIT_STATEMENTS = 18
LOOKUP_STATEMENTS = 2


def _submit(client):
    return api_submit(client, str(uuid.uuid4()), **request_api_post(files=request_files()))


def test_a_submit_with_two_files_stays_within_its_statements(alpha_catalog, client_a, tenant_a, django_assert_max_num_queries):
    assert _submit(client_a).status_code == 201  # warms the host map and the catalogue's caches
    with django_assert_max_num_queries(SUBMIT_STATEMENTS):
        response = _submit(client_a)
    assert response.status_code == 201
    receipt = response.json()
    assert [f["name"] for f in receipt["files"]] == ["plan.pdf", "photo.png"] and receipt["sms"]["status"] == "queued"
    with schema_context(tenant_a.schema_name):
        made = ServiceRequest.objects.get(tracking_code=receipt["tracking_code"])
        assert made.attachments.count() == 2 and made.events.get().kind == "submitted"
        assert SmsMessage.objects.get(pk=made.sms_message_id).purpose == "receipt"


def test_a_tracking_look_up_is_one_query_after_the_tenancy(alpha_catalog, client_a, django_assert_max_num_queries):
    code = _submit(client_a).json()["tracking_code"]
    with django_assert_max_num_queries(LOOKUP_STATEMENTS):
        found = client_a.post("/api/requests/track/", {"code": code, "identity": NATIONAL_CODE}, content_type="application/json")
    assert found.status_code == 200
    assert found.json()["tracking_code"] == code and found.json()["service"]["national_id"] == SERVICE
