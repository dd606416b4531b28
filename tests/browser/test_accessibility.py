"""Every page a citizen, a tenant's staff or the vendor can reach, in the states the browser
tests drive (and the branding editor), checked in Chromium on a 320 px phone:

- axe-core (axe-playwright-python's bundled axe.min.js, MPL-2.0): no serious or critical
  violation; the moderate ones are listed in the README's accessibility section;
- no horizontal scroll at 320 px;
- every control a finger presses (buttons, form fields, navigation links, links standing alone
  in a list, the "+" of the cascade) at least 44 × 44 px.

The pages are one table, `JOURNEYS`: a journey is a signed-in (or anonymous) visitor and the
pages or states they walk in order, each a path or a step that brings the page into a state.
A new page is added there, in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from django_tenants.utils import schema_context

from tests.builders import MOBILE, NATIONAL_CODE, SERVICE, STAFF_PASSWORD, VENDOR_EMAIL, letter_post, pdf_bytes, user_make
from tests.clients import tenant_url

pytestmark = pytest.mark.browser

GAMMA = "t_gamma"
ADMIN = "a11y.admin@gamma.test"
TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
PHONE = {"width": 320, "height": 720}
AXE = Axe()
# The rule sets of WCAG 2.0/2.1/2.2 A and AA, and axe's best practices.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
               "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}

# What a finger presses (the same selectors as mizban.css's touch-target rule): controls, the
# navigation, a link standing alone in a list item, cell or paragraph; a checkbox or a radio is
# pressed through its label, which counts as its target. A link inside running text is exempt.
MEASURE_JS = r"""
() => {
  const TARGETS = 'button, input:not([type=hidden]), select, textarea, summary, a.button, nav a, '
    + 'li > a:only-child, td > a:only-child, th > a:only-child, p > a:only-child, .icon-links a';
  const small = [];
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('[hidden], .visually-hidden, .skip-link'); };
  for (const el of document.querySelectorAll(TARGETS)) {
    if (!visible(el)) continue;
    let box = el.getBoundingClientRect();
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) box = label.getBoundingClientRect();
    }
    if (box.height < 43.5 || box.width < 43.5) {
      small.push(`${el.outerHTML.slice(0, 120).replace(/\s+/g, ' ')} is ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  const wide = document.documentElement.scrollWidth > window.innerWidth + 1
    ? [`the page is ${document.documentElement.scrollWidth} px wide: ` + [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 || el.getBoundingClientRect().left < -1)
        .slice(0, 5).map((el) => el.outerHTML.slice(0, 100)).join(' | ')] : [];
  // The wizard's step indicator: every step inside the screen, none over another, not tiny.
  const steps = [...document.querySelectorAll('.steps li')].map((li) => [li, li.getBoundingClientRect()]);
  const unreadable = [];
  for (const [li, box] of steps) {
    const size = parseFloat(getComputedStyle(li).fontSize);
    if (box.left < 0 || box.right > window.innerWidth || size < 13 || li.scrollWidth > li.clientWidth + 1) {
      unreadable.push(`${li.textContent.trim()} at ${Math.round(box.left)}–${Math.round(box.right)} px, ${size} px`);
    }
    for (const [other, next] of steps) {
      if (other !== li && box.left < next.right && next.left < box.right && box.top < next.bottom && next.top < box.bottom) {
        unreadable.push(`${li.textContent.trim()} overlaps ${other.textContent.trim()}`);
      }
    }
  }
  if (steps.length && !document.querySelector('.step-of')?.getBoundingClientRect().height) unreadable.push('no «مرحله … از …» line');
  return {small, wide, unreadable};
}
"""


@dataclass
class Visit:
    """A page, or a state of one: `go(page, world)` brings it about; a str is a path to open."""

    name: str
    go: str | Callable
    printed: bool = False  # also printed to A4 (print styles) and read back: the code, the QR


@dataclass
class World:
    """What the journeys need: the tenant's base URL and the rows made for them."""

    base: str
    platform: str
    request_answered: int = 0
    request_waiting: int = 0
    letter_public_id: str = ""
    unit_id: int = 0
    staff_id: int = 0
    db_blocker: object = None


def _open(path):
    def go(page, world):
        base = world.platform if path.startswith("platform:") else world.base
        page.goto(base + path.removeprefix("platform:"))
        page.wait_for_load_state()
    return go


def _sign_in(email, platform=False):
    def go(page, world):
        page.goto((world.platform if platform else world.base) + "/accounts/login/")
        page.get_by_label("پست الکترونیک").fill(email)
        page.get_by_label("گذرواژه", exact=True).fill(STAFF_PASSWORD)
        page.get_by_role("button", name="ورود").click()
        page.wait_for_url(re.compile(r".*/(staff|console)/$"))
    return go


def _sign_in_refused(page, world):
    page.goto(world.base + "/accounts/login/")
    page.get_by_label("پست الکترونیک").fill("nobody@gamma.test")
    page.get_by_label("گذرواژه", exact=True).fill("wrong-password")
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state()
    page.locator(".errorlist, [role=alert]").first.wait_for()


def _cascade_open(page, world):
    page.goto(world.base + "/services/")
    toggle = page.get_by_role("button", name=re.compile("نمایش زیرخدمت‌های")).first
    toggle.click()
    page.wait_for_function("el => el.getAttribute('aria-expanded') === 'true'", arg=toggle.element_handle())


def _wizard_start(page, world):
    page.goto(world.base + f"/services/{SERVICE}/")
    page.locator("main").get_by_role("link", name="ثبت درخواست").click()
    page.wait_for_load_state()


def _wizard_agreed(page, world):
    page.get_by_label("قوانین و آیتم‌ها را مطالعه نموده‌ام و موافقم").check()
    page.get_by_role("button", name="آغاز ثبت درخواست").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="تایید و ادامه").wait_for()


def _next(page, world):
    page.get_by_role("button", name="تایید و ادامه").click()
    page.wait_for_load_state()


def _wizard_details(page, world):
    page.get_by_label("متن درخواست").fill("درخواست پروانه ساختمان برای پلاک ۱۲")
    _next(page, world)
    page.get_by_label("پرونده", exact=True).wait_for()


def _wizard_attached(page, world):
    page.get_by_label("پرونده", exact=True).set_input_files(files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.get_by_role("button", name="پیوست پرونده").click()
    page.wait_for_load_state()
    page.get_by_text("پرونده پیوست شد.").wait_for()


def _wizard_applicant(page, world):
    _next(page, world)
    page.get_by_label("کد ملی").fill(NATIONAL_CODE)
    page.get_by_label(re.compile(r"^نام( \*)?$")).fill("مریم")
    page.get_by_label("نام خانوادگی").fill("احمدی")
    page.get_by_label("تلفن همراه").fill(MOBILE)


def _wizard_refused(page, world):
    """A national code whose check digit fails: the refusal's message at the field."""
    page.get_by_label("کد ملی").fill(NATIONAL_CODE[:-1] + str((int(NATIONAL_CODE[-1]) + 1) % 10))
    _next(page, world)
    page.locator(".errorlist").first.wait_for()


def _wizard_visit(page, world):
    page.get_by_label("کد ملی").fill(NATIONAL_CODE)
    _next(page, world)
    page.get_by_label("روز").wait_for()


def _wizard_review(page, world):
    _next(page, world)
    page.get_by_role("button", name="ثبت نهایی درخواست").wait_for()


def _wizard_receipt(page, world):
    page.get_by_role("button", name="ثبت نهایی درخواست").click()
    page.wait_for_url("**/receipt/")


def _track_refused(page, world):
    page.goto(world.base + "/track/")
    page.get_by_label("کد رهگیری (۱۶ رقم)").fill("1234")
    page.get_by_label("کد ملی یا شماره همراه متقاضی").fill(NATIONAL_CODE)
    page.get_by_role("button", name="پیگیری").click()
    page.wait_for_load_state()
    page.locator(".errorlist, [role=alert]").first.wait_for()


def _track_found(page, world):
    with world.db_blocker.unblock():
        code = _in_gamma(lambda: _request(world.request_answered).tracking_code)
    page.goto(world.base + "/track/")
    page.get_by_label("کد رهگیری (۱۶ رقم)").fill(code)
    page.get_by_label("کد ملی یا شماره همراه متقاضی").fill(NATIONAL_CODE)
    page.get_by_role("button", name="پیگیری").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="ارسال رمز یکبار مصرف").wait_for()


def _track_code_sent(page, world):
    page.get_by_role("button", name="ارسال رمز یکبار مصرف").click()
    page.wait_for_load_state()
    page.get_by_label("رمز یکبار مصرف (۶ رقم)").wait_for()


def _track_granted(page, world):
    from notifications.models import SmsMessage

    with world.db_blocker.unblock():
        text = _in_gamma(lambda: SmsMessage.objects.filter(purpose="otp:tracking", mobile=MOBILE).latest("id").text)
    page.get_by_label("رمز یکبار مصرف (۶ رقم)").fill(re.search(r"[۰-۹]{6}", text).group(0).translate(TO_LATIN))
    page.get_by_role("button", name="تأیید").click()
    page.wait_for_url("**/track/request/")
    page.get_by_text("پاسخ درخواست").first.wait_for()


def _survey(page, world):
    page.get_by_role("link", name="تکمیل فرم نظرسنجی").click()
    page.wait_for_load_state("load")
    page.locator("fieldset").first.wait_for()


def _letter_verified(page, world):
    page.goto(world.base + f"/letters/verify/{world.letter_public_id}/")
    page.wait_for_load_state()


def _branding_refused(page, world):
    page.goto(world.base + "/staff/branding/")
    page.get_by_label("رنگ اصلی").fill("#ffcc00")
    page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="به‌کارگیری رنگ پیشنهادی").wait_for()


def _in_path(fmt):
    def go(page, world):
        page.goto(world.base + fmt.format(w=world))
        page.wait_for_load_state()
    return go


JOURNEYS: dict[str, tuple[str | None, list[Visit]]] = {
    # A citizen, anonymous: the portal, the cascade, a card, the wizard's six steps and its receipt.
    "citizen": (None, [
        Visit("home", "/"), Visit("services", "/services/"), Visit("services, cascade open", _cascade_open),
        Visit("service page", f"/services/{SERVICE}/"), Visit("service card", f"/services/{SERVICE}/card/"),
        Visit("units", "/units/"), Visit("faq", "/faq/"), Visit("choose a service", "/requests/new/"),
        Visit("wizard: rules", _wizard_start), Visit("wizard 1: preamble", _wizard_agreed), Visit("wizard 2: details", _next),
        Visit("wizard 3: attachments", _wizard_details),
        Visit("wizard 3: attached", _wizard_attached), Visit("wizard 4: applicant", _wizard_applicant),
        Visit("wizard 4: refused", _wizard_refused),
        Visit("wizard 5: visit", _wizard_visit), Visit("wizard 6: review", _wizard_review),
        Visit("receipt", _wizard_receipt, printed=True), Visit("my requests", "/my/requests/"),
        Visit("404", "/no-such-page/"), Visit("staff sign-in", "/accounts/login/"),
        Visit("sign-in refused", _sign_in_refused), Visit("password reset", "/accounts/password/reset/"),
    ]),
    # A citizen tracking an answered request: refused, found, the code sent, granted, the survey, the letter's QR page.
    "tracking": (None, [
        Visit("track", "/track/"), Visit("track refused", _track_refused), Visit("track found", _track_found),
        Visit("one-time code sent", _track_code_sent), Visit("request granted", _track_granted, printed=True),
        Visit("survey", _survey), Visit("letter verified", _letter_verified),
    ]),
    # A tenant admin: every staff page, a request answered and one waiting, the branding editor.
    "staff": (ADMIN, [
        Visit("staff home", "/staff/"), Visit("queue", "/staff/requests/"), Visit("desk", "/staff/requests/desk/"),
        Visit("request answered", _in_path("/staff/requests/{w.request_answered}/")),
        Visit("request waiting", _in_path("/staff/requests/{w.request_waiting}/")),
        Visit("catalog", "/staff/catalog/"), Visit("catalog add", "/staff/catalog/add/"),
        Visit("catalog import", "/staff/catalog/import/"), Visit("units", "/staff/catalog/units/"),
        Visit("unit", _in_path("/staff/catalog/units/{w.unit_id}/")),
        Visit("card editor", f"/staff/catalog/{SERVICE}/"), Visit("card preview", f"/staff/catalog/{SERVICE}/preview/"),
        Visit("surveys", "/staff/surveys/"), Visit("survey new", "/staff/surveys/new/"),
        Visit("reports", "/staff/reports/"),
        Visit("payments", "/staff/payments/"), Visit("gateway new", "/staff/payments/gateways/new/"),
        Visit("billing", "/staff/billing/"), Visit("messages", "/staff/messages/"), Visit("team", "/staff/team/"),
        Visit("team member", _in_path("/staff/team/{w.staff_id}/")), Visit("audit", "/staff/audit/"),
        Visit("api keys", "/staff/api-keys/"), Visit("branding", "/staff/branding/"),
        Visit("branding: contrast refused", _branding_refused),
        Visit("two-factor", "/accounts/2fa/"), Visit("password change", "/accounts/password/change/"),
        Visit("e-mail", "/accounts/email/"),
    ]),
    # The vendor on the platform's host: the directory, the console, the registry, billing, insights.
    "vendor": ("vendor", [
        Visit("directory", "platform:/"), Visit("console", "platform:/console/"), Visit("tenant new", "platform:/console/tenants/new/"),
        Visit("tenant", "platform:/console/tenants/gamma/"), Visit("migrations", "platform:/console/migrations/"),
        Visit("registry", "platform:/console/registry/"), Visit("console billing", "platform:/console/billing/"),
        Visit("plans", "platform:/console/billing/plans/"), Visit("plan new", "platform:/console/billing/plans/new/"),
        Visit("insights", "platform:/insights/"),
    ]),
}


def _in_gamma(work):
    with schema_context(GAMMA):
        try:
            return work()
        finally:
            connection.set_schema_to_public()


def _request(pk):
    from intake.models import ServiceRequest

    return ServiceRequest.objects.get(pk=pk)


@pytest.fixture(scope="module")
def world(live_server_url, demo_catalog_on_server, django_db_blocker):
    """Gamma's rows the journeys read, committed for the server: an admin with a password, a
    request answered (accepted, an inquiry, the letter) and one waiting on the citizen."""
    from datetime import date

    from accounts.models import User
    from catalog.models import Service, StaffMembership
    from intake.casework.asking import request_ask_citizen
    from intake.casework.inquiries import inquiry_send
    from intake.casework.letters import letter_issue
    from intake.casework.workflow import request_accept
    from intake.models import AnswerLetter, ServiceRequest
    from portal_themes.models import ThemeAudit
    from portal_themes.services import theme_publish
    from tenants.models import Tenant
    from tests.builders import request_submitted_make

    world = World(base=tenant_url(live_server_url, "gamma", ""), platform=live_server_url, db_blocker=django_db_blocker)

    def make():
        first = ServiceRequest.objects.order_by("-id").values_list("id", flat=True).first() or 0
        admin = User.objects.filter(email=ADMIN).first() or user_make(email=ADMIN, role="tenant_admin", schema=GAMMA)
        unit = Service.objects.get(national_id=SERVICE).units.order_by("order", "id").first()
        answered = request_submitted_make(schema=GAMMA, unit=unit)
        request_accept(service_request=answered, actor=admin)
        answered.refresh_from_db()
        inquiry_send(service_request=answered, actor=admin, body="اداره ثبت اسناد", sent_on=date.today(), due_on=date.today(),
                     letter_text="وضعیت ثبتی پلاک ۱۲ را اعلام فرمایید.")
        letter = letter_issue(service_request=answered, actor=admin, tenant=Tenant.objects.get(schema_name=GAMMA), **letter_post())
        waiting = request_submitted_make(schema=GAMMA, unit=unit)
        request_accept(service_request=waiting, actor=admin)
        waiting.refresh_from_db()
        request_ask_citizen(service_request=waiting, actor=admin, text="تصویر سند مالکیت را بفرستید.")
        member = StaffMembership.objects.exclude(user=admin).select_related("user").first()
        if not ThemeAudit.objects.exists():  # the branding editor with its publish history (a wide table)
            theme_publish(actor=ADMIN)
        world.request_answered, world.request_waiting = answered.pk, waiting.pk
        world.letter_public_id, world.unit_id = str(letter.public_id), unit.pk
        world.staff_id = member.user_id if member else admin.pk
        return first, admin.pk

    with django_db_blocker.unblock():
        first, admin_id = _in_gamma(make)
    yield world

    def remove():
        mine = ServiceRequest.objects.filter(id__gt=first)
        AnswerLetter.objects.filter(request__in=mine).delete()
        mine.delete()
        User.objects.filter(pk=admin_id).delete()

    with django_db_blocker.unblock():
        _in_gamma(remove)


# What the printed page shows: no navigation, form or button; the code's size; the QR loaded.
PRINTED_JS = r"""
() => {
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const chrome = [...document.querySelectorAll('header nav, main form, main button, main .button, .skip-link, footer .footer-links')].filter(shown);
  const code = document.querySelector('main .tracking-code');
  const qr = document.querySelector('figure.qr img');
  return {chrome: chrome.map((el) => el.outerHTML.slice(0, 80)),
          code: code && shown(code) ? parseFloat(getComputedStyle(code).fontSize) : 0,
          qr: qr && shown(qr) && qr.complete && qr.naturalWidth > 0 ? qr.getBoundingClientRect().width : 0};
}
"""
A4_POINTS = re.compile(r"Page size:\s+59[45](?:\.\d+)? x 84[12](?:\.\d+)? pts \(A4\)")


def _pdf_read(pdf: bytes) -> tuple[str, str]:
    """(pdfinfo's report, the QR codes zbarimg reads on the first page at 150 dpi)."""
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "page.pdf").write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(folder / "page.pdf")], capture_output=True, text=True).stdout
        subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", str(folder / "page.pdf"), str(folder / "page")],
                       check=True)
        qr = subprocess.run(["zbarimg", "--raw", "-q", str(folder / "page.png")], capture_output=True, text=True).stdout
    return info, qr


def _printed(page, world) -> list[str]:
    """The page printed (print media, then Chromium's own print to PDF on A4): what is wrong."""
    wrong = []
    code = page.locator("main .tracking-code").first.inner_text().translate(TO_LATIN)
    letter_link = page.get_by_role("link", name="دریافت پاسخ (PDF)")
    letter_href = letter_link.get_attribute("href") if letter_link.count() else None
    page.emulate_media(media="print")
    try:
        seen = page.evaluate(PRINTED_JS)
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        page.emulate_media(media="screen")
    wrong += [f"shown on paper: {html}" for html in seen["chrome"]]
    if seen["code"] < 28:
        wrong.append(f"the tracking code is {seen['code']} px on paper (28 px, 21 pt, at least)")
    if seen["qr"] < 140:
        wrong.append(f"the QR is {seen['qr']} px wide on paper (140 px, 37 mm, at least)")
    info, qr = _pdf_read(pdf)
    if not A4_POINTS.search(info):
        wrong.append(f"not A4: {info}")
    if "/receipt/" in page.url and not re.search(r"Pages:\s+1\n", info):
        wrong.append(f"the receipt takes more than one A4 page: {info}")
    if f"/track/#{code}" not in qr:
        wrong.append(f"the printed QR does not read as the tracking link: {qr!r}")
    if "/track/request/" in page.url:  # the answer letter, a PDF of its own, from the tracking page
        if not letter_href:
            return [*wrong, "no link to the answer letter"]
        letter = bytes(page.evaluate("async url => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer()))", letter_href))
        info, qr = _pdf_read(letter)
        if not A4_POINTS.search(info):
            wrong.append(f"the answer letter is not A4: {info}")
        if f"/letters/verify/{world.letter_public_id}/" not in qr:
            wrong.append(f"the answer letter's QR does not read as its verification page: {qr!r}")
    return wrong


def _check(page, visit, world) -> list[str]:
    found = []
    results = AXE.run(page, options=AXE_OPTIONS).response
    for violation in results["violations"]:
        if violation["impact"] in BLOCKING:
            nodes = "; ".join(" ".join(node["target"]) + " " + node["html"][:120] for node in violation["nodes"][:4])
            found.append(f"{visit.name} ({page.url}): axe {violation['id']} ({violation['impact']}): {violation['help']} — {nodes}")
    measured = page.evaluate(MEASURE_JS)
    found += [f"{visit.name} ({page.url}): horizontal scroll at 320 px: {what}" for what in measured["wide"]]
    found += [f"{visit.name} ({page.url}): touch target under 44 px: {what}" for what in measured["small"]]
    found += [f"{visit.name} ({page.url}): wizard step unreadable at 320 px: {what}" for what in measured["unreadable"]]
    if visit.printed:
        found += [f"{visit.name} ({page.url}): printed: {what}" for what in _printed(page, world)]
    return found


@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_every_page_accessible_on_a_phone(journey, world, browser):
    who, visits = JOURNEYS[journey]
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    found = []
    try:
        if who:
            _sign_in(VENDOR_EMAIL if who == "vendor" else who, platform=who == "vendor")(page, world)
        for visit in visits:
            (visit.go if callable(visit.go) else _open(visit.go))(page, world)
            found += _check(page, visit, world)
    finally:
        context.close()
    assert not found, "\n".join(found)


def test_reduced_motion_and_forced_colors(world, browser):
    """The wizard's first step (the step indicator, buttons, a checkbox), as someone who asked
    for less motion, then as someone whose system forces its own colours (high contrast)."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    style = "([selector, property]) => getComputedStyle(document.querySelector(selector))[property]"
    try:
        _wizard_start(page, world)
        _wizard_agreed(page, world)
        page.emulate_media(reduced_motion="no-preference")
        assert page.evaluate(style, ["html", "scrollBehavior"]) == "smooth"
        page.emulate_media(reduced_motion="reduce")
        assert page.evaluate(style, ["html", "scrollBehavior"]) == "auto"
        assert page.evaluate(style, ["main button", "transitionDuration"]) == "0s"

        # Colours no longer tell the current step or where a button is: an underline and borders do.
        assert "underline" not in page.evaluate(style, [".steps li.current", "textDecorationLine"])
        page.emulate_media(forced_colors="active")
        assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        assert "underline" in page.evaluate(style, [".steps li.current", "textDecorationLine"])
        assert page.evaluate(style, ["main button", "borderTopStyle"]) == "solid"
        page.get_by_role("button", name="تایید و ادامه").focus()
        assert page.evaluate(style, ["main button", "outlineStyle"]) == "solid"
        violations = [v["id"] for v in AXE.run(page, options=AXE_OPTIONS).response["violations"] if v["impact"] in BLOCKING]
        assert not violations
    finally:
        context.close()
