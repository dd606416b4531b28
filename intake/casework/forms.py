"""The staff's forms beside the citizen's: the in-person desk's choice of unit and service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Service, Unit
from intake.citizen.forms import ChooseServiceForm


class DeskChooseForm(ChooseServiceForm):
    """The in-person desk: any published service (walk-ins are not limited to the online ones),
    the rules read to the citizen, and the citizen's consent."""

    consent = forms.BooleanField(
        label=_("رضایت متقاضی: متقاضی رضایت داده است که درخواستش به نیابت از او در سامانه ثبت شود"),
        error_messages={"required": _("رضایت متقاضی برای ثبت درخواست به نیابت از او لازم است.")},
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        offering = Service.objects.filter(status=Service.Status.PUBLISHED)
        self.fields["unit"].queryset = Unit.objects.filter(services__in=offering).distinct()
        self.fields["service"].queryset = offering.filter(units=unit) if unit else offering
        self.fields["agree"].label = _("قوانین و آیتم‌ها برای متقاضی خوانده شد و موافق است")
