"""The publishing rules of seed 003: only approved, numbered, complete cards reach citizens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lib.persian import normalize_text


@dataclass(frozen=True)
class CheckItem:
    label: str
    ok: bool


def title_matches_approved(title: str, approved: str) -> bool:
    """The shown title must be the approved one, optionally followed by a common name in
    parentheses: «صدور پروانه ساختمان (پروانه)»."""
    title, approved = normalize_text(title), normalize_text(approved)
    if title == approved:
        return True
    match = re.fullmatch(r"(.+?) \((.+)\)", title)
    return bool(match) and match.group(1) == approved


def card_checklist(service, *, national=None) -> list[CheckItem]:
    """Every rule a card must meet before it is published, each with its Persian label.

    `national` is the registry mirror's row for the card's ID (None when it is not there).
    """
    approved_title = national.title if national is not None else service.approved_title
    items = [
        CheckItem("شناسه خدمت در سامانه ملی ثبت و مصوب است", national is not None and national.status == "approved"),
        CheckItem("عنوان با عنوان مصوب یکی است", title_matches_approved(service.title, approved_title)),
        CheckItem("نوع خدمت (G2C، G2B، G2G) تعیین شده است", bool(service.service_types)),
        CheckItem("شرح خدمت نوشته شده است", bool(service.description.strip())),
        CheckItem("مدارک مورد نیاز فهرست شده است", bool(service.document_lines())),
        CheckItem("متوسط مدت زمان ارائه خدمت یا آنی بودن آن روشن است", service.is_instant or bool(service.average_days)),
        CheckItem("ساعات ارائه خدمت تعیین شده است", bool(service.service_hours.strip())),
        CheckItem("سطح ارائه خدمت تعیین شده است", bool(service.service_level)),
        CheckItem("دست‌کم یک نحوه دسترسی تعیین شده است", bool(service.channels())),
        CheckItem("مسئول خدمت معرفی شده است", bool(service.responsible_name.strip())),
    ]
    if service.pk:
        items += [
            CheckItem("دست‌کم یک واحد ارائه‌دهنده انتخاب شده است", service.units.exists()),
            CheckItem("مراحل گردش کار تعریف شده است", service.stages.exists()),
        ]
    if service.visits_count:
        items.append(CheckItem("محل و علت مراجعه حضوری نوشته شده است", bool(service.visits_place and service.visits_reason)))
    return items


def missing_items(service, *, national=None) -> list[str]:
    return [item.label for item in card_checklist(service, national=national) if not item.ok]
