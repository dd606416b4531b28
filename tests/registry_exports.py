"""The national registry's sample export that the repository holds (registry/demo/), and
edited copies of it written as files or served as the registry's API pages."""

from __future__ import annotations

import csv
from pathlib import Path

from registry.rows import COLUMNS
from tests.workers import ROOT

SAMPLE_REGISTRY = ROOT / "registry" / "demo" / "gservice_sample.csv"


def sample_rows() -> list[dict]:
    with SAMPLE_REGISTRY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def edit(rows: list[dict], service_id: str, **changes) -> list[dict]:
    """A copy of `rows` with one row's columns changed."""
    found = [row for row in rows if row["service_id"] == service_id]
    assert found, service_id
    return [dict(row, **changes) if row["service_id"] == service_id else dict(row) for row in rows]


def page_json(rows: list[dict], *, count: int, next_url: str | None) -> dict:
    return {"count": count, "next": next_url, "results": rows}
