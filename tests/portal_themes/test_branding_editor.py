"""/staff/branding/: tenant admins edit a draft, preview it on the real pages (alone), publish
it (audited, the cache dropped) and roll it back; clerks and other tenants get nothing."""

from datetime import timedelta

import jdatetime
from django.utils import timezone
from django_tenants.utils import schema_context

from lib.persian import to_persian_digits
from portal_themes.models import Theme, ThemeAudit, ThemeDraft
from portal_themes.services import theme_cache_forget
from tests.builders import ALPHA, SESSION_TENANTS, row_values, theme_form
from tests.clients import signed_in

BETA = "t_beta"


def _published(schema=ALPHA) -> Theme:
    with schema_context(schema):
        return Theme.objects.get()


def _draft(schema=ALPHA) -> ThemeDraft:
    with schema_context(schema):
        return ThemeDraft.objects.get()


def test_a_clerk_is_refused_and_nothing_changes(clerk_a, tenant_a):
    before = row_values(_published())
    assert clerk_a.get("/staff/branding/").status_code == 403
    for path in ("/staff/branding/", "/staff/branding/publish/", "/staff/branding/rollback/", "/staff/branding/preset/"):
        assert clerk_a.post(path, theme_form(display_name="ربوده", preset="neutral")).status_code == 403
    assert row_values(_published()) == before
    with schema_context(ALPHA):
        assert not ThemeAudit.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client_a):
    response = client_a.get("/staff/branding/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_draft_is_saved_and_citizens_still_see_the_published_theme(admin_a, tenant_a):
    response = admin_a.post("/staff/branding/", theme_form())
    assert response.status_code == 302
    draft = _draft()
    assert draft.display_name == "درگاه شهرداری آلفا" and draft.header_links == [{"title": "سامانه شفافیت", "url": "https://shafaf.ir"}]
    assert _published().display_name == "شهرداری آلفا"
    visitor = signed_in(type(admin_a)(HTTP_HOST="alpha.localhost"), SESSION_TENANTS["alpha"]["admin_email"])
    visitor.logout()
    home = visitor.get("/").content.decode()
    assert "درگاه تازه آلفا" not in home and "<title>شهرداری آلفا</title>" in home


def test_preview_shows_the_draft_to_that_admin_only(admin_a, tenant_a):
    from tests.builders import user_make

    admin_a.post("/staff/branding/", theme_form())
    response = admin_a.post("/staff/branding/preview/", {"on": "1", "page": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    home = admin_a.get("/").content.decode()
    assert "<title>درگاه شهرداری آلفا</title>" in home and "به درگاه تازه آلفا خوش آمدید." in home
    assert "پیش‌نمایش پیش‌نویس ظاهر درگاه" in home and "draft=1" in home
    assert admin_a.get("/branding/theme.css?draft=1").content.decode().count("#0f5e9c") == 1
    # Another admin of the same tenant, not previewing, sees the published theme.
    user_make(email="admin2@alpha.test", role="tenant_admin")
    other = signed_in(type(admin_a)(HTTP_HOST="alpha.localhost"), "admin2@alpha.test")
    assert "<title>شهرداری آلفا</title>" in other.get("/").content.decode()
    # Preview off: the admin is back on the published theme.
    admin_a.post("/staff/branding/preview/", {})
    assert "<title>شهرداری آلفا</title>" in admin_a.get("/").content.decode()


def test_a_colour_white_text_cannot_be_read_on_is_refused_with_the_nearest_passing_shade(admin_a, tenant_a):
    before = row_values(_draft()) if _draft_exists() else None
    response = admin_a.post("/staff/branding/", theme_form(primary_color="#ffcc00", display_name="نام تایپ‌شده"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "متن سفید روی رنگ اصلی خوانا نیست" in page and "۱٫۵ به ۱" in page and "۴٫۵ به ۱" in page
    assert "#907300" in page and 'name="take_primary_color" value="#907300"' in page
    assert 'value="نام تایپ‌شده"' in page and "میدان آزادی، ساختمان شهرداری" in page  # typed values kept
    if before is not None:
        assert row_values(_draft()) == before
    # Taking the offered shade saves it with everything else typed.
    response = admin_a.post("/staff/branding/", theme_form(primary_color="#ffcc00", display_name="نام تایپ‌شده", take_primary_color="#907300"))
    assert response.status_code == 302
    assert (_draft().primary_color, _draft().display_name) == ("#907300", "نام تایپ‌شده")


def _draft_exists() -> bool:
    with schema_context(ALPHA):
        return ThemeDraft.objects.exists()


def test_links_that_are_not_http_are_refused(admin_a, tenant_a):
    response = admin_a.post("/staff/branding/", theme_form(header_links="بد | javascript:alert(1)", footer_links="بی‌نشانی"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "پیوندهای سربرگ، خط ۱: نشانی باید با http یا https آغاز شود" in page
    assert "پیوندهای پانویس، خط ۱: به شکل «عنوان | نشانی» بنویسید" in page


def test_publish_is_audited_drops_the_cache_and_rolls_back(admin_a, client_a, tenant_a):
    assert "<title>شهرداری آلفا</title>" in client_a.get("/").content.decode()  # cached now
    admin_a.post("/staff/branding/", theme_form())
    response = admin_a.post("/staff/branding/publish/")
    assert response.status_code == 302
    assert "<title>درگاه شهرداری آلفا</title>" in client_a.get("/").content.decode()
    theme = _published()
    assert (theme.version, theme.published_by) == (1, SESSION_TENANTS["alpha"]["admin_email"])
    with schema_context(ALPHA):
        entry = ThemeAudit.objects.get()
    assert entry.action == "published" and entry.before["display_name"] == "شهرداری آلفا"
    assert entry.after["display_name"] == "درگاه شهرداری آلفا"

    admin_a.post("/staff/branding/", theme_form(display_name="دومین نام", primary_color="#37474f"))
    admin_a.post("/staff/branding/publish/")
    assert "<title>دومین نام</title>" in client_a.get("/").content.decode()

    page = admin_a.get("/staff/branding/").content.decode()
    assert "انتشار ظاهر درگاه" in page and "بازگشت به ظاهر پیشین" in page

    admin_a.post("/staff/branding/rollback/")
    assert "<title>درگاه شهرداری آلفا</title>" in client_a.get("/").content.decode()
    assert _draft().display_name == "درگاه شهرداری آلفا"
    admin_a.post("/staff/branding/rollback/")
    assert "<title>شهرداری آلفا</title>" in client_a.get("/").content.decode()
    response = admin_a.post("/staff/branding/rollback/", follow=True)
    assert "انتشار پیشینی برای بازگشت وجود ندارد." in response.content.decode()
    with schema_context(ALPHA):
        assert list(ThemeAudit.objects.values_list("action", flat=True)) == ["rolled_back", "rolled_back", "published", "published"]
    assert "بازگشت به ظاهر پیشین" in admin_a.get("/staff/branding/").content.decode()


def test_presets_set_the_drafts_colours_and_welcome(admin_a, tenant_a):
    admin_a.post("/staff/branding/", theme_form())
    admin_a.post("/staff/branding/preset/", {"preset": "dehyari"})
    draft = _draft()
    assert (draft.primary_color, draft.accent_color, draft.display_name) == ("#2e7d32", "#7a5c00", "درگاه شهرداری آلفا")
    assert "دهیاری" in draft.welcome_text
    assert admin_a.post("/staff/branding/preset/", {"preset": "nope"}, follow=True).status_code == 200
    assert _draft().primary_color == "#2e7d32"


def test_the_notice_shows_until_its_jalali_day(admin_a, client_a, tenant_a):
    last_day = jdatetime.date.fromgregorian(date=timezone.localdate() + timedelta(days=3)).strftime("%Y/%m/%d")
    admin_a.post("/staff/branding/", theme_form(notice_text="تعطیلی میز خدمت در روز پنجشنبه", notice_until=to_persian_digits(last_day)))
    admin_a.post("/staff/branding/publish/")
    assert "تعطیلی میز خدمت در روز پنجشنبه" in client_a.get("/services/").content.decode()
    with schema_context(ALPHA):
        Theme.objects.update(notice_until=timezone.localdate() - timedelta(days=1))
    with schema_context(ALPHA):
        theme_cache_forget()
    assert "تعطیلی میز خدمت" not in client_a.get("/").content.decode()


def test_a_notice_needs_a_future_jalali_date(admin_a, tenant_a):
    page = admin_a.post("/staff/branding/", theme_form(notice_text="اطلاعیه", notice_until="1399/01/01")).content.decode()
    assert "تاریخ پایان اطلاعیه گذشته است." in page
    page = admin_a.post("/staff/branding/", theme_form(notice_text="اطلاعیه", notice_until="فردا")).content.decode()
    assert "تاریخ را به شکل سال/ماه/روز خورشیدی بنویسید" in page
    page = admin_a.post("/staff/branding/", theme_form(notice_text="اطلاعیه")).content.decode()
    assert "برای اطلاعیه تاریخ پایان نمایش را بنویسید." in page


def test_the_admin_sees_its_domains_and_their_verification(admin_a, tenant_a):
    from tenants.models import Domain

    Domain.objects.create(domain="desk.alpha-city.ir", tenant=tenant_a, is_primary=False, is_custom=True, is_verified=False)
    page = admin_a.get("/staff/branding/").content.decode()
    assert "alpha.localhost" in page and "desk.alpha-city.ir" in page
    assert "در انتظار تأیید" in page and "فعال و تأییدشده" in page
    assert "beta.localhost" not in page


def test_the_editor_is_each_tenants_own(admin_a, admin_b, tenant_a, tenant_b):
    admin_b.post("/staff/branding/", theme_form(display_name="نام بتا"))
    admin_b.post("/staff/branding/publish/")
    assert _published(BETA).display_name == "نام بتا"
    assert _published().display_name == "شهرداری آلفا"
    page = admin_a.get("/staff/branding/").content.decode()
    assert "نام بتا" not in page
    # Alpha's session is worthless on beta's host.
    assert admin_a.get("/staff/branding/", HTTP_HOST="beta.localhost").status_code == 302


def test_preview_opens_only_the_pages_the_editor_offers(admin_a, tenant_a):
    for elsewhere in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        response = admin_a.post("/staff/branding/preview/", {"on": "1", "page": elsewhere})
        assert response.status_code == 302 and response["Location"] == "/"
