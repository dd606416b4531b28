"""Twenty answers issued at the same moment, each on its own connection (committed data in the
demo tenant "gamma"), get twenty distinct numbers 1…20 of the year."""

import threading
from concurrent.futures import ThreadPoolExecutor

import jdatetime
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from catalog.models import Service
from intake.casework.letters import letter_issue
from intake.citizen.services import draft_save_step, draft_start, request_submit
from intake.models import AnswerLetter, LetterCounter
from tenants.models import Tenant
from tests.builders import applicant_post


def _issue(request_id, actor_id, barrier):
    try:
        barrier.wait(10)
        with schema_context("t_gamma"):
            from intake.models import ServiceRequest

            letter = letter_issue(service_request=ServiceRequest.objects.get(pk=request_id), actor=User.objects.get(pk=actor_id),
                                  tenant=Tenant.objects.get(schema_name="t_gamma"), outcome="granted",
                                  legal_basis="ماده ۵۵", content="پاسخ همزمان")
            return letter.number
    finally:
        connection.close()


def test_twenty_issues_at_once_get_twenty_distinct_numbers(demo_catalog_on_server, django_db_blocker):
    with django_db_blocker.unblock():
        with schema_context("t_gamma"):
            service = Service.objects.get(national_id="10901010100")
            admin = User.objects.get(email="admin@gamma.test")
            ids = []
            for _ in range(20):
                draft = draft_start(service=service)
                draft_save_step(draft=draft, step="details", values={"text": "درخواست"})
                draft_save_step(draft=draft, step="applicant", values=applicant_post())
                ids.append(request_submit(token=draft.token).pk)
            before = LetterCounter.objects.filter(year=jdatetime.date.today().year).values_list("last", flat=True).first() or 0
        barrier = threading.Barrier(20)
        with ThreadPoolExecutor(max_workers=20) as pool:
            numbers = list(pool.map(lambda pk: _issue(pk, admin.pk, barrier), ids))
        year = jdatetime.date.today().year
        assert sorted(numbers, key=lambda n: int(n.split("/")[1])) == [f"{year}/{before + i}" for i in range(1, 21)]
        with schema_context("t_gamma"):
            assert AnswerLetter.objects.filter(request_id__in=ids).count() == 20
