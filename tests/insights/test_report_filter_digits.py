"""The period filters of /staff/reports/ and /insights/ read in Persian digits (quarters ۱–۴)."""

import re

from tests.builders import SESSION_TENANTS, STAFF_PASSWORD


def _quarters(html: str) -> list[str]:
    select = re.search(r'<select name="quarter">(.*?)</select>', html, flags=re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_quarters_are_persian_on_both_report_pages(client_a, vendor_client):
    assert client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD}).status_code == 302
    assert _quarters(client_a.get("/staff/reports/").content.decode()) == ["—", "۱", "۲", "۳", "۴"]
    assert _quarters(vendor_client.get("/insights/").content.decode()) == ["—", "۱", "۲", "۳", "۴"]
