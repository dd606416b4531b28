"""The wizard's numbers as a citizen reads them: Persian digits and units, no "193 bytes"."""

import re

from tests.builders import pdf_bytes


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_preamble_limits_and_attachment_sizes_are_persian(wizard):
    wizard.start()
    preamble = _text(wizard.client.get(wizard.url("step/1/")))
    assert "حداکثر ۲ پرونده، هر کدام تا ۸۰۰ کیلوبایت" in preamble
    assert not re.search(r"حداکثر [0-9]", preamble)
    wizard.post_step(1)
    wizard.attach("small.pdf", pdf_bytes(192))  # 193 bytes
    page = _text(wizard.attach("plan.pdf", pdf_bytes(1637)))  # 1,638 bytes
    assert "(۱۹۳ بایت)" in page and "(۱٫۶ کیلوبایت)" in page
    assert "bytes" not in page and "KB" not in page
