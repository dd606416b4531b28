"""GET /open311/v2/tokens/{token}.{json,xml}: the request a POST's token became (requests are
accepted at once, so a token always names one; the endpoint is there for clients that ask).
Only requests an Open311 client posted: a web wizard's token names nothing here."""

from __future__ import annotations

import uuid

import pytest
from defusedxml import ElementTree
from django_tenants.utils import schema_context

from intake.models import ServiceRequest


@pytest.fixture
def posted(key_a, client_a, open311_post):
    """A request alpha's Open311 client posted with its key."""
    response = client_a.post("/open311/v2/requests.json", open311_post(api_key=key_a[1]))
    assert response.status_code == 201, response.content
    with schema_context("t_alpha"):
        return ServiceRequest.objects.get(tracking_code=response.json()[0]["service_request_id"])


def test_a_token_gives_its_request(posted, client_a):
    response = client_a.get(f"/open311/v2/tokens/{posted.wizard_token}.json")
    assert response.status_code == 200
    assert response.json() == [{"service_request_id": posted.tracking_code, "token": str(posted.wizard_token)}]
    root = ElementTree.fromstring(client_a.get(f"/open311/v2/tokens/{posted.wizard_token}.xml").content)
    assert root.findtext("request/service_request_id") == posted.tracking_code


def test_a_web_wizards_token_names_nothing_here(submitted, client_a):
    """The wizard's token is the citizen's own: it never turns into a tracking code here."""
    response = client_a.get(f"/open311/v2/tokens/{submitted.wizard_token}.json")
    assert response.status_code == 404 and submitted.tracking_code not in response.content.decode()


def test_an_unknown_or_malformed_token_is_a_404(posted, client_a):
    for token in (uuid.uuid4(), "abc"):
        response = client_a.get(f"/open311/v2/tokens/{token}.json")
        assert response.status_code == 404 and response.json()[0]["error_code"] == "not_found"
    assert ElementTree.fromstring(client_a.get("/open311/v2/tokens/abc.xml").content).tag == "errors"


def test_alphas_token_on_betas_host_is_a_404(posted, client_b):
    response = client_b.get(f"/open311/v2/tokens/{posted.wizard_token}.json")
    assert response.status_code == 404 and posted.tracking_code not in response.content.decode()


def test_a_wrong_jurisdiction_is_refused(posted, client_a):
    assert client_a.get(f"/open311/v2/tokens/{posted.wizard_token}.json", {"jurisdiction_id": "beta.localhost"}).status_code == 404
