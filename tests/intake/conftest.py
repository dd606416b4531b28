import pytest

from tests.clients import Wizard


@pytest.fixture
def wizard(alpha_catalog, client_a):
    return Wizard(client_a)
