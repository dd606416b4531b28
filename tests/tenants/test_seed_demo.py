"""`seed_demo` (what `make run` calls): the demo vendor, three demo tenants with admins,
catalogues and requests, rolled up for /insights/; running it twice changes nothing."""

from django.core.management import call_command
from django_tenants.utils import schema_context

from accounts.models import User
from catalog.models import Service, Unit
from intake.models import ServiceRequest
from tenants.models import Tenant


def _state():
    tenants = {}
    for tenant in Tenant.objects.filter(slug__in=["isfahan", "natanz", "abyaneh"]):
        with schema_context(tenant.schema_name):
            tenants[tenant.slug] = (
                tenant.kind,
                User.objects.filter(role=User.Role.TENANT_ADMIN).count(),
                Service.objects.filter(status="published").count(),
                Unit.objects.count(),
                ServiceRequest.objects.count(),
            )
    return User.objects.filter(role=User.Role.VENDOR).count(), tenants


def test_seed_demo_twice(db, capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    for url in ("http://localhost:8000/console/", "http://isfahan.localhost:8000/", "http://natanz.localhost:8000/", "http://abyaneh.localhost:8000/"):
        assert url in output
    first = _state()
    vendors, tenants = first
    assert vendors >= 1 and set(tenants) == {"isfahan", "natanz", "abyaneh"}
    assert tenants["abyaneh"][0] == "dehyari"
    for slug, (_kind, admins, published, units, requests) in tenants.items():
        assert admins == 1 and published >= 8 and requests == 5, slug
    assert tenants["isfahan"][3] == 16  # the headquarters and fifteen districts
    # /insights/ has the demo requests at once, not after the first night.
    from insights.models import RollupRun, TenantMonth

    assert RollupRun.objects.get().status == "done"
    for slug in tenants:
        assert sum(TenantMonth.objects.filter(tenant__slug=slug).values_list("accepted", flat=True)) == 5, slug
    call_command("seed_demo")
    assert _state() == first
