from django.contrib import admin

from billing.models import BillingAccount, BillingStep, Invoice, Plan, StripeEvent


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "stripe_price_monthly", "stripe_price_yearly", "staff_seats", "requests_per_month", "is_active")


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    list_display = ("tenant", "plan", "interval", "stripe_customer_id", "subscription_status", "grace_ends_at")
    readonly_fields = ("last_event_created",)


@admin.register(BillingStep)
class BillingStepAdmin(admin.ModelAdmin):
    list_display = ("tenant", "kind", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "kind")


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ("stripe_id", "type", "tenant", "outcome", "received_at")
    list_filter = ("outcome", "type")
    readonly_fields = ("payload",)


admin.site.register(Invoice)
