"""The three starting points an admin can apply to the draft (then change and publish)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Preset:
    label: str
    primary_color: str
    accent_color: str
    welcome_text: str
    header_links: list = field(default_factory=list)


PRESETS: dict[str, Preset] = {
    "municipality": Preset(
        label="شهرداری",
        primary_color="#0f5e9c",
        accent_color="#c8102e",
        welcome_text="شهروند گرامی، به میز خدمت الکترونیکی شهرداری خوش آمدید. شناسنامه خدمات را ببینید، درخواست خود را ثبت کنید و با کد رهگیری آن را پیگیری کنید.",
    ),
    "dehyari": Preset(
        label="دهیاری",
        primary_color="#2e7d32",
        accent_color="#7a5c00",
        welcome_text="اهالی گرامی روستا، به میز خدمت الکترونیکی دهیاری خوش آمدید. خدمات دهیاری را از همین‌جا بشناسید و درخواست خود را بی‌مراجعه ثبت کنید.",
    ),
    "neutral": Preset(
        label="ساده",
        primary_color="#37474f",
        accent_color="#6a4c93",
        welcome_text="به میز خدمت الکترونیکی خوش آمدید.",
    ),
}
