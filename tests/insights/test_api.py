"""/api/insights/report/ (tenant hosts) and /api/insights/rollup/ (platform domain): the same
figures and the same reach as the pages; the schemas list both."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from insights.rollup import rollup_tenants
from tests.builders import user_make
from tests.clients import staff_client, supervisor_client

ESFAND = "?year=1402&month=12"
REPORT = "/api/insights/report/"
ROLLUP = "/api/insights/rollup/"


@pytest.fixture
def admin_a(known, tenant_a):
    from accounts.models import User

    with schema_context(tenant_a.schema_name):
        admin = User.objects.get(email="admin@alpha.test")
    return staff_client(admin, host=tenant_a.subdomain)


@pytest.fixture
def rolled(known, tenant_a, tenant_b, settings):
    settings.INSIGHTS_MIN_REQUESTS = 3
    rollup_tenants(tenants=[tenant_a, tenant_b], today=date(2024, 4, 1))
    return known


# --- The tenant's report ---------------------------------------------------------------------


def test_an_admin_gets_every_unit_and_the_scorecard(known, admin_a):
    response = admin_a.get(REPORT + ESFAND)
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"kind": "month", "label": "اسفند ۱۴۰۲", "first_day": "2024-02-20", "last_day": "2024-03-19",
                              "query": "year=1402&month=12"}
    assert data["units"] is None
    t = data["total"]
    # The figures worked out by hand in test_report.py (as of today every open one is late).
    assert (t["accepted"], t["answered"], t["open"], t["on_time"]) == (5, 3, 2, 2)
    assert (t["mean_days"], t["median_days"], t["p90_days"], t["mean_work"], t["p90_work"]) == (6.0, 7.0, 7.8, 3.33, 4.6)
    assert (t["surveys"], t["survey_mean"]) == (3, 3.5)
    assert (data["previous"]["accepted"], data["previous"]["mean_days"]) == (1, 1.0)
    units = {row["label"]: row["accepted"] for row in data["by"]["unit_id"]}
    assert units == {"ستاد آزمون": 2, "منطقه آزمون": 3}
    assert {row["key"]: row["accepted"] for row in data["by"]["channel"]} == {"online": 3, "in_person": 1, "assisted": 1}
    assert [(row["key"], row["accepted"]) for row in data["by"]["month"]] == [(140212, 5)]
    assert [(a["axis"], a["mean"], a["count"]) for a in data["survey_axes"]] == [("شفافیت فرایندی", 4.0, 3), ("کلیت فرایند", 3.0, 3)]
    capabilities = {c["number"]: c for c in data["scorecard"]["capabilities"]}
    assert len(capabilities) == 10 and capabilities[1]["formula"].startswith("تعداد خدمات")
    assert (capabilities[2]["numerator"], capabilities[2]["denominator"], capabilities[2]["share"]) == (3, 5, 60.0)
    assert (capabilities[10]["numerator"], capabilities[10]["denominator"]) == (2, 3)


def test_a_unit_manager_gets_only_their_units(known, tenant_a):
    manager = user_make(role="unit_manager", email="manager@alpha.test", unit=known.district)
    data = staff_client(manager, host=tenant_a.subdomain).get(REPORT + ESFAND).json()
    assert data["units"] == [known.district.pk]
    assert (data["total"]["accepted"], data["total"]["answered"], data["total"]["mean_days"]) == (3, 1, 7.0)
    assert [row["label"] for row in data["by"]["unit_id"]] == ["منطقه آزمون"]
    assert [row["key"] for row in data["by"]["unit_kind"]] == ["district"]
    assert data["total"]["surveys"] == 1
    assert {c["number"]: c["denominator"] for c in data["scorecard"]["capabilities"]}[2] == 3


def test_a_clerk_and_anonymous_may_not(known, tenant_a, client_a):
    clerk = user_make(role="clerk", email="clerk@alpha.test", unit=known.hq)
    assert staff_client(clerk, host=tenant_a.subdomain).get(REPORT).status_code == 403
    assert client_a.get(REPORT).status_code in (401, 403)


def test_another_tenants_host_sees_only_its_own(known, tenant_b, admin_a):
    from accounts.models import User

    with schema_context(tenant_b.schema_name):
        admin_b = User.objects.get(email="admin@beta.test")
    data = staff_client(admin_b, host=tenant_b.subdomain, schema=tenant_b.schema_name).get(REPORT + ESFAND).json()
    assert data["total"]["accepted"] == 0 and data["by"]["unit_id"] == [] and data["survey_axes"] == []
    # Alpha's session is no session on beta's host.
    admin_a.defaults["HTTP_HOST"] = tenant_b.subdomain
    assert admin_a.get(REPORT + ESFAND).status_code in (401, 403)


# --- The rollup ------------------------------------------------------------------------------


def _tenants(data) -> dict:
    entries = [m for g in data["groups"] for m in g["members"]] + data["too_few"]
    return {e["slug"]: e for e in entries}


def test_the_vendor_gets_every_tenant_ranked_and_apart(rolled, vendor_client):
    data = vendor_client.get(ROLLUP + ESFAND).json()
    assert data["min_requests"] == 3
    assert [m["slug"] for g in data["groups"] for m in g["members"]] == ["alpha"]
    # Tenants other tests committed (with no requests) are apart too; alpha and beta are this test's.
    assert [e["slug"] for e in data["too_few"] if e["slug"] in ("alpha", "beta")] == ["beta"]
    alpha = _tenants(data)["alpha"]
    assert (alpha["accepted"], alpha["answered"], alpha["late"]) == (5, 3, 2)
    assert (alpha["shares"]["1"], alpha["shares"]["2"], alpha["shares"]["10"], alpha["ranks"]["total"]) == (50.0, 60.0, 66.7, 1)
    shares = [s for s in alpha["shares"].values() if s is not None]
    assert alpha["total"] == round(sum(shares) / len(shares), 1)
    assert [(t["month"], t["accepted"], t["on_time_share"]) for t in data["trends"]] == [(140212, 5, 66.7)]


def test_a_supervisor_never_sees_another_province(rolled, settings):
    tehran = supervisor_client(province="tehran", email="sup-tehran@mizban.test").get(ROLLUP + ESFAND).json()
    assert set(_tenants(tehran)) == {"alpha"}
    fars = supervisor_client(province="fars", email="sup-fars@mizban.test").get(ROLLUP + ESFAND).json()
    assert set(_tenants(fars)) == {"beta"}
    assert fars["trends"] == []  # alpha's months are not summed in either


def test_others_may_not_see_the_rollup(rolled, settings, public_client, admin_a, tenant_a):
    assert supervisor_client(province="", email="sup-none@mizban.test").get(ROLLUP).status_code == 403
    assert public_client.get(ROLLUP).status_code in (401, 403)
    # The rollup is not on tenant hosts at all.
    assert admin_a.get(ROLLUP).status_code == 404


# --- The schemas -----------------------------------------------------------------------------


def test_the_schemas_list_the_endpoints(client_a, public_client):
    tenant = client_a.get("/api/schema/?format=json").json()
    report = tenant["paths"][REPORT]["get"]
    assert report["operationId"] == "insights_report" and {"200", "403"} <= set(report["responses"])
    assert {"year", "month", "quarter", "from", "to"} <= {p["name"] for p in report["parameters"]}
    assert ROLLUP not in tenant["paths"]
    assert {"Report", "Scorecard", "Capability"} <= set(tenant["components"]["schemas"])
    platform = public_client.get("/api/schema/?format=json").json()
    assert platform["paths"][ROLLUP]["get"]["operationId"] == "insights_rollup"
    assert REPORT not in platform["paths"] and "/api/requests/" not in platform["paths"]
    assert {"Rollup", "TenantEntry", "Group", "Trend"} <= set(platform["components"]["schemas"])
