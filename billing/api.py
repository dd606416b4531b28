"""Stripe's webhook endpoint, on the platform domain only (mizban/urls_public.py)."""

import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing.webhooks import BadSignature, StripeStateUnknown, stripe_event_receive

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event, new = stripe_event_receive(payload=request.body, signature=request.headers.get("Stripe-Signature", ""))
    except BadSignature as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest("bad signature")
    except StripeStateUnknown as error:
        # Stripe delivers again (for up to three days): nothing is lost by waiting.
        logger.warning("Stripe webhook deferred, Stripe unreachable: %s", error)
        return HttpResponse("Stripe unreachable; deliver again", status=503, content_type="text/plain")
    return HttpResponse(f"{event.outcome}{'' if new else ' (repeat)'}", content_type="text/plain")
