from django.core.management.base import BaseCommand, CommandError

from tenants.models import Tenant
from tenants.services import OnboardingError, tenant_draft_clean, tenant_onboard


class Command(BaseCommand):
    help = "Onboard a municipality or dehyari: its schema, subdomain, theme and first admin (invited by e-mail)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="subdomain label, e.g. kashan")
        parser.add_argument("--name", required=True, help="Persian name, e.g. «شهرداری کاشان»")
        parser.add_argument("--kind", required=True, choices=Tenant.Kind.values)
        parser.add_argument("--province", required=True, help="province code (isfahan) or Persian name")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="")
        parser.add_argument("--national-id", default="", help="شناسه ملی, 11 digits")
        parser.add_argument("--county", default="")
        parser.add_argument("--address", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--parent", default="", help="slug of the parent body")

    def handle(self, *args, **options):
        try:
            draft = tenant_draft_clean(
                slug=options["slug"], name=options["name"], kind=options["kind"], province=options["province"],
                admin_email=options["admin_email"], admin_name=options["admin_name"],
                national_id=options["national_id"], county=options["county"], address=options["address"],
                phone=options["phone"], parent=options["parent"] or None,
            )
            tenant = tenant_onboard(draft=draft, actor="manage.py onboard_tenant")
        except OnboardingError as error:
            lines = [f"{field}: {message}" for field, messages in error.errors.items() for message in messages]
            raise CommandError("Onboarding refused, nothing was saved:\n" + "\n".join(lines)) from error
        self.stdout.write(self.style.SUCCESS(f"{tenant.name} is ready at {tenant.portal_url}"))
        self.stdout.write(f"An invitation to set a password was sent to {draft.admin_email}.")
