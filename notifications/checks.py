"""System checks of notifications. `manage.py check --deploy` fails on the console SMS gateway
(production settings already refuse to start with it: mizban/settings.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

CONSOLE_GATEWAY_IN_DEPLOYMENT = "notifications.E001"


@register(Tags.security, deploy=True)
def sms_gateway_check(app_configs, **kwargs) -> list[Error]:
    if settings.SMS_GATEWAY != "console":
        return []
    return [Error(
        "SMS_GATEWAY is console: one-time codes, tracking codes and survey links would be written into the log "
        "and no SMS would reach anyone, while every message is marked sent.",
        hint="Set SMS_GATEWAY=kavenegar with KAVENEGAR_API_KEY (and KAVENEGAR_SENDER) for a deployment.",
        id=CONSOLE_GATEWAY_IN_DEPLOYMENT,
    )]
