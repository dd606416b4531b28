from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import cluster
from tenants.models import Tenant


class Command(BaseCommand):
    help = ("On a Citus cluster (DATABASE_CITUS): list each tenant's node, move one tenant's schema to "
            "another worker (--slug, --node host:port), or let Citus rebalance them all (--rebalance).")

    def add_arguments(self, parser):
        parser.add_argument("--slug", help="the tenant to move")
        parser.add_argument("--node", help="the worker to move it to, host:port")
        parser.add_argument("--rebalance", action="store_true", help="balance every tenant over the workers")
        parser.add_argument("--block-writes", action="store_true",
                            help="block the tenant's writes for the whole copy (faster; no logical replication)")

    def handle(self, *args, **options):
        if not cluster.cluster_on():
            raise CommandError("DATABASE_CITUS is off: the database is a single PostgreSQL.")
        try:
            if options["rebalance"]:
                moves = cluster.tenants_rebalance(block_writes=options["block_writes"])
                self.stdout.write(f"Rebalanced: {moves} moves.")
            elif options["slug"]:
                tenant = Tenant.objects.filter(slug=options["slug"]).first()
                if tenant is None:
                    raise CommandError(f"No tenant {options['slug']!r}.")
                seconds = cluster.tenant_move(tenant=tenant, node=options["node"] or "", actor="tenant_move",
                                              block_writes=options["block_writes"])
                self.stdout.write(f"{tenant.slug} moved to {options['node']} in {seconds:.2f} s.")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        nodes = cluster.tenant_nodes()
        for tenant in Tenant.objects.exclude(schema_name="public").order_by("slug"):
            self.stdout.write(f"{tenant.slug}\t{nodes.get(tenant.schema_name, '-')}")
