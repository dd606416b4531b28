"""The logo and favicon: raster resized, SVG rasterised after refusing anything that points
outside it, the favicon drawn from the logo, and each tenant's files only on its own hosts."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from portal_themes.models import Theme, ThemeDraft
from tests.builders import ALPHA, row_values
from tests.clients import host_client

SVG = b"""<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
<rect width="200" height="100" fill="#0f5e9c"/><circle cx="50" cy="50" r="30" fill="#ffffff"/></svg>"""


def _png(size=(1600, 800), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def _form(**overrides):
    data = {"display_name": "شهرداری آلفا", "primary_color": "#0f5e9c", "accent_color": "#c8102e"}
    data.update(overrides)
    return data


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_large_raster_logo_is_resized_and_the_favicon_drawn_from_it(admin_a, tenant_a):
    response = admin_a.post("/staff/branding/", _form(logo=SimpleUploadedFile("logo.jpg", _png(), "image/jpeg")))
    assert response.status_code == 302
    logo = admin_a.get("/branding/logo.png?draft=1")
    assert logo["Content-Type"] == "image/png" and _image(logo.content).size == (512, 256)
    favicon = _image(admin_a.get("/branding/favicon.png?draft=1").content)
    assert favicon.size == (64, 64)
    assert favicon.convert("RGBA").getpixel((32, 32))[:3] == (200, 30, 30)


def test_an_svg_logo_becomes_a_png(admin_a, tenant_a):
    response = admin_a.post("/staff/branding/", _form(logo=SimpleUploadedFile("logo.svg", SVG, "image/svg+xml")))
    assert response.status_code == 302
    logo = _image(admin_a.get("/branding/logo.png?draft=1").content)
    assert logo.format == "PNG" and logo.size == (512, 256)
    assert logo.convert("RGB").getpixel((10, 10)) == (15, 94, 156)


def test_an_svg_with_script_or_outside_references_is_refused(admin_a, tenant_a):
    with schema_context(ALPHA):
        draft = ThemeDraft.objects.get_or_create(id=1, defaults={"display_name": "شهرداری آلفا"})[0]
    before = row_values(draft)
    hostile = [
        SVG.replace(b"<rect", b"<script>alert(1)</script><rect"),
        SVG.replace(b"<rect", b'<rect onload="alert(1)"'),
        SVG.replace(b"<rect", b'<image href="file:///etc/passwd" width="10" height="10"/><rect'),
        SVG.replace(b"<rect", b'<image href="/srv/media/t_beta/theme/logo.png" width="10" height="10"/><rect'),
        SVG.replace(b'fill="#0f5e9c"', b'style="fill:url(https://evil.example/x)"'),
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    ]
    for svg in hostile:
        response = admin_a.post("/staff/branding/", _form(logo=SimpleUploadedFile("logo.svg", svg, "image/svg+xml")))
        assert response.status_code == 400, svg
        page = response.content.decode()
        assert "تصویر برداری" in page and "را دوباره انتخاب کنید" in page
    assert row_values(draft) == before


def test_a_file_that_is_no_image_is_refused(admin_a, tenant_a):
    response = admin_a.post("/staff/branding/", _form(logo=SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", "image/png")))
    assert response.status_code == 400
    assert "پرونده تصویر شناخته‌شده‌ای نیست" in response.content.decode()


def test_a_given_favicon_is_kept_and_served_as_favicon_ico(admin_a, tenant_a):
    admin_a.post("/staff/branding/", _form(logo=SimpleUploadedFile("logo.png", _png(colour=(10, 10, 10))),
                                           favicon=SimpleUploadedFile("icon.png", _png((32, 32), (0, 128, 0)))))
    admin_a.post("/staff/branding/publish/")
    client_a = host_client("alpha.localhost")
    page = client_a.get("/").content.decode()
    assert '<link rel="icon" type="image/png" href="/branding/favicon.png?v=' in page
    ico = client_a.get("/favicon.ico")
    assert ico["Content-Type"] == "image/x-icon"
    icon = _image(ico.content)
    assert icon.format == "ICO" and icon.convert("RGB").getpixel((icon.width // 2, icon.height // 2)) == (0, 128, 0)
    with schema_context(ALPHA):
        assert ThemeDraft.objects.get().favicon_from_logo is False


def test_a_tenants_files_are_served_only_on_its_own_host(admin_a, client_b, tenant_a, tenant_b):
    admin_a.post("/staff/branding/", _form(logo=SimpleUploadedFile("logo.png", _png())))
    client_a = host_client("alpha.localhost")  # a citizen
    # The draft's logo is the admin's alone until it is published.
    assert client_a.get("/branding/logo.png?draft=1").status_code == 404
    admin_a.post("/staff/branding/publish/")
    with schema_context(ALPHA):
        alpha_logo = Theme.objects.get().logo.read()
    assert client_a.get("/branding/logo.png").content == alpha_logo
    on_beta = client_b.get("/branding/logo.png")
    assert on_beta.status_code == 404 and alpha_logo not in on_beta.content
    assert client_b.get("/branding/favicon.png").status_code == 404
    assert client_b.get("/favicon.ico").content != client_a.get("/favicon.ico").content
    # The file sits under alpha's own folder of the media root.
    with schema_context(ALPHA):
        assert "/t_alpha/theme/logo-" in Theme.objects.get().logo.path
