"""Admins' own questionnaires (پرسشنامه) and the choice of one per service; every
questionnaire is answered on the five-point scale of the default one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import CardAudit, Service
from catalog.services import card_audit
from intake import error_codes
from intake.models import Questionnaire, ServiceQuestionnaire
from lib.persian import to_persian_digits


def questionnaire_clean(*, title: str, questions: list[tuple[str, str]]) -> list[dict]:
    """Rows left wholly empty are dropped; every other row needs both its text and its axis."""
    errors: dict[str, list[ValidationError]] = {}
    if not title.strip():
        errors["title"] = [ValidationError(_("عنوان پرسشنامه را بنویسید."), code=error_codes.QUESTIONNAIRE_TITLE_REQUIRED)]
    cleaned, problems = [], []
    for number, (text, axis) in enumerate(questions, start=1):
        text, axis = text.strip(), axis.strip()
        if not text and not axis:
            continue
        if not text:
            problems.append(ValidationError(_("پرسش %(n)s متن ندارد.") % {"n": to_persian_digits(str(number))}, code=error_codes.QUESTION_TEXT_MISSING))
        if not axis:
            problems.append(ValidationError(_("پرسش %(n)s محور ندارد.") % {"n": to_persian_digits(str(number))}, code=error_codes.QUESTION_AXIS_MISSING))
        cleaned.append({"axis": axis, "text": text})
    if not cleaned:
        problems.append(ValidationError(_("پرسشنامه دست‌کم یک پرسش لازم دارد."), code=error_codes.QUESTIONNAIRE_EMPTY))
    if problems:
        errors["questions"] = problems
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def questionnaire_create(*, title: str, questions: list[tuple[str, str]]) -> Questionnaire:
    """A tenant's own questionnaire, beside the default; it is used once chosen for a service."""
    cleaned = questionnaire_clean(title=title, questions=questions)
    return Questionnaire.objects.create(title=title.strip(), questions=cleaned, is_default=False)


@transaction.atomic
def service_questionnaire_choose(*, service: Service, questionnaire: Questionnaire | None, actor: str) -> None:
    """Surveys created from now on for the service use this questionnaire (None: the default);
    surveys already created keep theirs. The change is kept in the card's audit trail."""
    current = ServiceQuestionnaire.objects.select_for_update().filter(service=service).select_related("questionnaire").first()
    if questionnaire is not None and questionnaire.is_default:
        questionnaire = None
    before = current.questionnaire.title if current else None
    after = questionnaire.title if questionnaire else None
    if (current.questionnaire_id if current else None) == (questionnaire.pk if questionnaire else None):
        return
    if questionnaire is None:
        current.delete()
    else:
        ServiceQuestionnaire.objects.update_or_create(service=service, defaults={"questionnaire": questionnaire, "chosen_by": actor})
    card_audit(service=service, national_id=service.national_id, actor=actor, action=CardAudit.Action.QUESTIONNAIRE,
               before={"questionnaire": before or _("پیش‌فرض")}, after={"questionnaire": after or _("پیش‌فرض")})

