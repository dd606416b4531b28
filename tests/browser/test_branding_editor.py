"""A tenant admin brands gamma's portal in Chromium: changes the draft, previews it on the
home page and a service page (citizens still see the published theme), publishes it, rolls it
back, and is refused a colour white text cannot be read on, taking the offered shade instead.
And the home page before and after a publish, at 390 and 1366 px."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from PIL import Image, ImageChops

from tests.builders import STAFF_PASSWORD, user_make
from tests.clients import tenant_url

# No django_db: what the fixtures write is committed, for the server process to see.
pytestmark = pytest.mark.browser

ADMIN = "brand.admin@gamma.test"
GAMMA = "t_gamma"


def _theme_reset():
    from portal_themes.models import ThemeAudit
    from portal_themes.services import theme_cache_forget, theme_set_defaults

    with schema_context(GAMMA):
        ThemeAudit.objects.all().delete()
        theme_set_defaults(display_name="شهرداری گاما", kind="municipality")
        from portal_themes.models import Theme, ThemeDraft

        Theme.objects.update(version=0, published_at=None, published_by="", welcome_text="", header_links=[], logo="", favicon="")
        ThemeDraft.objects.update(welcome_text="", header_links=[], logo="", favicon="")
        theme_cache_forget()


@pytest.fixture
def gamma_admin(demo_catalog_on_server, django_db_blocker):
    """Gamma (committed for the server) with an admin who has a password, and its theme as
    onboarding left it, before and after each test."""
    from accounts.models import User

    with django_db_blocker.unblock():
        with schema_context(GAMMA):
            if not User.objects.filter(email=ADMIN).exists():
                user_make(email=ADMIN, role="tenant_admin", schema=GAMMA)
        _theme_reset()
        connection.set_schema_to_public()
    yield demo_catalog_on_server
    with django_db_blocker.unblock():
        _theme_reset()
        connection.set_schema_to_public()


def _signed_in(browser, live_server_url, width=1366):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(tenant_url(live_server_url, "gamma", "/accounts/login/?next=/staff/branding/"))
    page.get_by_label("پست الکترونیک").fill(ADMIN)
    page.get_by_label("گذرواژه", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url("**/staff/branding/")
    page.wait_for_load_state()
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _header_colour(page) -> str:
    return page.evaluate("getComputedStyle(document.querySelector('header.site')).backgroundColor")


def _save(page, **fields):
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    page.wait_for_load_state()


def _click(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_change_and_preview_on_the_real_pages(live_server_url, gamma_admin, browser):
    page = _signed_in(browser, live_server_url)
    _save(page, **{"نام نمایشی درگاه": "میز خدمت گاما", "رنگ اصلی (سربرگ و دکمه‌ها)": "#6a1b9a",
                   "متن خوشامد صفحه نخست": "به درگاه تازه گاما خوش آمدید."})
    assert page.get_by_role("status").filter(has_text="پیش‌نویس ذخیره شد").is_visible()
    assert page.get_by_label("نام نمایشی درگاه", exact=True).input_value() == "میز خدمت گاما"

    _click(page, "پیش‌نمایش در صفحه نخست درگاه")
    page.wait_for_url(tenant_url(live_server_url, "gamma", "/"))
    assert page.title() == "میز خدمت گاما" and _header_colour(page) == "rgb(106, 27, 154)"
    assert page.get_by_text("به درگاه تازه گاما خوش آمدید.").is_visible()
    assert page.get_by_role("status").filter(has_text="پیش‌نمایش پیش‌نویس ظاهر درگاه").is_visible()

    citizen = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(tenant_url(live_server_url, "gamma", "/"))
    assert citizen.title() == "شهرداری گاما" and _header_colour(citizen) == "rgb(15, 94, 156)"
    assert citizen.get_by_text("به درگاه تازه گاما خوش آمدید.").count() == 0

    page.get_by_role("link", name="بازگشت به ویرایشگر ظاهر").click()
    page.wait_for_url("**/staff/branding/")
    _click(page, "پیش‌نمایش در صفحه یک خدمت")
    page.wait_for_url("**/services/*/")
    assert _header_colour(page) == "rgb(106, 27, 154)"
    citizen.context.close()
    page.context.close()


def test_publish_reaches_citizens(live_server_url, gamma_admin, browser):
    page = _signed_in(browser, live_server_url)
    _save(page, **{"نام نمایشی درگاه": "میز خدمت گاما", "رنگ اصلی (سربرگ و دکمه‌ها)": "#6a1b9a"})
    _click(page, "انتشار پیش‌نویس")
    assert page.get_by_role("status").filter(has_text="ظاهر درگاه منتشر شد (نسخه ۱)").is_visible()
    assert page.get_by_role("cell", name="انتشار ظاهر درگاه").is_visible()

    citizen = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(tenant_url(live_server_url, "gamma", "/"))
    assert citizen.title() == "میز خدمت گاما" and _header_colour(citizen) == "rgb(106, 27, 154)"
    citizen.context.close()
    page.context.close()


def test_roll_back_brings_back_the_previous_theme(live_server_url, gamma_admin, browser):
    page = _signed_in(browser, live_server_url)
    _save(page, **{"نام نمایشی درگاه": "نخستین نام", "رنگ اصلی (سربرگ و دکمه‌ها)": "#37474f"})
    _click(page, "انتشار پیش‌نویس")
    _save(page, **{"نام نمایشی درگاه": "دومین نام", "رنگ اصلی (سربرگ و دکمه‌ها)": "#6a1b9a"})
    _click(page, "انتشار پیش‌نویس")

    citizen = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(tenant_url(live_server_url, "gamma", "/"))
    assert citizen.title() == "دومین نام"

    _click(page, "بازگشت به ظاهر پیشین")
    assert page.get_by_role("status").filter(has_text="ظاهر پیشین درگاه برگردانده شد").is_visible()
    assert page.get_by_label("نام نمایشی درگاه", exact=True).input_value() == "نخستین نام"
    citizen.reload()
    assert citizen.title() == "نخستین نام" and _header_colour(citizen) == "rgb(55, 71, 79)"
    citizen.context.close()
    page.context.close()


def test_a_colour_that_fails_contrast_is_refused_and_the_nearest_shade_taken(live_server_url, gamma_admin, browser):
    page = _signed_in(browser, live_server_url)
    _save(page, **{"نام نمایشی درگاه": "نام تایپ‌شده", "رنگ اصلی (سربرگ و دکمه‌ها)": "#ffcc00"})
    alert = page.get_by_role("alert").filter(has_text="متن سفید روی رنگ اصلی خوانا نیست")
    assert alert.is_visible() and "#907300" in alert.inner_text()
    assert page.get_by_label("نام نمایشی درگاه", exact=True).input_value() == "نام تایپ‌شده"  # kept

    _click(page, "به‌کارگیری رنگ پیشنهادی #907300")
    assert page.get_by_role("status").filter(has_text="پیش‌نویس ذخیره شد").is_visible()
    assert page.get_by_label("رنگ اصلی (سربرگ و دکمه‌ها)", exact=True).input_value() == "#907300"
    assert page.get_by_label("نام نمایشی درگاه", exact=True).input_value() == "نام تایپ‌شده"
    page.context.close()


def _shot(browser, live_server_url, width: int) -> Image.Image:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(tenant_url(live_server_url, "gamma", "/"))
    page.wait_for_load_state("load")  # the stylesheets and the logo
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    image = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    context.close()
    return image


@pytest.mark.parametrize("width", [390, 1366])
def test_the_home_page_before_and_after_a_publish(live_server_url, gamma_admin, browser, width, tmp_path):
    before = _shot(browser, live_server_url, width)
    page = _signed_in(browser, live_server_url)
    _save(page, **{"رنگ اصلی (سربرگ و دکمه‌ها)": "#6a1b9a", "رنگ دوم (نوار اطلاعیه و پانویس)": "#ad1457"})
    again = _shot(browser, live_server_url, width)
    assert ImageChops.difference(before, again).getbbox() is None  # a saved draft changes nothing citizens see
    _click(page, "انتشار پیش‌نویس")
    page.context.close()
    after = _shot(browser, live_server_url, width)
    before.save(tmp_path / f"home-{width}-before.png")
    after.save(tmp_path / f"home-{width}-after.png")

    assert after.size == before.size  # only colours changed: the layout is the same
    assert before.getpixel((5, 5)) == (15, 94, 156) and after.getpixel((5, 5)) == (106, 27, 154)  # the header
    changed = ImageChops.difference(before, after).convert("L").point(lambda v: 255 if v else 0)
    share = sum(1 for v in changed.getdata() if v) / (after.width * after.height)
    assert 0.02 < share < 0.5, share  # the header, links and the footer's rule; not the whole page
