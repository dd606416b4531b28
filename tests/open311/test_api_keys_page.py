"""/staff/api-keys/: a tenant admin issues, names, rate-limits and revokes Open311 keys; the
key is shown once and stored only as its hash; other roles and other tenants are refused."""

from __future__ import annotations

import hashlib
import re

from django_tenants.utils import schema_context

from accounts.models import User
from open311.models import ApiKey
from tests.builders import row_values, user_make
from tests.clients import staff_client


def _keys(schema="t_alpha"):
    with schema_context(schema):
        return list(ApiKey.objects.order_by("id"))


def test_the_admin_issues_a_key_shown_once_and_stored_hashed(admin_a):
    page = admin_a.post("/staff/api-keys/", {"name": "برنامه شهر", "per_minute": "۳۰"})
    assert page.status_code == 200
    key = re.search(r'id="issued-key">(m311_[A-Za-z0-9_-]+)<', page.content.decode()).group(1)
    [row] = _keys()
    assert (row.name, row.per_minute, row.created_by) == ("برنامه شهر", 30, "admin@alpha.test")
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest() and key.startswith(row.prefix)
    with schema_context("t_alpha"):
        assert not ApiKey.objects.filter(key_hash=key).exists()
    listed = admin_a.get("/staff/api-keys/").content.decode()
    assert "برنامه شهر" in listed and row.prefix in listed and key not in listed


def test_bad_input_is_refused_at_the_field_and_keeps_what_was_typed(admin_a):
    page = admin_a.post("/staff/api-keys/", {"name": "", "per_minute": "صد"})
    text = page.content.decode()
    assert page.status_code == 400 and "نامی برای کلید بنویسید" in text and "سقف درخواست در دقیقه را عددی" in text
    assert 'value="صد"' in text
    long_name = admin_a.post("/staff/api-keys/", {"name": "ن" * 21, "per_minute": "10"}).content.decode()
    assert "حداکثر ۲۰ نویسه" in long_name and 'value="' + "ن" * 21 + '"' in long_name
    assert _keys() == []


def test_two_active_keys_cannot_share_a_name_but_a_revoked_name_is_free(admin_a):
    admin_a.post("/staff/api-keys/", {"name": "پیشخوان", "per_minute": "10"})
    second = admin_a.post("/staff/api-keys/", {"name": "پیشخوان", "per_minute": "10"})
    assert second.status_code == 400 and "کلید فعال دیگری همین نام را دارد" in second.content.decode()
    [first] = _keys()
    assert admin_a.post(f"/staff/api-keys/{first.pk}/revoke/").status_code == 302
    assert admin_a.post("/staff/api-keys/", {"name": "پیشخوان", "per_minute": "10"}).status_code == 200
    revoked, fresh = _keys()
    assert revoked.revoked_at is not None and revoked.revoked_by == "admin@alpha.test" and fresh.revoked_at is None
    assert "باطل‌شده در" in admin_a.get("/staff/api-keys/").content.decode()


def test_a_clerk_is_refused_and_changes_nothing(key_a):
    row, _key = key_a
    clerk = staff_client(user_make(email="clerk-keys@alpha.test", role=User.Role.CLERK))
    before = row_values(row)
    assert clerk.get("/staff/api-keys/").status_code == 403
    assert clerk.post("/staff/api-keys/", {"name": "دزد", "per_minute": "10"}).status_code == 403
    assert clerk.post(f"/staff/api-keys/{row.pk}/revoke/").status_code == 403
    assert row_values(row) == before and len(_keys()) == 1


def test_anonymous_is_sent_to_sign_in(client_a):
    assert client_a.get("/staff/api-keys/").status_code == 302


def test_another_tenants_admin_cannot_see_or_revoke_alphas_key(key_a, tenant_b):
    row, _key = key_a
    with schema_context(tenant_b.schema_name):
        admin_b = User.objects.get(email="admin@beta.test")
    client_b = staff_client(admin_b, host=tenant_b.subdomain, schema=tenant_b.schema_name)
    before = row_values(row)
    assert "شهر من" not in client_b.get("/staff/api-keys/").content.decode()
    assert client_b.post(f"/staff/api-keys/{row.pk}/revoke/").status_code == 404
    assert row_values(row) == before
