"""A tenant's branding: every new portal gets a complete theme in its kind's colours, and
every page of the portal shows the tenant's name and colours; the platform host shows none."""

from django_tenants.utils import schema_context

from portal_themes.models import Theme
from portal_themes.services import DEFAULT_COLORS


def test_a_new_portal_has_its_kinds_colours(tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        alpha = Theme.objects.get()
    with schema_context(tenant_b.schema_name):
        beta = Theme.objects.get()
    assert (alpha.display_name, (alpha.primary_color, alpha.accent_color)) == ("شهرداری آلفا", DEFAULT_COLORS["municipality"])
    assert (beta.display_name, (beta.primary_color, beta.accent_color)) == ("دهیاری بتا", DEFAULT_COLORS["dehyari"])


def test_the_portal_pages_show_the_tenants_name_and_colours(tenant_a, client_a):
    with schema_context(tenant_a.schema_name):
        Theme.objects.update(display_name="درگاه آلفا", primary_color="#123456", accent_color="#abcdef")
    page = client_a.get("/").content.decode()
    assert "<title>درگاه آلفا</title>" in page
    # The colours come in a served stylesheet, not an inline <style> (CSP).
    assert "<style" not in page and '<link rel="stylesheet" href="/branding/theme.css?v=' in page
    css = client_a.get("/branding/theme.css")
    assert css["Content-Type"].startswith("text/css")
    assert "--primary: #123456; --accent: #abcdef;" in css.content.decode()
    assert "میز خدمت الکترونیکی شهرداری آلفا" in page  # the tenant's own name, beside the theme's


def test_the_platform_host_has_no_theme(public_client):
    response = public_client.get("/accounts/login/")
    assert response.context["theme"] is None and response.context["portal_tenant"] is None
    assert "--primary:" not in response.content.decode()
