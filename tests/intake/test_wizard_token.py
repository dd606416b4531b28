"""The wizard's token makes its submit idempotent and is a key to its receipt, so it is never in a
URL (addresses reach access logs, history and Referer): the wizard's pages are addressed by a
number that means something only in the session that started them. Thirty submits of one wizard
at the same moment, through the server, still make one request."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import requests
from django_tenants.utils import schema_context

from intake.models import ServiceRequest
from tests.builders import applicant_post, pdf_bytes
from tests.clients import host_client, staff_client, Wizard

URLS = re.compile(r"""(?:href|action|src)="([^"]*)\"""")


def test_no_page_or_redirect_of_the_wizard_carries_its_token(alpha_catalog, client_a):
    wizard = Wizard(client_a).start()
    seen: list[str] = [f"/requests/wizard/{wizard.slot}/step/1/"]
    pages = [client_a.get(wizard.url(f"step/{n}/")).content.decode() for n in range(1, 7)]
    for step, data in [(1, {}), (2, {"text": "درخواست صدور پروانه"}), (3, {}), (4, applicant_post()), (5, {})]:
        seen.append(wizard.post_step(step, data)["Location"])
    seen.append(wizard.attach("plan.pdf", pdf_bytes()).redirect_chain[-1][0])
    seen.append(wizard.submit()["Location"])
    pages.append(client_a.get(wizard.url("receipt/")).content.decode())
    seen += [url for page in pages for url in URLS.findall(page)]
    token = wizard.token
    assert token and all(token not in url and token.replace("-", "") not in url for url in seen)
    assert all(token not in page for page in pages)
    with schema_context("t_alpha"):
        assert ServiceRequest.objects.filter(wizard_token=token).exists()


def test_a_wizards_number_means_nothing_in_another_session(alpha_catalog, client_a, tenant_a):
    wizard = Wizard(client_a).start().fill()
    stranger = host_client(tenant_a.subdomain)
    Wizard(stranger).start()  # the stranger's own wizard has a number too, perhaps the same one
    assert stranger.get(wizard.url("step/4/")).status_code in (200, 302)
    assert "مریم" not in stranger.get(wizard.url("step/4/")).content.decode()
    assert host_client(tenant_a.subdomain).get(wizard.url("step/4/")).status_code == 404
    assert host_client(tenant_a.subdomain).post(wizard.url("submit/")).status_code == 404


def test_the_desk_wizard_is_addressed_by_its_number_too(alpha_catalog, client_a):
    from accounts.models import User
    from catalog.models import Service
    from tests.builders import user_make

    with schema_context("t_alpha"):
        unit = Service.objects.get(national_id="10901010100").units.order_by("order", "id").first()
        operator = user_make(role=User.Role.DESK_OPERATOR, email="desk-token@alpha.test", unit=unit)
    client = staff_client(operator)
    response = client.post("/staff/requests/desk/", {"unit": unit.pk, "service": "10901010100", "agree": "on", "choose": "1", "consent": "on"})
    assert re.fullmatch(r"/requests/wizard/\d+/step/1/", response["Location"])


def test_thirty_submits_of_one_wizard_at_once_make_one_request(live_server_url, demo_catalog_on_server, django_db_blocker):
    port = urlsplit(live_server_url).port
    base, host = f"http://127.0.0.1:{port}", f"gamma.localhost:{port}"
    with django_db_blocker.unblock():
        browser = host_client("gamma.localhost")
        wizard = Wizard(browser, schema="t_gamma").start().fill(files=())
        token = wizard.token
    session = requests.Session()
    session.cookies.set("sessionid", browser.cookies["sessionid"].value)
    review = session.get(base + wizard.url("step/6/"), headers={"Host": host}, timeout=60)
    assert review.status_code == 200 and "ثبت نهایی درخواست" in review.text
    cookies = {"sessionid": browser.cookies["sessionid"].value, "csrftoken": session.cookies["csrftoken"]}

    def submit(_):
        return requests.post(base + wizard.url("submit/"), headers={"Host": host, "Referer": f"http://{host}/"}, cookies=cookies,
                             data={"csrfmiddlewaretoken": cookies["csrftoken"]}, allow_redirects=False, timeout=60)

    with ThreadPoolExecutor(30) as pool:
        answers = list(pool.map(submit, range(30)))
    assert [a.status_code for a in answers] == [302] * 30, [a.text[:300] for a in answers if a.status_code != 302]
    assert {a.headers["Location"] for a in answers} == {wizard.url("receipt/")}
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        assert ServiceRequest.objects.filter(wizard_token=token).count() == 1
