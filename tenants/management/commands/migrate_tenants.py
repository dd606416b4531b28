"""`python manage.py migrate_tenants`: the public schema, the template, then every tenant and
spare schema (tenants/schema_migrations.py). Use it instead of `migrate_schemas`."""

from __future__ import annotations

import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tenants.schema_migrations import tenants_migrate

LOG_EVERY_SECONDS = 5.0
BAR_WIDTH = 30


class Progress:
    """A bar (done/total, rate, time left) on a terminal; a plain line every few seconds otherwise."""

    def __init__(self, stream, *, tty: bool):
        self.stream, self.tty = stream, tty
        self.started = time.monotonic()
        self.last_line = self.started
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.tty and now - self.last_line < LOG_EVERY_SECONDS and done < total:
            return
        self.last_line = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0.0
        figures = f"{done}/{total} schemas  {rate:.1f}/s  {_clock(elapsed)} elapsed  {_clock(left)} left"
        if self.tty:
            filled = int(BAR_WIDTH * done / total) if total else BAR_WIDTH
            self.stream.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {figures}   ")
            self.drawn = True
            if done >= total:
                self.stream.write("\n")
                self.drawn = False
        else:
            self.stream.write(f"migrate_tenants: {figures}\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Command(BaseCommand):
    help = (
        "Migrate the public schema, then the template schema, then every tenant and spare schema "
        "not at the template's migrations, in parallel, each in its own transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jobs", type=int, default=settings.TENANT_MIGRATE_JOBS, help="schemas migrated at once")
        parser.add_argument("--lock-timeout", type=float, default=settings.TENANT_MIGRATE_LOCK_TIMEOUT,
                            help="seconds a schema waits for a lock before it is retried later")
        parser.add_argument("--statement-timeout", type=float, default=settings.TENANT_MIGRATE_STATEMENT_TIMEOUT,
                            help="seconds one statement may run")
        parser.add_argument("--attempts", type=int, default=settings.TENANT_MIGRATE_ATTEMPTS,
                            help="tries per schema when a lock or a timeout stops it")
        parser.add_argument("--skip-public", action="store_true", help="leave the public schema as it is")

    def handle(self, *args, **options):
        if options["jobs"] < 1 or options["attempts"] < 1:
            raise CommandError("--jobs and --attempts must be at least 1.")
        started = time.monotonic()
        if not options["skip_public"]:
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(0, options["verbosity"] - 1))
            self.stdout.write("Public schema: migrated.")
        stream = self.stdout._out
        progress = Progress(stream, tty=hasattr(stream, "isatty") and stream.isatty())
        result = tenants_migrate(
            jobs=options["jobs"], lock_timeout=options["lock_timeout"], statement_timeout=options["statement_timeout"],
            attempts=options["attempts"], report=self.stdout.write, progress=progress,
        )
        run = result.run
        summary = (
            f"{run.schemas_migrated} migrated, {run.schemas_current} already current, "
            f"{len(run.failures)} failed, in {time.monotonic() - started:.1f} s."
        )
        if run.failures:
            for failure in run.failures:
                self.stderr.write(f"  {failure['schema']}: {failure['error']}")
            raise CommandError(f"Schemas that could not be migrated: {len(run.failures)}. {summary} Run it again to continue.")
        self.stdout.write(self.style.SUCCESS(f"Every schema is at the template's migrations: {summary}"))
