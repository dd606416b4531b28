import sys
import time

from django.core.management.base import BaseCommand, CommandError

from registry.models import SyncRun
from registry.rows import REASON_LABELS
from registry.services import registry_sync

SHOWN_INVALID = 20


class Command(BaseCommand):
    help = "Bring the national registry's mirror in line with a full export (CSV/XLSX file or the HTTP API)."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--file", help="a CSV or XLSX export (default: REGISTRY_SOURCE_FILE)")
        where.add_argument("--url", help="the API's base URL, read as <url>/services?page=N (default: REGISTRY_SOURCE_URL)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        bar = None if options["no_progress"] else _ProgressBar(sys.stderr)
        run = registry_sync(
            file=options["file"], url=options["url"], triggered_by="manage.py sync_registry",
            progress=bar.update if bar else None,
        )
        if bar:
            bar.close()
        self.stdout.write(
            f"Run #{run.pk} from {run.source}: {run.get_outcome_display()} ({run.outcome})"
            + (f" in {run.duration_s:.1f} s" if run.duration_s is not None else "")
        )
        if run.outcome != SyncRun.Outcome.SUCCEEDED:
            raise CommandError(f"Nothing was applied: {run.error}")
        self.stdout.write(
            f"rows {run.rows_read}: added {run.added}, changed {run.changed}, retired {run.retired}, "
            f"unchanged {run.unchanged}, invalid {run.invalid}; missing from this export {run.missing}"
        )
        for row in run.invalid_rows.all()[:SHOWN_INVALID]:
            self.stdout.write(f"  line {row.line} {row.service_id or '-'}: {REASON_LABELS.get(row.reason, row.reason)} {row.detail}")
        if run.invalid > SHOWN_INVALID:
            self.stdout.write(f"  … and {run.invalid - SHOWN_INVALID} more invalid rows (see the vendor console)")
        self.stdout.write(self.style.SUCCESS("Done."))


class _ProgressBar:
    """A one-line bar on a terminal (rows read, and a percentage when the size is known)."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream, self.started, self.shown = stream, time.monotonic(), False

    def update(self, read: int, total: int | None) -> None:
        elapsed = time.monotonic() - self.started
        if total:
            done = min(read / total, 1.0)
            filled = int(done * self.WIDTH)
            line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:6.1%} {read}/{total} rows {elapsed:5.1f} s"
        else:
            line = f"{read} rows {elapsed:5.1f} s"
        self.stream.write("\r" + line)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
