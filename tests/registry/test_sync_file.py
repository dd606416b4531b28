"""Syncing from a file: the sample into an empty mirror, a re-run, an edited copy, XLSX,
and each kind of invalid row."""

import pytest
from openpyxl import Workbook

from lib.persian import normalize_text
from registry.models import InvalidRow, NationalService, ServiceChange, SyncRun
from registry.rows import COLUMNS
from registry.services import registry_sync
from tests.registry_exports import edit, sample_rows, write_csv


def _counts(run: SyncRun) -> dict:
    return {k: getattr(run, k) for k in ("added", "changed", "retired", "missing", "unchanged", "invalid")}


def _mirror() -> dict:
    return {
        s.service_id: (s.parent_id or "", s.title, s.agency_code, s.agency_name, ";".join(s.service_types), s.status)
        for s in NationalService.objects.all()
    }


def _as_file(rows) -> dict:
    """The export as the mirror should hold it: titles normalised (Persian letters, ASCII digits)."""
    return {
        r["service_id"]: (r["parent_id"], normalize_text(r["title"]), r["agency_code"], r["agency_name"],
                          ";".join(sorted(r["service_type"].split(";"))), r["status"])
        for r in rows
    }


def test_the_sample_into_an_empty_mirror_gives_exactly_its_rows(db, sample_path):
    assert not NationalService.objects.exists()
    run = registry_sync(file=str(sample_path))

    assert run.outcome == SyncRun.Outcome.SUCCEEDED, run.error
    assert _counts(run) == {"added": 41, "changed": 0, "retired": 0, "missing": 0, "unchanged": 0, "invalid": 0}
    assert NationalService.objects.filter(status="approved").count() == 40
    assert list(NationalService.objects.filter(status="retired").values_list("service_id", flat=True)) == ["10901990000"]
    assert _mirror() == _as_file(sample_rows())
    child = NationalService.objects.get(service_id="10031771101")
    assert child.parent.title == "راهبری استخدام نیروی انسانی در دستگاه‌های اجرایی"
    assert not NationalService.objects.filter(has_short_id=True).exists()


def test_a_second_run_changes_nothing(db, sample_path):
    registry_sync(file=str(sample_path))
    before = list(NationalService.objects.values())
    again = registry_sync(file=str(sample_path))

    assert _counts(again) == {"added": 0, "changed": 0, "retired": 0, "missing": 0, "unchanged": 41, "invalid": 0}
    after = list(NationalService.objects.values())
    # Only the time we last saw each service moves on.
    for row in before + after:
        row.pop("last_seen_at")
    assert after == before
    assert not ServiceChange.objects.filter(run=again).exists()


def test_an_edited_copy_gives_exactly_its_changes(db, sample_path, tmp_path):
    registry_sync(file=str(sample_path))
    rows = edit(sample_rows(), "10901060000", title="صدور مجوز حفاری و ترمیم معابر")
    rows = edit(rows, "10901070000", status="retired")
    rows = [row for row in rows if row["service_id"] != "10911050000"]
    rows.append(dict(rows[0], service_id="1090123", parent_id="", title="شناسه کوتاه"))
    rows.append(dict(rows[0], service_id="10901150000", parent_id="", title="نوع ناشناخته", service_type="G2X"))
    run = registry_sync(file=str(write_csv(tmp_path / "edited.csv", rows)))

    assert _counts(run) == {"added": 0, "changed": 1, "retired": 1, "missing": 1, "unchanged": 38, "invalid": 2}
    assert NationalService.objects.get(service_id="10901060000").title == "صدور مجوز حفاری و ترمیم معابر"
    assert NationalService.objects.get(service_id="10901070000").status == "retired"
    removed = NationalService.objects.get(service_id="10911050000")  # kept, marked missing
    assert removed.missing_since == run.started_at and removed.status == "approved"
    assert not NationalService.objects.filter(service_id__in=["1090123", "10901150000"]).exists()
    assert sorted(run.invalid_rows.values_list("service_id", "reason")) == [
        ("10901150000", "bad_type"), ("1090123", "bad_id"),
    ]
    assert sorted(run.changes.values_list("service_id", "kind", "old_title")) == [
        ("10901060000", "title_changed", "صدور مجوز حفاری معابر"),
        ("10901070000", "retired", "صدور مجوز نصب تابلو"),
    ]

    # The same edited export again: nothing more changes; the absent one stays missing since then.
    again = registry_sync(file=str(tmp_path / "edited.csv"))
    assert _counts(again) == {"added": 0, "changed": 0, "retired": 0, "missing": 1, "unchanged": 40, "invalid": 2}
    assert NationalService.objects.get(service_id="10911050000").missing_since == run.started_at

    # Back in the export: no longer missing.
    back = registry_sync(file=str(sample_path))
    assert back.changed == 3 and back.missing == 0  # the title, re-approval and the return
    assert NationalService.objects.get(service_id="10911050000").missing_since is None


def test_xlsx_with_the_same_columns_gives_the_same_mirror(db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in sample_rows():
        # A spreadsheet keeps IDs as numbers.
        sheet.append([int(row["service_id"]), int(row["parent_id"]) if row["parent_id"] else None,
                      *[row[c] for c in COLUMNS[2:]]])
    workbook.save(tmp_path / "registry.xlsx")

    run = registry_sync(file=str(tmp_path / "registry.xlsx"))
    assert run.outcome == "succeeded", run.error
    assert run.added == 41 and run.invalid == 0
    assert _mirror() == _as_file(sample_rows())


def test_arabic_letters_and_spacing_are_normalised_before_comparing(db, sample_path, tmp_path):
    registry_sync(file=str(sample_path))
    arabic = edit(sample_rows(), "10901130000", title="  صدور  پروانه كسب مشاغل شهري ")
    run = registry_sync(file=str(write_csv(tmp_path / "arabic.csv", arabic)))
    assert run.unchanged == 41 and run.changed == 0
    assert NationalService.objects.get(service_id="10901130000").title == "صدور پروانه کسب مشاغل شهری"


GOOD = {"parent_id": "", "title": "خدمت آزمایشی", "agency_code": "1090", "agency_name": "شهرداری‌ها (نمونه)",
        "service_type": "G2C", "status": "approved", "updated_at": "2026-09-01T08:00:00+03:30"}


@pytest.mark.parametrize("row, reason", [
    ({"service_id": "123456789"}, "bad_id"),
    ({"service_id": "1090150000A"}, "bad_id"),
    ({"service_id": "10901500000", "title": "   "}, "empty_title"),
    ({"service_id": "10901500000", "service_type": "G2X;G2C"}, "bad_type"),
    ({"service_id": "10901500000", "service_type": ""}, "bad_type"),
    ({"service_id": "10901500000", "status": "draft"}, "bad_status"),
    ({"service_id": "10901500000", "updated_at": "دیروز"}, "bad_updated_at"),
    ({"service_id": "20001500100", "parent_id": "10901500000"}, "parent_prefix"),
    ({"service_id": "10901500100", "parent_id": "10901500000"}, "parent_not_found"),
    ({"service_id": "10901500000", "parent_id": "10901500000"}, "bad_parent"),
])
def test_invalid_rows_are_reported_and_skipped_and_the_rest_applied(db, sample_path, tmp_path, row, reason):
    rows = sample_rows() + [dict(GOOD, **row)]
    run = registry_sync(file=str(write_csv(tmp_path / "bad.csv", rows)))
    assert run.outcome == "succeeded"
    assert run.added == 41 and run.invalid == 1
    bad = InvalidRow.objects.get(run=run)
    assert bad.reason == reason and bad.line == 43  # the header is line 1
    assert NationalService.objects.count() == 41


def test_a_duplicate_id_keeps_the_first_row(db, sample_path, tmp_path):
    rows = sample_rows()
    rows.append(dict(rows[5], title="دیگر"))
    run = registry_sync(file=str(write_csv(tmp_path / "dup.csv", rows)))
    assert run.invalid == 1 and run.invalid_rows.get().reason == "duplicate_id"
    assert NationalService.objects.get(service_id=rows[5]["service_id"]).title == rows[5]["title"]


def test_a_child_before_its_parent_and_ten_digit_ids(db, tmp_path):
    rows = [
        dict(GOOD, service_id="1090150010", parent_id="1090150000", title="زیرخدمت ده‌رقمی"),
        dict(GOOD, service_id="1090150000", title="خدمت ده‌رقمی"),
    ]
    run = registry_sync(file=str(write_csv(tmp_path / "short.csv", rows)))
    assert run.added == 2 and run.invalid == 0
    assert set(NationalService.objects.filter(has_short_id=True).values_list("service_id", flat=True)) == {
        "1090150000", "1090150010",
    }


def test_an_export_without_a_valid_row_applies_nothing(db, sample_path, tmp_path):
    registry_sync(file=str(sample_path))
    run = registry_sync(file=str(write_csv(tmp_path / "empty.csv", [])))
    assert run.outcome == "failed" and "هیچ ردیف معتبری" in run.error
    assert not NationalService.objects.filter(missing_since__isnull=False).exists()


def test_a_file_with_a_missing_column_or_no_file_fails_with_a_reason(db, tmp_path):
    (tmp_path / "cols.csv").write_text("service_id,title\n10901500000,خدمت\n", encoding="utf-8")
    run = registry_sync(file=str(tmp_path / "cols.csv"))
    assert run.outcome == "failed" and "parent_id" in run.error
    run = registry_sync(file=str(tmp_path / "nowhere.csv"))
    assert run.outcome == "failed" and "پیدا نشد" in run.error
    assert not NationalService.objects.exists()
