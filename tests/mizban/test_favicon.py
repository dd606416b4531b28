"""/favicon.ico answers on the platform and on every tenant with an icon, and pages link it."""

import pytest


@pytest.mark.parametrize("which", ["public_client", "client_a"])
def test_favicon_is_an_icon_on_every_host(which, request):
    client = request.getfixturevalue(which)
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert "max-age" in response["Cache-Control"]


def test_pages_link_the_icon(client_a, public_client):
    for client in (client_a, public_client):
        assert '<link rel="icon" href="/static/favicon.ico"' in client.get("/").content.decode()
