"""Only approved, numbered, complete cards whose title is the approved one reach citizens."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from catalog.models import Service
from catalog.publishing import missing_items, title_matches_approved
from catalog.selectors import national_service_get
from catalog.services import catalog_follow_registry, service_add_from_registry, service_publish


@pytest.mark.parametrize(
    "title, approved, ok",
    [
        ("صدور پروانه ساختمان", "صدور پروانه ساختمان", True),
        ("صدور پروانه ساختمان (پروانه)", "صدور پروانه ساختمان", True),
        ("تمديد  پروانه ساختمان", "تمدید پروانه ساختمان", True),  # Arabic ي and a double space
        ("صدور پروانه ساختمان جدید", "صدور پروانه ساختمان", False),
        ("پروانه ساختمان", "صدور پروانه ساختمان", False),
    ],
)
def test_title_must_be_the_approved_one(title, approved, ok):
    assert title_matches_approved(title, approved) is ok


def test_a_new_card_cannot_be_published_and_says_what_is_missing(mirror, tenant_a):
    with schema_context(tenant_a.schema_name):
        service = service_add_from_registry(national_id="10901060000", actor="t")
        with pytest.raises(ValidationError) as error:
            service_publish(service=service, actor="t")
        assert "شرح خدمت نوشته شده است" in error.value.messages
        assert "مراحل گردش کار تعریف شده است" in error.value.messages
        assert Service.objects.get(pk=service.pk).status == "draft"


def test_a_complete_card_publishes(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(national_id="10901060000")
        assert service.is_published
        assert missing_items(service, national=national_service_get(service.national_id)) == []


def test_a_card_whose_title_drifted_from_the_approved_one_is_refused(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(national_id="10901060000")
        service.approved_title = "صدور مجوز حفاری"
        service.save()
        service.status = "draft"
        service.save()
        with pytest.raises(ValidationError) as error:
            service_publish(service=service, actor="t")
        assert "عنوان با عنوان مصوب یکی است" in error.value.messages


def test_retired_national_services_cannot_be_added(mirror, tenant_a):
    with schema_context(tenant_a.schema_name), pytest.raises(ValidationError) as error:
        service_add_from_registry(national_id="10901990000", actor="t")
    assert "منسوخ" in error.value.messages[0]


def test_adding_a_parent_brings_its_approved_sub_services(mirror, tenant_a):
    with schema_context(tenant_a.schema_name):
        service_add_from_registry(national_id="10901010000", actor="t")
        children = set(Service.objects.filter(parent__national_id="10901010000").values_list("national_id", flat=True))
    assert children == {"10901010100", "10901010200", "10901010300", "10901010400"}


def test_a_registry_retirement_unpublishes_the_card_and_says_why(alpha_catalog, tenant_a, client_a):
    assert client_a.get("/services/10901060000/").status_code == 200
    with schema_context(tenant_a.schema_name):
        catalog_follow_registry(national_id="10901060000", kind="retired")
        service = Service.objects.get(national_id="10901060000")
        assert service.status == "unpublished" and "منسوخ" in service.status_reason
        assert service.audits.filter(action="unpublished").exists()
    assert client_a.get("/services/10901060000/").status_code == 404


def test_a_registry_title_change_updates_the_card(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        catalog_follow_registry(national_id="10901060000", kind="title_changed", new_title="صدور مجوز حفاری و ترمیم معابر")
        service = Service.objects.get(national_id="10901060000")
        assert service.approved_title == "صدور مجوز حفاری و ترمیم معابر"
        audit = service.audits.get(action="title_changed")
        assert audit.before["approved_title"] == "صدور مجوز حفاری معابر"
