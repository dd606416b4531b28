"""Use cases of the tenant's lifecycle: onboard, suspend, reactivate, close, billing's moves, add a domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import staff_invite
from lib.identifiers import is_valid_legal_national_id
from lib.persian import normalize_text, to_ascii_digits
from portal_themes.services import theme_set_defaults
from tenants import error_codes
from tenants.models import RESERVED_SLUGS, SLUG_VALIDATOR, Domain, Province, Tenant, TenantEvent
from tenants.signals import tenant_closed, tenant_onboarded
from tenants.provisioning import schema_create_from_template, schema_name_for_slug, template_ensure
from tenants.spares import spare_claim, spares_refill_soon


class OnboardingError(Exception):
    """Onboarding refused or failed; `errors` maps a field (or "__all__") to Persian messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


@dataclass(frozen=True)
class TenantDraft:
    """What the vendor types in to onboard a tenant, checked by `tenant_draft_clean`."""

    slug: str
    name: str
    kind: str
    province: Province
    admin_email: str
    national_id: str | None = None
    county: str = ""
    address: str = ""
    phone: str = ""
    parent: Tenant | None = None
    admin_name: str = ""


def tenant_draft_clean(
    *, slug: str, name: str, kind: str, province: str | Province, admin_email: str, national_id: str = "",
    county: str = "", address: str = "", phone: str = "", parent: str | Tenant | None = None, admin_name: str = "",
) -> TenantDraft:
    """Check everything before anything is written; every problem is reported at once."""
    errors: dict[str, list[str]] = {}
    slug = (slug or "").strip().lower()
    try:
        SLUG_VALIDATOR(slug)
        if slug in RESERVED_SLUGS:
            errors["slug"] = [_("این نشانی کوتاه برای سامانه رزرو شده است.")]
        elif Tenant.objects.filter(slug=slug).exists() or Tenant.objects.filter(
            schema_name=schema_name_for_slug(slug)
        ).exists():
            errors["slug"] = [_("مشترکی با این نشانی کوتاه وجود دارد.")]
        elif Domain.objects.filter(domain=f"{slug}.{settings.PLATFORM_DOMAIN}").exists():
            errors["slug"] = [_("دامنه این نشانی کوتاه پیش‌تر ثبت شده است.")]
    except ValidationError as error:
        errors["slug"] = list(error.messages)
    name = normalize_text(name)
    if not name:
        errors["name"] = [_("نام مشترک را وارد کنید.")]
    if kind not in Tenant.Kind.values:
        errors["kind"] = [_("نوع باید شهرداری یا دهیاری باشد.")]
    province_obj = province if isinstance(province, Province) else _province(province)
    if province_obj is None:
        errors["province"] = [_("استان شناخته نشد.")]
    admin_email = (admin_email or "").strip().lower()
    try:
        validate_email(admin_email)
    except ValidationError:
        errors["admin_email"] = [_("پست الکترونیک مدیر معتبر نیست.")]
    national_id = to_ascii_digits((national_id or "").strip()) or None
    if national_id:
        if not is_valid_legal_national_id(national_id):
            errors["national_id"] = [_("شناسه ملی باید ۱۱ رقم با رقم کنترل درست باشد.")]
        elif Tenant.objects.filter(national_id=national_id).exists():
            errors["national_id"] = [_("مشترکی با این شناسه ملی وجود دارد.")]
    parent_obj = parent if isinstance(parent, Tenant) or parent is None else Tenant.objects.filter(slug=parent).first()
    if parent and parent_obj is None:
        errors["parent"] = [_("دستگاه بالادست شناخته نشد.")]
    if errors:
        raise OnboardingError(errors)
    return TenantDraft(
        slug=slug, name=name, kind=kind, province=province_obj, admin_email=admin_email, national_id=national_id,
        county=normalize_text(county), address=normalize_text(address), phone=to_ascii_digits(phone.strip()),
        parent=parent_obj, admin_name=normalize_text(admin_name),
    )


def _province(value: str) -> Province | None:
    value = normalize_text(value or "")
    return Province.objects.filter(code=value).first() or Province.objects.filter(name=value).first()


def tenant_onboard(*, draft: TenantDraft, actor: str = "") -> Tenant:
    """Provision a tenant in one transaction: its row, its subdomain, its schema (a spare copy
    of the template renamed, or a copy made now when none is ready: tenants/spares.py), its
    theme and its first admin, whose invitation leaves after commit.

    Anything that fails rolls all of it back, schema included (PostgreSQL DDL is
    transactional), so a failed onboarding leaves nothing behind.
    """
    template = template_ensure()
    try:
        with transaction.atomic():
            # In its trial from the start: no one sees the row before the whole onboarding
            # commits, and a failure rolls it back with the rest.
            tenant = Tenant.objects.create(
                schema_name=schema_name_for_slug(draft.slug), slug=draft.slug, name=draft.name, kind=draft.kind,
                province=draft.province, county=draft.county, national_id=draft.national_id,
                address=draft.address, phone=draft.phone, parent=draft.parent, status=Tenant.Status.TRIAL,
                trial_ends_at=timezone.now() + timedelta(days=settings.TENANT_TRIAL_DAYS),
            )
            Domain.objects.create(domain=tenant.subdomain, tenant=tenant, is_primary=True)
            if not spare_claim(schema_name=tenant.schema_name, template=template):
                schema_create_from_template(schema_name=tenant.schema_name, template=template)
            with schema_context(tenant.schema_name):
                _seed_tenant_defaults(tenant=tenant, admin_email=draft.admin_email, admin_name=draft.admin_name)
            TenantEvent.objects.create(
                tenant=tenant, action=TenantEvent.Action.ONBOARDED, to_status=tenant.status, actor=actor,
            )
            transaction.on_commit(lambda: tenant_onboarded.send(sender=Tenant, tenant=tenant))
            transaction.on_commit(spares_refill_soon)
    except IntegrityError as error:
        raise OnboardingError({"__all__": [_("ثبت مشترک ناتمام ماند و هیچ چیز ذخیره نشد: %(reason)s") % {"reason": error}]}) from error
    except Exception as error:
        if isinstance(error, OnboardingError):
            raise
        raise OnboardingError({"__all__": [_("راه‌اندازی مشترک ناتمام ماند و هیچ چیز ذخیره نشد: %(reason)s") % {"reason": error}]}) from error
    return tenant


def _seed_tenant_defaults(*, tenant: Tenant, admin_email: str, admin_name: str) -> None:
    """What a tenant needs on its first day, written inside its own schema."""
    theme_set_defaults(display_name=tenant.name, kind=tenant.kind)
    staff_invite(
        email=admin_email, full_name=admin_name, role=User.Role.TENANT_ADMIN, host=tenant.subdomain,
        organisation=tenant.name, urlconf=settings.ROOT_URLCONF,
    )


# --- Lifecycle ---------------------------------------------------------------------------

_ALLOWED_MOVES = {
    TenantEvent.Action.SUSPEND: {Tenant.Status.TRIAL, Tenant.Status.ACTIVE, Tenant.Status.PAST_DUE},
    TenantEvent.Action.REACTIVATE: {Tenant.Status.SUSPENDED},
    TenantEvent.Action.CLOSE: {Tenant.Status.TRIAL, Tenant.Status.ACTIVE, Tenant.Status.PAST_DUE, Tenant.Status.SUSPENDED},
}


@transaction.atomic
def tenant_set_status(*, tenant: Tenant, action: TenantEvent.Action, actor: str = "", note: str = "") -> Tenant:
    """Suspend, reactivate or close a tenant; nothing is ever deleted, every move is logged."""
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if tenant.status not in _ALLOWED_MOVES[action]:
        raise ValidationError(
            _("این تغییر برای مشترکی با وضعیت «%(status)s» ممکن نیست.") % {"status": tenant.get_status_display()}, code=error_codes.STATUS_CHANGE_REFUSED
        )
    target = {
        TenantEvent.Action.SUSPEND: Tenant.Status.SUSPENDED,
        TenantEvent.Action.REACTIVATE: Tenant.Status.ACTIVE if tenant.trial_ends_at is None or tenant.trial_ends_at < timezone.now() else Tenant.Status.TRIAL,
        TenantEvent.Action.CLOSE: Tenant.Status.CLOSED,
    }[action]
    previous = tenant.status
    tenant.status = target
    tenant.save(update_fields=["status", "updated_at"])
    TenantEvent.objects.create(tenant=tenant, action=action, from_status=previous, to_status=target, actor=actor, note=note)
    if target == Tenant.Status.CLOSED:
        transaction.on_commit(lambda: tenant_closed.send(sender=Tenant, tenant=tenant))
    return tenant


# Billing's moves: to the key, from any of the values. Billing never closes a tenant and
# never reopens a closed one (only the vendor closes).
_BILLING_MOVES = {
    Tenant.Status.ACTIVE: {Tenant.Status.TRIAL, Tenant.Status.PAST_DUE, Tenant.Status.SUSPENDED},
    Tenant.Status.PAST_DUE: {Tenant.Status.TRIAL, Tenant.Status.ACTIVE},
    Tenant.Status.SUSPENDED: {Tenant.Status.PAST_DUE},
}


@transaction.atomic
def tenant_billing_move(*, tenant: Tenant, to_status: str, note: str = "") -> bool:
    """Move a tenant as its payments say; False when the move does not apply, so that a late
    or repeated payment event cannot lift a suspension the vendor imposed."""
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if tenant.status not in _BILLING_MOVES.get(to_status, ()):
        return False
    if tenant.status == Tenant.Status.SUSPENDED:
        suspension = tenant.events.filter(to_status=Tenant.Status.SUSPENDED).first()
        if suspension is None or suspension.action != TenantEvent.Action.BILLING:
            return False
    previous = tenant.status
    tenant.status = to_status
    tenant.save(update_fields=["status", "updated_at"])
    TenantEvent.objects.create(
        tenant=tenant, action=TenantEvent.Action.BILLING, from_status=previous, to_status=to_status, actor="stripe", note=note
    )
    return True


@transaction.atomic
def domain_add(*, tenant: Tenant, domain: str, verified: bool = False, actor: str = "") -> Domain:
    """Add a custom domain. It answers only once it is verified (its DNS points at us)."""
    domain = (domain or "").strip().lower().rstrip(".")
    from django.core.validators import DomainNameValidator

    try:
        DomainNameValidator(accept_idna=False)(domain)
    except ValidationError:
        raise ValidationError(_("نام دامنه معتبر نیست."), code=error_codes.DOMAIN_INVALID)
    if domain == settings.PLATFORM_DOMAIN or domain.endswith("." + settings.PLATFORM_DOMAIN):
        raise ValidationError(_("زیردامنه‌های سامانه را نمی‌توان به‌عنوان دامنه اختصاصی افزود."), code=error_codes.DOMAIN_PLATFORM_SUBDOMAIN)
    if Domain.objects.filter(domain=domain).exists():
        raise ValidationError(_("این دامنه پیش‌تر ثبت شده است."), code=error_codes.DOMAIN_TAKEN)
    added = Domain.objects.create(domain=domain, tenant=tenant, is_primary=False, is_custom=True, is_verified=verified)
    TenantEvent.objects.create(tenant=tenant, action=TenantEvent.Action.DOMAIN_ADDED, actor=actor, note=domain)
    return added


@transaction.atomic
def domain_verify(*, domain: Domain, actor: str = "") -> Domain:
    domain.is_verified = True
    domain.save(update_fields=["is_verified"])
    TenantEvent.objects.create(tenant=domain.tenant, action=TenantEvent.Action.DOMAIN_VERIFIED, actor=actor, note=domain.domain)
    return domain
