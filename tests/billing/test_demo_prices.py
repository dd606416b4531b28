"""The demo plans' prices on the local test Stripe of `make run` (billing/demo.py)."""

from billing.demo import demo_prices_attach, local_stripe_env, local_stripe_wanted
from billing.models import Plan
from billing.selectors import plans_offered


def test_the_demo_plans_get_the_local_prices_once(db):
    assert not plans_offered().exists()  # seeded without prices: nothing to buy
    assert {p.code for p in demo_prices_attach()} == {"basic", "standard", "plus"}
    standard = Plan.objects.get(code="standard")
    assert (standard.stripe_price_monthly, standard.stripe_price_yearly) == ("price_local_standard_month", "price_local_standard_year")
    assert (standard.monthly_amount, standard.yearly_amount, standard.currency) == (4500, 45000, "eur")
    assert set(plans_offered().values_list("code", flat=True)) == {"basic", "standard", "plus"}
    assert demo_prices_attach() == []  # every start of make run: nothing to change


def test_a_price_the_vendor_set_is_kept(db):
    Plan.objects.filter(code="plus").update(stripe_price_monthly="price_1RealFromStripe", monthly_amount=12000)
    demo_prices_attach()
    plus = Plan.objects.get(code="plus")
    assert (plus.stripe_price_monthly, plus.stripe_price_yearly, plus.monthly_amount) == ("price_1RealFromStripe", "", 12000)


def test_only_without_a_key_and_never_in_production(settings):
    settings.STRIPE_SECRET_KEY, settings.PRODUCTION = "", False
    assert local_stripe_wanted()
    settings.STRIPE_SECRET_KEY = "sk_live_x"
    assert not local_stripe_wanted()
    settings.STRIPE_SECRET_KEY, settings.PRODUCTION = "", True
    assert not local_stripe_wanted()
    assert local_stripe_env(port=8420)["STRIPE_API_BASE"] == "http://127.0.0.1:8420"
