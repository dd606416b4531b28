"""Demo catalogues for `seed_demo`: units and complete, published cards built from the sample
registry (its IDs are synthetic: the pages label the tenants as demo data)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from catalog.models import Faq, Fee, Law, Service, Unit
from catalog.services import service_add_from_registry, service_generate_external_bpmn, service_publish, stages_replace
from lib.identifiers import make_sheba
from lib.persian import normalize_text
from registry.models import NationalService
from registry.services import registry_sync

ACTOR = "seed_demo"
LAW_MUNICIPALITY = ("قانون شهرداری‌ها (مصوب 1334 و اصلاحات بعدی)", "https://qavanin.ir/")
LAW_DEHYARI = ("قانون تأسیس دهیاری‌های خودکفا در روستاهای کشور", "https://qavanin.ir/")

# (national ID, documents, working days, stages, fee in Rial or 0, question, answer)
MUNICIPAL_CARDS = [
    ("10901010100", "تصویر سند مالکیت\nتصویر کارت ملی مالک\nنقشه‌های معماری و سازه", 15,
     ["بررسی مدارک", "بازدید کارشناس", "محاسبه عوارض", "صدور پروانه"], 25_000_000,
     "آیا برای پروانه مسکونی بازدید لازم است؟", "بله، کارشناس منطقه پیش از محاسبه عوارض از ملک بازدید می‌کند."),
    ("10901010200", "تصویر سند مالکیت\nتصویر کارت ملی مالک\nنقشه‌های معماری، سازه و تأسیسات", 20,
     ["بررسی مدارک", "بازدید کارشناس", "کمیسیون فنی", "صدور پروانه"], 60_000_000, "", ""),
    ("10901010300", "اصل پروانه ساختمان\nگزارش پیشرفت کار مهندس ناظر", 5, ["بررسی مدارک", "تمدید پروانه"], 5_000_000, "", ""),
    ("10901020200", "گزارش پایان کار مهندس ناظر\nتصویر پروانه ساختمان", 10,
     ["بررسی مدارک", "بازدید پایان کار", "صدور گواهی"], 8_000_000, "", ""),
    ("10901030100", "تصویر سند مالکیت\nنقشه یو.تی.ام ملک", 7, ["بررسی مدارک", "تهیه دستور نقشه"], 0, "", ""),
    ("10901040100", "شماره نوسازی ملک", 0, [], 0, "عوارض نوسازی چگونه محاسبه می‌شود؟",
     "بر پایه ارزش معاملاتی ملک و نرخ مصوب شورای شهر."),
    ("10901040200", "شماره نوسازی ملک\nتصویر سند مالکیت", 3, ["بررسی بدهی", "صدور مفاصاحساب"], 1_500_000, "", ""),
    ("10901060000", "درخواست شرکت خدمات‌دهنده\nنقشه مسیر حفاری\nتعهدنامه ترمیم", 10,
     ["بررسی مسیر", "هماهنگی ترافیکی", "صدور مجوز"], 12_000_000, "", ""),
    ("10901100000", "تصویر سند یا اجاره‌نامه ملک\nعکس درخت", 7, ["بازدید فضای سبز", "کمیسیون ماده ۷", "اعلام نتیجه"], 0, "", ""),
    ("10901090000", "شرح شکایت یا پیشنهاد", 5, ["بررسی اولیه", "ارجاع به واحد مربوط", "اعلام نتیجه"], 0, "", ""),
]
DEHYARI_CARDS = [
    ("10911010100", "تصویر سند یا قولنامه ملک\nتصویر کارت ملی\nنقشه ساده ساختمان", 10,
     ["بررسی مدارک", "بازدید دهیار", "صدور پروانه"], 3_000_000, "پروانه ساخت روستایی چه مدت اعتبار دارد؟", "دو سال از تاریخ صدور."),
    ("10911010200", "اصل پروانه ساخت\nگزارش بازدید", 7, ["بازدید", "صدور گواهی"], 1_000_000, "", ""),
    ("10911020000", "نامه استعلام دستگاه", 5, ["بررسی پرونده ملک", "پاسخ به استعلام"], 0, "", ""),
    ("10911030000", "درخواست شرکت خدمات‌دهنده\nنقشه مسیر حفاری", 7, ["بررسی مسیر", "صدور مجوز"], 2_000_000, "", ""),
    ("10911040000", "شماره پرونده ملک", 0, [], 0, "", ""),
    ("10911050000", "شرح درخواست یا شکایت", 5, ["بررسی", "اعلام نتیجه"], 0, "", ""),
    ("10901080100", "گواهی فوت\nتصویر کارت ملی متوفی", 1, ["بررسی مدارک", "صدور مجوز دفن"], 0, "", ""),
    ("10901090000", "شرح شکایت یا پیشنهاد", 5, ["بررسی اولیه", "اعلام نتیجه"], 0, "", ""),
]


def _units(*, large: bool, dehyari: bool) -> tuple[Unit, list[Unit]]:
    if dehyari:
        hq, _ = Unit.objects.get_or_create(name="دفتر دهیاری", defaults={"kind": Unit.Kind.HEADQUARTERS, "hours": "شنبه تا چهارشنبه ۸ تا ۱۴"})
        return hq, []
    hq, _ = Unit.objects.get_or_create(name="ستاد شهرداری", defaults={"kind": Unit.Kind.HEADQUARTERS, "hours": "شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰"})
    districts = []
    for number in range(1, (15 if large else 2) + 1):
        district, _ = Unit.objects.get_or_create(
            name=f"شهرداری منطقه {number}",
            defaults={"kind": Unit.Kind.DISTRICT, "parent": hq, "hours": "شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰", "phone": f"031-3{number:03d}0000"},
        )
        districts.append(district)
    return hq, districts


@transaction.atomic
def catalog_demo_build(*, kind: str, large: bool = False) -> int:
    """Units and at least eight complete, published cards; returns how many are published."""
    dehyari = kind == "dehyari"
    hq, districts = _units(large=large, dehyari=dehyari)
    law = LAW_DEHYARI if dehyari else LAW_MUNICIPALITY
    for index, (national_id, documents, days, stages, fee, question, answer) in enumerate(DEHYARI_CARDS if dehyari else MUNICIPAL_CARDS):
        service = service_add_from_registry(national_id=national_id, actor=ACTOR, with_children=False)
        if service.is_published:
            continue
        _complete(service, documents=documents, days=days, hq=hq, dehyari=dehyari)
        service.units.set([hq, *districts[:3]])
        stages_replace(service=service, stages=[(normalize_text(name), 2, hq) for name in stages] or [("ثبت و پاسخ آنی", 0, hq)], actor=ACTOR)
        if fee:
            Fee.objects.get_or_create(service=service, title="هزینه کارشناسی و صدور", defaults={
                "amount_rial": fee, "sheba": make_sheba(f"0170000000{index:02d}1234567890"), "bank": "بانک ملی ایران"})
        Law.objects.get_or_create(service=service, title=law[0], defaults={"url": law[1]})
        if question:
            Faq.objects.get_or_create(service=service, question=normalize_text(question), defaults={"answer": normalize_text(answer)})
        service_generate_external_bpmn(service=service, actor=ACTOR)
        if service.parent and not service.parent.is_published:
            _complete(service.parent, documents="مدارک هر زیرخدمت در شناسنامه آن آمده است", days=days or 5, hq=hq, dehyari=dehyari)
            service.parent.units.set([hq])
            stages_replace(service=service.parent, stages=[("انتخاب زیرخدمت", 1, hq)], actor=ACTOR)
            service_publish(service=service.parent, actor=ACTOR)
        service_publish(service=service, actor=ACTOR)
    return Service.objects.filter(status=Service.Status.PUBLISHED).count()


def _complete(service: Service, *, documents: str, days: int, hq: Unit, dehyari: bool) -> None:
    body = "دهیاری" if dehyari else "شهرداری"
    service.description = f"{service.approved_title} برای متقاضیان، به‌صورت الکترونیکی در میز خدمت {body} انجام می‌شود."
    service.eligibility = "مالک یا وکیل قانونی او" if "پروانه" in service.approved_title else ""
    service.required_documents = documents
    service.is_instant = days == 0
    service.average_days = days or None
    service.service_hours = "شنبه تا چهارشنبه ۸ تا ۱۴ (درخواست برخط در همه ساعات)"
    service.service_level = Service.Level.VILLAGE if dehyari else Service.Level.REGION
    service.online_request = True
    service.ivr_number = "137" if not dehyari else ""
    service.counter_offices = "دفاتر پیشخوان دولت سراسر استان"
    service.responsible_name = "کارشناس مسئول خدمت"
    service.responsible_position = f"معاون خدمات شهری {body}" if not dehyari else "دهیار"
    service.responsible_phone = hq.phone
    service.complete_guide = "درخواست را در میز خدمت الکترونیکی ثبت کنید، کد رهگیری را نگه دارید و مراحل را از همین درگاه پیگیری کنید."
    # Stored as every form stores text: Persian letters, ASCII digits (pages show Persian digits).
    for key in ("description", "eligibility", "service_hours", "counter_offices", "responsible_position", "complete_guide"):
        setattr(service, key, normalize_text(getattr(service, key)))
    service.required_documents = "\n".join(normalize_text(line) for line in documents.splitlines())
    service.save()


DEMO_REGISTRY = Path(__file__).resolve().parent.parent / "registry" / "demo" / "gservice_sample.csv"


def registry_demo_load() -> None:
    """Fill an empty national mirror from the synthetic sample (demo only)."""
    if not NationalService.objects.exists():
        registry_sync(file=str(DEMO_REGISTRY), triggered_by=ACTOR)


def catalog_demo_for_tenant(*, tenant, spec: dict) -> None:
    """seed_demo's step for each demo tenant (run in the public schema)."""
    from django_tenants.utils import schema_context

    with schema_context(tenant.schema_name):
        catalog_demo_build(kind=tenant.kind, large=spec.get("large", False))
