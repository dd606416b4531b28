"""The whole catalogue to an XLSX workbook and back."""

import io

import pytest
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from catalog.cards import card_to_row
from catalog.models import Service, Unit
from catalog.xlsx import ImportRejected, catalog_export, catalog_import


def _rows():
    return {s.national_id: card_to_row(s) for s in Service.objects.prefetch_related("units", "fees", "laws", "faqs", "stages__unit")}


def _copy_units(source, target):
    """A workbook names units and never makes them: the target tenant has them first."""
    with schema_context(source.schema_name):
        names = list(Unit.objects.values_list("name", flat=True))
    with schema_context(target.schema_name):
        Unit.objects.bulk_create(Unit(name=name) for name in names)


def test_round_trip_into_an_empty_tenant_gives_the_same_cards(alpha_catalog, tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        workbook = catalog_export()
        expected = _rows()
    assert len(expected) >= 10
    _copy_units(tenant_a, tenant_b)
    with schema_context(tenant_b.schema_name):
        assert Service.objects.count() == 0
        assert catalog_import(data=workbook, actor="test") == len(expected)
        imported = _rows()
        for national_id, row in expected.items():
            for key, value in row.items():
                assert imported[national_id][key] == value, (national_id, key)
        assert Service.objects.filter(status="published").count() == sum(r["status"] == "published" for r in expected.values())


def test_choice_columns_carry_persian_labels_and_read_back(alpha_catalog, tenant_a, tenant_b):
    """The workbook says «منتشرشده» and «ستاد», not published/headquarters; an import takes
    the labels it wrote (and still the codes of older workbooks)."""
    with schema_context(tenant_a.schema_name):
        service = Service.objects.filter(status="published").first()
        Service.objects.filter(pk=service.pk).update(service_level="region")
        workbook = catalog_export()
    sheet = load_workbook(io.BytesIO(workbook)).active
    header = [cell.value for cell in sheet[1]]
    cells = {(row[0], key): row[header.index(label)] for row in sheet.iter_rows(min_row=2, values_only=True)
             for key, label in (("status", "وضعیت انتشار"), ("level", "سطح ارائه خدمت"), ("types", "نوع خدمت"))}
    values = {value for value in cells.values() if value}
    assert cells[(service.national_id, "status")] == "منتشرشده"
    assert cells[(service.national_id, "level")] == "منطقه"
    assert not values & {"published", "draft", "unpublished", "region", "headquarters"}
    assert not any("G2" in value for value in values)
    assert "به شهروندان" in " ".join(values)

    def codes(sheet, header):  # a workbook written before labels: codes still read
        sheet.cell(row=2, column=header.index("وضعیت انتشار") + 1, value="draft")
        sheet.cell(row=2, column=header.index("نوع خدمت") + 1, value="G2C;G2B")
    _copy_units(tenant_a, tenant_b)
    with schema_context(tenant_b.schema_name):
        catalog_import(data=_edited(workbook, codes), actor="test")
        assert Service.objects.get(national_id=service.national_id).service_level == "region"
        first = Service.objects.get(national_id=sheet.cell(row=2, column=1).value)
        assert first.status == "draft" and first.service_types == ["G2C", "G2B"]


def _edited(workbook: bytes, edit) -> bytes:
    book = load_workbook(io.BytesIO(workbook))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    edit(sheet, header)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_one_bad_row_rejects_the_whole_workbook_with_row_errors(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        workbook = catalog_export()
        before = _rows()

        def edit(sheet, header):
            sheet.cell(row=2, column=header.index("شرح خدمت") + 1, value="شرح تازه‌ای که نباید بماند")
            sheet.cell(row=3, column=header.index("هزینه‌ها") + 1, value="هزینه | ۱۰۰۰ | IR000000000000000000000000 | بانک")
            sheet.cell(row=4, column=header.index("نوع خدمت") + 1, value="G2X")

        with pytest.raises(ImportRejected) as rejected:
            catalog_import(data=_edited(workbook, edit), actor="test")
        problems = {(e.row, e.column) for e in rejected.value.errors}
        assert (3, "هزینه‌ها") in problems and (4, "نوع خدمت") in problems
        assert _rows() == before


def test_a_published_row_that_breaks_the_rules_is_rejected(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        workbook = catalog_export()
        before = _rows()

        def edit(sheet, header):
            for row in range(2, sheet.max_row + 1):
                if sheet.cell(row=row, column=header.index("وضعیت انتشار") + 1).value == "منتشرشده":
                    sheet.cell(row=row, column=header.index("مدارک مورد نیاز") + 1, value="")
                    return

        with pytest.raises(ImportRejected) as rejected:
            catalog_import(data=_edited(workbook, edit), actor="test")
        assert any("مدارک مورد نیاز" in e.message for e in rejected.value.errors)
        assert _rows() == before


def test_not_a_workbook(tenant_a):
    with schema_context(tenant_a.schema_name), pytest.raises(ImportRejected) as rejected:
        catalog_import(data=b"plain text", actor="test")
    assert "XLSX" in rejected.value.errors[0].message


def test_import_page_shows_the_errors(alpha_catalog, client_a):
    from tests.conftest import SESSION_TENANTS, STAFF_PASSWORD
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    export = client_a.get("/staff/catalog/export.xlsx")
    assert export.status_code == 200
    bad = _edited(export.content, lambda sheet, header: sheet.cell(row=2, column=1, value="12"))
    page = client_a.post("/staff/catalog/import/", {"workbook": SimpleUploadedFile("c.xlsx", bad)}).content.decode()
    assert "هیچ تغییری ذخیره نشد" in page and "شناسه خدمت باید ۱۰ یا ۱۱ رقم باشد." in page
    assert "پرونده «c.xlsx» را دوباره انتخاب کنید." in page  # the browser has forgotten the file
