"""Who may open a request, in one place for both sides: staff within their reach; a citizen after
the one-time code or signed in as the request's citizen; a wizard only in the browser session
that started it. Anyone else gets 404, the answer for an id that does not exist, so ids cannot be
probed for which exist."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from intake.casework.selectors import requests_reachable
from intake.citizen.selectors import citizen_requests
from intake.models import ServiceRequest, WizardDraft

# Session keys: the requests this browser proved it may open (one-time code or objection), and
# the wizards it started.
GRANTED_KEY, WIZARDS_KEY = "intake_granted", "intake_wizards"


def reachable_or_404(request, pk: int) -> ServiceRequest:
    """A request outside the staff user's reach does not exist for them."""
    return get_object_or_404(requests_reachable(user=request.user), pk=pk)


def citizen_granted(request, service_request: ServiceRequest) -> bool:
    """This browser proved the request's mobile by the one-time code, or is its signed-in citizen."""
    if service_request.pk in request.session.get(GRANTED_KEY, []):
        return True
    user = request.user
    return bool(user.is_authenticated and citizen_requests(user=user).filter(pk=service_request.pk).exists())


def citizen_grant(request, service_request: ServiceRequest) -> None:
    """Open the whole request to this browser (after the one-time code, or for an objection the
    same proven citizen just filed)."""
    request.session[GRANTED_KEY] = request.session.get(GRANTED_KEY, []) + [service_request.pk]


def granted_or_404(request, pk: int) -> ServiceRequest:
    service_request = get_object_or_404(ServiceRequest, pk=pk)
    if not citizen_granted(request, service_request):
        raise Http404
    return service_request


def files_reachable_or_404(request, service_request: ServiceRequest) -> None:
    """A request's files: staff only within their reach, anyone else only after the one-time
    code or as the signed-in citizen."""
    user = request.user
    if user.is_authenticated and user.is_tenant_staff:
        if not requests_reachable(user=user).filter(pk=service_request.pk).exists():
            raise Http404
    elif not citizen_granted(request, service_request):
        raise Http404


def wizard_own_or_404(request, slot: int) -> WizardDraft:
    """A wizard belongs to the browser session that started it (a citizen's, or the desk's). Its
    addresses name it by a number that means something only in that session (`wizard_remember`),
    never by its token: the token makes the submit idempotent and stays out of URLs, and so out
    of every access log and Referer."""
    wizards = request.session.get(WIZARDS_KEY)
    token = wizards.get(str(slot)) if isinstance(wizards, dict) else None
    if token is None:
        raise Http404("not this session's wizard")
    return get_object_or_404(WizardDraft.objects.select_related("service"), token=token)


def wizard_remember(request, draft: WizardDraft) -> int:
    """Keep the wizard's token in the session under the next number; that number is its address.
    The last 20 are kept (a desk operator may have a few open at once)."""
    wizards = request.session.get(WIZARDS_KEY)
    wizards = wizards if isinstance(wizards, dict) else {}
    slot = max((int(n) for n in wizards), default=0) + 1
    wizards[str(slot)] = str(draft.token)
    request.session[WIZARDS_KEY] = dict(sorted(wizards.items(), key=lambda item: int(item[0]))[-20:])
    return slot
