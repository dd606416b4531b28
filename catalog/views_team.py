"""The tenant admin's team pages (/staff/team/): invite staff, change their role and unit."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import staff_required
from catalog.models import Unit
from catalog.team import team_member_invite, team_member_update, team_members

admin_only = staff_required(User.Role.TENANT_ADMIN)
STAFF_ROLE_CHOICES = [(role.value, role.label) for role in User.STAFF_ROLES]


def _unit_field():
    return forms.ModelChoiceField(
        label=_("واحد سازمانی"), queryset=Unit.objects.all(), required=False, empty_label=_("— بدون واحد —"),
        help_text=_("برای کارشناس و مدیر واحد لازم است: کارتابل آنها درخواست‌های همین واحد است (و برای مدیر واحد، واحدهای زیر آن). "
                    "مدیر سامانه همه واحدها را می‌بیند و متصدی میز خدمت به واحد نیاز ندارد."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("پست الکترونیک"), error_messages={"invalid": _("پست الکترونیک درست نیست.")})
    full_name = forms.CharField(label=_("نام و نام خانوادگی"), max_length=150)
    role = forms.ChoiceField(label=_("نقش"), choices=STAFF_ROLE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field()


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("نقش"), choices=STAFF_ROLE_CHOICES)
    is_active = forms.BooleanField(label=_("دسترسی فعال است"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field()


@admin_only
def team(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team_member_invite(
                email=data["email"].lower(), full_name=data["full_name"], role=data["role"], unit=data["unit"],
                actor=request.user, host=request.get_host().split(":")[0], organisation=request.tenant.name,
                urlconf=settings.ROOT_URLCONF,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("دعوت‌نامه فرستاده شد."))
            return redirect("staff:team")
    return render(request, "staff/team.html", {"members": team_members(), "form": form})


@admin_only
def team_member(request, user_id):
    member = get_object_or_404(User.objects.filter(role__in=User.STAFF_ROLES), pk=user_id)
    membership = getattr(member, "membership", None)
    initial = {"role": member.role, "is_active": member.is_active, "unit": membership.unit if membership else None}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team_member_update(user=member, role=data["role"], unit=data["unit"], is_active=data["is_active"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("تغییرات ذخیره شد."))
            return redirect("staff:team")
    return render(request, "staff/team_member.html", {"member": member, "form": form})

