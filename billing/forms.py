from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import BillingAccount, Plan
from billing.selectors import plans_offered


class PlanChoiceForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("طرح"), queryset=Plan.objects.none(), to_field_name="code", empty_label=None)
    interval = forms.ChoiceField(label=_("دوره پرداخت"), choices=BillingAccount.Interval.choices, initial=BillingAccount.Interval.MONTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans_offered()


class PlanForm(forms.ModelForm):
    # Not the model field itself: plan_save moves the mark from the previous trial plan.
    trial_default = forms.BooleanField(
        label=_("طرح دوره آزمایشی"), required=False, help_text=_("سقف‌های این طرح در دوره آزمایشی مشترکان تازه اعمال می‌شود.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trial_default"].initial = self.instance.is_trial_default

    class Meta:
        model = Plan
        fields = [
            "code", "name", "stripe_price_monthly", "stripe_price_yearly", "monthly_amount", "yearly_amount", "currency",
            "staff_seats", "requests_per_month", "is_active", "sort_order",
        ]
        help_texts = {
            "staff_seats": _("خالی یعنی بدون سقف."),
            "requests_per_month": _("خالی یعنی بدون سقف."),
            "stripe_price_monthly": _("مثلاً price_1Q…؛ خالی یعنی این دوره ارائه نمی‌شود."),
        }
