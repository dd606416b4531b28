"""The gateway's callback on the tenant's host: GET (Zarinpal) or a cross-site POST (SEP)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from payments.services import payment_callback


@csrf_exempt  # the provider's page posts here; the payment's id, its checks and the verify stand in for CSRF
def callback(request, public_id):
    params = {key: value for key, value in (request.POST if request.method == "POST" else request.GET).items()}
    payment = payment_callback(public_id=public_id, params=params)
    if payment is None:
        raise Http404
    target = payment.return_path if url_has_allowed_host_and_scheme(payment.return_path, allowed_hosts=None) else "/"
    return redirect(f"{target}?payment={payment.public_id}")
