"""The whole catalogue to an XLSX workbook and back."""

import io

import pytest
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from catalog.cards import card_to_row
from catalog.forms import FeeFormSet, LawFormSet, ServiceCardForm
from catalog.models import Service, Unit
from catalog.xlsx import ImportRejected, catalog_export, catalog_import
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD


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
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    export = client_a.get("/staff/catalog/export.xlsx")
    assert export.status_code == 200
    bad = _edited(export.content, lambda sheet, header: sheet.cell(row=2, column=1, value="12"))
    page = client_a.post("/staff/catalog/import/", {"workbook": SimpleUploadedFile("c.xlsx", bad)}).content.decode()
    assert "هیچ تغییری ذخیره نشد" in page and "شناسه خدمت باید ۱۰ یا ۱۱ رقم باشد." in page
    assert "پرونده «c.xlsx» را دوباره انتخاب کنید." in page  # the browser has forgotten the file


def _import_errors(workbook: bytes, edit) -> list:
    """The row report of an edited workbook (empty when it was accepted)."""
    try:
        catalog_import(data=_edited(workbook, edit), actor="test")
    except ImportRejected as rejected:
        return rejected.errors
    return []


def _set(column: str, value, row: int = 2):
    return lambda sheet, header: sheet.cell(row=row, column=header.index(column) + 1, value=value)


def test_a_javascript_law_url_is_refused_and_nothing_changes(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        workbook = catalog_export()
        before = _rows()
        errors = _import_errors(workbook, _set("قوانین و مقررات", "قانون شهرداری‌ها | javascript:alert(document.cookie)"))
        assert [(e.row, e.column, e.code) for e in errors] == [(2, "قوانین و مقررات", "invalid_url")]
        assert "http://" in errors[0].message and "پیوند" in errors[0].message
        assert _rows() == before
        # ftp and a scheme-less path are no links a citizen should follow from the card either
        assert _import_errors(workbook, _set("قوانین و مقررات", "قانون | ftp://files.example.ir/law.pdf"))
        assert _import_errors(workbook, _set("نشانی وب", "javascript:alert(1)"))[0].message == "نشانی اینترنتی درست نیست."


def test_an_over_long_cell_is_reported_with_its_row_and_column(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        workbook = catalog_export()
        before = _rows()

        def edit(sheet, header):
            _set("نام رایج", "ن" * 201)(sheet, header)  # Service.common_name: at most 200
            _set("قوانین و مقررات", "ق" * 301 + " | https://example.ir/law", row=3)(sheet, header)  # Law.title: 300

        errors = _import_errors(workbook, edit)
        assert {(e.row, e.column, e.code) for e in errors} == {(2, "نام رایج", "max_length"), (3, "قوانین و مقررات", "max_length")}
        assert all("200" in e.message or "300" in e.message for e in errors)
        assert _rows() == before


def test_an_unknown_unit_is_a_row_error_not_a_new_unit(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        workbook = catalog_export()
        before, units = _rows(), Unit.objects.count()

        def edit(sheet, header):
            _set("واحدهای ارائه‌دهنده", "منطقه ۹۹")(sheet, header)
            _set("مراحل گردش کار", "بررسی | 2 | اداره ناموجود", row=3)(sheet, header)

        errors = _import_errors(workbook, edit)
        assert {(e.row, e.column, e.code) for e in errors} == {(2, "واحدهای ارائه‌دهنده", "unknown_unit"), (3, "مراحل گردش کار", "unknown_unit")}
        assert any("منطقه 99" in e.message for e in errors) and any("اداره ناموجود" in e.message for e in errors)
        assert Unit.objects.count() == units and _rows() == before


def test_every_row_error_carries_a_code(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        workbook = catalog_export()

        def edit(sheet, header):
            for column, value in (("شناسه خدمت", "12"), ("آنی", "شاید"), ("تعداد مراجعه حضوری", "دو"), ("وضعیت انتشار", "؟"),
                                  ("پست الکترونیک", "نه-ایمیل"), ("نوع خدمت", "G2X"), ("شناسه خدمت مادر", "99999999999"),
                                  ("فرآیند بیرونی BPMN", "<not-bpmn/>"), ("هزینه‌ها", "هزینه | دو | IR000000000000000000000000 | ملی")):
                _set(column, value)(sheet, header)

        errors = _import_errors(workbook, edit)
    codes = {e.column: e.code for e in errors}
    assert codes["شناسه خدمت"] and codes["آنی"] == "invalid_yes_no" and codes["شناسه خدمت مادر"] == "unknown_parent"
    assert codes["وضعیت انتشار"] == "invalid_choice" and codes["نوع خدمت"] == "invalid_choice"
    assert all(e.code for e in errors)
    messages = {e.message for e in errors}  # the workbook's wording of what it always checked
    assert {"شناسه خدمت باید ۱۰ یا ۱۱ رقم باشد.", "مقدار باید «بله» یا «خیر» باشد.", "باید عدد صحیح نامنفی باشد.",
            "وضعیت باید «پیش‌نویس»، «منتشرشده» یا «خارج از انتشار» باشد.", "پست الکترونیک درست نیست.",
            "خدمت مادر نه در این کارپوشه است و نه در فهرست خدمات.", "مبلغ «دو» عدد نیست.",
            "شماره شبای «IR000000000000000000000000» درست نیست."} <= messages


# The same card, wrong in one place, sent through the workbook and through the editor's forms.
SAME_VERDICT_CASES = [
    ("javascript law", "قوانین و مقررات", "قانون | javascript:alert(1)", "laws", {"title": "قانون", "url": "javascript:alert(1)"}),
    ("ftp law", "قوانین و مقررات", "قانون | ftp://example.ir/a.pdf", "laws", {"title": "قانون", "url": "ftp://example.ir/a.pdf"}),
    ("https law", "قوانین و مقررات", "قانون | https://example.ir/a", "laws", {"title": "قانون", "url": "https://example.ir/a"}),
    ("javascript web", "نشانی وب", "javascript:alert(1)", "card", {"web_url": "javascript:alert(1)"}),
    ("long name", "نام رایج", "ن" * 201, "card", {"common_name": "ن" * 201}),
    ("no duration", "متوسط مدت (روز کاری)", "", "card", {"average_days": "", "is_instant": False}),
    ("tiny attachments", "بیشترین اندازه پیوست (کیلوبایت)", "5", "card", {"attachment_max_kb": "5"}),
    ("fee without bank", "هزینه‌ها", "عوارض | 1000 | IR820540102680020817909002 |", "fees",
     {"title": "عوارض", "amount_rial": "1000", "sheba": "IR820540102680020817909002", "bank": ""}),
]


def _editor_accepts(service: Service, target: str, values: dict) -> bool:
    if target == "card":
        blank = ServiceCardForm(instance=service)
        data = {name: "" if blank[name].value() is None else blank[name].value() for name in blank.fields}
        return ServiceCardForm({**data, **values}, instance=service).is_valid()
    item_form = {"laws": LawFormSet, "fees": FeeFormSet}[target].form
    return item_form({**values, "order": "0"}).is_valid()


@pytest.mark.parametrize(("column", "cell", "target", "values"), [case[1:] for case in SAME_VERDICT_CASES], ids=[case[0] for case in SAME_VERDICT_CASES])
def test_the_workbook_and_the_editor_give_the_same_verdict(alpha_catalog, tenant_a, column, cell, target, values):
    with schema_context(tenant_a.schema_name):
        workbook = catalog_export()
        service = Service.objects.get(national_id=load_workbook(io.BytesIO(workbook)).active.cell(row=2, column=1).value)
        Service.objects.filter(pk=service.pk).update(is_instant=False)  # so that an empty duration is a fault
        workbook = catalog_export()
        errors = _import_errors(workbook, _set(column, cell))
        assert {e.column for e in errors} <= {column}
        assert _editor_accepts(Service.objects.get(pk=service.pk), target, values) == (not errors)
