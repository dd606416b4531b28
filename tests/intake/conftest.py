import pytest

from accounts.models import User
from tests.builders import demo_units, request_submitted_make, user_make
from tests.clients import Wizard, staff_client


@pytest.fixture
def wizard(alpha_catalog, client_a):
    return Wizard(client_a)


@pytest.fixture
def case_submitted(alpha_catalog):
    """A submitted request at district 1 and a signed-in clerk of that unit."""
    _, district_1, _ = demo_units()
    service_request = request_submitted_make(unit=district_1)
    return service_request, staff_client(user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1))


@pytest.fixture
def case_accepted(case_submitted):
    """The same, once the clerk has accepted the request."""
    service_request, clerk = case_submitted
    clerk.post(f"/staff/requests/{service_request.pk}/accept/")
    return service_request, clerk
