"""Final submits at the same moment, each on its own database connection (committed data in
the demo tenant "gamma"): fifty wizards give fifty distinct codes; one wizard submitted twice
at once gives one request."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django_tenants.utils import schema_context

from catalog.models import Service
from intake.citizen.services import draft_save_step, draft_start, request_submit
from intake.citizen.services import draft_save_step, draft_start, request_submit
from intake.models import ServiceRequest
from tests.builders import applicant_post


def _drafts(count):
    with schema_context("t_gamma"):
        service = Service.objects.get(national_id="10901010100")
        drafts = []
        for _ in range(count):
            draft = draft_start(service=service)
            draft_save_step(draft=draft, step="details", values={"text": "درخواست همزمان"})
            draft_save_step(draft=draft, step="applicant", values=applicant_post())
            drafts.append(draft.token)
        return drafts


def _submit(token, barrier=None):
    try:
        if barrier:
            barrier.wait(10)
        with schema_context("t_gamma"):
            return request_submit(token=token).tracking_code
    finally:
        connection.close()


def test_fifty_wizards_at_once_get_fifty_distinct_codes(demo_catalog_on_server, django_db_blocker):
    with django_db_blocker.unblock():
        tokens = _drafts(50)
        with ThreadPoolExecutor(max_workers=10) as pool:
            codes = list(pool.map(_submit, tokens))
        assert len(set(codes)) == 50
        with schema_context("t_gamma"):
            assert ServiceRequest.objects.filter(wizard_token__in=tokens).count() == 50


def test_one_wizard_submitted_twice_at_once_is_one_request(demo_catalog_on_server, django_db_blocker):
    with django_db_blocker.unblock():
        (token,) = _drafts(1)
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as pool:
            codes = list(pool.map(lambda _: _submit(token, barrier), range(2)))
        assert codes[0] == codes[1]
        with schema_context("t_gamma"):
            assert ServiceRequest.objects.filter(wizard_token=token).count() == 1
