def test_landing_page_is_persian_and_lists_tenants(public_client):
    response = public_client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fa" dir="rtl"' in page
    assert "شهرداری آلفا" in page and "http://alpha.localhost:8000/" in page


def test_directory_search_by_name_and_province(public_client):
    by_name = public_client.get("/", {"q": "آلفا"}).content.decode()
    assert "شهرداری آلفا" in by_name and "دهیاری بتا" not in by_name
    by_province = public_client.get("/", {"province": "fars"}).content.decode()
    assert "دهیاری بتا" in by_province and "شهرداری آلفا" not in by_province
    nothing = public_client.get("/", {"q": "ناموجود"}).content.decode()
    assert "یافت نشد" in nothing


def test_arabic_letters_in_the_search_are_normalised(public_client):
    # «ك» and «ي» typed on an Arabic keyboard still find Persian names.
    assert "دهیاری بتا" in public_client.get("/", {"q": "دهياري"}).content.decode()


def test_a_refused_tracking_code_stays_in_its_box(public_client):
    mistyped = public_client.post("/track/", {"code": "1234567890123456"})
    page = mistyped.content.decode()
    assert mistyped.status_code == 400 and "کد رهگیری ۱۶ رقم است و این کد درست نیست" in page
    assert 'name="code" value="1234567890123456"' in page
    assert "شهرداری آلفا" in page  # the rest of the landing page is there too
