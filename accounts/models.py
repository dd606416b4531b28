"""Users. The table exists in every schema: the public one holds the vendor's staff and the
provincial supervisors, each tenant's holds that tenant's staff and its citizens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.audit import AuditChange
from lib.postgresql.stored_size import stored_at_most

ROLE_SNAPSHOT_BYTES = 2500


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email and not fields.get("mobile"):
            raise ValueError("A user needs an e-mail address (citizens: a mobile number).")
        user = self.model(email=self.normalize_email(email).lower() if email else None, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, role=User.Role.VENDOR)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """Without Django's PermissionsMixin: no one uses groups or per-model permissions (tenant
    staff have a `role`; Django admin, on the platform domain only, is for active superusers),
    so neither its two link tables nor auth's and contenttypes' tables are in tenant schemas
    (README, "Relations per tenant")."""

    class Role(models.TextChoices):
        # Public schema
        VENDOR = "vendor", _("کارشناس میزبان")
        SUPERVISOR = "supervisor", _("ناظر استانی")
        # Tenant schemas
        TENANT_ADMIN = "tenant_admin", _("مدیر سامانه")
        UNIT_MANAGER = "unit_manager", _("مدیر واحد")
        CLERK = "clerk", _("کارشناس")
        DESK_OPERATOR = "desk_operator", _("متصدی میز خدمت")
        CITIZEN = "citizen", _("شهروند")

    STAFF_ROLES = (Role.TENANT_ADMIN, Role.UNIT_MANAGER, Role.CLERK, Role.DESK_OPERATOR)

    # Staff sign in with it; a citizen who signed in with a mobile number has none (NULL, so
    # that the unique index admits any number of them).
    email = models.EmailField(_("پست الکترونیک"), unique=True, null=True, blank=True)
    # 09xxxxxxxxx (lib.identifiers.normalize_mobile); citizens sign in with it.
    mobile = models.CharField(_("شماره همراه"), max_length=11, unique=True, null=True, blank=True)
    mobile_verified = models.BooleanField(_("شماره همراه تایید شده"), default=False)
    full_name = models.CharField(_("نام و نام خانوادگی"), max_length=150, blank=True)
    role = models.CharField(_("نقش"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    is_active = models.BooleanField(_("فعال"), default=True)
    is_staff = models.BooleanField(_("دسترسی به پیشخوان جنگو"), default=False)
    is_superuser = models.BooleanField(
        "superuser status", default=False,
        help_text="Designates that this user has all permissions without explicitly assigning them.",
    )
    date_joined = models.DateTimeField(_("زمان عضویت"), default=timezone.now)
    # A provincial supervisor (public schema) sees the tenants of this province (tenants.Province.code).
    province_code = models.SlugField(_("استان ناظر"), max_length=40, blank=True, default="", db_index=False)  # a few supervisors

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("کاربر")
        verbose_name_plural = _("کاربران")

    def __str__(self) -> str:
        return self.full_name or self.email or self.mobile or ""

    # What Django admin asks of a user: everything for an active superuser, nothing otherwise.
    def has_perm(self, perm, obj=None) -> bool:
        return self.is_active and self.is_superuser

    def has_perms(self, perm_list, obj=None) -> bool:
        return self.is_active and self.is_superuser

    def has_module_perms(self, app_label) -> bool:
        return self.is_active and self.is_superuser

    @property
    def is_tenant_staff(self) -> bool:
        return self.is_active and self.role in self.STAFF_ROLES

    @property
    def is_vendor(self) -> bool:
        return self.is_active and self.role == self.Role.VENDOR


class RoleAudit(AuditChange):
    """Who invited, changed or deactivated a staff account, when, and from what to what."""

    class Action(models.TextChoices):
        INVITED = "invited", _("دعوت شد")
        CHANGED = "changed", _("تغییر کرد")

    audit_kind = "role"

    user_email = models.CharField(max_length=254)
    action = models.CharField(max_length=30, choices=Action.choices)

    class Meta(AuditChange.Meta):
        # A snapshot is a role, a flag, a name and a unit's name (catalog.team._snapshot): small,
        # so the table keeps no TOAST table (README, "Relations per tenant").
        constraints = [
            stored_at_most("before", ROLE_SNAPSHOT_BYTES, name="accounts_roleaudit_before_fits_page"),
            stored_at_most("after", ROLE_SNAPSHOT_BYTES, name="accounts_roleaudit_after_fits_page"),
        ]
