"""Iran's 31 provinces (استان‌ها)."""

from django.db import migrations

PROVINCES = [
    ("east-azerbaijan", "آذربایجان شرقی"),
    ("west-azerbaijan", "آذربایجان غربی"),
    ("ardabil", "اردبیل"),
    ("isfahan", "اصفهان"),
    ("alborz", "البرز"),
    ("ilam", "ایلام"),
    ("bushehr", "بوشهر"),
    ("tehran", "تهران"),
    ("chaharmahal-bakhtiari", "چهارمحال و بختیاری"),
    ("south-khorasan", "خراسان جنوبی"),
    ("razavi-khorasan", "خراسان رضوی"),
    ("north-khorasan", "خراسان شمالی"),
    ("khuzestan", "خوزستان"),
    ("zanjan", "زنجان"),
    ("semnan", "سمنان"),
    ("sistan-baluchestan", "سیستان و بلوچستان"),
    ("fars", "فارس"),
    ("qazvin", "قزوین"),
    ("qom", "قم"),
    ("kurdistan", "کردستان"),
    ("kerman", "کرمان"),
    ("kermanshah", "کرمانشاه"),
    ("kohgiluyeh-boyer-ahmad", "کهگیلویه و بویراحمد"),
    ("golestan", "گلستان"),
    ("gilan", "گیلان"),
    ("lorestan", "لرستان"),
    ("mazandaran", "مازندران"),
    ("markazi", "مرکزی"),
    ("hormozgan", "هرمزگان"),
    ("hamadan", "همدان"),
    ("yazd", "یزد"),
]


def seed(apps, schema_editor):
    Province = apps.get_model("tenants", "Province")
    for code, name in PROVINCES:
        Province.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
