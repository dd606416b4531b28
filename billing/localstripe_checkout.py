"""Development only: a local test Stripe for `make run`, never used when STRIPE_SECRET_KEY is set.

One process: localstripe (customers, payment methods, plans = Prices, subscriptions,
invoices) plus a stand-in for the two things localstripe lacks, speaking Stripe's protocol
for what billing uses:

- `POST /v1/checkout/sessions` (and `GET …/{id}`): a Checkout Session whose `url` is a
  Persian page here, `/checkout/{id}/`. There the admin "pays" with a test card; the
  stand-in attaches the card in localstripe, creates the subscription (trial kept as
  `subscription_data.trial_end` asks), sends our webhook the signed events Stripe sends
  (`customer.subscription.created`, `invoice.paid` when charged, `checkout.session.completed`)
  and only then redirects to `success_url`, so the billing page is already up to date.
- `POST /v1/billing_portal/sessions`: a read-only Persian page of the subscription with a
  link back.

Run by scripts/run_all.py (see billing/demo.py) as
`python -m billing.localstripe_checkout --port 8420 --webhook-url … --webhook-secret … --store … --prices '[…]'`.
It does not load Django's project settings: it is Stripe's side, not ours.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import os
import pickle
import secrets
import time
from datetime import datetime, timezone
from pathlib import Path

from aiohttp import ClientError, ClientSession, ClientTimeout, web
from django.utils.translation import gettext as _

logger = logging.getLogger("mizban.localstripe")
TEMPLATES = Path(__file__).resolve().parent / "templates" / "billing" / "localstripe"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
TO_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
TEST_CARD = "4242424242424242"
LOCAL_KEY = "sk_test_local_mizban"  # billing.demo.SECRET_KEY, the only key it serves beside

_sessions: dict[str, dict] = {}  # Checkout and portal sessions: short-lived, kept in memory
_config = {"webhook_url": "", "webhook_secret": "", "public_url": ""}


# --- localstripe's store in our own file (its own path is a fixed /tmp file every test shares)


def _use_store_file(path: Path) -> None:
    from localstripe import resources

    path.parent.mkdir(parents=True, exist_ok=True)

    def load(store):
        try:
            with open(path, "rb") as f:
                old = pickle.load(f)
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            return
        store.clear()
        store.update(old)

    def dump(store):
        partial = path.with_suffix(".tmp")
        with open(partial, "wb") as f:
            pickle.dump(dict(store), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)

    resources.Store.try_load_from_disk = load
    resources.Store.dump_to_disk = dump
    # localstripe's own deliveries are off: the stand-in sends, in order and before the
    # redirect, the events Checkout causes.
    resources.schedule_webhook = lambda event: None


def prices_seed(prices: list[dict]) -> None:
    """Create each demo Price (a localstripe plan with its product) unless it exists; safe at every start."""
    from localstripe.errors import UserError
    from localstripe.resources import Plan

    for price in prices:
        try:
            Plan._api_retrieve(price["id"])
        except UserError:
            Plan(id=price["id"], amount=price["amount"], currency=price["currency"], interval=price["interval"],
                 product={"name": price["product"]})


# --- Stripe's protocol: sessions ---------------------------------------------------------


async def checkout_session_create(request: web.Request) -> web.Response:
    from localstripe.errors import UserError
    from localstripe.resources import Customer, Plan
    from localstripe.server import get_post_data

    data = await get_post_data(request) or {}
    items = data.get("line_items") or []
    if data.get("mode") != "subscription" or len(items) != 1 or not data.get("success_url"):
        raise UserError(400, "Only mode=subscription with one line item is supported locally.")
    Customer._api_retrieve(data.get("customer") or "")  # 404 as Stripe answers an unknown customer
    Plan._api_retrieve(items[0].get("price") or "")
    session_id = "cs_test_" + secrets.token_hex(12)
    subscription_data = data.get("subscription_data") or {}
    session = {
        "id": session_id, "object": "checkout.session", "mode": "subscription", "status": "open",
        "payment_status": "unpaid", "customer": data["customer"], "subscription": None,
        "client_reference_id": data.get("client_reference_id"), "metadata": data.get("metadata") or {},
        "success_url": data["success_url"], "cancel_url": data.get("cancel_url") or data["success_url"],
        "url": f"{_config['public_url']}/checkout/{session_id}/", "livemode": False,
        "created": int(time.time()), "expires_at": int(time.time()) + 24 * 3600,
        "_price": items[0]["price"], "_trial_end": int(subscription_data.get("trial_end") or 0) or None,
        "_subscription_metadata": subscription_data.get("metadata") or {},
    }
    _sessions[session_id] = session
    return web.json_response(_public(session))


async def checkout_session_retrieve(request: web.Request) -> web.Response:
    return web.json_response(_public(_session(request, "cs_test_")))


async def portal_session_create(request: web.Request) -> web.Response:
    from localstripe.resources import Customer
    from localstripe.server import get_post_data

    data = await get_post_data(request) or {}
    Customer._api_retrieve(data.get("customer") or "")
    session_id = "bps_test_" + secrets.token_hex(12)
    session = {
        "id": session_id, "object": "billing_portal.session", "customer": data["customer"],
        "return_url": data.get("return_url") or "", "url": f"{_config['public_url']}/portal/{session_id}/",
        "livemode": False, "created": int(time.time()),
    }
    _sessions[session_id] = session
    return web.json_response(_public(session))


def _public(session: dict) -> dict:
    return {key: value for key, value in session.items() if not key.startswith("_")}


def _session(request: web.Request, prefix: str) -> dict:
    from localstripe.errors import UserError

    session = _sessions.get(request.match_info["id"], {})
    if not session.get("id", "").startswith(prefix):
        raise UserError(404, "Not Found")
    return session


def _page_session(request: web.Request, prefix: str) -> dict | None:
    """The session of a page; None for an unknown one (sessions live in memory: a restart forgets them)."""
    session = _sessions.get(request.match_info["id"], {})
    return session if session.get("id", "").startswith(prefix) else None


def _expired() -> web.Response:
    return _render("expired.html", {}, status=404)


# --- The pages the payer sees ------------------------------------------------------------


def _render(name: str, context: dict, status: int = 200) -> web.Response:
    from django.template import Context, Engine

    engine = Engine(dirs=[str(TEMPLATES)], autoescape=True)
    html = engine.get_template(name).render(Context(context))
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def _fa(value) -> str:
    return str(value).translate(PERSIAN_DIGITS)


def _jalali(timestamp: int) -> str:
    import jdatetime

    when = jdatetime.datetime.fromgregorian(datetime=datetime.fromtimestamp(timestamp, tz=timezone.utc))
    return _fa(when.strftime("%Y/%m/%d"))


def _price_summary(price_id: str) -> dict:
    from localstripe.resources import Plan, Product

    plan = Plan._api_retrieve(price_id)
    product = Product._api_retrieve(plan.product) if isinstance(plan.product, str) else plan.product
    amount = f"{plan.amount:,}" if plan.currency == "irr" else f"{plan.amount / 100:,.2f}"
    return {
        "product": getattr(product, "name", "") or "",
        "amount": _fa(amount).replace(".", "٫").replace(",", "٬"),
        "currency": plan.currency, "interval": plan.interval,  # named in _price.html
    }


def _checkout_context(session: dict, form: dict | None = None, error: str = "") -> dict:
    return {
        "session": session, "price": _price_summary(session["_price"]), "form": form or {}, "error": error,
        "trial_end": _jalali(session["_trial_end"]) if session["_trial_end"] else "",
        "test_card": _fa(" ".join(TEST_CARD[i:i + 4] for i in range(0, 16, 4))),
    }


async def checkout_page(request: web.Request) -> web.Response:
    session = _page_session(request, "cs_test_")
    if session is None:
        return _expired()
    if session["status"] != "open":
        raise web.HTTPSeeOther(session["success_url"])
    return _render("checkout.html", _checkout_context(session))


async def checkout_pay(request: web.Request) -> web.Response:
    session = _page_session(request, "cs_test_")
    if session is None:
        return _expired()
    if session["status"] != "open":
        raise web.HTTPSeeOther(session["success_url"])
    form = {key: str(value).strip() for key, value in (await request.post()).items()}
    card = {
        "number": form.get("number", "").translate(TO_ASCII_DIGITS).replace(" ", "").replace("-", ""),
        "exp_month": form.get("exp_month", "").translate(TO_ASCII_DIGITS),
        "exp_year": form.get("exp_year", "").translate(TO_ASCII_DIGITS),
        "cvc": form.get("cvc", "").translate(TO_ASCII_DIGITS),
    }
    error = _card_error(card) or _subscribe(session, card)
    if error:
        return _render("checkout.html", _checkout_context(session, form, error), status=402)
    await _send_events(session)
    raise web.HTTPSeeOther(session["success_url"])


def _card_error(card: dict) -> str:
    if not (card["number"].isdigit() and len(card["number"]) == 16):
        return _("شماره کارت باید ۱۶ رقم باشد.")
    if not (card["exp_month"].isdigit() and 1 <= int(card["exp_month"]) <= 12 and card["exp_year"].isdigit()):
        return _("ماه و سال انقضای کارت را درست وارد کنید.")
    year = int(card["exp_year"]) + (2000 if int(card["exp_year"]) < 100 else 0)
    if (year, int(card["exp_month"])) < (datetime.now(timezone.utc).year, datetime.now(timezone.utc).month):
        return _("تاریخ انقضای کارت گذشته است.")
    if not (card["cvc"].isdigit() and len(card["cvc"]) == 3):
        return _("کد امنیتی کارت باید ۳ رقم باشد.")
    return ""


def _subscribe(session: dict, card: dict) -> str:
    """What Stripe's Checkout does after the card: save it on the customer, subscribe, charge.
    Returns a Persian error, or "" with the session completed."""
    from localstripe.errors import UserError
    from localstripe.resources import Customer, Invoice, PaymentMethod, Subscription

    try:
        method = PaymentMethod(type="card", card={**card, "exp_month": int(card["exp_month"]), "exp_year": int(card["exp_year"])})
        PaymentMethod._api_attach(method.id, customer=session["customer"])
    except UserError:
        return _("کارت پذیرفته نشد؛ کارت دیگری را امتحان کنید.")
    Customer._api_update(session["customer"], invoice_settings={"default_payment_method": method.id})
    params = {"customer": session["customer"], "items": [{"plan": session["_price"]}], "metadata": session["_subscription_metadata"]}
    if session["_trial_end"]:
        params["trial_end"] = session["_trial_end"]
    subscription = Subscription._api_create(**params)
    if session["_trial_end"]:
        # localstripe has no "trialing": Stripe's status for a subscription that charges at the trial's end.
        subscription.status, subscription.trial_start = "trialing", int(time.time())
    elif subscription.status != "active":
        Subscription._api_delete(subscription.id)
        return _("پرداخت با این کارت انجام نشد؛ کارت دیگری را امتحان کنید.")
    invoice = Invoice._api_retrieve(subscription.latest_invoice) if subscription.latest_invoice else None
    exported = subscription._export()
    if session["_trial_end"]:
        exported["current_period_end"] = session["_trial_end"]  # Stripe's first period ends with the trial
    session.update(
        status="complete", subscription=subscription.id,
        payment_status="paid" if invoice is not None and invoice.amount_paid else "no_payment_required",
        _objects=[("customer.subscription.created", exported)]
        + ([("invoice.paid", invoice._export())] if invoice is not None and invoice.amount_paid else []),
    )
    return ""


async def _send_events(session: dict) -> None:
    """Deliver, signed with the endpoint secret, the events Stripe sends after a Checkout."""
    events = session.pop("_objects", []) + [("checkout.session.completed", _public(session))]
    async with ClientSession(timeout=ClientTimeout(total=30)) as client:
        for event_type, obj in events:
            payload = json.dumps({
                "id": "evt_test_" + secrets.token_hex(12), "object": "event", "type": event_type,
                "created": int(time.time()), "livemode": False, "api_version": "2025-03-31.basil",
                "data": {"object": obj},
            })
            timestamp = int(time.time())
            signature = hmac.new(_config["webhook_secret"].encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
            headers = {"Content-Type": "application/json", "Stripe-Signature": f"t={timestamp},v1={signature}"}
            try:
                async with client.post(_config["webhook_url"], data=payload.encode(), headers=headers) as answer:
                    logger.info("webhook %s -> %s", event_type, answer.status)
            except ClientError as error:
                logger.warning("webhook %s not delivered: %s", event_type, error)


async def portal_page(request: web.Request) -> web.Response:
    from localstripe.resources import Subscription

    session = _page_session(request, "bps_test_")
    if session is None:
        return _expired()
    subscriptions = [s for s in Subscription._api_list_all("/v1/subscriptions")._list if s.customer == session["customer"]]
    rows = [
        {
            "price": _price_summary(s.plan.id), "status": s.status,
            "end": _jalali(s.trial_end if s.status == "trialing" else s.current_period_end),
        }
        for s in subscriptions if s.status in ("active", "trialing", "past_due")
    ]
    return _render("portal.html", {"session": session, "subscriptions": rows})


# --- Start --------------------------------------------------------------------------------


def build_app(*, webhook_url: str, webhook_secret: str, public_url: str, prices: list[dict]) -> web.Application:
    from localstripe.server import app

    @web.middleware
    async def pages_need_no_key(request, handler):
        # The payer's browser has no API key: the two pages skip localstripe's key check.
        if request.path.startswith(("/checkout/", "/portal/")) and request.match_info.http_exception is None:
            return await request.match_info.handler(request)
        return await handler(request)

    app.middlewares.insert(1, pages_need_no_key)
    _config.update(webhook_url=webhook_url, webhook_secret=webhook_secret, public_url=public_url.rstrip("/"))
    # Ahead of localstripe's own routes; its auth middleware lets only /v1/ need the secret key.
    routes = [
        web.post("/v1/checkout/sessions", checkout_session_create),
        web.get("/v1/checkout/sessions/{id}", checkout_session_retrieve),
        web.post("/v1/billing_portal/sessions", portal_session_create),
        web.get("/checkout/{id}/", checkout_page),
        web.post("/checkout/{id}/", checkout_pay),
        web.get("/portal/{id}/", portal_page),
    ]
    app.router.add_routes(routes)
    prices_seed(prices)
    return app


def main() -> None:
    from django.conf import settings

    parser = argparse.ArgumentParser(description="Local test Stripe (development only).")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--webhook-url", required=True)
    parser.add_argument("--webhook-secret", required=True)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--prices", default="[]", help="JSON list of {id, product, amount, currency, interval}")
    args = parser.parse_args()
    if os.environ.get("DJANGO_ENV") == "production" or os.environ.get("STRIPE_SECRET_KEY", LOCAL_KEY) != LOCAL_KEY:
        raise SystemExit("The local test Stripe is for development only, and never beside a real STRIPE_SECRET_KEY.")
    settings.configure(USE_I18N=False)  # Django's template engine only, for the two pages
    logging.basicConfig(level=logging.INFO, format="localstripe: %(message)s")
    _use_store_file(args.store)
    from localstripe.resources import store

    store.try_load_from_disk()
    app = build_app(
        webhook_url=args.webhook_url, webhook_secret=args.webhook_secret,
        public_url=f"http://127.0.0.1:{args.port}", prices=json.loads(args.prices),
    )
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
