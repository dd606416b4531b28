"""A request posted by an Open311 client is the citizen's request: the tracking page finds it
by its code and national code, and GET shows the same request at the same stage."""

from __future__ import annotations

from tests.builders import NATIONAL_CODE


def test_post_then_tracking_page_then_get(key_a, open311_post, client_a):
    _row, key = key_a
    [created] = client_a.post("/open311/v2/requests.json", open311_post(api_key=key)).json()
    code = created["service_request_id"]
    assert len(code) == 16 and code.isdigit()

    page = client_a.post("/track/", {"code": code, "identity": NATIONAL_CODE}).content.decode()
    assert "بررسی مدارک" in page and "مرحله کنونی" in page and "صدور پروانه" in page

    [listed] = client_a.get("/open311/v2/requests.json", {"service_request_id": code}).json()
    [single] = client_a.get(f"/open311/v2/requests/{code}.json").json()
    [by_token] = client_a.get(f"/open311/v2/tokens/{created['token']}.json").json()
    assert listed == single and by_token["service_request_id"] == code
    assert single["status"] == "open" and "بررسی مدارک" in single["status_notes"]
    assert single["service_name"] in page
