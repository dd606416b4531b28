import pytest

from tests.builders import SESSION_TENANTS, user_make
from tests.clients import signed_in


@pytest.fixture
def clerk_a(client_a):
    """A clerk of alpha, signed in (no unit needed to be refused)."""
    user_make(email="clerk.brand@alpha.test", role="clerk")
    return signed_in(client_a, "clerk.brand@alpha.test")


@pytest.fixture
def admin_b(client_b):
    return signed_in(client_b, SESSION_TENANTS["beta"]["admin_email"])
