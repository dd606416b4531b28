"""Registry sync speed and memory: a first sync, an unchanged re-sync, and 1% of titles changed.

    python bench/registry_sync.py --rows 100000

Generates the export with registry/demo/make_registry.py into a temporary file and syncs it
on its own throw-away database (mizban_bench_registry), never the dev or test data. Prints
one JSON line: rows, first_sync_s, unchanged_sync_s, changed_1pct_sync_s, peak_rss_mb.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _db import ROOT, drop_database, use_fresh_database

DATABASE = "mizban_bench_registry"
MAKE_REGISTRY = ROOT / "registry" / "demo" / "make_registry.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # the change notice runs in-process (no tenants here)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as folder:
        original, edited = Path(folder) / "registry.csv", Path(folder) / "registry-1pct.csv"
        with original.open("w") as out:
            subprocess.run([sys.executable, str(MAKE_REGISTRY), str(args.rows)], stdout=out, check=True)
        changed = _change_titles(original, edited, every=100)
        use_fresh_database(DATABASE)
        try:
            print(json.dumps(run(args.rows, original, edited, changed)))
        finally:
            drop_database(DATABASE)


def _change_titles(source: Path, target: Path, *, every: int) -> int:
    """A copy with the title of one row in `every` changed; returns how many."""
    changed = 0
    with source.open(newline="") as src, target.open("w", newline="") as out:
        reader, writer = csv.reader(src), csv.writer(out)
        writer.writerow(next(reader))
        for index, row in enumerate(reader):
            if index % every == 0:
                row[2] += " (ویرایش)"
                changed += 1
            writer.writerow(row)
    return changed


def _timed_sync(path: Path):
    from registry.services import registry_sync

    started = time.perf_counter()
    result = registry_sync(file=str(path), triggered_by="bench")
    elapsed = time.perf_counter() - started
    if result.outcome != "succeeded":
        raise SystemExit(f"sync failed: {result.error}")
    return result, round(elapsed, 2)


def run(rows: int, original: Path, edited: Path, changed: int) -> dict:
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    first, first_s = _timed_sync(original)
    again, unchanged_s = _timed_sync(original)
    edit, changed_s = _timed_sync(edited)
    assert first.added + first.invalid == rows, vars(first)
    assert again.unchanged == first.added, vars(again)
    assert edit.changed + edit.retired == changed, vars(edit)
    return {
        "rows": rows,
        "first_sync_s": first_s,
        "unchanged_sync_s": unchanged_s,
        "changed_1pct_sync_s": changed_s,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    main()
