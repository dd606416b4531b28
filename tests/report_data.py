"""The report's charts as the browser tests read them (tests/browser/test_report_charts.py and the
keyboard's journey through them); `alpha_year_1402` (tests/browser/conftest.py) gives them bars."""

# The report's four charts, in their order on the page.
TITLES = ["درخواست‌های پذیرش‌شده در هر ماه", "میانگین روز کاری از پذیرش تا پاسخ در هر واحد",
          "درخواست‌های پذیرش‌شده به تفکیک مجرای ثبت", "میانگین امتیاز محورهای نظرسنجی (از ۵)"]
LONG_UNIT = "اداره خدمات شهری، فضای سبز و محیط زیست شهرداری منطقه یک"
