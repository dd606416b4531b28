"""The read-only API over the mirror, for tenants' catalogue editors: tenant staff only, on
their own host; never on the platform's host."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from registry.services import registry_sync
from tests.builders import STAFF_PASSWORD, VENDOR_EMAIL, user_make
from tests.clients import host_client, signed_in

URL = "/api/registry/services/"
CITIZEN_PASSWORD = "Citizen-Passw0rd-1405"


@pytest.fixture
def mirror(db, sample_path):
    registry_sync(file=str(sample_path))


def test_staff_search_by_id_prefix_and_by_title_words(mirror, admin_a):
    by_prefix = admin_a.get(URL, {"q": "1003177"}).json()
    assert by_prefix["count"] == 4
    assert [s["service_id"] for s in by_prefix["results"]] == ["10031771000", "10031771100", "10031771101", "10031771102"]
    assert by_prefix["results"][1]["parent_id"] == "10031771000"

    by_words = admin_a.get(URL, {"q": "پروانه ساختمان مسكوني"}).json()  # Arabic ك/ي typed
    assert [s["title"] for s in by_words["results"]] == ["صدور پروانه ساختمان مسکونی"]

    retired = admin_a.get(URL, {"status": "retired"}).json()
    assert [s["service_id"] for s in retired["results"]] == ["10901990000"]
    g2b = admin_a.get(URL, {"type": "G2B", "q": "حفاری"}).json()
    assert {s["service_id"] for s in g2b["results"]} == {"10901060000", "10911030000"}


def test_the_list_is_paginated_and_one_service_can_be_read(mirror, admin_a):
    first = admin_a.get(URL, {"page_size": 10}).json()
    assert first["count"] == 41 and len(first["results"]) == 10 and first["next"]
    one = admin_a.get(URL + "10901010100/").json()
    assert one["title"] == "صدور پروانه ساختمان مسکونی"
    assert one["service_types"] == ["G2B", "G2C"] and one["status"] == "approved" and one["has_short_id"] is False
    assert admin_a.get(URL + "99999999999/").status_code == 404


def test_it_is_read_only(mirror, admin_a):
    assert admin_a.post(URL, {"service_id": "10901500000"}).status_code == 405
    assert admin_a.delete(URL + "10901010100/").status_code == 405


@pytest.mark.parametrize("path", [URL, URL + "10901010100/"])
def test_anonymous_is_refused(mirror, client_a, path):
    assert client_a.get(path).status_code == 403


@pytest.mark.parametrize("path", [URL, URL + "10901010100/"])
def test_a_citizen_is_refused(mirror, tenant_a, client_a, path):
    with schema_context(tenant_a.schema_name):
        user_make(email="citizen@alpha.test", password=CITIZEN_PASSWORD, role=User.Role.CITIZEN)
    signed_in(client_a, "citizen@alpha.test", CITIZEN_PASSWORD)
    assert client_a.get(path).status_code == 403


def test_a_session_from_another_tenant_is_worthless(mirror, admin_a, tenant_b):
    assert admin_a.get(URL).status_code == 200
    assert admin_a.get(URL, HTTP_HOST=tenant_b.subdomain).status_code == 403


def test_not_on_the_platform_host_nor_an_unknown_host(mirror, public_client):
    assert public_client.login(email=VENDOR_EMAIL, password=STAFF_PASSWORD)
    assert public_client.get(URL).status_code == 404
    assert host_client("nobody.localhost").get(URL).status_code == 404
