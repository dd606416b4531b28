"""A whole request in one call (the API): the wizard's steps stored at once, then the wizard's
own final submit, so that the rules and the idempotency are the same."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from intake.citizen.services import draft_attach, draft_save_step, draft_start, request_submit
from intake.models import ServiceRequest


def request_for_token(token) -> ServiceRequest | None:
    return ServiceRequest.objects.filter(wizard_token=token).select_related("service", "unit").first()


def request_submit_whole(*, token, service, unit, steps: dict, uploads: list, citizen=None) -> tuple[ServiceRequest, bool]:
    """(the request, whether this call made it). The caller's token (the API's Idempotency-Key)
    becomes the draft's, so a retry, or a twin sent at the same moment, gets the first request.

    Draft, steps, files and request commit together: a draft with this token exists only once
    its request does, and a twin's insert waits on the unique token until then.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                draft = draft_start(service=service, unit=unit, token=token)
        except IntegrityError:
            # The token is taken: request_submit waits on the draft's lock and returns its request.
            return request_submit(token=token, citizen=citizen), False
        for step, values in steps.items():
            draft_save_step(draft=draft, step=step, values=values)
        for upload in uploads:
            draft_attach(draft=draft, upload=upload)
        return request_submit(token=token, citizen=citizen), True
