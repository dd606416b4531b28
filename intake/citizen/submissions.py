"""A whole request in one call (the API): the wizard's steps stored at once, then the wizard's
own final submit, so that the rules and the idempotency are the same.

An Idempotency-Key replays only to the client that first used it. The API has no accounts of
its own, so the client is what it can know of the caller: the signed-in user if the call carries
a session, and the request it sent (every field and the content of every file). A retry sends
the same request again and gets the same receipt; anyone else holding the key (a key seen in a
log, a web wizard's token) gets a refusal and nothing of the request (`IdempotencyConflict`).
"""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from intake import error_codes
from intake.citizen.services import draft_start, draft_submit, request_submit
from intake.files import display_name, upload_check
from intake.models import Attachment, DraftFile, ServiceRequest, WizardDraft
from tenants.cluster import tenant_writes_guard

CONFLICT_MESSAGE = _("این کلید تکرار (Idempotency-Key) پیش‌تر برای درخواست دیگری به کار رفته است؛ برای هر درخواست تازه کلید تازه‌ای بفرستید.")


class IdempotencyConflict(ValidationError):
    def __init__(self):
        super().__init__(CONFLICT_MESSAGE, code=error_codes.IDEMPOTENCY_KEY_CONFLICT)


def submission_client_key(*, user_id: int | None, fields: dict[str, list], files: dict[str, list]) -> str:
    """The fingerprint of a caller and what it sent: the same call again gives the same key.
    `fields` maps each name to its values as sent; `files` each name to its uploads."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"user": user_id, "fields": fields}, sort_keys=True, ensure_ascii=False, default=str).encode())
    for name in sorted(files):
        for upload in files[name]:
            digest.update(f"\0{name}\0{upload.name}\0{upload.size}\0".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def request_for_key(*, token, client_key: str) -> ServiceRequest | None:
    """The request a key already made for this client, None if the key is new (or its first use
    is still in flight); IdempotencyConflict if another client, or another request, holds it."""
    draft = WizardDraft.objects.filter(token=token).only("client_key").first()
    if draft is None:
        return None
    if draft.client_key != client_key:
        raise IdempotencyConflict
    return ServiceRequest.objects.filter(wizard_token=token).select_related("service", "unit").first()


class Submitted(NamedTuple):
    request: ServiceRequest
    created: bool  # by this call (else the request an earlier call with the same token made)
    attachments: list[Attachment] | None  # this call's, as saved; None when it made nothing


def request_submit_whole(*, token, service, unit, steps: dict, uploads: list, citizen=None, client_key: str = "",
                         channel: str = ServiceRequest.Channel.ONLINE) -> Submitted:
    """The request, whether this call made it, and its files. The caller's token (the API's Idempotency-Key)
    becomes the draft's, with the caller's fingerprint, so a retry, or a twin sent at the same
    moment, gets the first request, and another client gets IdempotencyConflict.

    Draft, steps, files and request commit together: a draft with this token exists only once
    its request does, and a twin's insert waits on the unique token until then. `channel` is
    the request's (an Open311 client's is its API key's name, with a fresh token per post).
    """
    with transaction.atomic():
        tenant_writes_guard()  # on a Citus cluster, not while the tenant moves
        try:
            with transaction.atomic():
                draft = draft_start(service=service, unit=unit, token=token, client_key=client_key, channel=channel, steps=steps)
        except IntegrityError:
            # The token is taken (committed by now): the first client's request, for it alone.
            if WizardDraft.objects.get(token=token).client_key != client_key:
                raise IdempotencyConflict from None
            return Submitted(request_submit(token=token, citizen=citizen), False, None)
        # The draft is this transaction's own (a twin waits on its token), so nothing needs
        # locking or reading back: its files are checked and stored straight onto the request.
        attachments = [_attachment_stored(service=service, upload=upload, already=index) for index, upload in enumerate(uploads)]
        return Submitted(draft_submit(draft=draft, citizen=citizen, unit=unit, attachments=attachments), True, attachments)


def _attachment_stored(*, service, upload, already: int) -> Attachment:
    """The wizard's check of one upload (draft_attach's), its file stored, its row not yet saved."""
    extension, mime = upload_check(service=service, upload=upload, already=already)
    stored = DraftFile(display_name=display_name(upload.name), content_type=mime, extension=extension, size=upload.size)
    stored.file.save("upload", upload, save=False)  # the draft files' storage and names
    return Attachment(file=stored.file.name, display_name=stored.display_name, content_type=mime, size=upload.size)
