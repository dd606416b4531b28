"""Demo data for `make run`: a vendor login and three demo tenants, each with an admin login.

Safe to run twice: what exists is kept, what is missing is created. The demo tenants'
national IDs are synthetic (valid check digits, not real bodies).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django_tenants.utils import schema_context

from accounts.models import User
from lib.hosts import host_url
from lib.identifiers import make_legal_national_id
from tenants.models import Tenant
from tenants.services import tenant_draft_clean, tenant_onboard

VENDOR_EMAIL = "vendor@mizban.demo"
DEMO_PASSWORD = "Mizban-Demo-1405"
DEMO_TENANTS = [
    {
        "slug": "isfahan", "name": "شهرداری اصفهان (نمونه)", "kind": "municipality", "province": "isfahan", "large": True,
        "county": "اصفهان", "national_id": make_legal_national_id("1410000101"), "phone": "031-00000000",
        "address": "اصفهان، میدان امام حسین، ساختمان شهرداری", "admin_email": "admin@isfahan.demo",
        "admin_name": "مدیر سامانه شهرداری اصفهان",
    },
    {
        "slug": "natanz", "name": "شهرداری نطنز (نمونه)", "kind": "municipality", "province": "isfahan",
        "county": "نطنز", "national_id": make_legal_national_id("1410000202"), "phone": "031-00000001",
        "address": "نطنز، خیابان امام", "admin_email": "admin@natanz.demo", "admin_name": "مدیر سامانه شهرداری نطنز",
    },
    {
        "slug": "abyaneh", "name": "دهیاری ابیانه (نمونه)", "kind": "dehyari", "province": "isfahan",
        "county": "نطنز", "national_id": make_legal_national_id("1410000303"), "phone": "031-00000002",
        "address": "روستای ابیانه", "admin_email": "admin@abyaneh.demo", "admin_name": "دهیار ابیانه",
    },
]


class Command(BaseCommand):
    help = "Create the demo vendor login and demo tenants (idempotent)."

    def handle(self, *args, **options):
        vendor = User.objects.filter(email=VENDOR_EMAIL).first()
        if vendor is None:
            User.objects.create_superuser(email=VENDOR_EMAIL, password=DEMO_PASSWORD, full_name="کارشناس میزبان")
        rows = [("کنسول میزبان", host_url(settings.PLATFORM_DOMAIN, "/console/"), VENDOR_EMAIL)]
        # Other apps add their demo data through settings, so tenants depends on none of them.
        for step in settings.DEMO_PLATFORM_STEPS:
            import_string(step)()
        for spec in DEMO_TENANTS:
            tenant = Tenant.objects.filter(slug=spec["slug"]).first()
            if tenant is None:
                draft_fields = {k: v for k, v in spec.items() if k != "large"}
                tenant = tenant_onboard(draft=tenant_draft_clean(**draft_fields), actor="seed_demo")
            for step in settings.DEMO_TENANT_STEPS:
                import_string(step)(tenant=tenant, spec=spec)
            with schema_context(tenant.schema_name):
                admin = User.objects.get(email=spec["admin_email"])
                if not admin.has_usable_password():
                    admin.set_password(DEMO_PASSWORD)
                    admin.save(update_fields=["password"])
            rows.append((tenant.name, tenant.portal_url, spec["admin_email"]))
        for step in getattr(settings, "DEMO_FINAL_STEPS", []):
            import_string(step)()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Every login's password: " + DEMO_PASSWORD))
        for title, url, email in rows:
            self.stdout.write(f"  {url:<40} {email:<24} {title}")
